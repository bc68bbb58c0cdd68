// The character count (WCAG 4.1.3): the visible count keeps up with every keystroke, but
// screen readers hear it once the person pauses, as GOV.UK's character count does, not
// once per character typed. The page's clock is the test's: typing happens with time
// stopped, and the pause is the test moving time on, so no real timing is involved.

import { test, expect, openFirstPage, widgetRoot } from '../helpers/fixtures';

test('typing 16 characters gives one announcement, after the pause', async ({ page, collector }) => {
  await page.clock.install();
  await openFirstPage(page, collector);
  await page.getByRole('checkbox', { name: 'I live in the area' }).check();
  await page.getByRole('radio', { name: 'Lochee' }).check();
  await page.getByRole('button', { name: 'Continue' }).click();
  // "What would help you take part?" shows once a barrier is ticked.
  await page.getByRole('checkbox', { name: 'Getting there' }).check();
  const box = page.getByRole('textbox', { name: 'What would help you take part?' });
  await expect(box).toBeVisible();

  // Record every text any live region in the widget takes from now on.
  await page.locator('voices-survey').evaluate((host) => {
    const root = host.shadowRoot!;
    const said: string[] = [];
    (window as any).__announced = said;
    const last = new Map<Element, string>();
    const record = () => {
      for (const region of root.querySelectorAll('[aria-live], [role=status], [role=alert]')) {
        const text = (region.textContent ?? '').trim();
        if (last.get(region) !== text) {
          last.set(region, text);
          if (text) said.push(text);
        }
      }
    };
    record();
    said.length = 0;
    new MutationObserver(record).observe(root, { subtree: true, childList: true, characterData: true });
  });

  await page.clock.pauseAt(Date.now() + 60_000);
  await box.pressSequentially('Buses after 6pm!');
  // The visible count follows each keystroke.
  await expect(widgetRoot(page).locator('.voices-count')).toHaveText('You have 984 characters remaining');
  await page.clock.runFor(900);
  expect(await page.evaluate(() => (window as any).__announced as string[]), 'nothing before the pause').toEqual([]);
  await page.clock.runFor(1_000);
  await expect
    .poll(() => page.evaluate(() => (window as any).__announced as string[]))
    .toEqual(['You have 984 characters remaining']);

  // Over the limit, the pause announces how many too many.
  await box.fill('x'.repeat(1003));
  await page.clock.runFor(1_500);
  await expect
    .poll(() => page.evaluate(() => (window as any).__announced as string[]))
    .toEqual(['You have 984 characters remaining', 'You have 3 characters too many']);
});
