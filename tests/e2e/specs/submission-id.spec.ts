// A browser that cannot draw a random submission id (no `crypto`, no
// `crypto.getRandomValues`, or one that throws or fills nothing in) is told so before
// anyone starts, in the reader's language, and nothing is ever sent from it: an id made
// up without randomness would be shared with every such device, so one person's answers
// would be refused (409) or would answer for another's.

import { test, expect, heading, gotoHosted } from '../helpers/fixtures';
import { partnerPage } from '../helpers/partner';
import { checkAxe } from '../helpers/axe';
import type { Page } from '@playwright/test';

const englishMessage =
  'Sorry, this survey cannot be answered in this browser. It is missing a security feature that keeps your answers separate from other people’s. Please try a different browser or device.';
const arabicMessage =
  'عذرًا، لا يمكن الإجابة عن هذا الاستبيان في هذا المتصفح، لأنه يفتقد ميزة أمان تُبقي إجاباتك منفصلة عن إجابات الآخرين. يُرجى تجربة متصفح أو جهاز آخر.';

/** Scripts run before any of the page's own, each taking randomness away differently. */
const breakages: Record<string, string> = {
  'without window.crypto': 'delete window.crypto;',
  'without crypto.getRandomValues': 'delete Crypto.prototype.getRandomValues;',
  'whose crypto.getRandomValues throws': `Crypto.prototype.getRandomValues = function () {
    throw new Error('blocked by a privacy extension');
  };`,
  'whose crypto.getRandomValues fills nothing in': 'Crypto.prototype.getRandomValues = function (array) { return array; };',
};

/** What the page logs as errors, and every response it POSTs. */
function watch(page: Page) {
  const errors: string[] = [];
  const posts: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('request', (request) => {
    if (request.method() === 'POST') posts.push(request.url());
  });
  return { errors, posts };
}

for (const [browser, breakage] of Object.entries(breakages)) {
  test(`a browser ${browser} is told before starting that answers cannot be sent from it`, async ({
    page,
    collector,
  }, testInfo) => {
    await page.addInitScript(breakage);
    const seen = watch(page);
    await gotoHosted(page, `${collector.url}/s/engagement-2026`);

    await expect(page.getByText(englishMessage)).toBeVisible();
    await expect(page.getByRole('heading', { name: 'Have your say on how we involve you' })).toBeVisible();
    await expect(page.getByRole('button', { name: 'Start now' })).toHaveCount(0);
    await expect(heading(page)).toHaveCount(0);
    // Whoever runs the partner site learns why from the console.
    await expect.poll(() => seen.errors.join('\n')).toContain('crypto.getRandomValues');
    // Once is enough, as every variant shows the same notice; and axe-core itself calls
    // getRandomValues, which one variant makes throw.
    if (browser === 'without crypto.getRandomValues') await checkAxe(page, 'no random ids', testInfo);
    expect(seen.posts).toEqual([]);
    expect(await collector.responses()).toEqual([]);
  });
}

test('the reader is told in their own language, right to left in Arabic', async ({
  page,
  collector,
  partner,
}) => {
  await page.addInitScript(breakages['whose crypto.getRandomValues throws']);
  const seen = watch(page);
  const site = await partner({
    '/': {
      body: partnerPage({
        collector: collector.url,
        lang: 'ar',
        body: '<voices-survey survey="engagement-2026"></voices-survey>',
      }),
    },
  });
  await page.goto(site.url);

  const notice = page.getByText(arabicMessage);
  await expect(notice).toBeVisible();
  await expect(page.getByRole('heading', { name: 'شاركنا رأيك في طريقة إشراكك' })).toBeVisible();
  const root = page.locator('voices-survey div.voices');
  await expect(root).toHaveAttribute('lang', 'ar');
  await expect(root).toHaveAttribute('dir', 'rtl');
  await expect(page.getByRole('button')).toHaveCount(0);
  expect(seen.posts).toEqual([]);
});
