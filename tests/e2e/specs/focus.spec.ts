// 3. Every move lands focus on the new screen's heading, which carries the progress.

import { test, expect, heading, openHosted, expectFocused, focusedElement } from '../helpers/fixtures';
import type { Page } from '@playwright/test';

async function expectHeadingFocused(page: Page, text: string | RegExp) {
  const h = heading(page);
  await expect(h).toContainText(text);
  await expect(h).toHaveAttribute('tabindex', '-1');
  // On the hosted page the survey is the page: its screen heading is the one h1.
  await expect(page.getByRole('heading', { level: 1 })).toHaveCount(1);
  await expectFocused(h).catch(async (error) => {
    throw new Error(`focus is on ${await focusedElement(page)}, not the heading\n${error}`);
  });
}

async function continueTo(page: Page, text: string | RegExp) {
  await page.getByRole('button', { name: 'Continue' }).click();
  await expectHeadingFocused(page, text);
}

test('after Start, each Continue and Back, focus is on the new page heading with its progress', async ({
  page,
  collector,
}) => {
  await openHosted(page, collector);
  await page.getByRole('button', { name: 'Start now' }).click();
  await expectHeadingFocused(page, 'Page 1 of 4');
  await expect(heading(page)).toHaveAccessibleName('Page 1 of 4: About your connection to our services');

  await page.getByRole('checkbox', { name: 'I am an unpaid carer' }).check();
  await page.getByRole('radio', { name: 'East End' }).check();
  await continueTo(page, 'Page 2 of 4');
  await expect(heading(page)).toHaveAccessibleName('Page 2 of 4: How you would like to be involved');

  await page.getByRole('checkbox', { name: 'Email' }).check();
  await continueTo(page, 'Page 3 of 4');
  await expect(heading(page)).toHaveAccessibleName('Page 3 of 4: Hearing back from us');

  // Back moves focus too, and forwards again.
  await page.getByRole('button', { name: 'Back', exact: true }).click();
  await expectHeadingFocused(page, 'Page 2 of 4');
  await continueTo(page, 'Page 3 of 4');

  await page.getByRole('radio', { name: 'Never' }).check();
  await continueTo(page, 'Page 4 of 4');
  await expect(heading(page)).toHaveAccessibleName('Page 4 of 4: Anything else');

  await page.getByRole('checkbox', { name: 'I have read how my answers will be used' }).check();
  await continueTo(page, 'Check your answers before sending them');

  // "Change" goes to the answer given (the ticked box, not the first), and Continue comes
  // back to the check page, at the row that was changed.
  const change = page.getByRole('button', { name: 'Change How would you prefer to give us your views?' });
  await change.click();
  await expect(heading(page)).toContainText('Page 2 of 4');
  await expectFocused(page.getByRole('checkbox', { name: 'Email' }));
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(heading(page)).toContainText('Check your answers before sending them');
  await expectFocused(change);

  await page.getByRole('button', { name: 'Send my answers' }).click();
  await expectHeadingFocused(page, 'Thank you, your answers have been sent');
});
