// The outbox: a response that cannot be sent waits on the device and is sent, once, when
// the collector can be reached again — offline, on a 503, or after a reload.

import { test, expect, heading, outboxEntries as outbox, reachCheckAnswers } from '../helpers/fixtures';
import { checkAxe } from '../helpers/axe';

const queuedHeading = 'Your answers are kept on this device';
const sentHeading = 'Thank you, your answers have been sent';
const closedMessage = 'This survey has closed and is no longer taking answers.';

test('sent while offline, it waits, says so, and is stored exactly once when the connection is back', async ({
  page,
  context,
  collector,
}, testInfo) => {
  await reachCheckAnswers(page, collector);
  await context.setOffline(true);
  await page.getByRole('button', { name: 'Send my answers' }).click();
  await expect(heading(page)).toHaveText(queuedHeading);
  await expect(heading(page)).toBeFocused();
  await expect(page.getByText('keep this page open, or open it again later')).toBeVisible();
  expect(await outbox(page)).toMatchObject([{ survey_id: 'engagement-2026' }]);
  await checkAxe(page, 'queued', testInfo);

  await context.setOffline(false);
  await expect(heading(page)).toHaveText(sentHeading, { timeout: 15_000 });
  await expect(page.locator('.voices-receipt')).toHaveText(/^[A-Z0-9]{4}-[A-Z0-9]{4}$/);
  expect(await outbox(page)).toEqual([]);
  const stored = await collector.responses();
  expect(stored).toHaveLength(1);
  expect(stored[0].answers).toMatchObject({ connection: ['resident'], locality: 'lochee', heard_back: 'never' });
});

test('a response the collector could not take (503) is retried and stored once', async ({ page, collector }) => {
  await reachCheckAnswers(page, collector);
  let refused = 0;
  await page.route('**/api/surveys/engagement-2026/responses', async (route) => {
    if (refused < 2) {
      refused += 1;
      await route.fulfill({
        status: 503,
        contentType: 'application/json',
        headers: { 'access-control-allow-origin': '*' },
        body: JSON.stringify({ error: 'unavailable', message: 'disk full', details: [] }),
      });
    } else {
      await route.continue();
    }
  });
  await page.getByRole('button', { name: 'Send my answers' }).click();
  await expect(heading(page)).toHaveText(queuedHeading);
  await expect(heading(page)).toHaveText(sentHeading, { timeout: 30_000 });
  expect(refused).toBe(2);
  expect(await collector.responses()).toHaveLength(1);
});

test('a response still waiting when the page is reloaded is sent from the outbox, with the same submission id', async ({
  page,
  collector,
}) => {
  await reachCheckAnswers(page, collector);
  await page.route('**/api/surveys/engagement-2026/responses', (route) => route.abort('internetdisconnected'));
  await page.getByRole('button', { name: 'Send my answers' }).click();
  await expect(heading(page)).toHaveText(queuedHeading);
  const waiting = await outbox(page);
  expect(waiting).toHaveLength(1);

  await page.reload();
  await expect(heading(page)).toHaveText(queuedHeading);
  await page.unroute('**/api/surveys/engagement-2026/responses');
  await expect(heading(page)).toHaveText(sentHeading, { timeout: 15_000 });
  const stored = await collector.responses();
  expect(stored).toHaveLength(1);
  expect(stored[0].submission_id).toBe(waiting[0].submission_id);
});

test('a response the collector refuses for good returns to check answers with the reason and "Try again"', async ({
  page,
  collector,
}, testInfo) => {
  await reachCheckAnswers(page, collector);
  await page.route('**/api/surveys/engagement-2026/responses', (route) =>
    route.fulfill({
      status: 410,
      contentType: 'application/json',
      headers: { 'access-control-allow-origin': '*' },
      body: JSON.stringify({ error: 'closed', message: 'the survey has closed', details: [] }),
    }),
  );
  await page.getByRole('button', { name: 'Send my answers' }).click();
  const alert = page.locator('#voices-error-summary');
  // 410: the survey closed before the response reached it, and the person is told so.
  await expect(alert).toContainText(closedMessage);
  await expect(alert).toBeFocused();
  await expect(page.getByRole('button', { name: 'Try again' })).toBeEnabled();
  await expect(heading(page)).toContainText('Check your answers');
  await checkAxe(page, 'send refused', testInfo);
  expect(await outbox(page)).toEqual([]);
  // The answers are still kept on the device.
  const draft = await page.evaluate(() => Object.values(localStorage).join('\n'));
  expect(draft).toContain('letter');
});

test('a response refused after a reload is shown again with its answers', async ({ page, collector }) => {
  await reachCheckAnswers(page, collector);
  await page.route('**/api/surveys/engagement-2026/responses', (route) => route.abort('internetdisconnected'));
  await page.getByRole('button', { name: 'Send my answers' }).click();
  await expect(heading(page)).toHaveText(queuedHeading);

  await page.unroute('**/api/surveys/engagement-2026/responses');
  await page.route('**/api/surveys/engagement-2026/responses', (route) =>
    route.fulfill({
      status: 410,
      contentType: 'application/json',
      headers: { 'access-control-allow-origin': '*' },
      body: JSON.stringify({ error: 'closed', message: 'the survey has closed', details: [] }),
    }),
  );
  await page.reload();
  await expect(page.locator('#voices-error-summary')).toContainText(closedMessage);
  await expect(heading(page)).toContainText('Check your answers');
  await expect(page.locator('voices-survey')).toContainText('Lochee');
  await expect(page.locator('voices-survey')).toContainText('Letter or paper form');
  expect(await outbox(page)).toEqual([]);
});

test.describe('with an admin who erases responses', () => {
  const ADMIN = { name: 'ailsa', role: 'admin' as const, password: 'correct horse battery' };
  test.use({ collectorOptions: { staff: [ADMIN] } });

  test('a retry of a response that staff have erased says it was deleted, and forgets it on this device', async ({
    page,
    browser,
    collector,
  }, testInfo) => {
    await reachCheckAnswers(page, collector);
    // The response reaches the collector and is stored, but its receipt is lost on
    // the way back (the signal went): the widget keeps it in the outbox.
    let receipt = '';
    await page.route('**/api/surveys/engagement-2026/responses', async (route) => {
      const stored = await route.fetch();
      // The first answer's: the widget retries meanwhile, and a retry after the erasure
      // below is answered 410 without a receipt.
      receipt ||= ((await stored.json()) as { receipt?: string }).receipt ?? '';
      // A retry still in here when the test lifts the route is let through by Playwright.
      await route.abort('internetdisconnected').catch(() => {});
    });
    await page.getByRole('button', { name: 'Send my answers' }).click();
    await expect(heading(page)).toHaveText(queuedHeading);
    expect(await outbox(page)).toHaveLength(1);
    expect(receipt).toMatch(/^[A-Z0-9]{4}-[A-Z0-9]{4}$/);

    // Meanwhile the person asked for their answers to be erased, and staff did it.
    const staffContext = await browser.newContext();
    const staff = await staffContext.newPage();
    await staff.goto(`${collector.url}/admin/sign-in`);
    await staff.getByLabel('User name').fill(ADMIN.name);
    await staff.getByLabel('Password').fill(ADMIN.password);
    await staff.getByRole('button', { name: 'Sign in' }).click();
    await staff.getByRole('link', { name: 'Erase a response' }).click();
    await staff.getByLabel('Receipt number').fill(receipt);
    await staff.getByLabel('I understand the response will be erased for good').check();
    await staff.getByRole('button', { name: 'Erase response' }).click();
    await expect(staff.getByRole('status')).toContainText(`Response ${receipt}`);
    await staffContext.close();

    // The connection comes back; the widget's retry meets the real collector's 410 `erased`.
    await page.unroute('**/api/surveys/engagement-2026/responses');
    await expect(heading(page)).toHaveText('Your answers have been deleted', { timeout: 15_000 });
    await expect(heading(page)).toBeFocused();
    await expect(
      page.getByText(
        'They were deleted at your request, or by the people who run this survey, and will not be stored again.',
      ),
    ).toBeVisible();
    await expect(page.getByText(closedMessage)).toHaveCount(0);
    // Nothing offers to send them again, and nothing of them is left on the device.
    await expect(page.getByRole('button', { name: 'Try again' })).toHaveCount(0);
    await checkAxe(page, 'erased', testInfo);
    expect(await outbox(page)).toEqual([]);
    const kept = await page.evaluate(() => Object.values(localStorage).join('\n'));
    expect(kept).not.toContain('letter');

    // A later visit starts afresh.
    await page.reload();
    await expect(page.getByRole('button', { name: 'Start now' })).toBeVisible();
    // And the collector holds nothing of them (this stops it).
    expect(await collector.responses()).toEqual([]);
  });
});
