// Scotland's equality questions, included in a survey by name: a page of optional
// questions that follows the answers given (16+ questions, the census's two-step ethnic
// group), in English and Gaelic, with JavaScript and without.

import { test, expect, heading, openFirstPage, widgetRoot } from '../helpers/fixtures';
import type { Page } from '@playwright/test';
import { checkAxe } from '../helpers/axe';
import { screenshotPath } from '../helpers/paths';

const survey = {
  format: 1,
  id: 'about-you',
  version: 1,
  default_locale: 'en',
  locales: ['en', 'gd'],
  title: { en: 'Your local services', gd: 'Na seirbheisean ionadail agad' },
  privacy: { text: { en: 'We keep answers for a year.', gd: 'Cumaidh sinn na freagairtean airson bliadhna.' } },
  allowed_origins: ['*'],
  pages: [
    {
      id: 'views',
      questions: [
        {
          id: 'rating',
          type: 'rating',
          min: 1,
          max: 5,
          required: true,
          label: { en: 'How good are your local services?', gd: 'Dè cho math ’s a tha na seirbheisean ionadail agad?' },
        },
      ],
    },
    { id: 'about_you', include: 'equality/scotland-2026', leave_out: ['postcode'] },
  ],
};

test.use({ collectorOptions: { surveys: [survey] } });

async function toAboutYou(page: Page) {
  await page.getByRole('radio', { name: '4', exact: true }).check();
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(heading(page)).toContainText('About you');
}

test('the set is a page of optional questions that follows the answers', async ({ page, collector }, testInfo) => {
  await openFirstPage(page, collector, 'about-you');
  await toAboutYou(page);
  const root = widgetRoot(page);
  await expect(root.getByText('Every question is optional')).toBeVisible();
  const trans = page.getByRole('group', { name: /trans history/ });
  const orientation = page.getByRole('group', { name: /sexual orientation/ });
  await expect(trans).toBeVisible();
  await expect(orientation).toBeVisible();
  // Every question says it is optional, and offers "Prefer not to say".
  const groups = page.getByRole('group', { name: /\(optional\)$/ });
  expect(await groups.count()).toBeGreaterThanOrEqual(8);
  expect(await page.getByRole('radio', { name: 'Prefer not to say' }).count()).toBe(await groups.count());
  await checkAxe(page, 'about you', testInfo);

  // Trans status and sexual orientation are asked of people 16 or over only.
  await page.getByRole('radio', { name: 'Under 16' }).check();
  await expect(trans).toHaveCount(0);
  await expect(orientation).toHaveCount(0);
  await page.getByRole('radio', { name: '25 to 34' }).check();
  await expect(trans).toBeVisible();

  // The census's two steps: the section, then its options.
  const white = page.getByRole('group', { name: /White ethnic group/ });
  await expect(white).toHaveCount(0);
  await page.getByRole('radio', { name: 'White', exact: true }).check();
  await expect(white).toBeVisible();
  await white.getByRole('radio', { name: 'Polish' }).check();
  await page.getByRole('radio', { name: 'Yes, 20 to 34 hours a week' }).check();
  await page.screenshot({ path: screenshotPath('equality-set-about-you.png'), fullPage: true });
  await checkAxe(page, 'about you, answered', testInfo);

  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByRole('heading', { name: 'Check your answers before sending them' })).toBeVisible();
  await page.getByRole('button', { name: 'Send my answers' }).click();
  await expect(root.locator('.voices-receipt')).toHaveText(/^[A-Z0-9]{4}-[A-Z0-9]{4}$/);
  const [stored] = await collector.responses('about-you');
  expect(stored.answers).toEqual({
    rating: 4,
    age: '25_34',
    ethnic_group: 'white',
    ethnic_group_white: 'polish',
    unpaid_care: '20_34',
  });
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('the set reads in Gaelic, and a section chosen shows its options', async ({ page, collector }) => {
    await page.goto(`${collector.url}/s/about-you?lang=gd`);
    await page.getByRole('button', { name: 'Tòisich an-dràsta' }).click();
    await page.getByRole('radio', { name: '4', exact: true }).check();
    await page.getByRole('button', { name: 'Lean air adhart' }).click();
    await expect(heading(page)).toContainText('Mu do dheidhinn');
    await expect(page.getByRole('radio', { name: /Pagastànach/ })).toHaveCount(0);
    // The section's options show once the section is chosen and the page is sent.
    await page.getByRole('radio', { name: /^Àisianach/ }).first().check();
    await page.getByRole('button', { name: 'Lean air adhart' }).click();
    await expect(page.getByRole('radio', { name: /Pagastànach/ })).toBeVisible();
    await page.screenshot({ path: screenshotPath('equality-set-gaelic-no-js.png'), fullPage: true });
  });
});
