// The staff pages in a real browser, without JavaScript of their own: sign in by keyboard,
// see counts, download the CSV and read it, publish (and see a bad file's problems), erase
// by receipt, manage accounts, read the audit log. axe-core finds nothing on any of them,
// and they reflow at 320 px.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { exampleSurveys } from '../helpers/paths';
import { test, expect } from '../helpers/fixtures';
import { checkAxe } from '../helpers/axe';
import { collecting } from '../helpers/collect';
import type { Page } from '@playwright/test';

const ADMIN = { name: 'ailsa', role: 'admin' as const, password: 'correct horse battery' };

test.use({ collectorOptions: { staff: [ADMIN] } });

/**
 * A response with free text a spreadsheet would run as a formula, in three scripts, recorded
 * face to face (as a collecting tablet sends it).
 */
async function submitHostileResponse(url: string): Promise<string> {
  const send = await collecting(url, ADMIN, 'engagement-2026', 'face_to_face');
  const reply = await send({
    submission_id: crypto.randomUUID(),
    survey_version: 1,
    locale: 'en',
    channel: 'face_to_face',
    answers: {
      connection: ['carer'],
      locality: 'lochee',
      ways: ['face_to_face'],
      face_to_face_where: '=HYPERLINK("http://x") Tha mi ag iarraidh café ☕ مرحبا',
      heard_back: 'sometimes',
      informed: 4,
      agree: true,
    },
  });
  expect(reply.status).toBe(201);
  return ((await reply.json()) as { receipt: string }).receipt;
}

async function signIn(page: Page, url: string, who: { name: string; password: string }) {
  await page.goto(`${url}/admin`);
  await expect(page).toHaveURL(/\/admin\/sign-in$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible();
  // Keyboard only: Tab from the top of the page.
  await page.keyboard.press('Tab'); // skip link
  await page.keyboard.press('Tab');
  await expect(page.getByLabel('User name')).toBeFocused();
  await page.keyboard.type(who.name);
  await page.keyboard.press('Tab');
  await page.keyboard.type(who.password);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: 'Surveys' })).toBeVisible();
}

async function expectNoSidewaysScroll(page: Page, where: string) {
  const { scroll, client } = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    client: document.documentElement.clientWidth,
  }));
  expect(scroll, `${where}: the page scrolls sideways`).toBeLessThanOrEqual(client);
}

test('an admin signs in, reads counts, downloads a safe CSV and erases a response', async ({ page, collector }, testInfo) => {
  const receipt = await submitHostileResponse(collector.url);
  await submitHostileResponse(collector.url);

  await page.goto(`${collector.url}/admin/sign-in`);
  await checkAxe(page, 'sign-in', testInfo);
  await page.getByLabel('User name').fill(ADMIN.name);
  await page.getByLabel('Password').fill('not the password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toContainText('The user name or password is not right');
  await expect(page).toHaveTitle(/^Error: Sign in/);
  await checkAxe(page, 'sign-in, wrong password', testInfo);

  await signIn(page, collector.url, ADMIN);
  await checkAxe(page, 'surveys', testInfo);
  const row = page.getByRole('row', { name: /Have your say on how we involve you/ });
  await expect(row.getByRole('cell').nth(2)).toHaveText('2');

  await page.getByRole('link', { name: 'Have your say on how we involve you' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Have your say on how we involve you');
  await expect(page.getByRole('row', { name: /Face to face/ }).getByRole('cell')).toHaveText('2');
  await checkAxe(page, 'survey', testInfo);

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download' }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^engagement-2026-responses-\d{8}-\d{4}\.csv$/);
  const csv = readFileSync((await download.path())!, 'utf8');
  expect(csv.charCodeAt(0), 'a byte-order mark, so Excel reads UTF-8').toBe(0xfeff);
  const lines = csv.slice(1).trimEnd().split('\r\n');
  expect(lines).toHaveLength(3);
  expect(lines[0]).toMatch(/^receipt,submitted_at,survey_version,locale,channel,/);
  expect(csv).toContain(`"'=HYPERLINK(""http://x"") Tha mi ag iarraidh café ☕ مرحبا"`);

  await page.getByRole('link', { name: 'Erase a response' }).click();
  await checkAxe(page, 'erase', testInfo);
  await page.getByRole('button', { name: 'Erase response' }).click();
  await expect(page.getByRole('alert')).toContainText('Enter the receipt number');
  await checkAxe(page, 'erase, errors', testInfo);
  await page.getByRole('alert').getByRole('link', { name: 'Enter the receipt number' }).click();
  await expect(page.getByLabel('Receipt number')).toBeFocused();
  // As someone would read it out over the phone.
  await page.keyboard.type(receipt.toLowerCase().replace('-', ' '));
  await page.getByLabel('I understand the response will be erased for good').check();
  await page.getByRole('button', { name: 'Erase response' }).click();
  await expect(page.getByRole('status')).toContainText(`Response ${receipt} to survey engagement-2026`);

  await page.getByRole('link', { name: 'Surveys' }).click();
  await expect(page.getByRole('row', { name: /Have your say/ }).getByRole('cell').nth(2)).toHaveText('1');

  await page.getByRole('link', { name: 'Audit log' }).click();
  await checkAxe(page, 'audit', testInfo);
  await expect(page.getByRole('row', { name: new RegExp(`erased response ${receipt}`) })).toBeVisible();
  await expect(page.getByRole('row', { name: /downloaded 2 responses to engagement-2026 as csv/ })).toBeVisible();
});

test('publishing lists every problem of a bad file, then publishes a good one', async ({ page, collector }, testInfo) => {
  await signIn(page, collector.url, ADMIN);
  await page.getByRole('link', { name: 'Publish a survey' }).click();
  await checkAxe(page, 'publish', testInfo);
  await page.getByLabel('Survey definition').setInputFiles({
    name: 'bad.json',
    mimeType: 'application/json',
    buffer: Buffer.from('{"format": 1, "id": "Bad Id", "version": 0}'),
  });
  await page.getByRole('button', { name: 'Publish' }).click();
  const summary = page.getByRole('alert');
  await expect(summary).toContainText('id: "Bad Id" is not a survey id');
  await expect(summary).toContainText('version: must be from 1');
  await expect(summary).toContainText('pages: is required but missing');
  await checkAxe(page, 'publish, errors', testInfo);

  const definition = JSON.parse(
    readFileSync(path.join(exampleSurveys, 'engagement-2026.json'), 'utf8'),
  );
  definition.version = 2;
  await page.getByLabel('Survey definition').setInputFiles({
    name: 'engagement-2026-v2.json',
    mimeType: 'application/json',
    buffer: Buffer.from(JSON.stringify(definition)),
  });
  await page.getByRole('button', { name: 'Publish' }).click();
  await expect(page.getByRole('status')).toContainText('engagement-2026 version 2 is published');
  await page.getByRole('link', { name: 'Surveys' }).click();
  await expect(page.getByRole('row', { name: /Have your say/ }).getByRole('cell').nth(1)).toHaveText('1, 2');
});

test('an admin adds a colleague; an analyst sees counts but not admin pages', async ({ page, collector }, testInfo) => {
  await signIn(page, collector.url, ADMIN);
  await page.getByRole('link', { name: 'Accounts' }).click();
  await checkAxe(page, 'accounts', testInfo);
  await page.getByLabel('User name').fill('eilidh');
  await page.getByLabel('Password').fill('short');
  await page.getByRole('radio', { name: /^Analyst/ }).first().check();
  await page.getByRole('button', { name: 'Save account' }).click();
  await expect(page.getByRole('alert')).toContainText('at least 12 characters');
  await checkAxe(page, 'accounts, errors', testInfo);
  await page.getByLabel('User name').fill('eilidh');
  await page.getByLabel('Password').fill('eilidh has a long password');
  await page.getByRole('radio', { name: /^Analyst/ }).first().check();
  await page.getByRole('button', { name: 'Save account' }).click();
  await expect(page.getByRole('status')).toContainText('eilidh can now sign in, with the analyst role');
  await page.getByRole('button', { name: /Sign out/ }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible();

  await signIn(page, collector.url, { name: 'eilidh', password: 'eilidh has a long password' });
  await expect(page.getByRole('link', { name: 'Erase a response' })).toHaveCount(0);
  const refused = await page.goto(`${collector.url}/admin/erase`);
  expect(refused!.status()).toBe(403);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('You cannot do this');
  await checkAxe(page, 'forbidden', testInfo);
});

test.describe('at 320 px', () => {
  test.use({ viewport: { width: 320, height: 800 } });

  test('every staff page reflows without sideways scrolling', async ({ page, collector }) => {
    await submitHostileResponse(collector.url);
    await page.goto(`${collector.url}/admin/sign-in`);
    await expectNoSidewaysScroll(page, 'sign-in');
    await signIn(page, collector.url, ADMIN);
    for (const path of ['/admin', '/admin/surveys/engagement-2026', '/admin/publish', '/admin/erase', '/admin/accounts', '/admin/audit']) {
      await page.goto(`${collector.url}${path}`);
      await expectNoSidewaysScroll(page, path);
    }
  });
});

test('a refused download is the survey page again, the problem at its field; the home and missing pages are pages', async ({
  page,
  collector,
}, testInfo) => {
  await signIn(page, collector.url, ADMIN);
  await page.getByRole('link', { name: 'Have your say on how we involve you' }).click();
  await page.getByLabel('From (optional)').fill('2026-03-31');
  await page.getByLabel('To (optional)').fill('2026-03-01');
  await page.getByRole('button', { name: 'Download' }).click();
  await expect(page).toHaveTitle(/^Error: Have your say/);
  const summary = page.getByRole('alert');
  await expect(summary).toContainText('The From date must be the same as or before the To date');
  const from = page.getByLabel('From (optional)');
  await expect(from).toHaveValue('2026-03-31');
  await expect(from).toHaveAttribute('aria-invalid', 'true');
  await checkAxe(page, 'survey, download refused', testInfo);
  await summary.getByRole('link').click();
  await expect(from).toBeFocused();

  await page.goto(`${collector.url}/`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Voices survey collector');
  await expect(page.getByRole('link', { name: 'Have your say on how we involve you' })).toHaveAttribute('href', '/s/engagement-2026');
  await checkAxe(page, 'the home page', testInfo);
  const missing = await page.goto(`${collector.url}/an/old/link`);
  expect(missing!.status()).toBe(404);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Page not found');
  await checkAxe(page, 'a page not found', testInfo);
});
