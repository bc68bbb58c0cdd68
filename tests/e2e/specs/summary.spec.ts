// What people said: the staff summary of a survey that includes Scotland's equality
// questions, with small numbers hidden on the page and in the CSV it downloads; axe-core
// finds nothing, and it reads at 320 px and in print.

import { readFileSync } from 'node:fs';
import { test, expect } from '../helpers/fixtures';
import { checkAxe } from '../helpers/axe';
import { screenshotPath } from '../helpers/paths';
import type { Page } from '@playwright/test';
import { signIn } from '../helpers/staff';

const ADMIN = { name: 'ailsa', role: 'admin' as const, password: 'correct horse battery' };

const survey = {
  format: 1,
  id: 'about-you',
  version: 1,
  default_locale: 'en',
  title: 'Your local services',
  privacy: { text: 'We keep answers for a year.' },
  allowed_origins: ['*'],
  pages: [
    {
      id: 'views',
      questions: [{ id: 'rating', type: 'rating', min: 1, max: 5, required: true, label: 'How good are your local services?' }],
    },
    { id: 'about_you', include: 'equality/scotland-2026' },
  ],
};

test.use({ collectorOptions: { staff: [ADMIN], surveys: [survey] } });

/** 40 responses: ages 25–34 (20), 65–74 (17) and under 16 (3); ratings 4 (30) and 2 (10). */
async function respond(url: string) {
  for (let i = 0; i < 40; i++) {
    const age = i < 20 ? '25_34' : i < 37 ? '65_74' : 'under_16';
    const reply = await fetch(`${url}/api/surveys/about-you/responses`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        submission_id: crypto.randomUUID(),
        survey_version: 1,
        locale: 'en',
        answers: { rating: i < 30 ? 4 : 2, age },
      }),
    });
    expect(reply.status).toBe(201);
  }
}

/** A table's rows as [answer, responses, share] text. */
async function rows(page: Page, question: string): Promise<string[][]> {
  const table = page.getByRole('table', { name: `Answers to ${question}` });
  return table.locator('tbody tr').evaluateAll((trs) =>
    trs.map((tr) => Array.from(tr.querySelectorAll('th, td')).slice(0, 3).map((c) => (c.textContent ?? '').trim())),
  );
}

test('the summary hides small numbers, and its CSV does too', async ({ page, collector }, testInfo) => {
  await respond(collector.url);
  await signIn(page, collector.url, ADMIN);
  await page.goto(`${collector.url}/admin/surveys/about-you`);
  await page.getByRole('link', { name: 'Summary of the answers' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'What people said' })).toBeVisible();
  await expect(page.getByText('Everyone who responded: 40.')).toBeVisible();

  // Under 16 (3) is hidden, and so is the next smallest count beside it (65 to 74, 17),
  // or 3 would be 40 − 20 − 17. "*" is read out as "hidden".
  const age = await rows(page, 'What is your age?');
  expect(age.find((r) => r[0] === '25 to 34')).toEqual(['25 to 34', '20', '50%']);
  expect(age.find((r) => r[0] === 'Under 16')).toEqual(['Under 16', '*hidden', '*hidden']);
  expect(age.find((r) => r[0] === '65 to 74')).toEqual(['65 to 74', '*hidden', '*hidden']);
  expect(age.find((r) => r[0] === 'Not answered')).toEqual(['Not answered', '0', '0%']);
  const rating = await rows(page, 'How good are your local services?');
  expect(rating.find((r) => r[0] === '4')).toEqual(['4', '30', '75%']);
  // No count from 1 to 4 shows anywhere on the page.
  const shown = await page.locator('td.num').allTextContents();
  for (const text of shown) expect(text).not.toMatch(/^[1-4]%?$/);
  await checkAxe(page, 'summary', testInfo);

  // At 320 px the page reflows; wide tables scroll inside their own region.
  await page.setViewportSize({ width: 320, height: 800 });
  const { scroll, client } = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    client: document.documentElement.clientWidth,
  }));
  expect(scroll).toBeLessThanOrEqual(client);
  await page.screenshot({ path: screenshotPath('summary-320.png'), fullPage: true });
  await page.setViewportSize({ width: 1024, height: 800 });
  await page.emulateMedia({ media: 'print' });
  await expect(page.getByRole('button', { name: 'Download the summary' })).toBeHidden();
  await page.screenshot({ path: screenshotPath('summary-print.png'), fullPage: true });
  await page.emulateMedia({ media: 'screen' });

  // Broken down by age: each rating by each age band, protected with the tables above.
  await page.getByLabel('Break each answer down by').selectOption({ label: 'What is your age?' });
  await page.getByRole('button', { name: 'Show' }).click();
  await expect(page.getByLabel('Break each answer down by')).toHaveValue('age');
  const byAge = page.getByRole('table', { name: 'Answers to How good are your local services?: By What is your age?' });
  await expect(byAge).toBeVisible();
  const headers = await byAge.locator('thead th').allTextContents();
  expect(headers.slice(0, 4)).toEqual(['Answer', 'Under 16', '16 to 24', '25 to 34']);
  const row = (rating: string) => byAge.locator('tbody tr').filter({ has: page.getByRole('rowheader', { name: rating, exact: true }) }).locator('td').allTextContents();
  // Everyone aged 25 to 34 rated 4: 20 of them; nobody under 16 did. The three under 16
  // rated 2: hidden.
  const four = await row('4');
  expect([four[0], four[2]]).toEqual(['0', '20']);
  expect((await row('2'))[0]).toBe('*hidden');
  for (const text of await page.locator('table.breakdown-table td').allTextContents()) {
    expect(text).not.toMatch(/^[1-4]$/);
  }
  await checkAxe(page, 'summary broken down by age', testInfo);
  // The page is long: its first screen is enough to look at.
  await page.screenshot({ path: screenshotPath('summary-by-age.png') });

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download the summary' }).click(),
  ]);
  expect(download.suggestedFilename()).toBe('about-you-summary.csv');
  const csv = readFileSync(await download.path(), 'utf8');
  expect(csv.startsWith('\ufeff')).toBe(true);
  const lines = csv.replace('\ufeff', '').trim().split(/\r?\n/);
  expect(lines[0]).toBe('question_id,question,answer_value,answer,count,percent_of_everyone');
  expect(lines).toContain('age,What is your age?,under_16,Under 16,*,*');
  expect(lines).toContain('age,What is your age?,25_34,25 to 34,20,50.0');
  for (const line of lines.slice(1)) {
    const count = line.split(',').at(-2);
    expect(count, line).not.toMatch(/^[1-4]$/);
  }
});
