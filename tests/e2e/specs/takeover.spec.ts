// The hosted page's first screen comes rendered by the collector, from the widget's own
// components; the widget then takes it over. One markup: the server's HTML and the
// browser's render match, element for element; and a person who got there first keeps
// their place.

import { test, expect, heading, gotoHosted, expectFocused, focusedElement } from '../helpers/fixtures';
import type { Route } from '@playwright/test';
import { partnerPage } from '../helpers/partner';

for (const survey of ['engagement-2026', 'community-transport']) {
  test(`${survey}: the server's first screen is the widget's own, element for element`, async ({ page, collector }) => {
    const url = `${collector.url}/s/${survey}`;
    const served = await (await page.request.get(url)).text();
    await gotoHosted(page, url);
    const differences = await page.locator('voices-survey').evaluate((host, html) => {
      const parsed = new DOMParser().parseFromString(html, 'text/html');
      const fromServer = parsed.querySelector('voices-survey > .voices');
      const live = host.shadowRoot!.querySelector('.voices');
      // Adjacent pieces of text are one text node in parsed HTML and several in Yew's DOM.
      const inBrowser = live?.cloneNode(true) as Element | undefined;
      fromServer?.normalize();
      inBrowser?.normalize();
      if (!fromServer || !inBrowser) return [`server: ${!!fromServer}, browser: ${!!inBrowser}`];
      const found: string[] = [];
      // `value` and `checked` are properties in the browser and attributes from the server;
      // the hidden state's submission id and time are drawn afresh by each. Forms post to
      // the collector: by path from its own page, by full URL from the widget (which may
      // sit on a partner's page).
      const compared = (e: Element) =>
        [...e.attributes]
          .filter((a) => a.name !== 'value' && a.name !== 'checked')
          .map((a) => `${a.name}=${a.name === 'action' ? new URL(a.value, location.href).pathname : a.value}`)
          .sort()
          .join(' ');
      const walk = (a: Node, b: Node, path: string) => {
        if (a.nodeType !== b.nodeType) return found.push(`${path}: ${a.nodeName} vs ${b.nodeName}`);
        if (a.nodeType === Node.TEXT_NODE) {
          if (a.textContent !== b.textContent) found.push(`${path}: "${a.textContent}" vs "${b.textContent}"`);
          return;
        }
        const [x, y] = [a as Element, b as Element];
        if (x.tagName !== y.tagName) return found.push(`${path}: <${x.tagName}> vs <${y.tagName}>`);
        if (compared(x) !== compared(y)) found.push(`${path} <${x.tagName}>: [${compared(x)}] vs [${compared(y)}]`);
        const [xs, ys] = [[...x.childNodes], [...y.childNodes]];
        if (xs.length !== ys.length) return found.push(`${path} <${x.tagName}>: ${xs.length} vs ${ys.length} children`);
        xs.forEach((child, i) => walk(child, ys[i], `${path}/${x.tagName.toLowerCase()}[${i}]`));
      };
      walk(fromServer, inBrowser, '');
      return found;
    }, served);
    expect(differences).toEqual([]);
  });
}

test('the first screen is usable before the widget arrives, and focus stays put when it takes over', async ({
  page,
  collector,
}) => {
  let release = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route('**/*.wasm', async (route: Route) => {
    await held;
    await route.continue();
  });
  await page.goto(`${collector.url}/s/engagement-2026`);
  const start = page.getByRole('button', { name: 'Start now' });
  await expect(start).toBeVisible();
  await expect(page.locator('voices-survey')).not.toHaveAttribute('ready', '');
  // Styled already: the widget's stylesheet is in the page.
  expect(await start.evaluate((b) => getComputedStyle(b).backgroundColor)).toBe('rgb(29, 112, 184)');
  await start.focus();

  release();
  await expect(page.locator('voices-survey')).toHaveAttribute('ready', '');
  await expectFocused(page.getByRole('button', { name: 'Start now' })).catch(async (error) => {
    throw new Error(`focus is on ${await focusedElement(page)}\n${error}`);
  });
  // And it is the widget's button now: pressing it moves on without leaving the page.
  const url = page.url();
  await page.keyboard.press('Enter');
  await expect(heading(page)).toContainText('Page 1 of 4');
  await expect(heading(page)).toBeFocused();
  expect(page.url()).toBe(url);
});

test('Start pressed before the widget arrives goes on without it, and nothing is lost', async ({ page, collector }) => {
  await page.route('**/*.wasm', () => {});
  await page.goto(`${collector.url}/s/engagement-2026`);
  await page.getByRole('button', { name: 'Start now' }).click();
  await expect(heading(page)).toContainText('Page 1 of 4');
  await page.getByRole('checkbox', { name: 'I live in the area' }).check();
  await page.getByRole('radio', { name: 'Lochee' }).check();
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(heading(page)).toContainText('Page 2 of 4');
  await page.getByRole('button', { name: 'Back', exact: true }).click();
  await expect(page.getByRole('radio', { name: 'Lochee' })).toBeChecked();
});

test('on a partner page the first screen shows before the widget, and a press on it is handed over once', async ({
  page,
  collector,
  partner,
}) => {
  const site = await partner({
    '/': {
      body: partnerPage({
        collector: collector.url,
        body: '<h1>Carers centre</h1>\n<voices-survey survey="engagement-2026"><a href="#">Answer the survey</a></voices-survey>',
      }),
    },
  });
  let release = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route('**/*.wasm', async (route: Route) => {
    await held;
    await route.continue();
  });
  const posts: string[] = [];
  page.on('request', (r) => {
    if (r.method() === 'POST') posts.push(r.url());
  });
  await page.goto(`${site.url}/`);
  const host = page.locator('voices-survey');
  // The collector's first screen, in the shadow root, styled, before the widget's code.
  const start = host.getByRole('button', { name: 'Start now' });
  await expect(start).toBeVisible();
  await expect(host.getByRole('heading', { level: 2 })).toHaveText('Have your say on how we involve you');
  await expect(host).not.toHaveAttribute('ready', '');
  expect(await start.evaluate((b) => getComputedStyle(b).backgroundColor)).toBe('rgb(29, 112, 184)');
  // Pressed before the widget is there: held, not posted (which would leave this page).
  await start.click();
  await expect(host).not.toHaveAttribute('ready', '');
  expect(page.url()).toBe(`${site.url}/`);

  release();
  await expect(host).toHaveAttribute('ready', '');
  await expect(heading(page)).toContainText('Page 1 of 4');
  await expect(heading(page)).toBeFocused();
  expect(page.url()).toBe(`${site.url}/`);
  expect(posts, 'nothing was posted').toEqual([]);
});
