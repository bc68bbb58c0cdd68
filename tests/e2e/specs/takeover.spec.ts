// The hosted page's first screen comes rendered by the collector, from the widget's own
// components; the widget then takes it over. One markup: the server's HTML and the
// browser's render match, element for element; and a person who got there first keeps
// their place.

import { test, expect, heading, holdBack, gotoHosted, expectFocused, focusedElement } from '../helpers/fixtures';
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
          .map((a) => `${a.name}=${a.name === 'action' || a.name === 'href' ? new URL(a.value, location.href).pathname : a.value}`)
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
  const release = await holdBack(page, '**/*.wasm');
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

test('before the widget arrives, Start shows the first page at once and each screen after it comes without leaving the page', async ({
  page,
  collector,
}) => {
  await page.route('**/*.wasm', () => {});
  const posts: string[] = [];
  page.on('request', (r) => {
    if (r.method() === 'POST') posts.push(new URL(r.url()).pathname);
  });
  await page.goto(`${collector.url}/s/engagement-2026`);
  const url = page.url();
  await page.getByRole('button', { name: 'Start now' }).click();
  // The page "Start now" leads to came with the first screen: no round trip.
  await expect(heading(page)).toContainText('Page 1 of 4');
  await expect(heading(page)).toBeFocused();
  expect(posts).toEqual([]);
  await page.getByRole('checkbox', { name: 'I live in the area' }).check();
  await page.getByRole('radio', { name: 'Lochee' }).check();
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(heading(page)).toContainText('Page 2 of 4');
  await expect(heading(page)).toBeFocused();
  await page.getByRole('button', { name: 'Back', exact: true }).click();
  await expect(page.getByRole('radio', { name: 'Lochee' })).toBeChecked();
  expect(posts).toEqual(['/api/surveys/engagement-2026/screen', '/api/surveys/engagement-2026/screen']);
  expect(page.url()).toBe(url);
  await expect(page.locator('voices-survey')).not.toHaveAttribute('ready', '');
});

test('Start pressed before embed.js has arrived shows the first page at once, and the widget takes over from there', async ({
  page,
  collector,
}) => {
  const release = await holdBack(page, '**/embed.js');
  const posts: string[] = [];
  page.on('request', (r) => {
    if (r.method() === 'POST') posts.push(r.url());
  });
  const refused: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) refused.push(m.text());
  });
  // Not waiting for the page's load: it waits for embed.js, a module script.
  await page.goto(`${collector.url}/s/engagement-2026`, { waitUntil: 'commit' });
  await page.getByRole('button', { name: 'Start now' }).click();
  await expect(heading(page)).toContainText('Page 1 of 4');
  await expect(heading(page)).toBeFocused();
  await page.getByRole('radio', { name: 'Lochee' }).check();
  expect(posts).toEqual([]);

  release();
  await expect(page.locator('voices-survey')).toHaveAttribute('ready', '');
  await expect(page.getByRole('radio', { name: 'Lochee' })).toBeChecked();
  expect(refused, 'the inline script is allowed by its hash').toEqual([]);
});

test('with embed.js?survey=, a partner page shows the first screen without asking for it, styled without a stylesheet request', async ({
  page,
  collector,
  partner,
}) => {
  const site = await partner({
    '/': {
      body: partnerPage({
        collector: collector.url,
        embedQuery: '?survey=engagement-2026',
        body: '<h1>Carers centre</h1>\n<voices-survey survey="engagement-2026"><a href="#">Answer the survey</a></voices-survey>',
      }),
    },
  });
  await page.route('**/*.wasm', () => {});
  const asked: string[] = [];
  page.on('request', (r) => asked.push(new URL(r.url()).pathname));
  await page.goto(`${site.url}/`);
  const host = page.locator('voices-survey');
  const start = host.getByRole('button', { name: 'Start now' });
  await expect(start).toBeVisible();
  expect(await start.evaluate((b) => getComputedStyle(b).backgroundColor)).toBe('rgb(29, 112, 184)');
  expect(asked.filter((path) => path.endsWith('/first-screen') || path.endsWith('.css'))).toEqual([]);
  await start.click();
  await expect(heading(page)).toContainText('Page 1 of 4');
  await expect(heading(page)).toBeFocused();
});

test('Start pressed early does not hide what this device kept: the draft comes back when the widget is in', async ({
  page,
  collector,
}) => {
  await gotoHosted(page, `${collector.url}/s/engagement-2026`);
  await page.getByRole('button', { name: 'Start now' }).click();
  await page.getByRole('checkbox', { name: 'I live in the area' }).check();
  await page.getByRole('radio', { name: 'Lochee' }).check();
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(heading(page)).toContainText('Page 2 of 4');

  // Back later, on a slow connection: Start before the widget is in.
  const release = await holdBack(page, '**/*.wasm');
  await page.goto(`${collector.url}/s/engagement-2026`);
  await page.getByRole('button', { name: 'Start now' }).click();
  await expect(heading(page)).toContainText('Page 1 of 4');
  release();
  await expect(page.locator('voices-survey')).toHaveAttribute('ready', '');
  await expect(heading(page)).toContainText('Page 2 of 4');
  await page.getByRole('button', { name: 'Back', exact: true }).click();
  await expect(page.getByRole('radio', { name: 'Lochee' })).toBeChecked();
});

test('on a partner page, a definition that cannot be fetched leaves the screens working where the person is', async ({
  page,
  collector,
  partner,
}) => {
  const site = await partner({
    '/': {
      body: partnerPage({
        collector: collector.url,
        body: '<voices-survey survey="engagement-2026"><a href="#">Answer the survey</a></voices-survey>',
      }),
    },
  });
  await page.route('**/api/surveys/engagement-2026', (route) => route.abort('internetdisconnected'));
  await page.goto(`${site.url}/`);
  const host = page.locator('voices-survey');
  await host.getByRole('button', { name: 'Start now' }).click();
  await host.getByRole('checkbox', { name: 'I live in the area' }).check();
  await host.getByRole('radio', { name: 'Lochee' }).check();
  await host.getByRole('button', { name: 'Continue' }).click();
  await expect(heading(page)).toContainText('Page 2 of 4');
  await host.getByRole('button', { name: 'Back', exact: true }).click();
  await expect(host.getByRole('radio', { name: 'Lochee' })).toBeChecked();
  expect(page.url()).toBe(`${site.url}/`);
});

test.describe('typed before the widget arrives', () => {
  const firstQuestionText = {
    id: 'before-wasm',
    version: 1,
    format: 1,
    title: 'Your street',
    default_locale: 'en',
    locales: ['en'],
    allowed_origins: ['*'],
    privacy: { text: 'We keep answers for a year.' },
    pages: [
      {
        id: 'where',
        questions: [
          { id: 'street', type: 'text', label: 'Which street do you live on?', required: true },
          {
            id: 'often',
            type: 'single_choice',
            label: 'How often do you take the bus?',
            options: [
              { value: 'daily', label: 'Every day' },
              { value: 'weekly', label: 'Every week' },
              { value: 'never', label: 'Never' },
            ],
          },
        ],
      },
    ],
  };
  test.use({ collectorOptions: { surveys: [firstQuestionText] } });

  for (const where of ['hosted', 'partner'] as const) {
    test(`${where}: what was typed and chosen, the focus and the caret stay through the takeover, and are what is stored`, async ({
      page,
      collector,
      partner,
    }) => {
      const release = await holdBack(page, '**/*.wasm');
      if (where === 'hosted') {
        await page.goto(`${collector.url}/s/before-wasm`);
      } else {
        const site = await partner({
          '/': {
            body: partnerPage({
              collector: collector.url,
              body: '<h1>Bus users</h1>\n<voices-survey survey="before-wasm"><a href="#">Answer the survey</a></voices-survey>',
            }),
          },
        });
        await page.goto(`${site.url}/`);
      }
      const host = page.locator('voices-survey');
      await host.getByRole('button', { name: 'Start now' }).click();
      await host.getByRole('radio', { name: 'Every week' }).check();
      const street = host.getByRole('textbox', { name: 'Which street do you live on?' });
      await street.click();
      await page.keyboard.type('Lochee Rd');
      // The caret goes back two places, between "Lochee " and "Rd".
      for (let i = 0; i < 2; i++) await page.keyboard.press('ArrowLeft');
      await expect(host).not.toHaveAttribute('ready', '');

      release();
      await expect(host).toHaveAttribute('ready', '');
      // The widget's own screen now (in the shadow root on the hosted page too).
      expect(await host.evaluate((h) => !!h.shadowRoot?.querySelector('#q-street'))).toBe(true);
      await expect(street).toHaveValue('Lochee Rd');
      await expect(host.getByRole('radio', { name: 'Every week' })).toBeChecked();
      await expect(street).toBeFocused();
      // Typing goes on at the caret.
      await page.keyboard.type('High ');
      await expect(street).toHaveValue('Lochee High Rd');
      await host.getByRole('button', { name: 'Continue' }).click();
      await expect(heading(page)).toContainText('Check your answers');
      await host.getByRole('button', { name: 'Send my answers' }).click();
      await expect(host.locator('.voices-receipt')).toBeVisible();
      const stored = await collector.responses('before-wasm');
      expect(stored).toHaveLength(1);
      expect(stored[0].answers).toEqual({ street: 'Lochee High Rd', often: 'weekly' });
    });
  }
});

test('on a partner page the first screen shows before the widget, and Start on it shows the first page there', async ({
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
  const release = await holdBack(page, '**/*.wasm');
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
  // Pressed before the widget is there: the first page shows at once, on this page.
  await start.click();
  await expect(heading(page)).toContainText('Page 1 of 4');
  await expect(heading(page)).toBeFocused();
  await expect(host).not.toHaveAttribute('ready', '');
  expect(page.url()).toBe(`${site.url}/`);

  release();
  await expect(host).toHaveAttribute('ready', '');
  await expect(heading(page)).toContainText('Page 1 of 4');
  await expect(heading(page)).toBeFocused();
  expect(page.url()).toBe(`${site.url}/`);
  expect(posts, 'nothing was posted').toEqual([]);
});
