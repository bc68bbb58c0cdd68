// 4. Exclusive options ("Nothing makes it harder") and "please specify" options.

import { test, expect, heading, openFirstPage, expectFocused } from '../helpers/fixtures';

test('an exclusive option unticks the others and is unticked by them, after an "or" divider', async ({
  page,
  collector,
}) => {
  await openFirstPage(page, collector);
  await page.getByRole('checkbox', { name: 'I am an unpaid carer' }).check();
  await page.getByRole('radio', { name: 'Lochee' }).check();
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(heading(page)).toContainText('Page 2 of 4');

  const group = page.getByRole('group', { name: 'Does anything make it harder for you to take part?', exact: false });
  const none = group.getByRole('checkbox', { name: 'Nothing makes it harder' });
  const transport = group.getByRole('checkbox', { name: 'Getting there' });
  const cost = group.getByRole('checkbox', { name: 'Cost' });

  // The "or" divider sits right before the exclusive option, and only there.
  const choices = group.locator('.voices-choices > *');
  const texts = await choices.evaluateAll((nodes) =>
    nodes.map((n) => (n.classList.contains('voices-or') ? `[${n.textContent}]` : n.querySelector('label')?.textContent ?? '')),
  );
  expect(texts.slice(-3)).toEqual(['Not feeling confident to speak up', '[or]', 'Nothing makes it harder']);
  expect(texts.filter((t) => t.startsWith('['))).toHaveLength(1);
  await expect(group.locator('.voices-or')).toBeVisible();

  await transport.check();
  await cost.check();
  await none.check();
  await expect(none).toBeChecked();
  await expect(transport).not.toBeChecked();
  await expect(cost).not.toBeChecked();

  await transport.check();
  await expect(transport).toBeChecked();
  await expect(none).not.toBeChecked();

  // With the keyboard too: Space on the exclusive option clears the others.
  await none.focus();
  await page.keyboard.press('Space');
  await expect(none).toBeChecked();
  await expect(transport).not.toBeChecked();

  // The follow-up question shows only when something other than "Nothing" is ticked.
  await expect(page.getByLabel('What would help you take part?', { exact: false })).toHaveCount(0);
  await cost.check();
  await expect(page.getByLabel('What would help you take part?', { exact: false })).toBeVisible();
});

test('"Something else" reveals "Please give details", which is then required', async ({ page, collector }) => {
  await openFirstPage(page, collector);
  const something = page.getByRole('checkbox', { name: 'Something else' });
  const details = page.getByRole('textbox', { name: 'Please give details' });
  const block = page.locator('#q-connection-specify-block');

  await expect(details).toBeHidden();
  await expect(something).toHaveAttribute('aria-controls', 'q-connection-specify-block');
  await expect(something).toHaveAttribute('aria-expanded', 'false');
  await expect(block).toBeAttached();

  await something.check();
  await expect(details).toBeVisible();
  await expect(something).toHaveAttribute('aria-expanded', 'true');
  // The revealed input lives in the container aria-controls names, right under its option.
  await expect(block.getByRole('textbox', { name: 'Please give details' })).toBeVisible();
  const order = await page.locator('voices-survey').evaluate((host) => {
    const root = host.shadowRoot!;
    const box = root.querySelector('#q-connection-opt-other')!.closest('.voices-choice')!;
    return box.nextElementSibling?.id;
  });
  expect(order).toBe('q-connection-specify-block');

  await page.getByRole('radio', { name: 'Lochee' }).check();
  await page.getByRole('button', { name: 'Continue' }).click();
  const alert = page.getByRole('alert');
  await expectFocused(alert);
  await expect(alert.getByRole('link')).toHaveText(['Which of these describe you? Give details for the answer you chose']);
  const error = page.locator('#q-connection-specify-error');
  await expect(error).toHaveText('Error: Which of these describe you? Give details for the answer you chose');
  await expect(details).toHaveAttribute('aria-describedby', 'q-connection-specify-error');
  await expect(details).toHaveAccessibleDescription('Error: Which of these describe you? Give details for the answer you chose');

  await alert.getByRole('link', { name: 'Which of these describe you? Give details for the answer you chose' }).click();
  await expectFocused(details);
  await details.fill('A community councillor');
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(heading(page)).toContainText('Page 2 of 4');

  // Unticking hides the field again.
  await page.getByRole('button', { name: 'Back', exact: true }).click();
  await expect(details).toBeVisible();
  await expect(details).toHaveValue('A community councillor');
  await something.uncheck();
  await expect(details).toBeHidden();
  await expect(something).toHaveAttribute('aria-expanded', 'false');
});
