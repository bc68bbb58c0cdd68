// The language picker (WCAG 3.2.2): choosing an option changes nothing until the person
// presses "Change language", so arrowing through the list never switches the page under
// them; and the picker is labelled in each language the survey offers, not only the
// current one.

import { test, expect, heading, openHosted, widgetRoot, expectFocused } from '../helpers/fixtures';

test('arrow keys on the picker do not change the language; its button does', async ({ page, collector }) => {
  await openHosted(page, collector);
  const root = widgetRoot(page);
  const picker = page.getByRole('combobox', { name: /Language/ });
  await picker.focus();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await expect(picker).not.toHaveValue('en');
  await expect(root).toHaveAttribute('lang', 'en');
  await expect(page.getByRole('button', { name: 'Start now' })).toBeVisible();

  await picker.selectOption('pl');
  await expect(root).toHaveAttribute('lang', 'en');
  await page.getByRole('button', { name: 'Change language' }).click();
  await expect(root).toHaveAttribute('lang', 'pl');
  await expect(page.getByRole('button', { name: 'Rozpocznij' })).toBeVisible();
  // Focus stays where the person pressed, on the (now Polish) button.
  await expectFocused(root.locator('.voices-language button'));

  // By keyboard alone: choose Arabic, Tab to the button, press Enter.
  await picker.focus();
  await picker.selectOption('ar');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  await expect(root).toHaveAttribute('lang', 'ar');
  await expect(root).toHaveAttribute('dir', 'rtl');
  await expect(heading(page)).toHaveText('شاركنا رأيك في طريقة إشراكك');
});

test('the picker is labelled in every language the survey offers, each marked with its own lang', async ({
  page,
  collector,
}) => {
  await openHosted(page, collector);
  const picker = page.getByRole('combobox', { name: /Language/ });
  await expect(picker).toHaveAccessibleName(/Language/);
  await expect(picker).toHaveAccessibleName(/Język/);
  await expect(picker).toHaveAccessibleName(/اللغة/);
  const label = widgetRoot(page).locator('label[for="voices-language"]');
  await expect(label.locator('[lang="pl"]')).toHaveText('Język');
  await expect(label.locator('[lang="ar"]')).toHaveText('اللغة');
});
