// The outbox's edge cases, so that no answer is lost and nobody is told something untrue:
// storage that will not keep a response, two tabs of one page, a tab whose response
// another tab has sent, a device clock that thinks the survey has closed, and a 409.

import type { BrowserContext, Page } from '@playwright/test';
import { test, expect, heading, outboxEntries, reachCheckAnswers, openHosted, gotoHosted } from '../helpers/fixtures';
import { checkAxe } from '../helpers/axe';

const responses = '**/api/surveys/*/responses';
const queuedHeading = 'Your answers are kept on this device';
const sentHeading = 'Thank you, your answers have been sent';
const checkHeading = 'Check your answers';
const notKept = 'this device cannot save them to send later';
const alreadySent = 'You have already sent answers to this survey from this device';

/** Until the page closes, `localStorage.setItem` throws as in Safari's private mode or when the quota is used up. */
async function refuseStorageWrites(page: Page): Promise<void> {
  await page.addInitScript(() => {
    Storage.prototype.setItem = function () {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    };
  });
}

/** Goes from the start screen (answers restored from the draft) to "Check your answers", choosing `locality`. */
async function carryOnToCheck(page: Page, locality: string): Promise<void> {
  await page.getByRole('button', { name: 'Start now' }).click();
  await expect(heading(page)).toContainText('Page 1 of');
  await page.getByRole('radio', { name: locality }).check();
  for (let i = 0; i < 4; i++) await page.getByRole('button', { name: 'Continue' }).click();
  await expect(heading(page)).toContainText(checkHeading);
}

async function newTab(context: BrowserContext): Promise<Page> {
  return context.newPage();
}

test.describe('storage that will not keep the response', () => {
  test('it is still sent at once', async ({ page, collector }) => {
    await refuseStorageWrites(page);
    await reachCheckAnswers(page, collector);
    await page.getByRole('button', { name: 'Send my answers' }).click();
    await expect(heading(page)).toHaveText(sentHeading);
    expect(await collector.responses()).toHaveLength(1);
  });

  test('when it cannot be sent either, the person is told plainly, not that it will be sent later', async ({
    page,
    context,
    collector,
  }, testInfo) => {
    await refuseStorageWrites(page);
    await reachCheckAnswers(page, collector);
    await context.setOffline(true);
    await page.getByRole('button', { name: 'Send my answers' }).click();

    const summary = page.locator('#voices-error-summary');
    await expect(summary).toContainText(notKept);
    await expect(summary).toBeFocused();
    await expect(heading(page)).toContainText(checkHeading);
    await expect(page.getByText(queuedHeading)).toHaveCount(0);
    await expect(page.getByText('will be sent as soon as the connection is back')).toHaveCount(0);
    // The answers are still on screen, ready for "Try again".
    await expect(page.locator('voices-survey')).toContainText('Lochee');
    await checkAxe(page, 'not sent and not kept', testInfo);

    await context.setOffline(false);
    await page.getByRole('button', { name: 'Try again' }).click();
    await expect(heading(page)).toHaveText(sentHeading);
    const stored = await collector.responses();
    expect(stored).toHaveLength(1);
    expect(stored[0].answers).toMatchObject({ locality: 'lochee' });
  });
});

test('two tabs of one page each keep, and send, their own response', async ({ page, context, collector }) => {
  await reachCheckAnswers(page, collector, 'Lochee');
  // The second tab starts from the draft the first one saved: the same answers, and the
  // same submission id.
  const second = await newTab(context);
  await openHosted(second, collector);
  await carryOnToCheck(second, 'The Ferry');

  await context.setOffline(true);
  await page.getByRole('button', { name: 'Send my answers' }).click();
  await expect(heading(page)).toHaveText(queuedHeading);
  await second.getByRole('button', { name: 'Send my answers' }).click();
  await expect(heading(second)).toHaveText(queuedHeading);

  const waiting = await outboxEntries(page);
  expect(waiting, 'both responses wait on the device').toHaveLength(2);
  expect(new Set(waiting.map((w) => w.submission_id)).size).toBe(2);
  expect(waiting.map((w) => JSON.parse(w.body).answers.locality).sort()).toEqual(['lochee', 'the_ferry']);

  await context.setOffline(false);
  await expect(heading(page)).toHaveText(sentHeading, { timeout: 20_000 });
  await expect(heading(second)).toHaveText(sentHeading, { timeout: 20_000 });
  expect(await outboxEntries(page)).toEqual([]);
  const stored = await collector.responses();
  expect(stored.map((r) => r.answers.locality).sort()).toEqual(['lochee', 'the_ferry']);
});

test('a tab waiting to send moves on when another tab has sent its response', async ({ page, context, collector }) => {
  let firstTabOffline = true;
  await page.route(responses, (route) => (firstTabOffline ? route.abort('internetdisconnected') : route.continue()));
  await reachCheckAnswers(page, collector);
  await page.getByRole('button', { name: 'Send my answers' }).click();
  await expect(heading(page)).toHaveText(queuedHeading);

  // Opened again in another tab, the page finds the response waiting and sends it. The
  // first tab's connection is back by the time that tab hears of it.
  const second = await newTab(context);
  await second.route(responses, async (route) => {
    const response = await route.fetch();
    firstTabOffline = false;
    await route.fulfill({ response });
  });
  await gotoHosted(second, `${collector.url}/s/engagement-2026`);
  await expect(heading(second)).toHaveText(sentHeading, { timeout: 15_000 });
  const receipt = await second.locator('.voices-receipt').textContent();
  expect(await outboxEntries(page)).toEqual([]);

  // The first tab does not wait for ever on a response that has gone: it says it is sent,
  // with the same receipt.
  await expect(heading(page)).toHaveText(sentHeading, { timeout: 15_000 });
  await expect(page.locator('.voices-receipt')).toHaveText(receipt!);
  expect(await collector.responses()).toHaveLength(1);
});

const closingSoon = () => ({
  format: 1,
  id: 'closing-soon',
  version: 1,
  default_locale: 'en',
  locales: ['en'],
  title: { en: 'Closing soon' },
  privacy: { text: 'We keep answers for a year.' },
  // Open by the collector's clock for the whole test.
  closes_at: new Date(Date.now() + 60 * 60 * 1000).toISOString().replace(/\.\d+Z$/, 'Z'),
  allowed_origins: ['*'],
  pages: [{ id: 'p', questions: [{ id: 'q', type: 'text', label: 'Anything?' }] }],
});

test.describe('a device clock that says the survey has closed', () => {
  test.use({ collectorOptions: { surveys: [closingSoon()] } });

  test('does not strand a response waiting in the outbox: it is sent, and the collector decides', async ({
    page,
    collector,
  }) => {
    await page.route(responses, (route) => route.abort('internetdisconnected'));
    await openHosted(page, collector, 'closing-soon');
    await page.getByRole('button', { name: 'Start now' }).click();
    await page.getByRole('textbox', { name: 'Anything?' }).fill('Buses after six, please');
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('button', { name: 'Send my answers' }).click();
    await expect(heading(page)).toHaveText(queuedHeading);

    // The phone's clock runs two hours fast: by it, the survey has closed.
    await page.clock.setFixedTime(Date.now() + 2 * 60 * 60 * 1000);
    await page.reload();
    await expect(heading(page)).toHaveText(queuedHeading);
    await expect(page.getByText('This survey has closed')).toHaveCount(0);

    await page.unroute(responses);
    await expect(heading(page)).toHaveText(sentHeading, { timeout: 15_000 });
    const stored = await collector.responses('closing-soon');
    expect(stored).toHaveLength(1);
    expect(stored[0].answers).toEqual({ q: 'Buses after six, please' });
  });

  test('with nothing waiting, it says the survey has closed', async ({ page, collector }) => {
    await page.clock.setFixedTime(Date.now() + 2 * 60 * 60 * 1000);
    await gotoHosted(page, `${collector.url}/s/closing-soon`);
    await expect(page.getByText('This survey has closed and is no longer taking answers.')).toBeVisible();
    await expect(page.getByRole('button', { name: 'Start now' })).toHaveCount(0);
  });
});

test('other answers under a submission id already stored (409) are refused plainly, answers kept', async ({
  page,
  context,
  collector,
}, testInfo) => {
  await reachCheckAnswers(page, collector, 'Lochee');
  const second = await newTab(context);
  await openHosted(second, collector);
  await carryOnToCheck(second, 'The Ferry');
  const refusals: string[] = [];
  second.on('console', (message) => {
    if (message.type() === 'error') refusals.push(message.text());
  });

  // The first tab sends; the second, started from the same draft, sends other answers
  // under the same submission id.
  await page.getByRole('button', { name: 'Send my answers' }).click();
  await expect(heading(page)).toHaveText(sentHeading);
  await second.getByRole('button', { name: 'Send my answers' }).click();

  const summary = second.locator('#voices-error-summary');
  await expect(summary).toContainText(alreadySent);
  await expect(summary).toBeFocused();
  await expect(heading(second)).toContainText(checkHeading);
  await expect(second.getByText(sentHeading)).toHaveCount(0);
  await expect(second.locator('voices-survey')).toContainText('The Ferry');
  expect(refusals.join('\n')).toContain('(409)');
  expect(await outboxEntries(second)).toEqual([]);
  await checkAxe(second, 'refused with 409', testInfo);

  const stored = await collector.responses();
  expect(stored).toHaveLength(1);
  expect(stored[0].answers).toMatchObject({ locality: 'lochee' });
});
