// Page structure (WCAG 1.3.1, 2.4.2, 2.4.6, 4.1.2, 1.4.11): on the hosted page the survey
// is the page, so its heading is the h1 and the document title names each step (with
// "Error: " when the page shows errors), in the reader's language. Embedded, the heading
// level is the partner's choice and the partner's title is left alone.

import { test, expect, heading, openHosted, widgetRoot, answerRequiredQuestions, chooseLanguage, continueButton } from '../helpers/fixtures';
import { partnerPage } from '../helpers/partner';

const surveyTitle = 'Have your say on how we involve you';

test('the hosted page has one h1, and its title names each step', async ({ page, collector }) => {
  await openHosted(page, collector);
  await expect(page.getByRole('heading', { level: 1 })).toHaveCount(1);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(surveyTitle);
  await expect(page).toHaveTitle(surveyTitle);

  await page.getByRole('button', { name: 'Start now' }).click();
  await expect(heading(page)).toContainText('Page 1 of 4');
  await expect(page.getByRole('heading', { level: 1 })).toHaveCount(1);
  await expect(heading(page)).toHaveAccessibleName('Page 1 of 4: About your connection to our services');
  await expect(page).toHaveTitle(`Page 1 of 4: About your connection to our services – ${surveyTitle}`);

  // With errors, the title says so first.
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByRole('alert')).toBeVisible();
  await expect(page).toHaveTitle(`Error: Page 1 of 4: About your connection to our services – ${surveyTitle}`);
  // The error summary's heading sits under the page's h1.
  await expect(page.getByRole('alert').getByRole('heading', { level: 2 })).toHaveText('There is a problem');
  // Fields in error say so to assistive technology too.
  await expect(page.getByRole('radio', { name: 'Lochee' })).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByRole('checkbox', { name: 'I live in the area' })).toHaveAttribute('aria-invalid', 'true');

  await answerRequiredQuestions(page);
  await expect(page).toHaveTitle(`Check your answers before sending them – ${surveyTitle}`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Check your answers before sending them');
  await page.getByRole('button', { name: 'Send my answers' }).click();
  await expect(page).toHaveTitle(`Thank you, your answers have been sent – ${surveyTitle}`);
});

test('the title follows the reader’s language, right to left included', async ({ page, collector }) => {
  await openHosted(page, collector);
  await chooseLanguage(page, 'ar');
  await expect(page).toHaveTitle('شاركنا رأيك في طريقة إشراكك');
  await expect(page.locator('html')).toHaveAttribute('lang', 'ar');
  await expect(page.locator('html')).toHaveAttribute('dir', 'rtl');
  await widgetRoot(page).locator('button.voices-button--start').click();
  await expect(page).toHaveTitle(/^الصفحة 1 من 4: /);
  await continueButton(widgetRoot(page)).click();
  await expect(page).toHaveTitle(/^خطأ: الصفحة 1 من 4: /);
});

test('a number in error is marked invalid, and the mark goes once it is put right', async ({ page, collector }) => {
  await openHosted(page, collector);
  await page.getByRole('button', { name: 'Start now' }).click();
  await page.getByRole('checkbox', { name: 'I live in the area' }).check();
  await page.getByRole('radio', { name: 'Lochee' }).check();
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByRole('checkbox', { name: 'Email' }).check();
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByRole('radio', { name: 'Never' }).check();
  const times = page.getByRole('textbox', { name: /How many times in the last year/ });
  await times.fill('lots');
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(times).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByRole('radio', { name: 'Never' })).not.toHaveAttribute('aria-invalid', 'true');
  await times.fill('3');
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(heading(page)).toContainText('Page 4 of 4');
});

test('embedded, the heading is an h2 by default, heading-level changes it, and the partner’s title stays', async ({
  page,
  collector,
  partner,
}) => {
  const site = await partner({
    '/': {
      body: partnerPage({
        collector: collector.url,
        title: 'Westfield Carers Centre',
        body:
          '<h1>Have your say</h1>\n<h2>Survey one</h2>\n<voices-survey survey="engagement-2026" heading-level="3"></voices-survey>\n' +
          '<voices-survey survey="community-transport"></voices-survey>',
      }),
    },
  });
  await page.goto(`${site.url}/`);
  const [first, second] = [page.locator('voices-survey').first(), page.locator('voices-survey').nth(1)];
  await expect(first.getByRole('heading', { level: 3, name: surveyTitle })).toBeVisible();
  await expect(second.getByRole('heading', { level: 2, name: 'Getting to appointments' })).toBeVisible();
  await expect(page.getByRole('heading', { level: 1 })).toHaveCount(1);

  await first.getByRole('button', { name: 'Start now' }).click();
  await expect(heading(first)).toContainText('Page 1 of 4');
  expect(await heading(first).evaluate((h) => h.tagName)).toBe('H3');
  await expect(page).toHaveTitle('Westfield Carers Centre');
});

test('in forced colours the thank-you panel keeps its outline', async ({ page, collector }) => {
  await page.emulateMedia({ forcedColors: 'active' });
  await openHosted(page, collector);
  await page.getByRole('button', { name: 'Start now' }).click();
  await answerRequiredQuestions(page);
  await page.getByRole('button', { name: 'Send my answers' }).click();
  const panel = widgetRoot(page).locator('.voices-panel');
  await expect(panel).toBeVisible();
  const border = await panel.evaluate((e) => {
    const s = getComputedStyle(e);
    return { style: s.borderTopStyle, width: parseFloat(s.borderTopWidth), color: s.borderTopColor, forced: matchMedia('(forced-colors: active)').matches };
  });
  expect(border.forced, 'forced colours are on').toBe(true);
  expect(border.style).not.toBe('none');
  expect(border.width).toBeGreaterThanOrEqual(2);
  // Painted: forced colours replace the transparent border with the text colour.
  expect(border.color).not.toBe('rgba(0, 0, 0, 0)');
});

test('the first screen says who runs the survey, in the reader’s language, with and without the widget', async ({
  page,
  browser,
  collector,
}) => {
  await openHosted(page, collector);
  const runBy = widgetRoot(page).locator('.voices-run-by');
  await expect(runBy).toHaveText('Run by Westfield Health and Social Care Partnership');
  // Another person, another device: asked for in Arabic.
  const other = await browser.newContext();
  const arabic = await other.newPage();
  await arabic.goto(`${collector.url}/s/engagement-2026?lang=ar`);
  await expect(arabic.locator('.voices-run-by')).toHaveText('تُديره شراكة ويستفيلد للصحة والرعاية الاجتماعية');
  await other.close();
  const noScript = await browser.newContext({ javaScriptEnabled: false });
  const plain = await noScript.newPage();
  await plain.goto(`${collector.url}/s/engagement-2026?lang=pl`);
  await expect(plain.locator('.voices-run-by')).toHaveText('Prowadzi: Partnerstwo Zdrowia i Opieki Społecznej Westfield');
  await noScript.close();
});
