// 6. An Arabic survey on a partner's page reads right to left, in Arabic.

import { test, expect, heading, widgetRoot, chooseLanguage, continueButton, gotoHosted } from '../helpers/fixtures';
import { partnerPage } from '../helpers/partner';
import { exampleSurveys, screenshotPath } from '../helpers/paths';
import { readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * An example survey under another id, with every text but its title left untranslated
 * into `locale`: what a reader meets in a half-translated survey (the examples themselves
 * are complete).
 */
function untranslated(example: string, id: string, locale: string): Record<string, unknown> {
  const survey = JSON.parse(readFileSync(path.join(exampleSurveys, `${example}.json`), 'utf8'));
  const strip = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(strip);
    if (value && typeof value === 'object') {
      const object = value as Record<string, unknown>;
      // A text: the default language's string, and its translations.
      if (typeof object.en === 'string') delete object[locale];
      for (const [k, v] of Object.entries(object)) object[k] = strip(v);
      return object;
    }
    return value;
  };
  const copy = strip(JSON.parse(JSON.stringify(survey))) as Record<string, unknown>;
  copy.id = id;
  // Its title stays translated: the frame of the page is in the reader's language.
  copy.title = survey.title;
  return copy;
}

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
  const picker = root.locator('.voices-language');
  await expect(picker.locator('[aria-current="true"]')).toHaveAttribute('lang', 'ar');
  await expect(page.getByRole('button', { name: 'English' })).toHaveAttribute('lang', 'en');

  await start.click();
  await expect(heading(page)).toContainText('كيف تتنقل');
  await expect(root).toHaveAttribute('dir', 'rtl');
  // No English buttons on an Arabic page (but for "English" in the language picker, which
  // names each language in itself).
  const buttons = await root.locator('button:not(.voices-language-choice)').allInnerTexts();
  expect(buttons.length).toBeGreaterThan(1);
  for (const text of buttons) expect(text, `button "${text}"`).not.toMatch(/[A-Za-z]/);
  await expect(page.getByRole('radio', { name: 'حافلة' })).toBeVisible();
  // Right to left for real: each radio sits to the right of its label.
  const radio = await page.getByRole('radio', { name: 'حافلة' }).boundingBox();
  const label = await root.locator('label[for="q-mode-opt-bus"]').boundingBox();
  expect(radio!.x).toBeGreaterThan(label!.x);
  await page.screenshot({ path: screenshotPath('rtl-community-transport-page1.png'), fullPage: true });

  // Errors are in Arabic too.
  await continueButton(root).click();
  const alert = page.getByRole('alert');
  await expect(alert).toBeVisible();
  await expect(alert.getByRole('heading')).not.toHaveText(/[A-Za-z]/);
  await expect(alert.getByRole('link').first()).not.toHaveText(/[A-Za-z]/);
});

test('choosing العربية in the language picker switches the widget to Arabic, right to left', async ({
  page,
  collector,
}) => {
  await gotoHosted(page, `${collector.url}/s/community-transport`);
  const root = widgetRoot(page);
  await expect(page.getByRole('button', { name: 'Start now' })).toBeVisible();
  await expect(root).toHaveAttribute('dir', 'ltr');
  await expect(root).toHaveAttribute('lang', 'en');

  await chooseLanguage(page, 'ar');
  await expect(page.getByRole('button', { name: 'ابدأ الآن' })).toBeVisible();
  await expect(root).toHaveAttribute('dir', 'rtl');
  await expect(root).toHaveAttribute('lang', 'ar');

  await chooseLanguage(page, 'en');
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

test.describe('half-translated surveys', () => {
  test.use({
    collectorOptions: {
      surveys: [
        untranslated('community-transport', 'transport-half-urdu', 'ur'),
        untranslated('engagement-2026', 'engagement-half-arabic', 'ar'),
      ],
    },
  });

test('untranslated survey text is marked with its own language and direction', async ({ page, collector }) => {
  // A copy of community-transport that offers Urdu but translates only its title into it.
  await gotoHosted(page, `${collector.url}/s/transport-half-urdu`);
  await chooseLanguage(page, 'ur');
  const root = widgetRoot(page);
  await expect(root).toHaveAttribute('lang', 'ur');
  await expect(root).toHaveAttribute('dir', 'rtl');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('ملاقاتوں تک پہنچنا');
  expect(await misMarkedText(page), 'start screen').toEqual([]);

  await root.locator('button.voices-button--start').click();
  await expect(page.getByRole('radio', { name: 'Bus' })).toBeVisible();
  expect(await misMarkedText(page), 'page 1').toEqual([]);
  await continueButton(root).click();
  await expect(page.getByRole('alert')).toBeVisible();
  expect(await misMarkedText(page), 'page 1 with errors').toEqual([]);

  await page.getByRole('radio', { name: 'Bus' }).check();
  await page.getByRole('radio', { name: '7', exact: true }).check();
  await page.getByLabel('How long did the journey take?', { exact: false }).fill('25');
  await page.screenshot({ path: screenshotPath('rtl-urdu-untranslated-page1.png'), fullPage: true });
  await continueButton(root).click();
  await page.getByRole('radio', { name: 'No', exact: true }).check();
  await continueButton(root).click();
  await page.getByRole('checkbox', { name: 'I understand how my answers will be used' }).check();
  await continueButton(root).click();
  await expect(root.locator('.voices-summary').first()).toBeVisible();
  expect(await misMarkedText(page), 'check your answers').toEqual([]);
  await root.locator('button.voices-button:not(.voices-button--start)').last().click();
  await expect(root.locator('.voices-receipt')).toBeVisible();
  expect(await misMarkedText(page), 'thank-you screen').toEqual([]);

  // And the other way round: an Arabic title, English questions.
  await gotoHosted(page, `${collector.url}/s/engagement-half-arabic`);
  await chooseLanguage(page, 'ar');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('شاركنا رأيك في طريقة إشراكك');
  expect(await misMarkedText(page), 'engagement-2026 start screen in Arabic').toEqual([]);
  await root.locator('button.voices-button--start').click();
  await expect(page.getByRole('checkbox', { name: 'I am an unpaid carer' })).toBeVisible();
  expect(await misMarkedText(page), 'engagement-2026 page 1 in Arabic').toEqual([]);
});

test('typed text keeps its own direction: inputs take dir="auto", and answers shown back are isolated', async ({
  page,
  collector,
}) => {
  await gotoHosted(page, `${collector.url}/s/engagement-half-arabic`);
  await chooseLanguage(page, 'ar');
  const root = widgetRoot(page);
  await root.locator('button.voices-button--start').click();
  await page.getByRole('checkbox', { name: 'Something else' }).check();
  const specify = root.locator('#q-connection-specify');
  await expect(specify).toBeVisible();
  await specify.fill('Care Home volunteer (2 days)');
  await page.getByRole('radio', { name: 'Lochee' }).check();
  await continueButton(root).click();
  await page.getByRole('checkbox', { name: 'Face to face' }).check();
  await page.getByRole('checkbox', { name: 'Getting there' }).check();
  // Every box a person types words into reads in the direction of what they type.
  const boxes = root.locator('input[type=text], input[type=email], input[type=tel], textarea');
  expect(await boxes.count()).toBeGreaterThan(2);
  for (const box of await boxes.all()) await expect(box).toHaveAttribute('dir', 'auto');
  await continueButton(root).click();
  await page.getByRole('radio', { name: 'Never' }).check();
  await continueButton(root).click();
  await page.getByLabel('Is there anything else you would like to tell us?').fill('Buses after 6pm!');
  await page.getByRole('checkbox', { name: 'I have read how my answers will be used' }).check();
  await continueButton(root).click();
  await expect(root.locator('.voices-summary').first()).toBeVisible();

  // On check-your-answers the person's own words are isolated from the Arabic around them.
  const typed = root.locator('.voices-summary-value bdi');
  await expect(typed.filter({ hasText: 'Care Home volunteer (2 days)' })).toHaveCount(1);
  await expect(typed.filter({ hasText: 'Buses after 6pm!' })).toHaveCount(1);
  await page.screenshot({ path: screenshotPath('rtl-mixed-text-check-answers.png'), fullPage: true });
});
});
