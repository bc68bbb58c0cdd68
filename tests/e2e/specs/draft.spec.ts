// 5. A reload (or a lost tab) keeps the draft: the same page, with everything typed.

import { test, expect, heading, openFirstPage } from '../helpers/fixtures';

test('reloading keeps the answers and the page the person was on', async ({ page, collector }) => {
  await openFirstPage(page, collector);
  await page.getByRole('checkbox', { name: 'I am an unpaid carer' }).check();
  await page.getByRole('checkbox', { name: 'Something else' }).check();
  await page.getByRole('textbox', { name: 'Please give details' }).fill('Community councillor');
  await page.getByRole('radio', { name: 'The Ferry' }).check();
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(heading(page)).toContainText('Page 2 of 4');

  await page.getByRole('checkbox', { name: 'Face to face' }).check();
  const where = page.getByLabel('Where would you feel most comfortable talking to us in person?', { exact: false });
  await where.fill('At the library');
  await page.getByRole('checkbox', { name: 'Cost' }).check();

  // The draft is written as the person types; wait for the last change to reach storage.
  await expect
    .poll(() => page.evaluate(() => Object.keys(localStorage).map((k) => localStorage.getItem(k)).join('\n')))
    .toContain('At the library');

  await page.reload();
  await expect(heading(page)).toContainText('Page 2 of 4');
  await expect(heading(page)).toContainText('How you would like to be involved');
  await expect(page.getByRole('checkbox', { name: 'Face to face' })).toBeChecked();
  await expect(page.getByRole('checkbox', { name: 'By phone' })).not.toBeChecked();
  await expect(where).toHaveValue('At the library');
  await expect(page.getByRole('checkbox', { name: 'Cost' })).toBeChecked();

  await page.getByRole('button', { name: 'Back', exact: true }).click();
  await expect(heading(page)).toContainText('Page 1 of 4');
  await expect(page.getByRole('checkbox', { name: 'I am an unpaid carer' })).toBeChecked();
  await expect(page.getByRole('checkbox', { name: 'Something else' })).toBeChecked();
  await expect(page.getByRole('textbox', { name: 'Please give details' })).toHaveValue('Community councillor');
  await expect(page.getByRole('radio', { name: 'The Ferry' })).toBeChecked();
  await expect(page.getByRole('radio', { name: 'Lochee' })).not.toBeChecked();

  // Once sent, the draft is gone: a reload starts afresh.
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByRole('radio', { name: 'Never' }).check();
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByRole('checkbox', { name: 'I have read how my answers will be used' }).check();
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByRole('button', { name: 'Send my answers' }).click();
  await expect(page.getByRole('heading', { name: 'Thank you, your answers have been sent' })).toBeVisible();
  // Nothing of the answers is left: only the receipt and the key to withdraw it with.
  await expect
    .poll(() => page.evaluate(() => Object.keys(localStorage).filter((k) => !k.startsWith('voices-sent:'))))
    .toEqual([]);
  const kept = await page.evaluate(() => Object.values(localStorage).join(''));
  expect(kept).not.toContain('Community councillor');
  await page.reload();
  await expect(page.getByRole('button', { name: 'Start now' })).toBeVisible();

  const [stored] = await collector.responses();
  expect(stored.answers).toMatchObject({
    connection: ['carer', 'other'],
    locality: 'the_ferry',
    ways: ['face_to_face'],
    face_to_face_where: 'At the library',
    barriers: ['cost'],
  });
  expect(stored.specify).toEqual({ connection: 'Community councillor' });
});
