// Background events on a partner page (WCAG 2.4.3, 3.2.5, 4.1.3): a queued response sent
// later, or one resumed on load, is announced through a live region that was there from
// the start; focus is never pulled out of the partner's page into the widget.

import { test, expect, heading, widgetRoot, answerRequiredQuestions, outboxEntries } from '../helpers/fixtures';
import { partnerPage } from '../helpers/partner';
import type { Locator, Page } from '@playwright/test';

const queuedHeading = 'Your answers are kept on this device';
const sentHeading = 'Thank you, your answers have been sent';

async function openPartner(page: Page, site: { url: string }) {
  await page.goto(`${site.url}/`);
  await expect(page.getByRole('button', { name: 'Start now' })).toBeVisible();
}

function partnerWithSearch(collector: string) {
  return {
    '/': {
      body: partnerPage({
        collector,
        body:
          '<h1>Carers centre</h1>\n<form role="search"><label for="search">Search this site</label> <input id="search" type="search"></form>\n' +
          '<voices-survey survey="engagement-2026"></voices-survey>',
      }),
    },
  };
}

/** The widget's one announcer: a polite live region present, empty, from the first screen. */
function announcer(page: Page): Locator {
  return widgetRoot(page).locator('#voices-announcer');
}

test('the announcer exists, empty, before anything is announced', async ({ page, collector, partner }) => {
  const site = await partner(partnerWithSearch(collector.url));
  await openPartner(page, site);
  await expect(announcer(page)).toHaveCount(1);
  await expect(announcer(page)).toHaveAttribute('role', 'status');
  await expect(announcer(page)).toHaveText('');
});

test('a queued response sent in the background is announced, and focus stays on the partner page', async ({
  page,
  context,
  collector,
  partner,
}) => {
  const site = await partner(partnerWithSearch(collector.url));
  await openPartner(page, site);
  await page.getByRole('button', { name: 'Start now' }).click();
  await answerRequiredQuestions(page);
  await context.setOffline(true);
  await page.getByRole('button', { name: 'Send my answers' }).click();
  await expect(heading(page)).toHaveText(queuedHeading);
  // The person acted in the widget, so focus followed them to the new heading.
  await expect(heading(page)).toBeFocused();
  await expect(announcer(page)).toHaveText('');

  // They go on with the partner's page while the phone is offline.
  const search = page.getByRole('searchbox', { name: 'Search this site' });
  await search.click();
  await search.pressSequentially('bus');
  await context.setOffline(false);
  await expect(heading(page)).toHaveText(sentHeading, { timeout: 15_000 });
  await expect(search).toBeFocused();
  await expect(announcer(page)).toHaveText(sentHeading);
  await search.pressSequentially(' times');
  await expect(search).toHaveValue('bus times');
  expect(await collector.responses()).toHaveLength(1);
});

test('a response resumed from the outbox on load does not take focus when it is sent', async ({
  page,
  collector,
  partner,
}) => {
  const site = await partner(partnerWithSearch(collector.url));
  await openPartner(page, site);
  await page.getByRole('button', { name: 'Start now' }).click();
  await answerRequiredQuestions(page);
  await page.route('**/api/surveys/engagement-2026/responses', (route) => route.abort('internetdisconnected'));
  await page.getByRole('button', { name: 'Send my answers' }).click();
  await expect(heading(page)).toHaveText(queuedHeading);
  expect(await outboxEntries(page)).toHaveLength(1);

  await page.reload();
  await expect(heading(page)).toHaveText(queuedHeading);
  const search = page.getByRole('searchbox', { name: 'Search this site' });
  await search.focus();
  await page.unroute('**/api/surveys/engagement-2026/responses');
  await expect(heading(page)).toHaveText(sentHeading, { timeout: 15_000 });
  await expect(search).toBeFocused();
  await expect(announcer(page)).toHaveText(sentHeading);
});

test('while offline the queued screen says it is waiting, and nothing claims to be sending', async ({
  page,
  context,
  collector,
  partner,
}) => {
  const site = await partner(partnerWithSearch(collector.url));
  await openPartner(page, site);
  await page.getByRole('button', { name: 'Start now' }).click();
  await answerRequiredQuestions(page);
  await context.setOffline(true);
  await page.getByRole('button', { name: 'Send my answers' }).click();
  await expect(heading(page)).toHaveText(queuedHeading);
  const root = widgetRoot(page);
  await expect(root).toContainText('Waiting for a connection');
  await expect(root).toContainText('kept on this device');
  await expect(root).not.toContainText('cannot take them');
  await expect(root).not.toContainText('Sending your answers');
  // The status line is there, empty, before it has anything to say.
  await expect(root.locator('.voices-status[role=status]')).toHaveText('');

  // Back online, the attempt really is sending (held up here so it can be seen), and says so.
  let release = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route('**/api/surveys/engagement-2026/responses', async (route) => {
    await held;
    await route.continue();
  });
  await context.setOffline(false);
  await expect(root.locator('.voices-status[role=status]')).toHaveText('Sending your answers…', { timeout: 15_000 });
  release();
  await expect(heading(page)).toHaveText(sentHeading, { timeout: 15_000 });
});

test('a response resumed on load, sent while focus is in the widget, moves focus to the thank-you heading', async ({
  page,
  collector,
  partner,
}) => {
  const site = await partner(partnerWithSearch(collector.url));
  await openPartner(page, site);
  await page.getByRole('button', { name: 'Start now' }).click();
  await answerRequiredQuestions(page);
  await page.route('**/api/surveys/engagement-2026/responses', (route) => route.abort('internetdisconnected'));
  await page.getByRole('button', { name: 'Send my answers' }).click();
  await expect(heading(page)).toHaveText(queuedHeading);

  await page.reload();
  await expect(heading(page)).toHaveText(queuedHeading);
  // The device is online and the survey unreachable: the screen says so, not "no connection".
  await expect(widgetRoot(page)).toContainText('The survey cannot take them just now');
  await heading(page).click();
  await expect(heading(page)).toBeFocused();
  await page.unroute('**/api/surveys/engagement-2026/responses');
  await expect(heading(page)).toHaveText(sentHeading, { timeout: 15_000 });
  await expect(heading(page)).toBeFocused();
  await expect(announcer(page)).toHaveText('');
});
