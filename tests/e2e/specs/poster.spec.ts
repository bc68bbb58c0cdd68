// Posters and flyers: staff print a survey's poster in any of its languages; its QR code,
// read from the screen as a phone's camera would, opens the survey marked as come from a
// QR code, and an answer sent through it is stored and counted under that channel.

import { PNG } from 'pngjs';
import jsQR from 'jsqr';
import { test, expect } from '../helpers/fixtures';
import { checkAxe } from '../helpers/axe';
import { screenshotPath } from '../helpers/paths';
import { signIn } from '../helpers/staff';
import type { Locator } from '@playwright/test';

const ADMIN = { name: 'ailsa', role: 'admin' as const, password: 'correct horse battery' };

const survey = {
  format: 1,
  id: 'bus-times',
  version: 1,
  default_locale: 'en',
  locales: ['en', 'ar'],
  title: { en: 'Bus times in your area', ar: 'مواعيد الحافلات في منطقتك' },
  organisation: { en: 'Westfield Health and Social Care Partnership', ar: 'شراكة ويستفيلد للصحة والرعاية الاجتماعية' },
  privacy: { text: { en: 'We keep answers for a year.', ar: 'نحتفظ بالإجابات لمدة عام.' } },
  allowed_origins: ['*'],
  pages: [
    {
      id: 'times',
      questions: [
        {
          id: 'enough',
          type: 'single_choice',
          required: true,
          label: { en: 'Are there enough buses where you live?', ar: 'هل توجد حافلات كافية حيث تعيش؟' },
          options: [
            { value: 'yes', label: { en: 'Yes', ar: 'نعم' } },
            { value: 'no', label: { en: 'No', ar: 'لا' } },
          ],
        },
      ],
    },
  ],
};

test.use({ collectorOptions: { staff: [ADMIN], surveys: [survey], adminToken: true } });

/** Each page of a PDF Chromium printed, as its size in points (rounded). */
function pdfPages(pdf: Buffer): number[][] {
  const text = pdf.toString('latin1');
  return [...text.matchAll(/\/Type\s*\/Page\b(?!s)[\s\S]*?\/MediaBox\s*\[\s*([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s*\]/g)].map(
    (m) => [Math.round(Number(m[3]) - Number(m[1])), Math.round(Number(m[4]) - Number(m[2]))],
  );
}

/** What a phone's camera would read from the code on the screen. */
async function readCode(code: Locator): Promise<string | undefined> {
  const image = PNG.sync.read(await code.screenshot());
  return jsQR(new Uint8ClampedArray(image.data), image.width, image.height)?.data;
}

test('a poster’s code opens the survey, and the answer sent through it counts as come from a QR code', async ({ page, browser, collector }, testInfo) => {
  await signIn(page, collector.url, ADMIN);
  await page.goto(`${collector.url}/admin/surveys/bus-times`);
  await page.getByRole('link', { name: 'Poster and flyer' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Poster and flyer' })).toBeVisible();
  const poster = page.getByRole('article', { name: 'Bus times in your area' });
  await expect(poster).toContainText('Have your say');
  await expect(poster).toContainText('Run by Westfield Health and Social Care Partnership');
  await checkAxe(page, 'poster', testInfo);
  const english = await readCode(poster.getByRole('img', { name: /^QR code:/ }));
  expect(english).toBe(`${collector.url}/s/bus-times?channel=qr`);

  // On paper it is all there is.
  await page.emulateMedia({ media: 'print' });
  await expect(page.getByRole('heading', { level: 1, name: 'Poster and flyer' })).toBeHidden();
  await expect(poster).toBeVisible();
  await page.screenshot({ path: screenshotPath('poster-a4-print.png'), fullPage: true });
  await page.emulateMedia({ media: 'screen' });

  // The Arabic flyer: right to left, in Arabic, and its code opens the Arabic survey.
  await page.getByLabel('Language').selectOption('ar');
  await page.getByLabel('Flyer (A5)').check();
  await page.getByRole('button', { name: 'Show' }).click();
  const flyer = page.getByRole('article', { name: 'مواعيد الحافلات في منطقتك' });
  await expect(flyer).toHaveAttribute('dir', 'rtl');
  await expect(flyer).toContainText('شارك برأيك');
  await checkAxe(page, 'flyer-ar', testInfo);
  // Its code is named in Arabic too.
  expect(await readCode(flyer.getByRole('img', { name: /^رمز QR: / }))).toBe(
    `${collector.url}/s/bus-times?lang=ar&channel=qr`,
  );
  await page.emulateMedia({ media: 'print' });
  await page.screenshot({ path: screenshotPath('flyer-a5-ar-print.png'), fullPage: true });
  // Printed, the flyer is one page of A5 (420 × 595 points), the poster one of A4 (595 × 842).
  expect(pdfPages(await page.pdf({ preferCSSPageSize: true }))).toEqual([[420, 595]]);
  await page.goto(`${collector.url}/admin/surveys/bus-times/poster`);
  expect(pdfPages(await page.pdf({ preferCSSPageSize: true }))).toEqual([[595, 842]]);
  await page.emulateMedia({ media: 'screen' });

  // Someone follows the English poster's code on their own phone and answers.
  const phone = await browser.newPage();
  await phone.goto(english!);
  await phone.getByRole('button', { name: 'Start now' }).click();
  await phone.getByRole('radio', { name: 'No' }).check();
  await phone.getByRole('button', { name: 'Continue' }).click();
  await phone.getByRole('button', { name: 'Send my answers' }).click();
  await expect(phone.getByRole('heading', { name: /Thank you/ })).toBeVisible();
  await phone.close();

  const stored = await fetch(`${collector.url}/api/admin/surveys/bus-times/responses?format=ndjson`, {
    headers: { authorization: `Bearer ${collector.token}` },
  });
  const lines = (await stored.text()).trim().split('\n').map((line) => JSON.parse(line));
  expect(lines).toHaveLength(1);
  expect(lines[0].channel).toBe('qr');
  // The survey's page counts it under its channel.
  await page.goto(`${collector.url}/admin/surveys/bus-times`);
  await expect(
    page.getByRole('table', { name: 'Responses by channel' }).getByRole('row', { name: /QR code on a poster or flyer/ }),
  ).toContainText('1');
});
