// The phone profile for `cargo xtask bench`: how long a first-time visitor on a slow
// phone and a poor connection waits before they can answer the first question.
//
// Usage: node bench/phone.mjs COLLECTOR_URL SURVEY_ID RUNS
// Prints one JSON object on stdout: per page, per run, the milliseconds from navigation
// until the first question's first input is visible and enabled, and the bytes on the
// wire by resource type.
//
// Each run is a fresh browser context with the cache disabled, the CPU slowed 4 times,
// 150 ms of latency, 1.6 Mbit/s down and 750 kbit/s up, on a Pixel-class viewport. The
// pages take turns within each run. The floor is a plain static HTML page with the same
// first question, served from here under the same conditions.

import http from 'node:http';
import { chromium, devices } from 'playwright-core';

const [collector, surveyId, runsArg] = process.argv.slice(2);
if (!collector || !surveyId) {
  console.error('usage: node bench/phone.mjs COLLECTOR_URL SURVEY_ID RUNS');
  process.exit(2);
}
const runs = Number(runsArg ?? 5);

const NETWORK = {
  offline: false,
  latency: 150,
  downloadThroughput: (1.6e6 / 8),
  uploadThroughput: (750e3 / 8),
};
const CPU_SLOWDOWN = 4;
const PHONE = devices['Pixel 7'];

function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
}

function text(value, locale) {
  if (typeof value === 'string') return value;
  return value?.[locale] ?? Object.values(value ?? {})[0] ?? '';
}

/** A plain page with nothing but the survey's first question: the floor. */
async function floorPage() {
  const definition = await (await fetch(`${collector}/api/surveys/${surveyId}`)).json();
  const locale = definition.default_locale;
  const question = definition.pages[0].questions.find((q) => q.type !== 'info');
  const multiple = question.type === 'multiple_choice';
  let field;
  if (question.options) {
    const inputs = question.options
      .map((o, i) => `<div><input type="${multiple ? 'checkbox' : 'radio'}" id="o${i}" name="q" value="${escapeHtml(o.value)}"><label for="o${i}">${escapeHtml(text(o.label, locale))}</label></div>`)
      .join('\n');
    field = `<fieldset><legend>${escapeHtml(text(question.label, locale))}</legend>\n${inputs}\n</fieldset>`;
  } else {
    field = `<label for="q">${escapeHtml(text(question.label, locale))}</label><input id="q" name="q">`;
  }
  return `<!doctype html><html lang="${escapeHtml(locale)}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(text(definition.title, locale))}</title></head><body><main><form>${field}<button>Continue</button></form></main></body></html>`;
}

function serve(html) {
  return new Promise((resolve) => {
    const server = http.createServer((request, response) => {
      if (request.url !== '/') {
        // The browser's favicon request: answered as the collector does, with nothing.
        response.writeHead(204);
        response.end();
        return;
      }
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      response.end(html);
    });
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

// Runs in the page: presses "Start now" as soon as it can be pressed, wherever it is first
// (the collector's server-rendered screen, or the widget's shadow root), then waits for the
// first input of the first question. A press before the widget has taken over posts the
// form and the first question arrives as the next page: the press's time survives the
// navigation in `window.name`, and `measure` goes on waiting there. Times are wall-clock
// milliseconds (`performance.timeOrigin + performance.now()`), so that two documents compare.
const untilFirstInputInWidget = () =>
  new Promise((resolve) => {
    const usable = (el) => el && !el.disabled && el.getClientRects().length > 0;
    const now = () => performance.timeOrigin + performance.now();
    const find = (selector) =>
      document.querySelector('voices-survey')?.shadowRoot?.querySelector(selector) ??
      document.querySelector(`voices-survey ${selector}`);
    let started = window.name.startsWith('voices-bench:') ? Number(window.name.slice(13)) : null;
    const tick = () => {
      // The first question's inputs have ids `q-{question}...`; the language
      // buttons are not a question.
      const input = find('input[id^="q-"], textarea[id^="q-"], select[id^="q-"]');
      if (started !== null && usable(input)) {
        resolve({ ready: now(), start: started });
        return;
      }
      if (started === null) {
        const start = find('.voices-button--start');
        if (usable(start)) {
          started = now();
          window.name = `voices-bench:${started}`;
          start.click();
        }
      }
      requestAnimationFrame(tick);
    };
    tick();
  });

const untilFirstInputOnPage = () =>
  new Promise((resolve) => {
    const tick = () => {
      const input = document.querySelector('input');
      if (input && !input.disabled && input.getClientRects().length > 0) {
        resolve({ ready: performance.timeOrigin + performance.now(), start: null });
        return;
      }
      requestAnimationFrame(tick);
    };
    tick();
  });

async function measure(browser, url, wait) {
  const context = await browser.newContext({ ...PHONE });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  await cdp.send('Network.emulateNetworkConditions', NETWORK);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_SLOWDOWN });
  const types = new Map();
  const encodings = new Map();
  const bytes = {};
  cdp.on('Network.responseReceived', (event) => {
    types.set(event.requestId, event.type);
    const headers = Object.fromEntries(Object.entries(event.response.headers).map(([k, v]) => [k.toLowerCase(), v]));
    encodings.set(event.requestId, headers['content-encoding'] ?? 'identity');
  });
  cdp.on('Network.loadingFinished', (event) => {
    const type = types.get(event.requestId) ?? 'Other';
    bytes[type] = (bytes[type] ?? 0) + event.encodedDataLength;
  });
  await page.goto(url, { waitUntil: 'commit' });
  const navigationStart = await page.evaluate(() => performance.timeOrigin);
  let timing;
  for (let documents = 0; ; documents++) {
    try {
      timing = await page.evaluate(wait);
      break;
    } catch (error) {
      // "Start now" posted its form (pressed before the widget took over): the first
      // question is on the next page.
      if (documents > 2 || !/context was destroyed|navigat/i.test(String(error))) throw error;
      await page.waitForLoadState('domcontentloaded');
    }
  }
  // Let anything still in flight (late requests) be counted.
  await page.waitForLoadState('networkidle').catch(() => {});
  const result = {
    ms: timing.ready - navigationStart,
    start_ms: timing.start === null ? null : timing.start - navigationStart,
    bytes,
    encodings: [...new Set(encodings.values())],
  };
  await context.close();
  return result;
}

const floor = await serve(await floorPage());
const floorUrl = `http://127.0.0.1:${floor.address().port}/`;
const pages = [
  { name: 'hosted', url: `${collector}/s/${surveyId}`, wait: untilFirstInputInWidget },
  { name: 'demo', url: `${collector}/demo`, wait: untilFirstInputInWidget },
  { name: 'floor', url: floorUrl, wait: untilFirstInputOnPage },
];
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const results = Object.fromEntries(pages.map((p) => [p.name, []]));
try {
  for (let run = 0; run < runs; run++) {
    for (const page of pages) {
      results[page.name].push(await measure(browser, page.url, page.wait));
      console.error(`phone: run ${run + 1}/${runs} ${page.name}: ${Math.round(results[page.name].at(-1).ms)} ms`);
    }
  }
} finally {
  await browser.close();
  floor.close();
}
console.log(JSON.stringify({ device: 'Pixel 7', viewport: PHONE.viewport, cpu_slowdown: CPU_SLOWDOWN, network: NETWORK, results }));
