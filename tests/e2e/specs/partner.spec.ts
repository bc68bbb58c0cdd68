// 9. On a partner's site (another origin) with a strict CSP and hostile CSS, and with two
// surveys on one page.

import { test, expect, heading, widgetRoot } from '../helpers/fixtures';
import { partnerPage } from '../helpers/partner';
import { screenshotPath } from '../helpers/paths';
import type { Page } from '@playwright/test';

const HOSTILE_CSS = `* { all: unset !important }
input { display: none !important }
`;

/** Collects CSP violations (DOM events, composed out of shadow roots) and console errors. */
async function watchForProblems(page: Page) {
  const console_: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') console_.push(`${message.type()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => console_.push(`pageerror: ${error.message}`));
  await page.addInitScript(() => {
    (window as any).__csp = [];
    document.addEventListener(
      'securitypolicyviolation',
      (e) => (window as any).__csp.push(`${e.violatedDirective} blocked ${e.blockedURI || '(inline)'} ${e.sample}`),
      true,
    );
  });
  return {
    csp: () => page.evaluate(() => (window as any).__csp as string[]),
    console: () => console_,
  };
}

test('strict CSP and hostile CSS: the widget works and nothing is blocked', async ({ page, collector, partner }) => {
  const c = collector.url;
  const csp = `default-src 'self'; script-src 'self' ${c} 'wasm-unsafe-eval'; connect-src ${c}; style-src 'self' ${c}`;
  const site = await partner({
    '/': {
      headers: { 'content-security-policy': csp },
      body: partnerPage({
        collector: c,
        title: 'Westfield Carers Centre',
        head: '<link rel="stylesheet" href="/hostile.css">',
        body: '<h1>Have your say</h1>\n<p>Tell the Partnership how you would like to be involved.</p>\n<voices-survey survey="engagement-2026"></voices-survey>',
      }),
    },
    '/hostile.css': { body: HOSTILE_CSS, contentType: 'text/css; charset=utf-8' },
    '/favicon.ico': { body: '', contentType: 'image/x-icon' },
  });
  expect(new URL(site.url).origin).not.toBe(new URL(c).origin);
  const problems = await watchForProblems(page);
  const origins = new Set<string>();
  page.on('request', (r) => origins.add(new URL(r.url()).origin));
  await page.goto(`${site.url}/`);

  // The hostile stylesheet really is in force on the partner's own page.
  await expect
    .poll(() => page.evaluate(() => getComputedStyle(document.querySelector('h1')!).fontWeight))
    .not.toBe('700');

  const start = page.getByRole('button', { name: 'Start now' });
  await expect(start).toBeVisible();
  // The widget keeps its own look: a blue, bold Start button at least 44 px tall.
  const look = await start.evaluate((b) => {
    const s = getComputedStyle(b);
    return { background: s.backgroundColor, weight: s.fontWeight, height: b.getBoundingClientRect().height };
  });
  expect(look.background).toBe('rgb(29, 112, 184)');
  expect(look.weight).toBe('700');
  expect(look.height).toBeGreaterThanOrEqual(44);
  await page.screenshot({ path: screenshotPath('partner-csp-hostile-start.png'), fullPage: true });

  await start.click();
  await expect(heading(page)).toContainText('Page 1 of 4');
  const carer = page.getByRole('checkbox', { name: 'I am an unpaid carer' });
  await expect(carer).toBeVisible();
  await carer.check();
  await page.getByRole('radio', { name: 'West End' }).check();
  await expect(page.getByRole('radio', { name: 'West End' })).toBeChecked();
  await page.screenshot({ path: screenshotPath('partner-csp-hostile-page1.png'), fullPage: true });
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(heading(page)).toContainText('Page 2 of 4');
  await expect(page.getByRole('checkbox', { name: 'Face to face' })).toBeVisible();

  expect(await problems.csp(), 'CSP violations').toEqual([]);
  expect(problems.console(), 'console errors and warnings (CSP reports land here too)').toEqual([]);
  // Nothing is fetched from anywhere but the partner's page and the collector, and no cookies.
  expect([...origins].sort()).toEqual([new URL(c).origin, new URL(site.url).origin].sort());
  expect(await page.context().cookies()).toEqual([]);
});

test('two different surveys on one page render and work independently', async ({ page, collector, partner }) => {
  const c = collector.url;
  const csp = `default-src 'self'; script-src 'self' ${c} 'wasm-unsafe-eval'; connect-src ${c}; style-src 'self' ${c}`;
  const site = await partner({
    '/': {
      headers: { 'content-security-policy': csp },
      body: partnerPage({
        collector: c,
        body: `<h1>Two surveys</h1>
<section><h2>Involvement</h2><voices-survey survey="engagement-2026"></voices-survey></section>
<section><h2>Transport</h2><voices-survey survey="community-transport"></voices-survey></section>`,
      }),
    },
    '/favicon.ico': { body: '', contentType: 'image/x-icon' },
  });
  const problems = await watchForProblems(page);
  const wasmRequests: string[] = [];
  page.on('request', (r) => {
    if (r.url().endsWith('.wasm')) wasmRequests.push(r.url());
  });
  await page.goto(`${site.url}/`);

  const one = page.locator('voices-survey[survey="engagement-2026"]');
  const two = page.locator('voices-survey[survey="community-transport"]');
  await expect(one.getByRole('heading', { name: 'Have your say on how we involve you' })).toBeVisible();
  await expect(two.getByRole('heading', { name: 'Getting to appointments' })).toBeVisible();
  expect(wasmRequests, 'the widget code is downloaded once').toHaveLength(1);

  // Start the second one and make it show errors: the first stays on its start screen.
  await two.getByRole('button', { name: 'Start now' }).click();
  await expect(heading(two)).toContainText('Page 1 of 3');
  await expect(one.getByRole('button', { name: 'Start now' })).toBeVisible();
  await two.getByRole('button', { name: 'Continue' }).click();
  await expect(two.getByRole('alert')).toBeVisible();
  await expect(one.getByRole('alert')).toHaveCount(0);

  // Now the first: its page 1 moves on while the second keeps its errors.
  await one.getByRole('button', { name: 'Start now' }).click();
  await expect(heading(one)).toContainText('Page 1 of 4');
  await one.getByRole('checkbox', { name: 'I live in the area' }).check();
  await one.getByRole('radio', { name: 'Coldside' }).check();
  await one.getByRole('button', { name: 'Continue' }).click();
  await expect(heading(one)).toContainText('Page 2 of 4');
  await expect(heading(two)).toContainText('Page 1 of 3');
  await expect(two.getByRole('alert')).toBeVisible();

  // Radios with the same name in the two shadow roots do not interfere.
  await two.getByRole('radio', { name: 'Bus' }).check();
  await two.getByRole('button', { name: 'Continue' }).click();
  await expect(heading(two)).toContainText('Page 2 of 3');
  await expect(widgetRoot(page, one).getByRole('checkbox', { name: 'Face to face' })).toBeVisible();

  await page.screenshot({ path: screenshotPath('partner-two-surveys.png'), fullPage: true });
  expect(await problems.csp(), 'CSP violations').toEqual([]);
  expect(problems.console(), 'console errors and warnings (CSP reports land here too)').toEqual([]);
});

test('the partner’s font and size reach the widget through custom properties, its body styles do not', async ({
  page,
  collector,
  partner,
}) => {
  const site = await partner({
    '/': {
      body: partnerPage({
        collector: collector.url,
        head: `<style>
body { font-family: "Comic Sans MS", fantasy; font-size: 40px; line-height: 3; color: #c00; }
voices-survey.themed { --voices-font: Georgia, serif; --voices-font-size: 1.25rem; }
</style>`,
        body: '<h1>Two looks</h1>\n<voices-survey survey="engagement-2026"></voices-survey>\n<voices-survey class="themed" survey="community-transport"></voices-survey>',
      }),
    },
  });
  await page.goto(`${site.url}/`);
  const [plain, themed] = [page.locator('voices-survey').first(), page.locator('voices-survey').nth(1)];
  await expect(plain.getByRole('button', { name: 'Start now' })).toBeVisible();
  await expect(themed.getByRole('button', { name: 'Start now' })).toBeVisible();
  const look = (host: typeof plain) =>
    host.locator('div.voices').evaluate((e) => {
      const s = getComputedStyle(e);
      return { font: s.fontFamily, size: s.fontSize, color: s.color };
    });
  // The page's body styles stop at the element: the widget's own defaults apply.
  expect(await look(plain)).toEqual({ font: 'system-ui, sans-serif', size: '16px', color: 'rgb(11, 12, 12)' });
  // What the partner passes as custom properties does reach it (1.25rem of the page's 16px root).
  expect(await look(themed)).toEqual({ font: 'Georgia, serif', size: '20px', color: 'rgb(11, 12, 12)' });
});
