// Screens the collector renders are shown before the widget's code has arrived (Start from
// the page's template, later screens posted in the background). They keep the widget's
// promises (WCAG 2.4.2, 2.4.3, 3.2.5, 4.1.3): the tab's title names the step, a language
// press keeps what was answered, focus is not taken from someone who went elsewhere on the
// page, and the count is not read out after the takeover by itself.

import { test, expect, heading, holdBack, widgetRoot, expectFocused } from '../helpers/fixtures';
import { partnerPage } from '../helpers/partner';

const survey = 'Have your say on how we involve you';

test('on the hosted page before the widget, the title names each step, with "Error:" and in the language chosen', async ({
  page,
  collector,
}) => {
  await page.route('**/*.wasm', () => {});
  await page.goto(`${collector.url}/s/engagement-2026`);
  await expect(page).toHaveTitle(survey);
  await page.getByRole('button', { name: 'Start now' }).click();
  await expect(heading(page)).toContainText('Page 1 of 4');
  await expect(page).toHaveTitle(`Page 1 of 4: About your connection to our services – ${survey}`);

  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByRole('alert')).toContainText('There is a problem');
  await expect(page).toHaveTitle(`Error: Page 1 of 4: About your connection to our services – ${survey}`);

  // A language pressed mid-page keeps what was chosen there, and the page follows it.
  await page.getByRole('radio', { name: 'Lochee' }).check();
  await page.locator('.voices-language button[value="ar"]').click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'ar');
  await expect(page.locator('html')).toHaveAttribute('dir', 'rtl');
  await expect(page).toHaveTitle(/^الصفحة 1 من 4/);
  await expect(page.locator('input[name="locality"][value="lochee"]')).toBeChecked();
  await expect(heading(page)).toBeFocused();
  await expect(page.locator('voices-survey')).not.toHaveAttribute('ready', '');
});

test('a screen that arrives after the person left for the partner page does not take focus; it is announced', async ({
  page,
  collector,
  partner,
}) => {
  const site = await partner({
    '/': {
      body: partnerPage({
        collector: collector.url,
        body:
          '<h1>Carers centre</h1>\n<form role="search"><label for="search">Search this site</label> <input id="search" type="search"></form>\n' +
          '<voices-survey survey="engagement-2026"></voices-survey>',
      }),
    },
  });
  await page.route('**/*.wasm', () => {});
  await page.goto(`${site.url}/`);
  await page.getByRole('button', { name: 'Start now' }).click();
  await expect(heading(page)).toContainText('Page 1 of 4');
  const announcer = widgetRoot(page).locator('#voices-announcer');
  const before = await announcer.evaluate((element) => ((window as any).__announcer = element) && true);
  expect(before).toBe(true);

  const release = await holdBack(page, '**/api/surveys/engagement-2026/screen*');
  await page.getByRole('checkbox', { name: 'I live in the area' }).check();
  await page.getByRole('radio', { name: 'Lochee' }).check();
  await page.getByRole('button', { name: 'Continue' }).click();
  const search = page.getByRole('searchbox', { name: 'Search this site' });
  await search.focus();
  release();

  await expect(heading(page)).toContainText('Page 2 of 4');
  await expect(search).toBeFocused();
  // Said by the region that was there already (one inserted holding words is often not read).
  await expect(announcer).toContainText('Page 2 of 4');
  expect(await announcer.evaluate((element) => (window as any).__announcer === element)).toBe(true);

  // Still in the survey: the next screen takes focus as the widget would.
  await page.getByRole('button', { name: 'Back', exact: true }).click();
  await expect(heading(page)).toContainText('Page 1 of 4');
  await expectFocused(heading(page));
});

test('text typed before the takeover is not read out as a count afterwards', async ({ page, collector }) => {
  const release = await holdBack(page, '**/*.wasm');
  await page.goto(`${collector.url}/s/engagement-2026`);
  await page.getByRole('button', { name: 'Start now' }).click();
  await page.getByRole('checkbox', { name: 'I live in the area' }).check();
  await page.getByRole('radio', { name: 'Lochee' }).check();
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(heading(page)).toContainText('Page 2 of 4');
  await page.getByRole('checkbox', { name: 'Getting there' }).check();
  // Without the code, the box for this shows from a post: press Continue to have it shown.
  await page.getByRole('button', { name: 'Continue' }).click();
  const box = page.getByRole('textbox', { name: 'What would help you take part?' });
  await box.fill('More buses');

  release();
  await expect(page.locator('voices-survey')).toHaveAttribute('ready', '');
  await expect(box).toHaveValue('More buses');
  // Every text the live regions take from the takeover on.
  await page.locator('voices-survey').evaluate((host) => {
    const root = host.shadowRoot!;
    const said: string[] = [];
    (window as any).__said = said;
    new MutationObserver(() => {
      for (const region of root.querySelectorAll('[aria-live], [role=status]')) {
        const text = (region.textContent ?? '').trim();
        if (text) said.push(text);
      }
    }).observe(root, { subtree: true, childList: true, characterData: true });
  });
  // The widget speaks a count one second after typing pauses; give it twice that.
  await page.waitForTimeout(2_000);
  expect(await page.evaluate(() => (window as any).__said)).toEqual([]);
});
