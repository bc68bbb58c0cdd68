// The language picker (WCAG 3.2.2, 3.1.2): one button per other language, each named in
// its own language, so nothing changes on focus or arrow keys and nobody needs to read the
// current language to find theirs; the group's legend says "Language" in every language
// the survey offers.

import { test, expect, heading, openHosted, widgetRoot, expectFocused, languagePicker, tabTo } from '../helpers/fixtures';

test('moving through the picker changes nothing; pressing a language changes it', async ({ page, collector }) => {
  await openHosted(page, collector);
  const root = widgetRoot(page);
  const polski = page.getByRole('button', { name: 'Polski' });
  const arabic = page.getByRole('button', { name: 'العربية' });

  // Tab onto each language and press the arrow keys there: still English throughout.
  await tabTo(page, polski);
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('Tab');
  await expectFocused(arabic);
  await page.keyboard.press('ArrowDown');
  await expect(root).toHaveAttribute('lang', 'en');
  await expect(page.getByRole('button', { name: 'Start now' })).toBeVisible();

  // Enter on a language changes it.
  await page.keyboard.press('Shift+Tab');
  await expectFocused(polski);
  await page.keyboard.press('Enter');
  await expect(root).toHaveAttribute('lang', 'pl');
  await expect(page.getByRole('button', { name: 'Rozpocznij' })).toBeVisible();
  // The button pressed is now the current language, not a button: focus goes to the
  // heading (read out in the new language), not to the page's body.
  await expectFocused(heading(page));
  // The language showing is marked, not offered; English is offered instead.
  await expect(languagePicker(page).locator('[aria-current="true"]')).toHaveText('Polski');
  await expect(page.getByRole('button', { name: 'Polski' })).toHaveCount(0);
  const english = page.getByRole('button', { name: 'English' });
  await expect(english).toHaveAttribute('lang', 'en');

  // A click works the same way, and right to left follows.
  await arabic.click();
  await expect(root).toHaveAttribute('lang', 'ar');
  await expect(root).toHaveAttribute('dir', 'rtl');
  await expect(heading(page)).toHaveText('شاركنا رأيك في طريقة إشراكك');
});

test('the picker is labelled in every language the survey offers, each marked with its own lang', async ({
  page,
  collector,
}) => {
  await openHosted(page, collector);
  const picker = languagePicker(page);
  await expect(picker).toHaveAccessibleName(/Language/);
  await expect(picker).toHaveAccessibleName(/Język/);
  await expect(picker).toHaveAccessibleName(/اللغة/);
  const legend = widgetRoot(page).locator('.voices-language legend');
  await expect(legend.locator('[lang="pl"]')).toHaveText('Język');
  await expect(legend.locator('[lang="ar"]')).toHaveText('اللغة');
  // Each language is named in itself, with its own lang and direction.
  await expect(page.getByRole('button', { name: 'العربية' })).toHaveAttribute('dir', 'rtl');
  await expect(page.getByRole('button', { name: 'Polski' })).toHaveAttribute('lang', 'pl');
});
