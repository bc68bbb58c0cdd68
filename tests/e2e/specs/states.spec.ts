// What a respondent sees when there is no survey to answer: not found, closed, not open
// yet, or the collector unreachable (with "Try again"), in the page's language.

import { test, expect, gotoHosted } from '../helpers/fixtures';
import { partnerPage } from '../helpers/partner';

const closed = {
  format: 1,
  id: 'closed-survey',
  version: 1,
  default_locale: 'en',
  locales: ['en', 'pl'],
  title: { en: 'Last year’s survey', pl: 'Zeszłoroczna ankieta' },
  privacy: { text: 'We keep answers for a year.' },
  closes_at: '2025-01-31T17:00:00Z',
  allowed_origins: ['*'],
  pages: [{ id: 'p', questions: [{ id: 'q', type: 'text', label: 'Anything?' }] }],
};
const future = { ...closed, id: 'future-survey', closes_at: undefined, opens_at: '2099-01-01T09:00:00Z' };

test.use({ collectorOptions: { surveys: [closed, future] } });

test('a closed survey says so in the survey’s language, with its title', async ({ page, collector, partner: startPartner }) => {
  const site = await startPartner({
    '/': { body: partnerPage({ collector: collector.url, lang: 'pl', body: '<voices-survey survey="closed-survey"></voices-survey>' }) },
  });
  {
    await page.goto(site.url);
    await expect(page.getByText('Ta ankieta jest zamknięta i nie przyjmuje już odpowiedzi.')).toBeVisible();
    await expect(page.getByRole('heading', { name: 'Zeszłoroczna ankieta' })).toBeVisible();
    await expect(page.getByRole('button', { name: 'Rozpocznij' })).toHaveCount(0);
  }
});

test('a survey that has not opened yet says so', async ({ page, collector }) => {
  await gotoHosted(page, `${collector.url}/s/future-survey`);
  await expect(page.getByText('This survey is not open yet.')).toBeVisible();
});

test('an unknown survey on a partner page says it could not be found, in the page’s language', async ({
  page,
  collector,
  partner: startPartner,
}) => {
  const site = await startPartner({
    '/': { body: partnerPage({ collector: collector.url, lang: 'gd', body: '<voices-survey survey="no-such-survey"></voices-survey>' }) },
  });
  {
    await page.goto(site.url);
    const notice = page.getByText('Cha deach an suirbhidh seo a lorg.', { exact: false });
    await expect(notice).toBeVisible();
    await expect(page.locator('voices-survey div.voices')).toHaveAttribute('lang', 'gd');
  }
});

test('a collector that cannot be reached at load offers "Try again", which loads the survey', async ({
  page,
  collector,
  partner: startPartner,
}) => {
  const site = await startPartner({
    '/': { body: partnerPage({ collector: collector.url, body: '<voices-survey survey="engagement-2026"></voices-survey>' }) },
  });
  let blocked = true;
  // The definition and the first screen both: the collector is out of reach. (With the
  // first screen in, the person would carry on with it: see takeover.spec.ts.)
  await page.route('**/api/surveys/engagement-2026**', (route) => (blocked ? route.abort('internetdisconnected') : route.continue()));
  await page.goto(site.url);
  await expect(page.getByText('The survey could not be loaded. Check your connection and try again.')).toBeVisible();
  blocked = false;
  await page.getByRole('button', { name: 'Try again' }).click();
  await expect(page.getByRole('button', { name: 'Start now' })).toBeVisible();
});

test('on the hosted page, a definition that cannot be fetched leaves the server-rendered form working', async ({
  page,
  collector,
}) => {
  await page.route('**/api/surveys/engagement-2026', (route) => route.abort('internetdisconnected'));
  const gaveUp = page.waitForEvent('console', (message) => message.text().startsWith('voices-survey:'));
  await page.goto(`${collector.url}/s/engagement-2026`);
  await gaveUp;
  // The first screen came with the page; without the widget it is still a form.
  await expect(page.locator('voices-survey > .voices')).toHaveCount(1);
  await page.getByRole('button', { name: 'Start now' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Page 1 of 4');
  await expect(page.locator('voices-survey')).not.toHaveAttribute('ready', '');
});
