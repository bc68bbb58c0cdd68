// "Tell me what happened": after Send, a person may leave an email address for the
// survey's updates. With the widget: a wrong address is named at its field, which gets
// focus; a kept one is confirmed where the form was. Without JavaScript the same form
// posts and the collector answers with the same markup. In Arabic it reads right to left.
// The address travels on its own (no receipt with it), and staff see only how many asked.
// axe-core finds nothing on any of these screens. (The emails themselves: collector/tests/email.rs.)

import {
  test,
  expect,
  heading,
  reachCheckAnswers,
  answerRequiredQuestions,
  expectFocused,
  chooseLanguage,
  widgetRoot,
} from '../helpers/fixtures';
import { checkAxe } from '../helpers/axe';
import { screenshotPath } from '../helpers/paths';
import { PUBLIC_URL } from '../helpers/collector';
import type { Page } from '@playwright/test';

test.use({ collectorOptions: { adminToken: true }, sendsMail: true });

async function subscribers(page: Page, url: string, token: string): Promise<string> {
  const response = await page.request.get(`${url}/admin/surveys/engagement-2026/updates`, {
    headers: { Authorization: `Bearer ${token}` },
  });
  expect(response.status()).toBe(200);
  const text = await response.text();
  return text.match(/<p>(\d+ (?:person has|people have)) asked to be emailed/)?.[1] ?? 'nothing said';
}

test('a person leaves their address after Send: a wrong one is named, a right one is kept on its own', async ({
  page,
  collector,
}, testInfo) => {
  await reachCheckAnswers(page, collector);
  await page.getByRole('button', { name: 'Send my answers' }).click();
  await expect(heading(page)).toHaveText('Thank you, your answers have been sent');
  const offer = page.getByRole('region', { name: 'Tell me what happened' });
  await expect(offer).toBeVisible();
  await checkAxe(page, 'the thank-you screen with the email offer', testInfo);

  const field = offer.getByRole('textbox', { name: 'Email address' });
  await field.fill('ana at example');
  await offer.getByRole('button', { name: 'Email me the news' }).click();
  await expectFocused(field);
  await expect(field).toHaveAttribute('aria-invalid', 'true');
  await expect(offer).toContainText('Error: Enter an email address in the correct format, like name@example.com');
  await checkAxe(page, 'the email offer with a wrong address', testInfo);
  await page.screenshot({ path: screenshotPath('email-offer-wrong-address.png'), fullPage: true });
  expect(await subscribers(page, collector.url, collector.token!)).toBe('0 people have');

  // What goes to the collector: the address and the language, nothing of the response.
  const sent = page.waitForRequest((r) => r.url().endsWith('/api/surveys/engagement-2026/subscriptions'));
  await field.fill('ana@example.org');
  await page.keyboard.press('Enter');
  const body = JSON.parse((await sent).postData()!);
  expect(body).toEqual({ email: 'ana@example.org', locale: 'en' });
  const kept = offer.getByText('Thank you. We will email you when there is news about this survey.');
  await expect(kept).toBeVisible();
  await expectFocused(kept);
  await checkAxe(page, 'the email offer, address kept', testInfo);
  expect(await subscribers(page, collector.url, collector.token!)).toBe('1 person has');
});

test('in Arabic: the offer reads right to left, the email comes in Arabic, and its link stops them', async ({
  page,
  collector,
  mailbox,
}, testInfo) => {
  // Answered in English, sent in Arabic: the thank-you screen follows the language.
  await reachCheckAnswers(page, collector);
  await chooseLanguage(page, 'ar');
  await page.locator('button[name="voices-action"][value="send"]').click();
  const offer = page.getByRole('region', { name: 'أخبروني بما حدث' });
  await expect(offer).toBeVisible();
  await expect(widgetRoot(page)).toHaveAttribute('dir', 'rtl');
  const field = offer.getByRole('textbox', { name: 'عنوان البريد الإلكتروني' });
  await expect(field).toHaveAttribute('dir', 'ltr');
  await checkAxe(page, 'the email offer in Arabic', testInfo);
  await page.screenshot({ path: screenshotPath('email-offer-arabic.png'), fullPage: true });
  await field.fill('layla@example.org');
  await offer.getByRole('button', { name: 'راسلوني بالأخبار' }).click();
  await expect(offer.getByText('شكرًا لك. سنراسلك')).toBeVisible();

  // Staff publish an update: one email, in Arabic, with a link that stops them.
  const published = await page.request.put(`${collector.url}/api/admin/surveys/engagement-2026/outcomes`, {
    headers: { Authorization: `Bearer ${collector.token}` },
    data: {
      updates: [
        {
          id: 'closed', stage: 'closed', date: '2026-12-01', published: true,
          headline: { en: 'The survey has closed', ar: 'أُغلق الاستبيان' },
          body: { en: 'Thank you.', ar: 'شكرًا لكم.' },
        },
      ],
    },
  });
  expect(published.status()).toBe(200);
  await expect.poll(() => mailbox!.messages.length, { timeout: 30_000 }).toBe(1);
  const email = mailbox!.messages[0];
  expect(email.subject).toBe('شاركنا رأيك في طريقة إشراكك: أُغلق الاستبيان');
  expect(email.text).toContain('لإيقاف هذه الرسائل، افتح هذا الرابط:');
  const link = email.text!.split('\n').find((line) => line.startsWith(`${PUBLIC_URL}/unsubscribe/`))!.trim();
  const listUnsubscribe = email.headerLines.find((h) => h.key === 'list-unsubscribe')?.line;
  expect(listUnsubscribe).toBe(`List-Unsubscribe: <${link}>`);

  await page.goto(link.replace(PUBLIC_URL, collector.url));
  await expect(page.locator('html')).toHaveAttribute('dir', 'rtl');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('إيقاف الرسائل عن هذا الاستبيان');
  await checkAxe(page, 'the unsubscribe page in Arabic', testInfo);
  await page.getByRole('button', { name: 'أوقفوا الرسائل' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('لن تصلك رسائل أخرى');
  await checkAxe(page, 'the unsubscribed page in Arabic', testInfo);
  const again = await page.goto(link.replace(PUBLIC_URL, collector.url));
  expect(again!.status()).toBe(404);
  expect(await subscribers(page, collector.url, collector.token!)).toBe('0 people have');
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('the offer is a form that posts, and answers with the same markup', async ({ page, collector }) => {
    await page.goto(`${collector.url}/s/engagement-2026`);
    await page.getByRole('button', { name: 'Start now' }).click();
    await answerRequiredQuestions(page);
    await page.getByRole('button', { name: 'Send my answers' }).click();
    await expect(heading(page)).toHaveText('Thank you, your answers have been sent');
    const offer = page.getByRole('region', { name: 'Tell me what happened' });
    await offer.getByRole('textbox', { name: 'Email address' }).fill('not an address');
    await offer.getByRole('button', { name: 'Email me the news' }).click();
    await expect(page).toHaveTitle(/^Error: Tell me what happened/);
    const field = page.getByRole('textbox', { name: 'Email address' });
    await expect(field).toHaveValue('not an address');
    await expect(field).toHaveAttribute('aria-invalid', 'true');
    await field.fill('ben@example.org');
    await page.getByRole('button', { name: 'Email me the news' }).click();
    await expect(page.getByText('Thank you. We will email you when there is news about this survey.')).toBeVisible();
    expect(await page.context().cookies()).toEqual([]);
    expect(await subscribers(page, collector.url, collector.token!)).toBe('1 person has');
  });
});

test.describe('axe on the pages without JavaScript', () => {
  test('the offer page, its error and its confirmation', async ({ page, collector }, testInfo) => {
    await page.goto(`${collector.url}/s/engagement-2026/email?lang=pl`);
    await expect(page.locator('html')).toHaveAttribute('lang', 'pl');
    await checkAxe(page, 'the email offer page in Polish', testInfo);
    await page.getByRole('textbox', { name: 'Adres e-mail' }).fill('zle');
    await page.getByRole('button', { name: 'Wysyłajcie mi wiadomości' }).click();
    await expect(page.locator('.voices-error')).toBeVisible();
    await checkAxe(page, 'the email offer page with a wrong address', testInfo);
    await page.getByRole('textbox', { name: 'Adres e-mail' }).fill('ola@example.org');
    await page.getByRole('button', { name: 'Wysyłajcie mi wiadomości' }).click();
    await expect(page.getByText('Dziękujemy. Wyślemy Ci e-mail')).toBeVisible();
    await checkAxe(page, 'the email offer page, address kept', testInfo);
    await page.goto(`${collector.url}/unsubscribe/${'0'.repeat(64)}?lang=gd`);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Chan eil puist-d ann airson stad a chur orra');
    await checkAxe(page, 'the unsubscribe page for a link that holds no address', testInfo);
  });
});
