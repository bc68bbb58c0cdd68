// 2. Continue with nothing answered: the error summary takes focus, its links lead to the
// questions, and each question carries the message inline, linked by aria-describedby.

import { test, expect, heading, openFirstPage, expectFocused, focusedElement } from '../helpers/fixtures';
import type { Locator, Page } from '@playwright/test';
import { checkAxe } from '../helpers/axe';
import { screenshotPath } from '../helpers/paths';

function summary(page: Page): Locator {
  return page.getByRole('alert').filter({ has: page.getByRole('heading', { name: 'There is a problem' }) });
}

/** The inline message: a visually hidden "Error:" then the text, under the given id. */
async function expectInlineError(page: Page, question: string, message: string) {
  const error = page.locator(`#q-${question}-error`);
  await expect(error).toBeVisible();
  await expect(error).toHaveText(`Error: ${message}`);
  const prefix = error.locator('.voices-visually-hidden');
  await expect(prefix).toHaveText(/^Error:\s*$/);
  // Visually hidden, yet still read out: 1×1 px and clipped, not display:none.
  const box = await prefix.boundingBox();
  expect(box, 'the "Error:" prefix stays in the accessibility tree').not.toBeNull();
  expect(box!.width).toBeLessThanOrEqual(1);
  expect(box!.height).toBeLessThanOrEqual(1);
}

async function followLink(page: Page, message: string, target: Locator) {
  await summary(page).getByRole('link', { name: message }).click();
  await expectFocused(target).catch(async (error) => {
    throw new Error(`after "${message}", focus is on ${await focusedElement(page)}\n${error}`);
  });
}

test('Continue with nothing answered shows a focused error summary whose links reach each question', async ({
  page,
  collector,
}) => {
  await openFirstPage(page, collector);
  await page.getByRole('button', { name: 'Continue' }).click();

  const alert = summary(page);
  await expect(alert).toBeVisible();
  await expect(alert).toHaveAttribute('role', 'alert');
  await expectFocused(alert);
  // Still page 1: nothing moved on.
  await expect(heading(page)).toContainText('Page 1 of 4');
  await expect(alert.getByRole('link')).toHaveText([
    'Select at least one thing that describes you',
    'Select which area you live in',
  ]);

  // Inline messages, and how they are tied to their questions (hint first, then error).
  await expectInlineError(page, 'connection', 'Select at least one thing that describes you');
  await expectInlineError(page, 'locality', 'Select which area you live in');
  const connection = page.getByRole('group', { name: 'Which of these describe you?' });
  await expect(connection).toHaveAttribute('aria-describedby', 'q-connection-hint q-connection-error');
  await expect(connection).toHaveAccessibleDescription('Select all that apply. Error: Select at least one thing that describes you');
  const locality = page.getByRole('group', { name: 'Which area do you live in?' });
  await expect(locality).toHaveAttribute('aria-describedby', 'q-locality-error');
  await expect(locality).toHaveAccessibleDescription('Error: Select which area you live in');

  // Each link moves focus to the first input of its question.
  await followLink(page, 'Select at least one thing that describes you', page.getByRole('checkbox', { name: 'I use health or social care services' }));
  await followLink(page, 'Select which area you live in', page.getByRole('radio', { name: 'Coldside' }));

  // The same links work from the keyboard.
  await summary(page).getByRole('link', { name: 'Select at least one thing that describes you' }).focus();
  await page.keyboard.press('Enter');
  await expectFocused(page.getByRole('checkbox', { name: 'I use health or social care services' }));

  // Fixing the answers clears the errors and moves on.
  await page.getByRole('checkbox', { name: 'I am an unpaid carer' }).check();
  await page.getByRole('radio', { name: 'Maryfield' }).check();
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(heading(page)).toContainText('Page 2 of 4');
  await expect(summary(page)).toHaveCount(0);
});

test('text, number and date fields in error are described by their hint and then their error', async ({
  page,
  collector,
}) => {
  await openFirstPage(page, collector);
  await page.getByRole('checkbox', { name: 'I am an unpaid carer' }).check();
  await page.getByRole('radio', { name: 'Maryfield' }).check();
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(heading(page)).toContainText('Page 2 of 4');
  await page.getByRole('checkbox', { name: 'By phone' }).check();
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(heading(page)).toContainText('Page 3 of 4');

  // Required radios left empty, a number that is not one, a date that does not exist.
  const number = page.getByLabel('How many times in the last year', { exact: false });
  await number.fill('lots');
  await page.getByLabel('Day', { exact: true }).fill('31');
  await page.getByLabel('Month', { exact: true }).fill('2');
  await page.getByLabel('Year', { exact: true }).fill('2026');
  await page.getByRole('button', { name: 'Continue' }).click();

  const alert = summary(page);
  await expectFocused(alert);
  await expect(alert.getByRole('link')).toHaveText([
    'Select whether we told you what happened after you gave feedback before',
    'Times you took part in the last year: enter a number',
    'Date of the last event you came to: enter a real date, for example 27 3 2024',
  ]);

  await expectInlineError(page, 'heard_back', 'Select whether we told you what happened after you gave feedback before');
  await expectInlineError(page, 'times_taken_part', 'Times you took part in the last year: enter a number');
  await expectInlineError(page, 'event_date', 'Date of the last event you came to: enter a real date, for example 27 3 2024');
  await page.screenshot({ path: screenshotPath('errors-named-page3.png'), fullPage: true });
  await expect(number).toHaveAttribute('aria-describedby', 'q-times_taken_part-error');
  await expect(number).toHaveAccessibleDescription('Error: Times you took part in the last year: enter a number');
  const date = page.getByRole('group', { name: 'If you came to one of our engagement events, when was the last one?', exact: false });
  await expect(date).toHaveAttribute('aria-describedby', 'q-event_date-hint q-event_date-error');
  await expect(date).toHaveAccessibleDescription(
    'For example, 27 3 2024. Error: Date of the last event you came to: enter a real date, for example 27 3 2024',
  );

  await followLink(page, 'Select whether we told you what happened after you gave feedback before', page.getByRole('radio', { name: 'Yes, always' }));
  await followLink(page, 'Times you took part in the last year: enter a number', number);
  await followLink(page, 'Date of the last event you came to: enter a real date, for example 27 3 2024', page.getByLabel('Day', { exact: true }));
});

test('the messages are in the reader’s language and follow a change of language', async ({ page, collector }) => {
  await openFirstPage(page, collector);
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(summary(page).getByRole('link')).toHaveText([
    'Select at least one thing that describes you',
    'Select which area you live in',
  ]);

  // Switching to Polish with the errors showing: the same problems, in Polish, named by
  // the survey's own Polish words.
  await page.getByRole('button', { name: 'Polski' }).click();
  const polish = page.getByRole('alert').filter({ has: page.getByRole('heading', { name: 'Wystąpił problem' }) });
  await expect(polish.getByRole('link')).toHaveText([
    'Wybierz co najmniej jedno określenie, które do Ciebie pasuje',
    'Wybierz okolicę, w której mieszkasz',
  ]);
  await expect(page.locator('#q-locality-error')).toHaveText('Błąd: Wybierz okolicę, w której mieszkasz');
});
