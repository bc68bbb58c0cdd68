// The survey with JavaScript off: every screen of `/s/{id}` is a server-rendered form
// (the widget's own components, rendered by the collector), the answers travel in the form,
// nothing is stored before Send and no cookie is set.

import { test, expect, heading, answerRequiredQuestions } from '../helpers/fixtures';
import { checkAxe } from '../helpers/axe';
import type { Page } from '@playwright/test';

test.use({ javaScriptEnabled: false });

const surveyTitle = 'Have your say on how we involve you';

async function press(page: Page, name: string | RegExp) {
  await page.getByRole('button', { name, exact: typeof name === 'string' }).click();
}

test('engagement-2026 completed without JavaScript: errors, a revealed question, specify, Change, Send', async ({
  page,
  collector,
}) => {
  await page.goto(`${collector.url}/s/engagement-2026`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(surveyTitle);
  await press(page, 'Start now');
  await expect(page).toHaveTitle(`Page 1 of 4: About your connection to our services – ${surveyTitle}`);

  // Continue with nothing answered: the same page, with the error summary and field errors.
  await press(page, 'Continue');
  await expect(page).toHaveTitle(/^Error: Page 1 of 4/);
  const summary = page.getByRole('alert');
  await expect(summary.getByRole('heading')).toHaveText('There is a problem');
  await expect(summary.getByRole('link')).toHaveCount(2);
  await expect(page.getByRole('radio', { name: 'Lochee' })).toHaveAttribute('aria-invalid', 'true');

  // "Something else" with its details: the box is there without JavaScript to reveal it.
  await page.getByRole('checkbox', { name: 'Something else' }).check();
  await page.getByLabel('Please give details').first().fill('Volunteer driver');
  await page.getByRole('checkbox', { name: 'I live in the area' }).check();
  await page.getByRole('radio', { name: 'Lochee' }).check();
  await press(page, 'Continue');
  await expect(heading(page)).toContainText('Page 2 of 4');

  // Ticking "Face to face" reveals a question on this page: shown before moving on.
  await page.getByRole('checkbox', { name: 'Face to face' }).check();
  await page.getByRole('checkbox', { name: 'Getting there' }).check();
  await press(page, 'Continue');
  await expect(heading(page)).toContainText('Page 2 of 4');
  await expect(page.getByRole('alert')).toHaveCount(0);
  await expect(page.getByRole('checkbox', { name: 'Face to face' })).toBeChecked();
  await page.getByLabel('Where would you feel most comfortable talking to us in person?', { exact: false }).fill('The library');
  await page.getByLabel('What would help you take part?', { exact: false }).fill('Evening meetings');
  await press(page, 'Continue');
  await expect(heading(page)).toContainText('Page 3 of 4');

  await page.getByRole('radio', { name: 'Never' }).check();
  await page.getByRole('textbox', { name: 'Day', exact: true }).fill('14');
  await page.getByRole('textbox', { name: 'Month', exact: true }).fill('3');
  await page.getByRole('textbox', { name: 'Year', exact: true }).fill('2026');
  await press(page, 'Continue');
  await expect(heading(page)).toContainText('Page 4 of 4');
  // Back keeps what was given.
  await press(page, 'Back');
  await expect(heading(page)).toContainText('Page 3 of 4');
  await expect(page.getByRole('radio', { name: 'Never' })).toBeChecked();
  await expect(page.getByRole('textbox', { name: 'Day', exact: true })).toHaveValue('14');
  await press(page, 'Continue');
  await page.getByRole('checkbox', { name: 'I have read how my answers will be used' }).check();
  await press(page, 'Continue');
  await expect(heading(page)).toHaveText('Check your answers before sending them');
  const row = (q: string) => page.locator('.voices-summary-row', { has: page.getByText(q, { exact: true }) });
  await expect(row('Which of these describe you?')).toContainText('Volunteer driver');

  // Change goes to the page and Continue comes back.
  await press(page, 'Change Which area do you live in?');
  await expect(heading(page)).toContainText('Page 1 of 4');
  await page.getByRole('radio', { name: 'West End' }).check();
  await press(page, 'Continue');
  await expect(heading(page)).toHaveText('Check your answers before sending them');
  await expect(row('Which area do you live in?')).toContainText('West End');

  await press(page, 'Send my answers');
  await expect(heading(page)).toHaveText('Thank you, your answers have been sent');
  const receipt = (await page.locator('.voices-receipt').textContent())!.trim();
  expect(receipt).toMatch(/^[A-Z0-9]{4}-[A-Z0-9]{4}$/);
  expect(await page.context().cookies()).toEqual([]);

  const [stored] = await collector.responses('engagement-2026');
  expect(stored.receipt).toBe(receipt);
  expect(stored.locale).toBe('en');
  expect(stored.channel).toBe('online');
  expect(stored.answers).toEqual({
    connection: ['resident', 'other'],
    locality: 'west_end',
    ways: ['face_to_face'],
    face_to_face_where: 'The library',
    barriers: ['transport'],
    support: 'Evening meetings',
    heard_back: 'never',
    event_date: '2026-03-14',
    agree: true,
  });
  expect(stored.specify).toEqual({ connection: 'Volunteer driver' });
});

test('an exclusive option ticked with another is refused with the reason, without JavaScript', async ({
  page,
  collector,
}) => {
  await page.goto(`${collector.url}/s/engagement-2026`);
  await press(page, 'Start now');
  await page.getByRole('checkbox', { name: 'I live in the area' }).check();
  await page.getByRole('radio', { name: 'Lochee' }).check();
  await press(page, 'Continue');
  await page.getByRole('checkbox', { name: 'Email' }).check();
  await page.getByRole('checkbox', { name: 'Getting there' }).check();
  await page.getByRole('checkbox', { name: 'Nothing makes it harder' }).check();
  await press(page, 'Continue');
  await expect(heading(page)).toContainText('Page 2 of 4');
  await expect(page.getByRole('alert')).toBeVisible();
  await expect(page.getByRole('alert').getByRole('link')).toContainText('Nothing makes it harder');
});

test('details typed without choosing their answer are kept and questioned, without JavaScript', async ({
  page,
  collector,
}) => {
  await page.goto(`${collector.url}/s/engagement-2026`);
  await press(page, 'Start now');
  await page.getByLabel('Please give details').first().fill('Volunteer driver');
  await page.getByRole('checkbox', { name: 'I live in the area' }).check();
  await page.getByRole('radio', { name: 'Lochee' }).check();
  await press(page, 'Continue');
  const message = 'Which of these describe you? Choose the answer these details are for, or delete the details';
  await expect(page.getByRole('alert').getByRole('link')).toHaveText([message]);
  // Nothing typed is lost: the details are still there to keep or delete.
  await expect(page.getByLabel('Please give details').first()).toHaveValue('Volunteer driver');
  await page.getByRole('checkbox', { name: 'Something else' }).check();
  await press(page, 'Continue');
  await expect(heading(page)).toContainText('Page 2 of 4');
});

test('community-transport in Arabic, right to left, without JavaScript', async ({ page, collector }) => {
  await page.goto(`${collector.url}/s/community-transport?lang=ar`);
  await expect(page.locator('html')).toHaveAttribute('dir', 'rtl');
  await expect(page.locator('html')).toHaveAttribute('lang', 'ar');
  await press(page, 'ابدأ الآن');
  await expect(page).toHaveTitle(/^الصفحة 1 من 3: /);
  // Errors name their question in Arabic: the survey's own message for the unanswered
  // question, and the widget's after the short label of the one answered wrongly.
  const minutes = page.getByLabel('كم استغرقت الرحلة؟', { exact: false });
  await minutes.fill('ساعة');
  await press(page, 'متابعة');
  await expect(page.getByRole('alert').getByRole('link')).toHaveText([
    'اختر كيف وصلت إلى موعدك الأخير',
    'مدة الرحلة: أدخل رقمًا',
  ]);
  await minutes.fill('40');
  await page.getByRole('radio', { name: 'حافلة' }).check();
  await press(page, 'متابعة');
  await page.getByRole('radio', { name: 'لا', exact: true }).check();
  await press(page, 'متابعة');
  await page.getByRole('checkbox').last().check();
  await press(page, 'متابعة');
  await press(page, 'أرسل إجاباتي');
  await expect(page.locator('.voices-receipt')).toHaveText(/^[A-Z0-9]{4}-[A-Z0-9]{4}$/);
  const [stored] = await collector.responses('community-transport');
  expect(stored.locale).toBe('ar');
  expect(stored.answers).toMatchObject({ mode: 'bus', minutes: 40, missed_any: 'no', agree: true });
});

test('the language buttons work as a form and keep the answers carried so far', async ({ page, collector }) => {
  await page.goto(`${collector.url}/s/engagement-2026`);
  await press(page, 'Start now');
  await page.getByRole('checkbox', { name: 'I live in the area' }).check();
  await page.getByRole('radio', { name: 'Lochee' }).check();
  await press(page, 'Continue');
  await press(page, 'Polski');
  await expect(page.locator('html')).toHaveAttribute('lang', 'pl');
  await expect(heading(page)).toContainText('Strona 2 z 4');
  await press(page, 'Wstecz');
  await expect(page.getByRole('radio', { name: 'Lochee' })).toBeChecked();
});

test('sending the same form twice stores one response and shows the same receipt', async ({ page, collector }) => {
  await page.goto(`${collector.url}/s/engagement-2026`);
  await press(page, 'Start now');
  await answerRequiredQuestions(page);
  const carried = await page.locator('form.voices-check-form input[name="voices-state"]').getAttribute('value');
  const send = () =>
    page.request.post(`${collector.url}/s/engagement-2026`, {
      form: { 'voices-state': carried!, 'voices-action': 'send', 'voices-website': '' },
      maxRedirects: 0,
    });
  const [first, again] = [await send(), await send()];
  expect(first.status()).toBe(200);
  expect(again.status()).toBe(200);
  const receipt = (body: string) => /class="voices-receipt">([^<]+)</.exec(body)?.[1];
  expect(receipt(await again.text())).toBe(receipt(await first.text()));
  expect(first.headers()['set-cookie']).toBeUndefined();
  expect(await collector.responses('engagement-2026')).toHaveLength(1);
});

test('a filled-in hidden field, or a form altered on the way, stores nothing and says why', async ({
  page,
  collector,
}) => {
  await page.goto(`${collector.url}/s/engagement-2026`);
  const carried = await page.locator('input[name="voices-state"]').first().getAttribute('value');
  const bot = await page.request.post(`${collector.url}/s/engagement-2026`, {
    form: { 'voices-state': carried!, 'voices-action': 'send', 'voices-website': 'https://spam.example' },
  });
  expect(bot.status()).toBe(422);
  expect(await bot.text()).toContain('Your answers were not sent');
  const garbled = await page.request.post(`${collector.url}/s/engagement-2026`, {
    form: { 'voices-state': '{"submission_id": 12', 'voices-action': 'send' },
  });
  expect(garbled.status()).toBe(400);
  expect(await garbled.text()).toContain('This page could not be read');
  expect(await collector.responses('engagement-2026')).toHaveLength(0);
});

test('on a partner page without JavaScript, the link inside the element leads to the survey', async ({
  page,
  collector,
}) => {
  await page.goto(`${collector.url}/demo`);
  await page.getByRole('link', { name: 'Answer the survey' }).click();
  await expect(page).toHaveURL(`${collector.url}/s/engagement-2026`);
  await press(page, 'Start now');
  await expect(heading(page)).toContainText('Page 1 of 4');
});

test('the thank-you page carries no answers on in its forms', async ({ page, collector }) => {
  await page.goto(`${collector.url}/s/engagement-2026`);
  await press(page, 'Start now');
  await answerRequiredQuestions(page);
  await press(page, 'Send my answers');
  await expect(heading(page)).toHaveText('Thank you, your answers have been sent');
  for (const carried of await page.locator('input[name="voices-state"]').all()) {
    expect(JSON.parse((await carried.getAttribute('value'))!).draft.answers).toEqual({});
  }
});

test('a form too large for a response is refused before it is read', async ({ page, collector }) => {
  await page.goto(`${collector.url}/s/engagement-2026`);
  const carried = await page.locator('input[name="voices-state"]').first().getAttribute('value');
  const reply = await page.request.post(`${collector.url}/s/engagement-2026`, {
    form: { 'voices-state': carried!, 'voices-action': 'start', padding: 'x'.repeat(70 * 1024) },
  });
  expect(reply.status()).toBe(413);
});

test('without JavaScript each page puts focus where the widget would: heading, error summary, answer, row', async ({
  page,
  collector,
}) => {
  await page.goto(`${collector.url}/s/engagement-2026`);
  await press(page, 'Start now');
  await expect(heading(page)).toBeFocused();
  await press(page, 'Continue');
  await expect(page.getByRole('alert')).toBeFocused();
  await page.getByRole('checkbox', { name: 'I live in the area' }).check();
  await page.getByRole('radio', { name: 'Lochee' }).check();
  await press(page, 'Continue');
  await expect(heading(page)).toContainText('Page 2 of 4');
  await expect(heading(page)).toBeFocused();
  await page.getByRole('checkbox', { name: 'Email' }).check();
  await press(page, 'Continue');
  await page.getByRole('radio', { name: 'Never' }).check();
  await press(page, 'Continue');
  await page.getByRole('checkbox', { name: 'I have read how my answers will be used' }).check();
  await press(page, 'Continue');
  await press(page, 'Change Which area do you live in?');
  await expect(page.getByRole('radio', { name: 'Lochee' })).toBeFocused();
  await press(page, 'Continue');
  await expect(page.getByRole('button', { name: 'Change Which area do you live in?' })).toBeFocused();
});

test('without JavaScript, fields in error are marked invalid, Change focuses a text or date answer, and Back after Change returns to the answers', async ({
  page,
  collector,
}) => {
  await page.goto(`${collector.url}/s/engagement-2026`);
  await press(page, 'Start now');
  await page.getByRole('checkbox', { name: 'I live in the area' }).check();
  await page.getByRole('radio', { name: 'Lochee' }).check();
  await press(page, 'Continue');
  await page.getByRole('checkbox', { name: 'Email' }).check();
  await press(page, 'Continue');
  await page.getByRole('radio', { name: 'Never' }).check();
  // 31 February is not a date: every box of it is marked, and focus is on the summary.
  await page.getByRole('textbox', { name: 'Day', exact: true }).fill('31');
  await page.getByRole('textbox', { name: 'Month', exact: true }).fill('2');
  await page.getByRole('textbox', { name: 'Year', exact: true }).fill('2026');
  await press(page, 'Continue');
  await expect(page.getByRole('alert')).toBeFocused();
  for (const box of ['Day', 'Month', 'Year']) {
    await expect(page.getByRole('textbox', { name: box, exact: true })).toHaveAttribute('aria-invalid', 'true');
  }
  await page.getByRole('textbox', { name: 'Month', exact: true }).fill('3');
  await press(page, 'Continue');
  await expect(heading(page)).toContainText('Page 4 of 4');
  await page.getByRole('textbox', { name: 'Is there anything else you would like to tell us?' }).fill('More buses');
  await press(page, 'Continue');
  await expect(page.getByRole('checkbox', { name: 'I have read how my answers will be used' })).toHaveAttribute(
    'aria-invalid',
    'true',
  );
  await expect(page.getByRole('textbox', { name: 'Is there anything else you would like to tell us?' })).not.toHaveAttribute(
    'aria-invalid',
    'true',
  );
  await page.getByRole('checkbox', { name: 'I have read how my answers will be used' }).check();
  await press(page, 'Continue');

  await press(page, 'Change Is there anything else you would like to tell us?');
  await expect(page.getByRole('textbox', { name: 'Is there anything else you would like to tell us?' })).toBeFocused();
  await press(page, 'Back');
  await expect(page.getByRole('button', { name: 'Change Is there anything else you would like to tell us?' })).toBeFocused();
  await press(page, /^Change If you came to one of our engagement events/);
  await expect(page.getByRole('textbox', { name: 'Day', exact: true })).toBeFocused();
});

test.describe('with the speed bump on', () => {
  test.use({ collectorOptions: { formMinSeconds: 60 } });

  test('a response sent within seconds of the first screen is taken for a program’s', async ({ page, collector }) => {
    await page.goto(`${collector.url}/s/engagement-2026`);
    await press(page, 'Start now');
    await answerRequiredQuestions(page);
    await press(page, 'Send my answers');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Your answers were not sent');
    await expect(page.getByText('faster than a person can')).toBeVisible();
    expect(await collector.responses('engagement-2026')).toHaveLength(0);
  });
});

test.describe('axe on the server-rendered screens', () => {
  // axe runs in the page, so JavaScript is on here, but the widget's script is held back:
  // what is checked is exactly the HTML the collector sends.
  test.use({ javaScriptEnabled: true });

  test('no axe violations on any screen or error state without the widget', async ({ page, collector }, testInfo) => {
    await page.route('**/embed.js', (route) => route.abort());
    await page.goto(`${collector.url}/s/engagement-2026`);
    await checkAxe(page, 'start', testInfo);
    await press(page, 'Start now');
    await press(page, 'Continue');
    await checkAxe(page, 'page 1 with errors', testInfo);
    await page.getByRole('checkbox', { name: 'Something else' }).check();
    await page.getByRole('checkbox', { name: 'I live in the area' }).check();
    await page.getByRole('radio', { name: 'Lochee' }).check();
    await press(page, 'Continue');
    await checkAxe(page, 'page 1 with the specify error', testInfo);
    await page.getByLabel('Please give details').first().fill('Volunteer driver');
    await press(page, 'Continue');
    await page.getByRole('checkbox', { name: 'Face to face' }).check();
    await press(page, 'Continue');
    await checkAxe(page, 'page 2 with a revealed question', testInfo);
    await press(page, 'Continue');
    await page.getByRole('textbox', { name: 'Day', exact: true }).fill('31');
    await page.getByRole('textbox', { name: 'Month', exact: true }).fill('2');
    await page.getByRole('textbox', { name: 'Year', exact: true }).fill('2026');
    await page.getByRole('textbox', { name: /How many times/ }).fill('lots');
    await press(page, 'Continue');
    await checkAxe(page, 'page 3 with a bad date and number', testInfo);
    await page.getByRole('radio', { name: 'Never' }).check();
    await page.getByRole('textbox', { name: 'Day', exact: true }).fill('');
    await page.getByRole('textbox', { name: 'Month', exact: true }).fill('');
    await page.getByRole('textbox', { name: 'Year', exact: true }).fill('');
    await page.getByRole('textbox', { name: /How many times/ }).fill('');
    await press(page, 'Continue');
    await page.getByRole('checkbox', { name: 'I have read how my answers will be used' }).check();
    await press(page, 'Continue');
    await checkAxe(page, 'check your answers', testInfo);
    await press(page, 'Send my answers');
    await expect(heading(page)).toHaveText('Thank you, your answers have been sent');
    await checkAxe(page, 'thank you', testInfo);
    await page.goto(`${collector.url}/s/community-transport?lang=ar`);
    await checkAxe(page, 'community-transport start in Arabic', testInfo);
  });
});

test.describe('forms posted from other sites', () => {
  const onePartner = {
    format: 1,
    id: 'one-partner',
    version: 1,
    default_locale: 'en',
    locales: ['en'],
    title: 'Only on our partner',
    privacy: { text: 'We keep answers for a year.' },
    allowed_origins: ['https://partner.example'],
    pages: [{ id: 'p', questions: [{ id: 'q', type: 'text', label: 'Anything?' }] }],
  };
  test.use({ collectorOptions: { surveys: [onePartner] } });

  test('a form on a site the survey does not run on cannot store responses through its visitors', async ({
    page,
    collector,
  }) => {
    await page.goto(`${collector.url}/s/one-partner`);
    const carried = await page.locator('input[name="voices-state"]').first().getAttribute('value');
    const state = JSON.parse(carried!);
    state.check = true;
    state.draft.answers = { q: 'stuffed' };
    const post = (headers: Record<string, string>) =>
      page.request.post(`${collector.url}/s/one-partner`, {
        form: { 'voices-state': JSON.stringify(state), 'voices-action': 'send', 'voices-website': '' },
        headers,
      });
    for (const headers of [
      { 'sec-fetch-site': 'cross-site', origin: 'https://elsewhere.example' },
      { 'sec-fetch-site': 'cross-site', origin: 'null' },
      { 'sec-fetch-site': 'same-site', origin: 'https://elsewhere.example' },
    ]) {
      const refused = await post(headers);
      expect(refused.status(), JSON.stringify(headers)).toBe(403);
      expect(await refused.text()).toContain('sent from a page the survey does not run on');
    }
    // The partner's own page may post (its first screen does, when the widget cannot load).
    const fromPartner = await post({ 'sec-fetch-site': 'cross-site', origin: 'https://partner.example' });
    expect(fromPartner.status()).toBe(200);
    const stored = await collector.responses('one-partner');
    expect(stored).toHaveLength(1);
    expect(stored[0].answers).toEqual({ q: 'stuffed' });
  });
});
