// The paper version of the reference survey: printed from Chromium (print emulation), every
// question once, numbered through the survey, each with its routing written as an
// instruction, in English and in Arabic (right to left); axe-core finds nothing.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test, expect } from '../helpers/fixtures';
import { checkAxe } from '../helpers/axe';
import { exampleSurveys, screenshotPath } from '../helpers/paths';

type Question = { id: string; type: string; label: Record<string, string> | string; visible_if?: unknown };
const definition = JSON.parse(readFileSync(path.join(exampleSurveys, 'engagement-2026.json'), 'utf8'));
const questions: Question[] = definition.pages.flatMap((p: { questions: Question[] }) => p.questions).filter((q: Question) => q.type !== 'info');
const label = (q: Question, locale: string) => (typeof q.label === 'string' ? q.label : q.label[locale] ?? q.label.en);

for (const locale of ['en', 'ar']) {
  test(`the paper version in ${locale}: every question once, numbered, with its routing`, async ({ page, collector }, testInfo) => {
    await page.emulateMedia({ media: 'print' });
    await page.goto(`${collector.url}/s/engagement-2026/print?lang=${locale}`);
    await expect(page.locator('html')).toHaveAttribute('dir', locale === 'ar' ? 'rtl' : 'ltr');
    const numbered = page.locator('.paper-question h3');
    await expect(numbered).toHaveCount(questions.length);
    const headings = await numbered.allTextContents();
    questions.forEach((q, i) => {
      expect(headings[i].startsWith(`${i + 1}. ${label(q, locale)}`), headings[i]).toBe(true);
    });
    // Each question asked only after an answer says so, naming the question by its number.
    const numberOf = (id: string) => questions.findIndex((q) => q.id === id) + 1;
    const inPerson = page.locator('.paper-question').nth(numberOf('face_to_face_where') - 1);
    const expected =
      locale === 'en'
        ? `Answer this question only if you answered “Face to face” to question ${numberOf('ways')}.`
        : `أجب عن هذا السؤال فقط إذا كانت إجابتك عن السؤال ${numberOf('ways')} هي «وجهًا لوجه».`;
    await expect(inPerson.locator('.paper-routing')).toHaveText(expected);
    const routed = questions.filter((q) => q.visible_if).length;
    await expect(page.locator('.paper-question .paper-routing')).toHaveCount(routed);
    await checkAxe(page, `paper-${locale}`, testInfo);
    await page.screenshot({ path: screenshotPath(`paper-${locale}-print.png`), fullPage: true });
  });
}
