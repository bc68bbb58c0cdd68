// What happened to my answers: the thank-you screen links the receipt to its page
// (stored on which day, the survey's status; nothing of the answers); the device that
// sent the response shows it again when the person comes back, and can withdraw it, with
// a confirmation step; withdrawn, it is gone from the export and its page says so.
// axe-core finds nothing on any of these screens.

import { test, expect, heading, reachCheckAnswers, expectFocused, gotoHosted } from '../helpers/fixtures';
import { checkAxe } from '../helpers/axe';

test('a person follows their receipt, comes back on the same device and withdraws their response', async ({
  page,
  collector,
}, testInfo) => {
  await reachCheckAnswers(page, collector);
  await page.getByRole('button', { name: 'Send my answers' }).click();
  await expect(heading(page)).toHaveText('Thank you, your answers have been sent');
  const receipt = (await page.locator('.voices-receipt').textContent())!.trim();
  expect(receipt).toMatch(/^[A-Z0-9]{4}-[A-Z0-9]{4}$/);
  const link = page.getByRole('link', { name: 'What happened to your answers' });
  await expect(link).toHaveAttribute('href', `${collector.url}/r/${receipt}?lang=en`);
  await expect(page.getByRole('button', { name: 'Withdraw my response' })).toBeVisible();
  await checkAxe(page, 'the thank-you screen', testInfo);

  // The receipt's page: when it was stored, and the survey's status; nothing of the answers.
  await link.click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Your response');
  const today = new Date();
  const day = today.toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
  await expect(page.getByText(`Your answers were stored on ${day}.`)).toBeVisible();
  await expect(page.getByText('This survey is still taking answers.')).toBeVisible();
  await expect(page.getByText(receipt)).toBeVisible();
  await expect(page.getByText('Lochee')).toHaveCount(0);
  await checkAxe(page, 'the receipt page', testInfo);
  await page.goto(`${collector.url}/r/${receipt}?lang=ar`);
  await expect(page.locator('html')).toHaveAttribute('dir', 'rtl');
  await expect(page.getByRole('heading', { level: 1 })).toContainText('إجابتك');
  await checkAxe(page, 'the receipt page in Arabic', testInfo);

  // Back on the survey, on the same device: the response is there, and can be withdrawn.
  await gotoHosted(page, `${collector.url}/s/engagement-2026`);
  const mine = page.locator('.voices-sent-before');
  await expect(mine).toContainText(`Your answers were stored on ${day}.`);
  await expect(mine).toContainText(receipt);
  await checkAxe(page, 'the first screen with a response sent before', testInfo);
  await mine.getByRole('button', { name: 'Withdraw my response' }).click();
  await expect(heading(page)).toHaveText('Withdraw your response?');
  await expectFocused(heading(page));
  await checkAxe(page, 'the confirmation step', testInfo);
  // Changing one's mind keeps it.
  await page.getByRole('button', { name: 'No, keep my response' }).click();
  await expect(page.locator('.voices-sent-before')).toContainText(receipt);
  await page.locator('.voices-sent-before').getByRole('button', { name: 'Withdraw my response' }).click();
  await page.keyboard.press('Tab');
  await expectFocused(page.getByRole('button', { name: 'Yes, withdraw my response' }));
  await page.keyboard.press('Enter');
  await expect(heading(page)).toHaveText('Your response has been withdrawn');
  await expectFocused(heading(page));
  await checkAxe(page, 'the withdrawn screen', testInfo);

  // Nothing of it is left: not on this device, not on its page, not in the export.
  await gotoHosted(page, `${collector.url}/s/engagement-2026`);
  await expect(page.getByRole('button', { name: 'Start now' })).toBeVisible();
  await expect(page.locator('.voices-sent-before')).toHaveCount(0);
  const gone = await page.goto(`${collector.url}/r/${receipt}`);
  expect(gone!.status()).toBe(404);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('There is no response with this receipt');
  await checkAxe(page, 'the page of a receipt with no response', testInfo);
  const stored = await collector.responses();
  expect(stored.map((r) => r.receipt)).not.toContain(receipt);
});

test('withdrawing without a connection says so, keeps the response, and works once it is back', async ({
  page,
  collector,
}, testInfo) => {
  await reachCheckAnswers(page, collector);
  await page.getByRole('button', { name: 'Send my answers' }).click();
  await expect(heading(page)).toHaveText('Thank you, your answers have been sent');
  const receipt = (await page.locator('.voices-receipt').textContent())!.trim();
  await page.getByRole('button', { name: 'Withdraw my response' }).click();
  await page.route('**/withdrawals', (route) => route.abort('internetdisconnected'));
  await page.getByRole('button', { name: 'Yes, withdraw my response' }).click();
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('Your response could not be withdrawn just now.');
  await expectFocused(alert);
  // The connection is back: pressed again, it goes.
  await page.unroute('**/withdrawals');
  await page.getByRole('button', { name: 'Yes, withdraw my response' }).click();
  await expect(heading(page)).toHaveText('Your response has been withdrawn');
  expect((await collector.responses()).map((r) => r.receipt)).not.toContain(receipt);
});

