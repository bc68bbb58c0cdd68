// The widget's own words in each language but English come in a file of their own, fetched
// only by a reader of that language: an English reader downloads none of them, and each
// language's file comes once, when it is first needed.

import type { Page, Request } from '@playwright/test';
import { test, expect, widgetRoot, gotoHosted, heading, continueButton } from '../helpers/fixtures';
import { partnerPage } from '../helpers/partner';
import { exampleSurveys } from '../helpers/paths';
import { readFileSync } from 'node:fs';
import path from 'node:path';

/** Each language the widget speaks, as the picker names it, with its words for "Start now" and "Continue". */
const LANGUAGES = [
  { tag: 'gd', name: 'Gàidhlig', start: 'Tòisich an-dràsta', next: 'Lean air adhart' },
  { tag: 'sco', name: 'Scots', start: 'Stert noo', next: 'Haud gaun' },
  { tag: 'pl', name: 'Polski', start: 'Rozpocznij', next: 'Dalej' },
  { tag: 'ar', name: 'العربية', start: 'ابدأ الآن', next: 'متابعة' },
  { tag: 'ur', name: 'اردو', start: 'ابھی شروع کریں', next: 'جاری رکھیں' },
  { tag: 'zh-Hans', name: '简体中文', start: '开始填写', next: '继续' },
  { tag: 'zh-Hant', name: '繁體中文', start: '開始填寫', next: '繼續' },
  { tag: 'pa', name: 'ਪੰਜਾਬੀ', start: 'ਹੁਣੇ ਸ਼ੁਰੂ ਕਰੋ', next: 'ਜਾਰੀ ਰੱਖੋ' },
  { tag: 'ro', name: 'Română', start: 'Începeți acum', next: 'Continuați' },
  { tag: 'uk', name: 'Українська', start: 'Почати', next: 'Продовжити' },
];

/** engagement-2026 offered in every language the widget speaks (its text in English, Polish and Arabic only). */
function everyLanguage(): Record<string, unknown> {
  const survey = JSON.parse(readFileSync(path.join(exampleSurveys, 'engagement-2026.json'), 'utf8'));
  survey.id = 'every-language';
  survey.locales = ['en', ...LANGUAGES.map((l) => l.tag)];
  return survey;
}

/** The widget's words files the page asks for, by language, as they are requested. */
function wordsRequests(page: Page): string[] {
  const asked: string[] = [];
  page.on('request', (request: Request) => {
    const match = /\/voices-words-([A-Za-z-]+)-[0-9a-f]+\.txt$/.exec(new URL(request.url()).pathname);
    if (match) asked.push(match[1]);
  });
  return asked;
}

test.use({ collectorOptions: { surveys: [everyLanguage()] } });

test('an English reader fetches no words file; each language’s words come once, when it is chosen', async ({
  page,
  collector,
}) => {
  const asked = wordsRequests(page);
  await gotoHosted(page, `${collector.url}/s/every-language`);
  const root = widgetRoot(page);
  await expect(page.getByRole('button', { name: 'Start now' })).toBeVisible();
  expect(asked, 'an English page fetches no words').toEqual([]);

  for (const language of LANGUAGES) {
    await page.getByRole('button', { name: language.name, exact: true }).click();
    await expect(root).toHaveAttribute('lang', language.tag);
    await expect(page.getByRole('button', { name: language.start })).toBeVisible();
  }
  expect(asked).toEqual(LANGUAGES.map((l) => l.tag));

  // Back to languages already read: nothing is fetched again, and the words are right.
  await page.getByRole('button', { name: 'English', exact: true }).click();
  await expect(page.getByRole('button', { name: 'Start now' })).toBeVisible();
  await page.getByRole('button', { name: 'Polski', exact: true }).click();
  await expect(page.getByRole('button', { name: 'Rozpocznij' })).toBeVisible();
  expect(asked).toHaveLength(LANGUAGES.length);
});

test('on a partner page in Ukrainian the words file comes beside the widget, which shows in Ukrainian', async ({
  page,
  collector,
  partner,
}) => {
  const asked = wordsRequests(page);
  const site = await partner({
    '/': {
      body: partnerPage({
        collector: collector.url,
        lang: 'uk',
        body: '<h1>Опитування</h1>\n<voices-survey survey="every-language"></voices-survey>',
      }),
    },
  });
  await page.goto(`${site.url}/`);
  await expect(page.locator('voices-survey')).toHaveAttribute('ready', '');
  const root = widgetRoot(page);
  await expect(root).toHaveAttribute('lang', 'uk');
  await page.getByRole('button', { name: 'Почати' }).click();
  await expect(heading(page)).toContainText('Сторінка 1 з 4');
  await continueButton(root).click();
  await expect(page.getByRole('alert').getByRole('heading')).toHaveText('Виникла проблема');
  expect(asked).toEqual(['uk']);
});

test('when a language’s words cannot be fetched, the survey still changes language and goes on, in English words', async ({
  page,
  collector,
}) => {
  await page.route(/voices-words-pl-/, (route) => route.abort());
  await gotoHosted(page, `${collector.url}/s/every-language`);
  const root = widgetRoot(page);
  await page.getByRole('button', { name: 'Polski', exact: true }).click();
  await expect(root).toHaveAttribute('lang', 'pl');
  // The survey's own text is Polish; the widget's words stay English until they can come.
  await expect(heading(page)).toHaveText('Wyraź swoją opinię o tym, jak Cię angażujemy');
  await page.getByRole('button', { name: 'Start now' }).click();
  await expect(heading(page)).toHaveText('Page 1 of 4: Twój kontakt z naszymi usługami');
  await continueButton(root).click();
  await expect(page.getByRole('alert')).toBeVisible();
});
