import { test as base, expect, type Page, type Locator } from '@playwright/test';
import { startCollector, type Collector, type CollectorOptions } from './collector';
import { startPartner, type Partner, type PartnerFile } from './partner';
import { startMailbox, type Mailbox } from './mailbox';

interface Fixtures {
  /** A fresh collector with the example surveys, stopped and deleted after the test. */
  collector: Collector;
  /** Starts partner servers on other ports; all closed after the test. */
  partner: (files: Record<string, PartnerFile>) => Promise<Partner>;
  /** With `sendsMail`: the SMTP server the collector sends its update emails to. */
  mailbox: Mailbox | undefined;
}

interface Options {
  /** Extra surveys for the collector (`test.use({ collectorOptions: { surveys: [...] } })`). */
  collectorOptions: CollectorOptions;
  /** Start an SMTP server (`mailbox`) and have the collector send its emails there. */
  sendsMail: boolean;
}

export const test = base.extend<Fixtures & Options>({
  collectorOptions: [{}, { option: true }],
  sendsMail: [false, { option: true }],
  mailbox: async ({ sendsMail }, use) => {
    if (!sendsMail) {
      await use(undefined);
      return;
    }
    const mailbox = await startMailbox();
    try {
      await use(mailbox);
    } finally {
      await mailbox.close();
    }
  },
  collector: async ({ collectorOptions, mailbox }, use, testInfo) => {
    const collector = await startCollector({ ...collectorOptions, smtpUrl: mailbox?.url });
    try {
      await use(collector);
    } finally {
      if (testInfo.status !== testInfo.expectedStatus && collector.log()) {
        await testInfo.attach('collector.log', { body: collector.log(), contentType: 'text/plain' });
      }
      await collector.dispose();
    }
  },
  partner: async ({}, use) => {
    const started: Partner[] = [];
    await use(async (files) => {
      const partner = await startPartner(files);
      started.push(partner);
      return partner;
    });
    await Promise.all(started.map((p) => p.close()));
  },
});

export { expect };

/** The widget's root element (`.voices`) inside the first (or given) `<voices-survey>`. */
export function widgetRoot(page: Page, host: Locator = page.locator('voices-survey').first()): Locator {
  return host.locator('div.voices');
}

/** The heading focus lands on after every move (`#voices-heading`). */
export function heading(scope: Page | Locator): Locator {
  return scope.locator('#voices-heading');
}

/**
 * Opens a hosted page and waits until the widget has taken over the server-rendered first
 * screen (`<voices-survey ready>`): pressing Start before then posts the form instead (the
 * survey without JavaScript, tested in no-script.spec.ts).
 */
export async function gotoHosted(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await expect(page.locator('voices-survey')).toHaveAttribute('ready', '');
}

/** Opens the hosted page `/s/{id}` and waits for the start screen. */
export async function openHosted(page: Page, collector: Collector, id = 'engagement-2026'): Promise<void> {
  await gotoHosted(page, `${collector.url}/s/${id}`);
  await expect(page.getByRole('button', { name: 'Start now' })).toBeVisible();
}

/** Opens the hosted survey and presses Start now: page 1 is showing. */
export async function openFirstPage(page: Page, collector: Collector, id = 'engagement-2026'): Promise<void> {
  await openHosted(page, collector, id);
  await page.getByRole('button', { name: 'Start now' }).click();
  await expect(heading(page)).toContainText('Page 1 of');
}

/** Answers engagement-2026's required questions and stops on "Check your answers". */
export async function reachCheckAnswers(page: Page, collector: Collector, locality = 'Lochee'): Promise<void> {
  await openFirstPage(page, collector);
  await answerRequiredQuestions(page, locality);
}

/** From engagement-2026's page 1, answers its required questions and stops on "Check your answers". */
export async function answerRequiredQuestions(page: Page, locality = 'Lochee'): Promise<void> {
  await page.getByRole('checkbox', { name: 'I live in the area' }).check();
  await page.getByRole('radio', { name: locality }).check();
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByRole('checkbox', { name: 'Letter or paper form' }).check();
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByRole('radio', { name: 'Never' }).check();
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByRole('checkbox', { name: 'I have read how my answers will be used' }).check();
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(heading(page)).toContainText('Check your answers');
}

/** What waits in the widget's outbox on this page's origin: one entry per response. */
export async function outboxEntries(page: Page): Promise<{ survey_id: string; submission_id: string; body: string }[]> {
  return page.evaluate(() =>
    Object.keys(localStorage)
      .filter((key) => key.startsWith('voices-outbox:'))
      .map((key) => JSON.parse(localStorage.getItem(key) ?? 'null')),
  );
}

/**
 * Presses Tab until `target` has focus; fails when it is not reached in `max` presses.
 * Every stop on the way must show a focus indicator (an outline of at least 2 px).
 */
export async function tabTo(page: Page, target: Locator, { max = 40, shift = false } = {}): Promise<void> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press(shift ? 'Shift+Tab' : 'Tab');
    const focus = await focusIndicator(page);
    if (focus.inWidget) {
      expect(focus.visible, `focus indicator on ${focus.element}: ${focus.style}`).toBe(true);
    }
    if (await isFocused(target)) return;
  }
  throw new Error(`${target} was not reached with ${max} presses of ${shift ? 'Shift+Tab' : 'Tab'}`);
}

/** Whether the focused element (through shadow roots) shows a focus outline. */
export async function focusIndicator(page: Page) {
  return page.evaluate(() => {
    let active: Element | null = document.activeElement;
    let inWidget = false;
    while (active?.shadowRoot?.activeElement) {
      inWidget ||= active.tagName === 'VOICES-SURVEY';
      active = active.shadowRoot.activeElement;
    }
    if (!active) return { inWidget, visible: false, element: 'nothing', style: '' };
    const s = getComputedStyle(active);
    const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2;
    return {
      inWidget,
      visible: active.matches(':focus-visible') && outline,
      element: `<${active.tagName.toLowerCase()}${active.id ? `#${active.id}` : ''}>`,
      style: `outline: ${s.outlineStyle} ${s.outlineWidth} ${s.outlineColor}; box-shadow: ${s.boxShadow}`,
    };
  });
}

/** Whether `target` is the focused element, looking through shadow roots. */
export async function isFocused(target: Locator): Promise<boolean> {
  return target.evaluate((element) => {
    let active: Element | null = document.activeElement;
    while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
    return active === element;
  });
}

/** A description of the focused element, looking through shadow roots (for messages). */
export async function focusedElement(page: Page): Promise<string> {
  return page.evaluate(() => {
    let active: Element | null = document.activeElement;
    while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
    if (!active) return 'nothing';
    const id = active.id ? `#${active.id}` : '';
    return `<${active.tagName.toLowerCase()}${id}> ${(active.textContent ?? '').trim().slice(0, 60)}`;
  });
}

/** Waits until `target` has focus (through shadow roots). */
export async function expectFocused(target: Locator): Promise<void> {
  await expect.poll(() => isFocused(target), { message: `${target} should have focus` }).toBe(true);
}

/** Presses the language picker's button for `locale` (each is named in its own language). */
export async function chooseLanguage(scope: Page | Locator, locale: string): Promise<void> {
  await scope.locator(`.voices-language button[value="${locale}"]`).click();
}

/** The language picker: a group of buttons, one per other language. */
export function languagePicker(scope: Page | Locator): Locator {
  return scope.getByRole('group', { name: /Language/ });
}

/** A page's Continue button in any language (the language picker has a submit button too). */
export function continueButton(scope: Page | Locator): Locator {
  return scope.locator('button[name="voices-action"][value="continue"]');
}

/**
 * Holds back every request matching `pattern` (the widget's wasm, say) until the returned
 * function is called: what a slow connection does, on cue.
 */
export async function holdBack(page: Page, pattern: string): Promise<() => void> {
  let release = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route(pattern, async (route) => {
    await held;
    await route.continue();
  });
  return release;
}
