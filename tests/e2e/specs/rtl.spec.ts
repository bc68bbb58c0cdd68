// 6. An Arabic survey on a partner's page reads right to left, in Arabic.

import { test, expect, heading, widgetRoot } from '../helpers/fixtures';
import { partnerPage } from '../helpers/partner';
import { screenshotPath } from '../helpers/paths';

test('lang="ar" on the element gives an Arabic, right-to-left widget', async ({ page, collector, partner }) => {
  const site = await partner({
    '/': {
      body: partnerPage({
        collector: collector.url,
        lang: 'en',
        body: '<h1>Community transport</h1>\n<voices-survey survey="community-transport" lang="ar"></voices-survey>',
      }),
    },
  });
  await page.goto(`${site.url}/`);

  const root = widgetRoot(page);
  const start = page.getByRole('button', { name: 'ابدأ الآن' });
  await expect(start).toBeVisible();
  await expect(root).toHaveAttribute('dir', 'rtl');
  await expect(root).toHaveAttribute('lang', 'ar');
  await expect(page.getByRole('heading', { level: 2, name: 'الوصول إلى المواعيد' })).toBeVisible();
  // The right-to-left direction is really applied, not only declared.
  expect(await root.evaluate((e) => getComputedStyle(e).direction)).toBe('rtl');
  // The language picker names each language in itself, marked with its own lang.
  const picker = page.getByRole('combobox');
  await expect(picker.locator('option[value="ar"]')).toHaveAttribute('lang', 'ar');
  await expect(picker.locator('option[value="en"]')).toHaveAttribute('lang', 'en');
  await expect(picker).toHaveValue('ar');

  await start.click();
  await expect(heading(page)).toContainText('كيف تتنقل');
  await expect(root).toHaveAttribute('dir', 'rtl');
  // No English buttons on an Arabic page.
  const buttons = await root.getByRole('button').allInnerTexts();
  expect(buttons.length).toBeGreaterThan(1);
  for (const text of buttons) expect(text, `button "${text}"`).not.toMatch(/[A-Za-z]/);
  await expect(page.getByRole('radio', { name: 'حافلة' })).toBeVisible();
  // Right to left for real: each radio sits to the right of its label.
  const radio = await page.getByRole('radio', { name: 'حافلة' }).boundingBox();
  const label = await root.locator('label[for="q-mode-opt-bus"]').boundingBox();
  expect(radio!.x).toBeGreaterThan(label!.x);
  await page.screenshot({ path: screenshotPath('rtl-community-transport-page1.png'), fullPage: true });

  // Errors are in Arabic too.
  await root.locator('button[type=submit]').click();
  const alert = page.getByRole('alert');
  await expect(alert).toBeVisible();
  await expect(alert.getByRole('heading')).not.toHaveText(/[A-Za-z]/);
  await expect(alert.getByRole('link').first()).not.toHaveText(/[A-Za-z]/);
});

test('choosing العربية in the language picker switches the widget to Arabic, right to left', async ({
  page,
  collector,
}) => {
  await page.goto(`${collector.url}/s/community-transport`);
  const root = widgetRoot(page);
  await expect(page.getByRole('button', { name: 'Start now' })).toBeVisible();
  await expect(root).toHaveAttribute('dir', 'ltr');
  await expect(root).toHaveAttribute('lang', 'en');

  await page.getByRole('combobox', { name: 'Language' }).selectOption('ar');
  await expect(page.getByRole('button', { name: 'ابدأ الآن' })).toBeVisible();
  await expect(root).toHaveAttribute('dir', 'rtl');
  await expect(root).toHaveAttribute('lang', 'ar');

  await page.getByRole('combobox').selectOption('en');
  await expect(page.getByRole('button', { name: 'Start now' })).toBeVisible();
  await expect(root).toHaveAttribute('dir', 'ltr');
  await expect(root).toHaveAttribute('lang', 'en');
});

/**
 * Text whose language the markup gets wrong: Latin-script text inside an Arabic-script
 * `lang` (or laid out right to left), or Arabic-script text outside one. Survey text the
 * survey has not translated falls back to its default language and must say so (WCAG 3.1.2),
 * or screen readers read English with an Urdu voice and "?" lands on the wrong side.
 */
async function misMarkedText(page: import('@playwright/test').Page): Promise<string[]> {
  return page.locator('voices-survey').evaluate((host) => {
    const rtlScripts = ['ar', 'ur', 'fa', 'ps'];
    const found: string[] = [];
    const walker = document.createTreeWalker(host.shadowRoot!, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = (node.textContent ?? '').trim();
      const parent = node.parentElement!;
      if (!text || parent.closest('.voices-receipt, select') || !parent.checkVisibility()) continue;
      const lang = parent.closest('[lang]')?.getAttribute('lang') ?? '';
      const direction = getComputedStyle(parent).direction;
      const latin = /[A-Za-z]{2,}/.test(text);
      const arabic = /[\u0600-\u06FF]/.test(text);
      if (latin && !arabic && (rtlScripts.includes(lang) || direction === 'rtl')) {
        found.push(`"${text}" is marked lang=${lang}, direction ${direction}`);
      } else if (arabic && !latin && !rtlScripts.includes(lang)) {
        found.push(`"${text}" is marked lang=${lang}`);
      }
    }
    return found;
  });
}

test('untranslated survey text is marked with its own language and direction', async ({ page, collector }) => {
  // community-transport offers Urdu but translates almost nothing into it.
  await page.goto(`${collector.url}/s/community-transport`);
  await page.getByRole('combobox', { name: 'Language' }).selectOption('ur');
  const root = widgetRoot(page);
  await expect(root).toHaveAttribute('lang', 'ur');
  await expect(root).toHaveAttribute('dir', 'rtl');
  await expect(page.getByRole('heading', { level: 2 })).toHaveText('ملاقاتوں تک پہنچنا');
  expect(await misMarkedText(page), 'start screen').toEqual([]);

  await root.locator('button.voices-button--start').click();
  await expect(page.getByRole('radio', { name: 'Bus' })).toBeVisible();
  expect(await misMarkedText(page), 'page 1').toEqual([]);
  await root.locator('button[type=submit]').click();
  await expect(page.getByRole('alert')).toBeVisible();
  expect(await misMarkedText(page), 'page 1 with errors').toEqual([]);

  await page.getByRole('radio', { name: 'Bus' }).check();
  await page.getByRole('radio', { name: '7', exact: true }).check();
  await page.getByLabel('How long did the journey take?', { exact: false }).fill('25');
  await page.screenshot({ path: screenshotPath('rtl-urdu-untranslated-page1.png'), fullPage: true });
  await root.locator('button[type=submit]').click();
  await page.getByRole('radio', { name: 'No', exact: true }).check();
  await root.locator('button[type=submit]').click();
  await page.getByRole('checkbox', { name: 'I understand how my answers will be used' }).check();
  await root.locator('button[type=submit]').click();
  await expect(root.locator('.voices-summary').first()).toBeVisible();
  expect(await misMarkedText(page), 'check your answers').toEqual([]);
  await root.locator('button.voices-button:not(.voices-button--start)').last().click();
  await expect(root.locator('.voices-receipt')).toBeVisible();
  expect(await misMarkedText(page), 'thank-you screen').toEqual([]);

  // And the other way round: engagement-2026 in Arabic has Arabic title, English questions.
  await page.goto(`${collector.url}/s/engagement-2026`);
  await page.getByRole('combobox', { name: 'Language' }).selectOption('ar');
  await expect(page.getByRole('heading', { level: 2 })).toHaveText('شاركنا رأيك في طريقة إشراكك');
  expect(await misMarkedText(page), 'engagement-2026 start screen in Arabic').toEqual([]);
  await root.locator('button.voices-button--start').click();
  await expect(page.getByRole('checkbox', { name: 'I am an unpaid carer' })).toBeVisible();
  expect(await misMarkedText(page), 'engagement-2026 page 1 in Arabic').toEqual([]);
});
