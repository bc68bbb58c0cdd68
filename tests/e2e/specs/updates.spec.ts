// Close the loop: staff write a survey's updates on the staff pages (a draft first, then
// published, with "you said / we did"), and the public reads them on the survey's updates
// page, in their language. axe-core finds nothing on any of these pages, error state
// included.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test, expect } from '../helpers/fixtures';
import { checkAxe } from '../helpers/axe';
import { exampleSurveys } from '../helpers/paths';
import { partnerPage } from '../helpers/partner';
import { signIn } from '../helpers/staff';

const ADMIN = { name: 'ailsa', role: 'admin' as const, password: 'correct horse battery' };

test.use({ collectorOptions: { staff: [ADMIN] } });

test('staff write a draft, publish "what we did", and the public reads it in English and Gaelic', async ({
  page,
  browser,
  collector,
}, testInfo) => {
  await signIn(page, collector.url, ADMIN);
  await page.goto(`${collector.url}/admin/surveys/community-transport`);
  await page.getByRole('link', { name: 'Updates for the public' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Updates: Getting to appointments');
  await expect(page.getByText('No updates yet.')).toBeVisible();
  await checkAxe(page, 'the updates list, empty', testInfo);

  // A draft with a problem first: every problem named, at its field.
  await page.getByRole('link', { name: 'Write an update' }).click();
  await page.getByRole('radio', { name: 'What we did' }).check();
  await page.getByLabel('Date', { exact: true }).fill('2026-11-20');
  await page.getByLabel('Link to the full report (optional)').fill('report.pdf');
  await page.getByRole('button', { name: 'Save the update' }).click();
  await expect(page).toHaveTitle(/^Error: /);
  const summary = page.getByRole('alert');
  await expect(summary).toContainText('Enter the headline in English');
  await expect(summary).toContainText('Enter what to say in English');
  await expect(summary).toContainText('Link to the full report: "report.pdf" is not a web address');
  await checkAxe(page, 'the update form with errors', testInfo);
  await summary.getByRole('link', { name: 'Enter the headline in English' }).click();
  const headline = page.locator('#headline-en');
  await expect(headline).toBeFocused();
  await expect(headline).toHaveAttribute('aria-invalid', 'true');

  await headline.fill('Later buses from January');
  await page.locator('#body-en').fill('Thank you to everyone who answered.\n\nHere is what changed.');
  await page.locator('#headline-gd').fill('Busaichean nas anmoiche bhon Fhaoilleach');
  await page.locator('#you_said-0-en').fill('The last bus is too early');
  await page.locator('#we_did-0-en').fill('A later bus runs from January');
  await page.getByLabel('Link to the full report (optional)').fill('https://example.org/report.pdf');
  await page.getByRole('button', { name: 'Save the update' }).click();
  await expect(page.getByRole('status')).toHaveText('The update is saved as a draft: only staff can see it.');
  await expect(page.getByRole('row', { name: /Later buses from January/ })).toContainText('Draft');
  await checkAxe(page, 'the updates list with a draft', testInfo);

  // Not public yet.
  const visitorContext = await browser.newContext();
  const visitor = await visitorContext.newPage();
  await visitor.goto(`${collector.url}/s/community-transport/updates`);
  await expect(visitor.getByText('There are no updates yet.')).toBeVisible();

  // Published.
  await page.getByRole('link', { name: 'Later buses from January' }).click();
  await expect(page.locator('#we_did-0-en')).toHaveValue('A later bus runs from January');
  await page.getByLabel(/^Publish: show this update/).check();
  await page.getByRole('button', { name: 'Save the update' }).click();
  await expect(page.getByRole('status')).toHaveText('The update is saved and published: the public can see it.');

  await visitor.reload();
  await expect(visitor.getByRole('heading', { level: 1 })).toContainText('Updates');
  await expect(visitor.getByRole('heading', { level: 2, name: 'Later buses from January' })).toBeVisible();
  await expect(visitor.getByText('You said: The last bus is too early')).toBeVisible();
  await expect(visitor.getByText('We did: A later bus runs from January')).toBeVisible();
  await expect(visitor.getByRole('link', { name: 'Read the full report' })).toHaveAttribute(
    'href',
    'https://example.org/report.pdf',
  );
  await expect(visitor.locator('time')).toHaveText('20 November 2026');
  await checkAxe(visitor, 'the updates page', testInfo);

  // In Gaelic: the Gaelic headline, the English text where there is no Gaelic (marked so).
  await visitor.getByRole('link', { name: 'Gàidhlig' }).click();
  await expect(visitor.locator('html')).toHaveAttribute('lang', 'gd');
  await expect(visitor.getByRole('heading', { level: 2, name: 'Busaichean nas anmoiche bhon Fhaoilleach' })).toBeVisible();
  await expect(visitor.locator('.voices-update p[lang="en"]').first()).toHaveText('Thank you to everyone who answered.');
  await checkAxe(visitor, 'the updates page in Gaelic', testInfo);
  // In Arabic, right to left.
  await visitor.goto(`${collector.url}/s/community-transport/updates?lang=ar`);
  await expect(visitor.locator('html')).toHaveAttribute('dir', 'rtl');
  await checkAxe(visitor, 'the updates page in Arabic', testInfo);

  // The audit log says who changed the updates.
  await page.goto(`${collector.url}/admin/audit`);
  await expect(page.getByText('changed the updates of community-transport: 1 in all, 1 published')).toBeVisible();

  // Deleted, it is gone from the public page.
  await page.goto(`${collector.url}/admin/surveys/community-transport/updates`);
  await page.getByRole('link', { name: 'Later buses from January' }).click();
  // Not without saying so.
  await page.getByRole('button', { name: 'Delete the update' }).click();
  await expect(page.getByRole('alert')).toContainText('Tick the box to confirm the update should be deleted');
  await visitor.reload();
  await expect(visitor.getByRole('heading', { level: 2, name: 'Later buses from January' })).toBeVisible();
  await page.getByLabel(/I understand the update will be deleted/).check();
  await page.getByRole('button', { name: 'Delete the update' }).click();
  await expect(page.getByRole('status')).toHaveText('The update is deleted.');
  await visitor.reload();
  await expect(visitor.getByText('لا توجد مستجدات بعد.')).toBeVisible();
  await visitorContext.close();
});

test.describe('in the widget', () => {
  const transport = JSON.parse(readFileSync(path.join(exampleSurveys, 'community-transport.json'), 'utf8'));
  const closed = { ...transport, id: 'transport-closed', closes_at: '2026-01-31T17:00:00Z' };
  test.use({ collectorOptions: { surveys: [closed], adminToken: true } });

  /** Two published updates (the older one "what we did") and a draft, through the API. */
  async function publishUpdates(collector: { url: string; token?: string }, survey: string) {
    const reply = await fetch(`${collector.url}/api/admin/surveys/${survey}/outcomes`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${collector.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        updates: [
          {
            id: 'did', stage: 'what_we_did', date: '2026-03-20', published: true,
            headline: { en: 'Later buses from April', gd: 'Busaichean nas anmoiche bhon Ghiblean', ar: 'حافلات متأخرة من أبريل' },
            body: { en: 'Here is what changed.', gd: 'Seo na dh\u2019atharraich.', ar: 'إليكم ما تغيّر.' },
            you_said_we_did: [
              {
                you_said: { en: 'The last bus is too early', gd: 'Tha am bus mu dheireadh ro thràth', ar: 'آخر حافلة مبكرة جدًا' },
                we_did: { en: 'A later bus runs from April', gd: 'Tha bus nas anmoiche ann bhon Ghiblean', ar: 'حافلة متأخرة تعمل من أبريل' },
              },
            ],
          },
          {
            id: 'more', stage: 'reviewing', date: '2026-04-02', published: true,
            headline: { en: 'Reading the last answers', gd: 'A\u2019 leughadh nam freagairtean mu dheireadh', ar: 'نقرأ آخر الإجابات' },
            body: 'A few came by post.',
          },
          { id: 'draft', stage: 'what_we_did', date: '2026-05-01', headline: 'Not yet', body: 'Secret.' },
        ],
      }),
    });
    expect(reply.status).toBe(200);
  }

  test('a closed survey on a partner page shows what came of it, in Gaelic and in Arabic', async ({
    page,
    collector,
    partner,
  }, testInfo) => {
    await publishUpdates(collector, 'transport-closed');
    const site = await partner({
      '/gd': { body: partnerPage({ collector: collector.url, lang: 'gd', body: '<h1>Ionad</h1><voices-survey survey="transport-closed"></voices-survey>' }) },
      '/ar': { body: partnerPage({ collector: collector.url, lang: 'ar', body: '<h1>مركز</h1><voices-survey survey="transport-closed"></voices-survey>' }) },
    });
    await page.goto(`${site.url}/gd`);
    const widget = page.locator('voices-survey');
    await expect(widget.locator('.voices-notice')).toBeVisible();
    // The latest first, then "what we did"; the draft nowhere.
    await expect(widget.getByRole('heading', { level: 3 })).toHaveText([
      'A’ leughadh nam freagairtean mu dheireadh',
      'Busaichean nas anmoiche bhon Ghiblean',
    ]);
    await expect(widget.getByText('Thuirt sibh: Tha am bus mu dheireadh ro thràth')).toBeVisible();
    await expect(widget.getByText('Not yet')).toHaveCount(0);
    await expect(widget.getByRole('link', { name: 'Faic na naidheachdan uile' })).toHaveAttribute(
      'href',
      `${collector.url}/s/transport-closed/updates?lang=gd`,
    );
    await checkAxe(page, 'a closed survey with its updates, in Gaelic', testInfo);

    await page.goto(`${site.url}/ar`);
    await expect(widget.locator('div.voices')).toHaveAttribute('dir', 'rtl');
    await expect(widget.getByText('فعلنا: حافلة متأخرة تعمل من أبريل')).toBeVisible();
    await expect(widget.getByRole('link', { name: 'اطّلع على جميع المستجدات' })).toBeVisible();
    await checkAxe(page, 'a closed survey with its updates, in Arabic', testInfo);
  });

  test('an open survey links to its updates once it has some, before and after the widget is in', async ({
    page,
    collector,
  }, testInfo) => {
    await page.goto(`${collector.url}/s/community-transport`);
    await expect(page.locator('voices-survey')).toHaveAttribute('ready', '');
    await expect(page.getByRole('link', { name: 'Read the updates on this survey' })).toHaveCount(0);

    await publishUpdates(collector, 'community-transport');
    // The server's first screen has the link...
    await page.route('**/*.wasm', () => {});
    await page.goto(`${collector.url}/s/community-transport?lang=en`);
    await expect(page.getByRole('link', { name: 'Read the updates on this survey' })).toHaveAttribute(
      'href',
      `${collector.url}/s/community-transport/updates?lang=en`,
    );
    // ...and so does the widget's.
    await page.unroute('**/*.wasm');
    await page.goto(`${collector.url}/s/community-transport?lang=en`);
    await expect(page.locator('voices-survey')).toHaveAttribute('ready', '');
    const link = page.getByRole('link', { name: 'Read the updates on this survey' });
    await link.click();
    await expect(page).toHaveURL(`${collector.url}/s/community-transport/updates?lang=en`);
    await expect(page.getByRole('heading', { level: 2, name: 'Later buses from April' })).toBeVisible();
  });
});
