// 8. axe-core (WCAG 2.0–2.2 A and AA, plus target-size) finds nothing on any screen of
// engagement-2026: the start, every page, every error state, the revealed specify fields,
// check-your-answers and thank-you.

import { test, expect, heading, openHosted, continueButton, chooseLanguage } from '../helpers/fixtures';
import { checkAxe } from '../helpers/axe';
import type { Page } from '@playwright/test';

async function continueWithErrors(page: Page) {
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByRole('alert')).toBeVisible();
}

test('no axe violations on any screen of engagement-2026', async ({ page, collector }, testInfo) => {
  await openHosted(page, collector);
  await checkAxe(page, 'start', testInfo);
  await page.getByRole('button', { name: 'Start now' }).click();

  // Page 1.
  await expect(heading(page)).toContainText('Page 1 of 4');
  await checkAxe(page, 'page 1', testInfo);
  await continueWithErrors(page);
  await checkAxe(page, 'page 1, errors', testInfo);
  await page.getByRole('checkbox', { name: 'Something else' }).check();
  await expect(page.getByRole('textbox', { name: 'Please give details' })).toBeVisible();
  await checkAxe(page, 'page 1, specify revealed', testInfo);
  await page.getByRole('radio', { name: 'Coldside' }).check();
  await continueWithErrors(page);
  await checkAxe(page, 'page 1, specify in error', testInfo);
  await page.getByRole('textbox', { name: 'Please give details' }).fill('Local councillor');
  await page.getByRole('button', { name: 'Continue' }).click();

  // Page 2.
  await expect(heading(page)).toContainText('Page 2 of 4');
  await checkAxe(page, 'page 2', testInfo);
  await continueWithErrors(page);
  await checkAxe(page, 'page 2, errors', testInfo);
  await page.getByRole('checkbox', { name: 'Face to face' }).check();
  await page.getByRole('checkbox', { name: 'Another way' }).check();
  await page.getByRole('checkbox', { name: 'Getting there' }).check();
  await expect(page.getByLabel('What would help you take part?', { exact: false })).toBeVisible();
  await checkAxe(page, 'page 2, follow-up questions and specify revealed', testInfo);
  await continueWithErrors(page);
  await checkAxe(page, 'page 2, specify in error', testInfo);
  // Too many ticked (the limit is 3) and the exclusive option's divider.
  await page.getByRole('checkbox', { name: 'By phone' }).check();
  await page.getByRole('checkbox', { name: 'Email' }).check();
  await page.getByRole('textbox', { name: 'Please give details' }).fill('Video call');
  await continueWithErrors(page);
  await checkAxe(page, 'page 2, too many answers', testInfo);
  await page.getByRole('checkbox', { name: 'By phone' }).uncheck();
  await page.getByRole('checkbox', { name: 'Email' }).uncheck();
  await page.getByRole('button', { name: 'Continue' }).click();

  // Page 3.
  await expect(heading(page)).toContainText('Page 3 of 4');
  await checkAxe(page, 'page 3', testInfo);
  await continueWithErrors(page);
  await checkAxe(page, 'page 3, Continue with nothing answered', testInfo);
  await page.getByLabel('How many times', { exact: false }).fill('many');
  await page.getByLabel('Day', { exact: true }).fill('30');
  await page.getByLabel('Month', { exact: true }).fill('2');
  await continueWithErrors(page);
  await checkAxe(page, 'page 3, errors', testInfo);
  await page.getByLabel('How many times', { exact: false }).fill('2');
  await page.getByLabel('Day', { exact: true }).fill('');
  await page.getByLabel('Month', { exact: true }).fill('');
  await page.getByRole('radio', { name: 'Sometimes' }).check();
  await page.getByRole('radio', { name: '3', exact: true }).check();
  await page.getByRole('button', { name: 'Continue' }).click();

  // Page 4.
  await expect(heading(page)).toContainText('Page 4 of 4');
  await checkAxe(page, 'page 4', testInfo);
  await continueWithErrors(page);
  await checkAxe(page, 'page 4, Continue with nothing answered', testInfo);
  await page.getByLabel('Is there anything else', { exact: false }).fill('y'.repeat(2010));
  await continueWithErrors(page);
  await checkAxe(page, 'page 4, errors (consent, too long)', testInfo);
  await page.getByLabel('Is there anything else', { exact: false }).fill('No, thank you.');
  await page.getByRole('checkbox', { name: 'I have read how my answers will be used' }).check();
  await page.getByRole('button', { name: 'Continue' }).click();

  // Check your answers, then thank you.
  await expect(heading(page)).toContainText('Check your answers');
  await checkAxe(page, 'check your answers', testInfo);
  await page.getByRole('button', { name: 'Send my answers' }).click();
  await expect(heading(page)).toContainText('Thank you');
  await checkAxe(page, 'thank you', testInfo);
});

test('no axe violations on community-transport in Arabic (rating 0–10, date, consent)', async ({
  page,
  collector,
}, testInfo) => {
  await openHosted(page, collector, 'community-transport');
  await chooseLanguage(page, 'ar');
  await expect(page.getByRole('button', { name: 'ابدأ الآن' })).toBeVisible();
  await checkAxe(page, 'ar start', testInfo);
  await page.getByRole('button', { name: 'ابدأ الآن' }).click();
  await expect(page.getByRole('radio', { name: 'حافلة' })).toBeVisible();
  await checkAxe(page, 'ar page 1', testInfo);
  await continueButton(page.locator('voices-survey')).click();
  await expect(page.getByRole('alert')).toBeVisible();
  await checkAxe(page, 'ar page 1, errors', testInfo);
  await page.getByRole('radio', { name: 'طريقة أخرى' }).check();
  await checkAxe(page, 'ar page 1, specify revealed (radio)', testInfo);
});

test('no axe violations on the demo partner page, its code sample included', async ({ page, collector }, testInfo) => {
  await page.goto(`${collector.url}/demo`);
  await expect(page.locator('voices-survey')).toHaveAttribute('ready', '');
  await checkAxe(page, 'demo partner page', testInfo);
  // The sample wraps at 320 px rather than scrolling out of the keyboard's reach.
  await page.setViewportSize({ width: 320, height: 800 });
  const sample = page.locator('pre');
  expect(await sample.evaluate((e) => e.scrollWidth <= e.clientWidth)).toBe(true);
  await checkAxe(page, 'demo partner page at 320 px', testInfo);
});
