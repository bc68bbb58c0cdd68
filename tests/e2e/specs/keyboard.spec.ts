// 1. The whole of engagement-2026 with the keyboard alone, finding every control by its
// role and accessible name, and the stored response holds exactly what was given.

import { test, expect, heading, tabTo, expectFocused, focusIndicator, gotoHosted } from '../helpers/fixtures';
import type { Page } from '@playwright/test';

const RECEIPT = /^[A-Z0-9]{4}-[A-Z0-9]{4}$/;

async function tick(page: Page, name: string) {
  const box = page.getByRole('checkbox', { name, exact: true });
  await tabTo(page, box);
  await page.keyboard.press('Space');
  await expect(box).toBeChecked();
}

async function type(page: Page, label: string, text: string) {
  const field = page.getByLabel(label, { exact: true });
  await tabTo(page, field);
  await page.keyboard.type(text);
  await expect(field).toHaveValue(text);
}

/** Tabs into a radio group (focus lands on its first radio) and arrows down to `name`. */
async function choose(page: Page, first: string, name: string, key = 'ArrowDown') {
  await tabTo(page, page.getByRole('radio', { name: first, exact: true }));
  const target = page.getByRole('radio', { name, exact: true });
  for (let i = 0; i < 12 && !(await target.isChecked()); i++) {
    await page.keyboard.press(i === 0 && first === name ? 'Space' : key);
  }
  await expect(target).toBeChecked();
  await expectFocused(target);
}

async function continueTo(page: Page, progress: string) {
  await tabTo(page, page.getByRole('button', { name: 'Continue' }));
  await page.keyboard.press('Enter');
  await expect(heading(page)).toContainText(progress);
  await expectFocused(heading(page));
  // Someone using the keyboard can see where they are.
  const focus = await focusIndicator(page);
  expect(focus.visible, `focus indicator on the heading: ${focus.style}`).toBe(true);
}

test('engagement-2026 can be completed with the keyboard alone, and exactly those answers are stored', async ({
  page,
  collector,
}) => {
  await gotoHosted(page, `${collector.url}/s/engagement-2026`);
  const start = page.getByRole('button', { name: 'Start now' });
  await expect(start).toBeVisible();
  await tabTo(page, start);
  await page.keyboard.press('Enter');

  // Page 1.
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Page 1 of 4');
  await expectFocused(heading(page));
  await expect(page.getByRole('group', { name: 'Which of these describe you?' })).toBeVisible();
  await tick(page, 'I use health or social care services');
  await tick(page, 'I live in the area');
  await choose(page, 'Coldside', 'Lochee');
  await continueTo(page, 'Page 2 of 4');
  await expect(heading(page)).toContainText('How you would like to be involved');

  // Page 2, with the question that only appears for "Face to face".
  const where = page.getByLabel('Where would you feel most comfortable talking to us in person?', { exact: false });
  await expect(where).toHaveCount(0);
  await tick(page, 'Face to face');
  await expect(where).toBeVisible();
  // The revealed question comes after the choices, so Tab reaches it in visual order.
  await tick(page, 'Online survey');
  await type(page, 'Where would you feel most comfortable talking to us in person? (optional)', 'The library on the High Street');
  await tick(page, 'Getting there');
  await tick(page, 'Language');
  await type(page, 'What would help you take part? (optional)', 'Meetings in the evening');
  await continueTo(page, 'Page 3 of 4');

  // Page 3: radios, a rating, a number, a date, checkboxes.
  await choose(page, 'Yes, always', 'Sometimes');
  await choose(page, '1 Not at all informed', '4', 'ArrowRight');
  await type(page, 'How many times in the last year have you taken part in a consultation or engagement event? (optional)', '3');
  await type(page, 'Day', '14');
  await type(page, 'Month', '3');
  await type(page, 'Year', '2026');
  await tick(page, 'Email');
  await continueTo(page, 'Page 4 of 4');

  // Page 4.
  await type(page, 'Is there anything else you would like to tell us? (optional)', 'Thank you for asking.');
  await choose(page, 'Under 16', '45 to 64');
  await tick(page, 'I have read how my answers will be used');
  await tabTo(page, page.getByRole('button', { name: 'Continue' }));
  await page.keyboard.press('Enter');

  // Check your answers.
  const check = page.getByRole('heading', { name: 'Check your answers before sending them' });
  await expect(check).toBeVisible();
  await expectFocused(heading(page));
  const summary = page.locator('voices-survey').locator('.voices-summary-row');
  await expect(summary.filter({ hasText: 'Which area do you live in?' })).toContainText('Lochee');
  await expect(summary.filter({ hasText: 'Where would you feel most comfortable' })).toContainText(
    'The library on the High Street',
  );
  await expect(summary.filter({ hasText: 'If you came to one of our engagement events' })).toContainText('14 3 2026');
  await expect(page.getByRole('button', { name: 'Change Which area do you live in?' })).toBeVisible();

  const send = page.getByRole('button', { name: 'Send my answers' });
  await tabTo(page, send);
  await page.keyboard.press('Enter');

  // Thank you, with a receipt.
  await expect(page.getByRole('heading', { name: 'Thank you, your answers have been sent' })).toBeVisible();
  await expectFocused(heading(page));
  const receipt = page.locator('voices-survey').locator('.voices-receipt');
  await expect(receipt).toHaveText(RECEIPT);
  const shown = (await receipt.textContent())!.trim();

  const stored = await collector.responses('engagement-2026');
  expect(stored).toHaveLength(1);
  const [response] = stored;
  expect(response.receipt).toBe(shown);
  expect(response.survey_version).toBe(1);
  expect(response.locale).toBe('en');
  expect(response.answers).toEqual({
    connection: ['uses_services', 'resident'],
    locality: 'lochee',
    ways: ['face_to_face', 'online'],
    face_to_face_where: 'The library on the High Street',
    barriers: ['transport', 'language'],
    support: 'Meetings in the evening',
    heard_back: 'sometimes',
    informed: 4,
    times_taken_part: 3,
    event_date: '2026-03-14',
    hear_back_how: ['email'],
    comments: 'Thank you for asking.',
    age_band: '45_64',
    agree: true,
  });
  expect(response.specify ?? {}).toEqual({});
});

test('in Arabic too: the language chosen and the survey completed with the keyboard alone', async ({
  page,
  collector,
}) => {
  await gotoHosted(page, `${collector.url}/s/engagement-2026`);
  await expect(page.getByRole('button', { name: 'Start now' })).toBeVisible();

  // The picker: Tab to العربية (passing Polski changes nothing), then Enter.
  await tabTo(page, page.getByRole('button', { name: 'العربية' }));
  await expect(page.getByRole('button', { name: 'Start now' })).toBeVisible();
  await page.keyboard.press('Enter');
  const start = page.getByRole('button', { name: 'ابدأ الآن' });
  await expect(start).toBeVisible();

  await tabTo(page, start);
  await page.keyboard.press('Enter');
  await expect(heading(page)).toContainText('الصفحة 1 من 4');
  await expectFocused(heading(page));
  await tick(page, 'أسكن في المنطقة');
  await choose(page, 'كولدسايد (Coldside)', 'لوكي (Lochee)');
  await tabTo(page, page.getByRole('button', { name: 'متابعة' }));
  await page.keyboard.press('Enter');
  await expect(heading(page)).toContainText('الصفحة 2 من 4');
  await tick(page, 'استبيان عبر الإنترنت');
  await tabTo(page, page.getByRole('button', { name: 'متابعة' }));
  await page.keyboard.press('Enter');
  await expect(heading(page)).toContainText('الصفحة 3 من 4');
  await choose(page, 'نعم، دائمًا', 'أبدًا');
  await tabTo(page, page.getByRole('button', { name: 'متابعة' }));
  await page.keyboard.press('Enter');
  await expect(heading(page)).toContainText('الصفحة 4 من 4');
  await tick(page, 'قرأتُ كيف ستُستخدم إجاباتي');
  await tabTo(page, page.getByRole('button', { name: 'متابعة' }));
  await page.keyboard.press('Enter');
  await expect(heading(page)).toHaveText('راجع إجاباتك قبل إرسالها');

  // Change by keyboard lands on the answer, and Continue brings focus back to its row.
  const change = page.getByRole('button', { name: 'تغيير في أي منطقة تسكن؟' });
  await tabTo(page, change);
  await page.keyboard.press('Enter');
  await expectFocused(page.getByRole('radio', { name: 'لوكي (Lochee)', exact: true }));
  await tabTo(page, page.getByRole('button', { name: 'متابعة' }));
  await page.keyboard.press('Enter');
  await expectFocused(change);

  await tabTo(page, page.getByRole('button', { name: 'أرسل إجاباتي' }));
  await page.keyboard.press('Enter');
  await expect(page.locator('voices-survey').locator('.voices-receipt')).toHaveText(RECEIPT);
  await expectFocused(heading(page));
  const [response] = await collector.responses('engagement-2026');
  expect(response.locale).toBe('ar');
  expect(response.answers).toMatchObject({ connection: ['resident'], locality: 'lochee', ways: ['online'], heard_back: 'never', agree: true });
});
