// 7. No horizontal scrolling at 320 CSS px (WCAG 1.4.10 Reflow), on every screen.

import { test, expect, heading, openHosted, widgetRoot, continueButton } from '../helpers/fixtures';
import type { Page } from '@playwright/test';

test.use({ viewport: { width: 320, height: 800 } });

async function expectNoSidewaysScroll(page: Page, where: string) {
  await expect(widgetRoot(page)).toBeVisible();
  const sizes = await page.evaluate(() => {
    const doc = document.documentElement;
    const host = document.querySelector('voices-survey')!;
    const root = host.shadowRoot!.querySelector('.voices') as HTMLElement;
    // Anything inside the widget whose box pokes out past the right edge of the viewport.
    const poking = [...host.shadowRoot!.querySelectorAll('*')]
      .filter((e) => {
        const r = e.getBoundingClientRect();
        return r.width > 0 && (r.right > doc.clientWidth + 0.5 || r.left < -0.5);
      })
      .map((e) => `${e.tagName.toLowerCase()}.${[...e.classList].join('.')}#${e.id}`)
      .slice(0, 5);
    return {
      docScroll: doc.scrollWidth,
      docClient: doc.clientWidth,
      rootScroll: root.scrollWidth,
      rootClient: root.clientWidth,
      poking,
    };
  });
  expect(sizes.docClient, where).toBe(320);
  expect(sizes.docScroll, `${where}: the page scrolls sideways`).toBeLessThanOrEqual(sizes.docClient);
  expect(sizes.rootScroll, `${where}: the widget's content is wider than the widget`).toBeLessThanOrEqual(sizes.rootClient);
  expect(sizes.poking, `${where}: elements outside the viewport`).toEqual([]);
}

test('engagement-2026 at 320 px: every page, error state and the end screens fit', async ({ page, collector }) => {
  await openHosted(page, collector);
  await expectNoSidewaysScroll(page, 'start screen');
  await page.getByRole('button', { name: 'Start now' }).click();

  const cont = page.getByRole('button', { name: 'Continue' });
  await expect(heading(page)).toContainText('Page 1 of 4');
  await expectNoSidewaysScroll(page, 'page 1');
  await cont.click();
  await expect(page.getByRole('alert')).toBeVisible();
  await expectNoSidewaysScroll(page, 'page 1 with errors');
  await page.getByRole('checkbox', { name: 'Something else' }).check();
  await page.getByRole('radio', { name: 'Strathmartine' }).check();
  await cont.click();
  await expect(page.getByRole('textbox', { name: 'Please give details' })).toBeVisible();
  await expectNoSidewaysScroll(page, 'page 1 with the specify field in error');
  await page.getByRole('textbox', { name: 'Please give details' }).fill('Averyveryverylongwordwithoutanyspacesatalltotestwrapping');
  await cont.click();

  await expect(heading(page)).toContainText('Page 2 of 4');
  await expectNoSidewaysScroll(page, 'page 2');
  await cont.click();
  await expect(page.getByRole('alert')).toBeVisible();
  await expectNoSidewaysScroll(page, 'page 2 with errors');
  await page.getByRole('checkbox', { name: 'Face to face' }).check();
  await page.getByRole('checkbox', { name: 'Another way' }).check();
  await page.getByRole('checkbox', { name: 'Language' }).check();
  await expectNoSidewaysScroll(page, 'page 2 with every follow-up question showing');
  await page.getByRole('textbox', { name: 'Please give details' }).fill('Sign language video call');
  await cont.click();

  await expect(heading(page)).toContainText('Page 3 of 4');
  await expectNoSidewaysScroll(page, 'page 3');
  await page.getByLabel('Day', { exact: true }).fill('99');
  await cont.click();
  await expect(page.getByRole('alert')).toBeVisible();
  await expectNoSidewaysScroll(page, 'page 3 with errors');
  await page.getByRole('radio', { name: 'Sometimes' }).check();
  await page.getByRole('radio', { name: '5 Very well informed' }).check();
  await page.getByLabel('Day', { exact: true }).fill('');
  await cont.click();

  await expect(heading(page)).toContainText('Page 4 of 4');
  await expectNoSidewaysScroll(page, 'page 4');
  await cont.click();
  await expect(page.getByRole('alert')).toBeVisible();
  await expectNoSidewaysScroll(page, 'page 4 with errors');
  await page.getByLabel('Is there anything else', { exact: false }).fill('x'.repeat(2100));
  await page.getByRole('checkbox', { name: 'I have read how my answers will be used' }).check();
  await expectNoSidewaysScroll(page, 'page 4 with too many characters');
  await page.getByLabel('Is there anything else', { exact: false }).fill('A long answer. '.repeat(20));
  await cont.click();

  await expect(heading(page)).toContainText('Check your answers');
  await expectNoSidewaysScroll(page, 'check your answers');
  await page.getByRole('button', { name: 'Send my answers' }).click();
  await expect(heading(page)).toContainText('Thank you');
  await expectNoSidewaysScroll(page, 'thank-you screen');
});

for (const lang of ['en', 'ar']) {
  test(`community-transport in ${lang} at 320 px: the 0–10 rating scale wraps`, async ({ page, collector, partner }) => {
    const site = await partner({
      '/': {
        body: `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Partner</title>
<script type="module" src="${collector.url}/embed.js"></script></head>
<body><voices-survey survey="community-transport" lang="${lang}"></voices-survey></body></html>`,
      },
    });
    await page.goto(site.url);
    await expect(widgetRoot(page).locator('button.voices-button--start')).toBeVisible();
    await expectNoSidewaysScroll(page, `${lang} start screen`);
    await widgetRoot(page).locator('button.voices-button--start').click();
    await expect(heading(page)).toContainText(lang === 'en' ? 'Page 1 of 3' : /./);
    await expect(page.getByRole('radio').first()).toBeVisible();
    await expectNoSidewaysScroll(page, `${lang} page 1`);
    await continueButton(widgetRoot(page)).click();
    await expect(page.getByRole('alert')).toBeVisible();
    await expectNoSidewaysScroll(page, `${lang} page 1 with errors`);
  });
}

test('with WCAG 1.4.12 text spacing at 320 px nothing scrolls sideways', async ({ page, collector, partner }) => {
  const site = await partner({
    '/': {
      body: `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Partner</title>
<script type="module" src="${collector.url}/embed.js"></script></head>
<body><voices-survey survey="engagement-2026"></voices-survey></body></html>`,
    },
  });
  await page.goto(site.url);
  await expect(page.getByRole('button', { name: 'Start now' })).toBeVisible();
  // The text-spacing bookmarklet's rules, applied inside the shadow root.
  await page.locator('voices-survey').evaluate((host) => {
    const style = document.createElement('style');
    style.textContent = `* { line-height: 1.5 !important; letter-spacing: 0.12em !important;
      word-spacing: 0.16em !important; } p { margin-bottom: 2em !important; }`;
    host.shadowRoot!.append(style);
  });
  await expectNoSidewaysScroll(page, 'start screen with text spacing');
  await page.getByRole('button', { name: 'Start now' }).click();
  await expectNoSidewaysScroll(page, 'page 1 with text spacing');
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByRole('alert')).toBeVisible();
  await expectNoSidewaysScroll(page, 'page 1 errors with text spacing');
  await page.getByRole('checkbox', { name: 'I am a family member of someone who uses services' }).check();
  await page.getByRole('radio', { name: 'Outside the city' }).check();
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(heading(page)).toContainText('Page 2 of 4');
  await expectNoSidewaysScroll(page, 'page 2 with text spacing');
  await page.getByRole('checkbox', { name: 'Face to face' }).check();
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(heading(page)).toContainText('Page 3 of 4');
  await expectNoSidewaysScroll(page, 'page 3 with text spacing (rating, date)');
});
