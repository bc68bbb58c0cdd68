// Collect mode: an interviewer at a lunch club records people's answers on a tablet with
// no signal. Each response is sealed on the device and sent once the signal is back, even
// after the staff session has ended; the next person finds nothing of the last one in the
// page, the device's storage or the history. A half-finished response is cleared when the
// respondent hands the tablet back, or when it is left idle.

import type { BrowserContext, Page } from '@playwright/test';
import { test, expect, heading } from '../helpers/fixtures';
import { checkAxe } from '../helpers/axe';
import { screenshotPath } from '../helpers/paths';
import { signIn } from '../helpers/staff';

const ADMIN = { name: 'morag', role: 'admin' as const, password: 'correct horse battery' };
const INTERVIEWER = { name: 'iona', role: 'interviewer' as const, password: 'tablet at the lunch club', surveys: ['engagement-2026'] };
const TITLE = 'Have your say on how we involve you';

test.use({ collectorOptions: { staff: [ADMIN, INTERVIEWER] } });

/** A tablet, held upright. */
async function tablet(browser: import('@playwright/test').Browser): Promise<BrowserContext> {
  return browser.newContext({ viewport: { width: 810, height: 1080 }, hasTouch: true, isMobile: true, deviceScaleFactor: 2 });
}

/** Everything a person could find of earlier answers: the page (shadow root and field values too), the device's storage. */
async function traces(page: Page): Promise<string> {
  return page.evaluate(() => {
    const element = document.querySelector('voices-survey');
    const shadow = element?.shadowRoot;
    const values = shadow ? [...shadow.querySelectorAll('input, textarea')].map((i) => (i as HTMLInputElement).value) : [];
    return [
      document.documentElement.outerHTML,
      shadow?.innerHTML ?? '',
      values.join('\n'),
      JSON.stringify(Object.entries(localStorage)),
      JSON.stringify(Object.entries(sessionStorage)),
    ].join('\n');
  });
}

/** One person's answers, from the survey's first screen to Send. */
async function answer(page: Page, words: string): Promise<void> {
  await page.getByRole('button', { name: 'Start now' }).click();
  await page.getByRole('checkbox', { name: 'I live in the area' }).check();
  await page.getByRole('radio', { name: 'Lochee' }).check();
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByRole('checkbox', { name: 'Letter or paper form' }).check();
  // The question about help shows once a barrier is ticked.
  await page.getByRole('checkbox', { name: 'Getting there' }).check();
  await page.getByRole('textbox', { name: /^What would help you take part\?/ }).fill(words);
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByRole('radio', { name: 'Never' }).check();
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByRole('checkbox', { name: 'I have read how my answers will be used' }).check();
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(heading(page)).toContainText('Check your answers');
  await expect(page.getByText(words)).toBeVisible();
  await page.getByRole('button', { name: 'Send' }).click();
}

test('ten people recorded offline are sent once each, as face to face by the interviewer, after the session has ended', async ({ browser, page, collector }, testInfo) => {
  test.setTimeout(240_000);
  const device = await tablet(browser);
  const staff = await device.newPage();
  await signIn(staff, collector.url, INTERVIEWER);
  // Only collecting: no surveys' data, no accounts.
  await expect(staff.getByRole('link', { name: 'Surveys' })).toHaveCount(0);
  await checkAxe(staff, 'collect-list', testInfo);
  await staff.getByRole('button', { name: `Start collecting on this device for ${TITLE}` }).click();
  await expect(staff.getByRole('heading', { level: 1, name: `Collecting: ${TITLE}` })).toBeVisible();
  await expect(staff.getByText('Recording answers with someone: face to face')).toBeVisible();
  await expect(staff.getByText('Recording as iona.')).toBeVisible();
  // The tablet holds no staff session now: the people answering cannot reach staff pages.
  await expect(staff.getByRole('button', { name: /Sign out/ })).toHaveCount(0);
  await expect(staff.locator('voices-survey[ready]')).toBeAttached();
  await expect(staff.locator('#collect-waiting')).toHaveText('No responses are waiting to be sent.');
  // The credential's secret is not left in the page.
  expect(await staff.content()).not.toContain('data-credential');
  await checkAxe(staff, 'collect-start', testInfo);
  const history = await staff.evaluate(() => history.length);

  // What the page is made of is kept for a reload without signal.
  await expect
    .poll(() => staff.evaluate(async () => (await (await caches.open('voices-collect-v1')).keys()).map((r) => new URL(r.url).pathname)), { timeout: 20_000 })
    .toEqual(
      expect.arrayContaining([
        '/admin/collect/engagement-2026',
        '/collect.js',
        '/embed.js',
        '/api/surveys/engagement-2026',
        expect.stringMatching(/^\/voices-widget-.*\.wasm$/),
        expect.stringMatching(/^\/voices-widget-.*\.js$/),
      ]),
    );

  await device.setOffline(true);
  for (let person = 1; person <= 10; person += 1) {
    if (person === 6) {
      // The page is reloaded without signal (the browser asks first: five are waiting), and
      // collecting goes on from what the device kept.
      staff.once('dialog', (dialog) => void dialog.accept());
      await staff.reload();
      await expect(staff.locator('voices-survey[ready]')).toBeAttached();
      await expect(staff.locator('#collect-waiting')).toContainText('5 responses are waiting to be sent from this device.');
    }
    const words = `Person ${person} would like evening sessions`;
    await answer(staff, words);
    await expect(heading(staff)).toHaveText('Thank you: your answers are recorded');
    await expect(staff.locator('#collect-waiting')).toContainText(
      `${person === 1 ? '1 response is' : `${person} responses are`} waiting to be sent from this device. They will be sent when this device has signal again.`,
    );
    if (person === 1) {
      await checkAxe(staff, 'collect-recorded', testInfo);
      await staff.screenshot({ path: screenshotPath('collect-recorded-tablet.png'), fullPage: true });
    }
    const left = await traces(staff);
    for (let earlier = 1; earlier <= person; earlier += 1) {
      expect(left, `nothing of person ${earlier} is left after person ${person}`).not.toContain(`Person ${earlier} would`);
    }
    expect(await staff.evaluate(() => history.length)).toBe(history);
    await staff.getByRole('button', { name: 'Start again for the next person' }).click();
    await expect(heading(staff)).toHaveText(TITLE);
  }

  // The session ends on the collector (an admin gives iona a new password) while the
  // tablet is still without signal.
  await signIn(page, collector.url, ADMIN);
  await page.goto(`${collector.url}/admin/accounts`);
  await page.getByLabel('User name').fill('iona');
  await page.getByRole('radio', { name: /^Interviewer/ }).check();
  await page.getByRole('checkbox', { name: new RegExp(TITLE) }).check();
  await page.getByLabel('Password', { exact: true }).fill('a new password for iona');
  await page.getByRole('button', { name: 'Save account' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'iona has a new password' })).toBeVisible();

  await device.setOffline(false);
  await expect(staff.locator('#collect-waiting')).toHaveText('No responses are waiting to be sent. 10 sent from this page so far.', { timeout: 60_000 });
  // The session did end: the staff pages ask to sign in again.
  await staff.goto(`${collector.url}/admin/collect`);
  await expect(staff.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible();
  await device.close();

  const stored = await collector.responses('engagement-2026');
  expect(stored).toHaveLength(10);
  expect(new Set(stored.map((r) => r.submission_id)).size).toBe(10);
  for (const response of stored) {
    expect(response.channel).toBe('face_to_face');
    expect((response as unknown as { collected_by: string }).collected_by).toBe('iona');
  }
  const said = stored.map((r) => r.answers.support).sort();
  expect(said).toEqual(Array.from({ length: 10 }, (_, i) => `Person ${i + 1} would like evening sessions`).sort());
});

test('the respondent can stop and clear at any moment, and an idle tablet is cleared after a warning', async ({ browser, collector }, testInfo) => {
  test.setTimeout(150_000);
  const device = await tablet(browser);
  const staff = await device.newPage();
  await signIn(staff, collector.url, INTERVIEWER);
  await staff.getByRole('radio', { name: 'Typing in a paper form' }).check();
  await staff.getByRole('button', { name: `Start collecting on this device for ${TITLE}` }).click();
  await expect(staff.getByText('Recording answers with someone: from a paper form')).toBeVisible();
  // The device keeps its credential: the page opened again (with a short idle time) collects on.
  await staff.goto(`${collector.url}/admin/collect/engagement-2026?channel=paper&lang=en&idle=12`);
  await expect(staff.locator('voices-survey[ready]')).toBeAttached();
  await expect(staff.locator('#collect-start')).toBeHidden();

  await staff.getByRole('button', { name: 'Start now' }).click();
  await staff.getByRole('checkbox', { name: 'I live in the area' }).check();
  await staff.getByRole('radio', { name: 'Lochee' }).check();
  await staff.getByRole('button', { name: 'Continue' }).click();
  await staff.getByRole('checkbox', { name: 'Getting there' }).check();
  await staff.getByRole('textbox', { name: /^What would help you take part\?/ }).fill('Stop me here');
  await staff.getByRole('button', { name: 'Stop and clear my answers' }).click();
  await expect(heading(staff)).toHaveText(TITLE);
  await expect(heading(staff)).toBeFocused();
  await expect(staff.getByRole('status').filter({ hasText: 'Your answers have been cleared.' })).toBeAttached();
  expect(await traces(staff)).not.toContain('Stop me here');
  await staff.getByRole('button', { name: 'Start now' }).click();
  await expect(staff.getByRole('checkbox', { name: 'I live in the area' })).not.toBeChecked();

  // Left idle: a warning first, which the person can answer.
  await staff.getByRole('checkbox', { name: 'I live in the area' }).check();
  const warning = staff.getByRole('dialog', { name: 'Are you still there?' });
  await expect(warning).toBeVisible({ timeout: 15_000 });
  await expect(staff.getByRole('button', { name: 'I am still here' })).toBeFocused();
  await checkAxe(staff, 'collect-idle-warning', testInfo);
  await staff.getByRole('button', { name: 'I am still here' }).click();
  await expect(warning).toBeHidden();
  await expect(staff.getByRole('checkbox', { name: 'I live in the area' })).toBeChecked();
  // Escape says so too.
  await expect(warning).toBeVisible({ timeout: 15_000 });
  await staff.keyboard.press('Escape');
  await expect(warning).toBeHidden();
  await expect(staff.getByRole('checkbox', { name: 'I live in the area' })).toBeChecked();
  // Then, unanswered, the answers go.
  await expect(warning).toBeVisible({ timeout: 15_000 });
  await expect(warning).toBeHidden({ timeout: 15_000 });
  await expect(heading(staff)).toHaveText(TITLE);
  await staff.getByRole('button', { name: 'Start now' }).click();
  await expect(staff.getByRole('checkbox', { name: 'I live in the area' })).not.toBeChecked();

  // Closing the page with a response unsent: the browser asks first.
  await staff.getByRole('button', { name: 'Stop and clear my answers' }).click();
  await device.setOffline(true);
  await answer(staff, 'Waiting for signal');
  await expect(staff.locator('#collect-waiting')).toContainText('1 response is waiting');
  const asked = new Promise<string>((resolve) => staff.once('dialog', (dialog) => {
    resolve(dialog.type());
    void dialog.dismiss();
  }));
  await staff.close({ runBeforeUnload: true });
  expect(await asked).toBe('beforeunload');
  await device.close();
});

test('an embed cannot claim a staff channel: it is told so, and its responses count as online', async ({ page, collector }) => {
  const warnings: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'warning') warnings.push(message.text());
  });
  await page.goto(`${collector.url}/demo`);
  await page.evaluate(() => {
    const element = document.createElement('voices-survey');
    element.setAttribute('survey', 'engagement-2026');
    element.setAttribute('channel', 'face_to_face');
    document.querySelector('voices-survey')!.replaceWith(element);
  });
  await expect(page.locator('voices-survey[ready]')).toBeAttached();
  await expect.poll(() => warnings.find((w) => w.includes('channel="face_to_face" is ignored'))).toBeTruthy();
  const refused = await page.request.post(`${collector.url}/api/surveys/engagement-2026/responses`, {
    data: {
      submission_id: '7d1c2b0e-8f3a-4c55-9a51-2f6a1f0e9b11',
      survey_version: 1,
      locale: 'en',
      channel: 'face_to_face',
      answers: { connection: ['lives_here'], locality: 'lochee', ways: ['letter'], heard_back: 'never', agree: true },
    },
  });
  expect(refused.status()).toBe(403);
  expect((await refused.json()).error).toBe('channel_not_public');
});
