// "Change" on check-your-answers (WCAG 2.4.3, 3.3.4): focus lands on the answer already
// given, so that one arrow key cannot silently replace it, and Continue or Back brings the
// person back to the row they changed.

import { test, expect, heading, reachCheckAnswers, expectFocused, focusedElement, tabTo } from '../helpers/fixtures';
import type { Locator, Page } from '@playwright/test';

function summaryValue(page: Page, question: string): Locator {
  return page.locator('.voices-summary-row', { has: page.getByText(question, { exact: true }) }).locator('.voices-summary-value');
}

async function expectFocusOn(page: Page, target: Locator) {
  await expectFocused(target).catch(async (error) => {
    throw new Error(`focus is on ${await focusedElement(page)}\n${error}`);
  });
}

test('Change focuses the checked radio, and Continue returns to that row with the answer kept', async ({
  page,
  collector,
}) => {
  await reachCheckAnswers(page, collector, 'Lochee');
  const change = page.getByRole('button', { name: 'Change Which area do you live in?' });
  await change.click();

  const lochee = page.getByRole('radio', { name: 'Lochee' });
  await expectFocusOn(page, lochee);
  await expect(lochee).toBeChecked();
  // Read as a screen reader would: the focused control is the answer, and it is checked.
  const focused = await page.locator('voices-survey').evaluate((host) => {
    const active = host.shadowRoot!.activeElement as HTMLInputElement;
    return { label: active.labels?.[0]?.textContent, checked: active.checked };
  });
  expect(focused).toEqual({ label: 'Lochee', checked: true });

  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(heading(page)).toHaveText('Check your answers before sending them');
  await expectFocusOn(page, change);
  await expect(summaryValue(page, 'Which area do you live in?')).toHaveText('Lochee');
});

test('Change focuses the first ticked box of a multiple choice, not the first box', async ({ page, collector }) => {
  await reachCheckAnswers(page, collector);
  await page.getByRole('button', { name: 'Change Which of these describe you?' }).click();
  const ticked = page.getByRole('checkbox', { name: 'I live in the area' });
  await expectFocusOn(page, ticked);
  await expect(ticked).toBeChecked();
});

test('a changed answer is shown on its row, which has focus, and Back after Change returns there too', async ({
  page,
  collector,
}) => {
  await reachCheckAnswers(page, collector, 'Lochee');
  await page.getByRole('button', { name: 'Change Which area do you live in?' }).click();
  await page.getByRole('radio', { name: 'East End' }).check();
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(heading(page)).toHaveText('Check your answers before sending them');
  await expectFocusOn(page, page.getByRole('button', { name: 'Change Which area do you live in?' }));
  await expect(summaryValue(page, 'Which area do you live in?')).toHaveText('East End');

  // Back from a page reached by Change goes back to check-your-answers, not to the page before.
  const hearBack = page.getByRole('button', { name: 'Change When you have given feedback before, did we tell you what happened as a result?' });
  await hearBack.click();
  await expect(heading(page)).toContainText('Page 3 of 4');
  await expectFocusOn(page, page.getByRole('radio', { name: 'Never' }));
  await page.getByRole('button', { name: 'Back', exact: true }).click();
  await expect(heading(page)).toHaveText('Check your answers before sending them');
  await expectFocusOn(page, hearBack);

  // And by the keyboard alone.
  await page.keyboard.press('Enter');
  await expect(heading(page)).toContainText('Page 3 of 4');
  await expectFocusOn(page, page.getByRole('radio', { name: 'Never' }));
  await tabTo(page, page.getByRole('button', { name: 'Back', exact: true }), { shift: true });
  await page.keyboard.press('Enter');
  await expect(heading(page)).toHaveText('Check your answers before sending them');
  await expectFocusOn(page, hearBack);
});

test('Change on an unanswered text question focuses its box; on a date, the day box', async ({ page, collector }) => {
  await reachCheckAnswers(page, collector);
  await page.getByRole('button', { name: 'Change Is there anything else you would like to tell us?' }).click();
  await expectFocusOn(page, page.getByRole('textbox', { name: 'Is there anything else you would like to tell us?' }));
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByRole('button', { name: /^Change If you came to one of our engagement events/ }).click();
  await expectFocusOn(page, page.getByRole('textbox', { name: 'Day' }));
});
