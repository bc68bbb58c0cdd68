// Who we heard from: a survey including Scotland's equality questions, 300 responses
// with a known mix over three channels, and the area's figures loaded through the API;
// the reach page marks exactly the groups the mix leaves out, hides small numbers, has
// no axe violations and reads at 320 px.

import { test, expect } from '../helpers/fixtures';
import { checkAxe } from '../helpers/axe';
import { collecting } from '../helpers/collect';
import { screenshotPath } from '../helpers/paths';
import { signIn } from '../helpers/staff';

const ADMIN = { name: 'ailsa', role: 'admin' as const, password: 'correct horse battery' };

const survey = {
  format: 1,
  id: 'reach',
  version: 1,
  default_locale: 'en',
  title: 'Your local services',
  privacy: { text: 'We keep answers for a year.' },
  allowed_origins: ['*'],
  pages: [
    { id: 'views', questions: [{ id: 'rating', type: 'rating', min: 1, max: 5, label: 'How good are your local services?' }] },
    { id: 'about_you', include: 'equality/scotland-2026' },
  ],
};

test.use({ collectorOptions: { staff: [ADMIN], surveys: [survey], adminToken: true } });

/** Ages: 16–24 only 2 % of the answers though 15 % of the area; everyone cares for nobody. */
const AGES: [string, number][] = [
  ['16_24', 6],
  ['25_34', 45],
  ['35_49', 75],
  ['50_64', 75],
  ['65_74', 60],
  ['75_plus', 39],
];

const AREA = `question,answer,people
age,16_24,1500
age,25_34,1500
age,35_49,2500
age,50_64,2500
age,65_74,1200
age,75_plus,800
unpaid_care,no,8000
unpaid_care,1_19,1000
unpaid_care,20_34,400
unpaid_care,35_49,300
unpaid_care,50_plus,300
`;

async function respond(url: string) {
  const ages = AGES.flatMap(([age, n]) => Array<string>(n).fill(age));
  // Phone and paper answers come as staff collecting them send them.
  const byPhone = await collecting(url, ADMIN, 'reach', 'phone');
  const fromPaper = await collecting(url, ADMIN, 'reach', 'paper');
  for (let i = 0; i < ages.length; i++) {
    // 297 online or by phone; 3 on paper, too few to show.
    const channel = i < 3 ? 'paper' : i % 3 === 0 ? 'phone' : 'online';
    const submission = {
      submission_id: crypto.randomUUID(),
      survey_version: 1,
      locale: 'en',
      channel,
      answers: { rating: 4, age: ages[i], unpaid_care: 'no' },
    };
    const reply =
      channel === 'online'
        ? await fetch(`${url}/api/surveys/reach/responses`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(submission),
          })
        : await (channel === 'phone' ? byPhone : fromPaper)(submission);
    expect(reply.status).toBe(201);
  }
}

test('the reach page marks exactly the groups the survey is missing', async ({ page, collector }, testInfo) => {
  await respond(collector.url);
  // A file with a wrong answer is refused, saying which row; the right one is taken.
  const wrong = await fetch(`${collector.url}/api/admin/surveys/reach/population`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${collector.token}`, 'content-type': 'text/csv' },
    body: 'question,answer,people\nage,16-24,1500\n',
  });
  expect(wrong.status).toBe(400);
  expect(await wrong.text()).toContain('row 2, answer: \\"16-24\\" is not an answer to \\"age\\"');

  await signIn(page, collector.url, ADMIN);
  await page.goto(`${collector.url}/admin/surveys/reach`);
  await page.getByRole('link', { name: 'Who we heard from' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Who we heard from' })).toBeVisible();

  // An admin loads the area's figures from a file on a page of their own: a wrong file is
  // refused with each problem at the field, the right one taken.
  await page.getByRole('link', { name: "Load the area's figures" }).click();
  await expect(page.getByRole('heading', { level: 1, name: "The area's figures" })).toBeVisible();
  const figures = page.getByLabel("The area's figures (CSV)");
  await figures.setInputFiles({ name: 'area.csv', mimeType: 'text/csv', buffer: Buffer.from('question,answer,people\nage,16-24,1500\nwho,x,3\n') });
  await page.getByRole('button', { name: 'Load the figures' }).click();
  await expect(page.getByRole('alert')).toContainText('row 2, answer: "16-24" is not an answer to "age"');
  await expect(page.getByRole('alert')).toContainText('row 3, question: the survey has no question "who"');
  await expect(figures).toHaveAttribute('aria-invalid', 'true');
  await checkAxe(page, 'population-refused', testInfo);
  await figures.setInputFiles({ name: 'area.csv', mimeType: 'text/csv', buffer: Buffer.from(AREA) });
  await page.getByRole('button', { name: 'Load the figures' }).click();
  await expect(page.getByRole('status')).toContainText('Loaded 11 groups of age, unpaid_care.');
  await checkAxe(page, 'population-loaded', testInfo);
  await page.getByRole('link', { name: 'See who we heard from' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Who we heard from' })).toBeVisible();

  // By channel: paper's 3 are hidden, and so is the next smallest beside them.
  const channels = page.getByRole('table', { name: 'Responses by channel' });
  await expect(channels.getByRole('row', { name: /Paper/ })).toContainText('*');

  // By day: all 300 arrived today.
  await expect(page.getByRole('table', { name: 'Responses by day, newest first' }).locator('tbody tr')).toHaveCount(1);
  await expect(page.getByRole('table', { name: 'Responses by day, newest first' })).toContainText('300');

  const marked = await page.locator('.reach-table tbody tr').filter({ hasText: /Under-represented:/ }).locator('th').allTextContents();
  expect(marked).toEqual(['16 to 24', 'Yes, 1 to 19 hours a week']);
  const young = page.locator('.reach-table tbody tr').filter({ hasText: '16 to 24' });
  await expect(young).toContainText('Under-represented: 2% of answers; 15% of the area');
  await checkAxe(page, 'reach', testInfo);

  // A wider margin marks fewer: at 12 points, the carers (10 % of the area) are not.
  await page.getByLabel(/Mark a group when its share/).fill('12');
  await page.getByRole('button', { name: 'Show' }).click();
  const fewer = await page.locator('.reach-table tbody tr').filter({ hasText: /Under-represented:/ }).locator('th').allTextContents();
  expect(fewer).toEqual(['16 to 24']);

  // Only the answers given by phone: the table by channel hides phone's 99 so that
  // paper's 3 cannot be worked out, so how many answered by phone stays hidden here too.
  await page.getByLabel('Channel', { exact: true }).selectOption('phone');
  await page.getByRole('button', { name: 'Show' }).click();
  await expect(page.getByText('Too few match them, or their number would give away a count hidden above')).toBeVisible();
  await expect(page.getByLabel('Channel', { exact: true })).toHaveValue('phone');
  await expect(page.getByLabel(/Mark a group when its share/)).toHaveValue('12');

  // Only those online (198): compared on their own, protected with the rest, so the two
  // online answers from people aged 16 to 24 stay hidden.
  await page.getByLabel('Channel', { exact: true }).selectOption('online');
  await page.getByRole('button', { name: 'Show' }).click();
  await expect(page.getByText('Responses matching these choices: 198.')).toBeVisible();
  await expect(page.locator('.reach-table tbody tr').filter({ hasText: '16 to 24' })).toContainText('Hidden (small numbers)');
  await checkAxe(page, 'reach-online', testInfo);

  await page.setViewportSize({ width: 320, height: 800 });
  const { scroll, client } = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    client: document.documentElement.clientWidth,
  }));
  expect(scroll).toBeLessThanOrEqual(client);
  await page.screenshot({ path: screenshotPath('reach-320.png'), fullPage: true });
});
