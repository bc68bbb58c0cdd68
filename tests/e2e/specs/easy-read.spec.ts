// Easy Read (#15): a survey offered in `en-x-easy` is read in short sentences and everyday
// words, in larger text, one question to a screen, with the widget's own words in Easy
// Read too; the stored response says it was answered in Easy Read.

import type { Page, TestInfo } from '@playwright/test';
import { test, expect, heading, gotoHosted, widgetRoot } from '../helpers/fixtures';
import { checkAxe } from '../helpers/axe';
import { screenshotPath } from '../helpers/paths';

/** Nothing in the widget pokes out sideways, and axe finds nothing wrong: on every screen. */
async function checkScreen(page: Page, screen: string, testInfo: TestInfo) {
  await expect(widgetRoot(page)).toBeVisible();
  const sideways = await page.evaluate(() => {
    const doc = document.documentElement;
    const host = document.querySelector('voices-survey')!;
    return {
      scrolls: doc.scrollWidth > doc.clientWidth,
      // The widget's shadow root, or the screen the collector rendered into the page.
      poking: [...(host.shadowRoot ?? host).querySelectorAll('*')]
        .filter((e) => {
          const r = e.getBoundingClientRect();
          return r.width > 0 && (r.right > doc.clientWidth + 0.5 || r.left < -0.5);
        })
        .map((e) => `${e.tagName.toLowerCase()}.${[...e.classList].join('.')}`)
        .slice(0, 5),
    };
  });
  expect.soft(sideways, `${screen}: nothing scrolls or pokes out sideways`).toEqual({ scrolls: false, poking: [] });
  await checkAxe(page, screen, testInfo);
}

/** Each picture is there by its text alternative, from /s/help-at-home/pictures/, and has loaded. */
async function expectPictures(page: Page, names: string[]) {
  for (const name of names) {
    const picture = page.getByRole('img', { name, exact: true });
    await expect(picture, name).toBeVisible();
    await expect(picture).toHaveAttribute('src', /\/s\/help-at-home\/pictures\/[a-z-]+\.svg$/);
    await expect
      .poll(() => picture.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0), { message: `${name} is drawn` })
      .toBe(true);
  }
}

for (const { name, width, textSize } of [
  { name: '320 px', width: 320, textSize: '100%' },
  { name: '320 px at 200 % text', width: 320, textSize: '200%' },
]) {
  test(`help-at-home answered in Easy Read by accessible names, ${name}`, async ({ page, collector }, testInfo) => {
    await page.setViewportSize({ width, height: 800 });
    await gotoHosted(page, `${collector.url}/s/help-at-home?lang=en-x-easy`);
    await page.evaluate((size) => (document.documentElement.style.fontSize = size), textSize);
    const root = widgetRoot(page);
    await expect(root).toHaveAttribute('lang', 'en-x-easy');
    await expect(heading(page)).toHaveText('Help at home: tell us what you think');
    await expect(root.locator('.voices-language [aria-current="true"]')).toHaveText('Easy Read');
    // Larger text than the same survey read in standard English (the reader's size plus 4px).
    const size = await root.evaluate((e) => parseFloat(getComputedStyle(e).fontSize));
    const rootSize = await page.evaluate(() => parseFloat(getComputedStyle(document.documentElement).fontSize));
    expect(size).toBeGreaterThanOrEqual(rootSize + 4);
    await checkScreen(page, `start (${name})`, testInfo);
    await page.screenshot({ path: screenshotPath(`easy-read-start-${width}-${textSize.replace('%', '')}.png`), fullPage: true });

    await page.getByRole('button', { name: 'Start', exact: true }).click();
    // One question to a screen: five questions, five pages.
    await expect(heading(page)).toHaveText('Page 1 out of 5: About you');
    await expect(page.getByRole('group', { name: /Who are you\?/ })).toBeVisible();
    await expect(page.getByRole('radio')).toHaveCount(3);
    await expect(page.getByRole('group', { name: /How often/ })).toHaveCount(0);
    // A picture beside the question and beside each option, each named by what it shows,
    // from the collector's own address, and drawn.
    await expectPictures(page, [
      '3 people',
      'A person in a chair. A helper stands next to them',
      '2 people holding hands. 1 person has a walking stick',
      'A person and a question mark',
    ]);
    // The option's name is still its words alone.
    await expect(page.getByRole('radio', { name: 'I get help at home', exact: true })).toBeVisible();
    await page.getByRole('button', { name: 'Next' }).click();
    const alert = page.getByRole('alert');
    await expect(alert.getByRole('heading')).toHaveText('Something is wrong');
    await expect(alert.getByRole('link', { name: 'Choose 1 answer' })).toBeVisible();
    await checkScreen(page, `who, with its error (${name})`, testInfo);
    await page.getByRole('radio', { name: 'I get help at home' }).check();
    await page.getByRole('button', { name: 'Next' }).click();

    await expect(heading(page)).toHaveText('Page 2 out of 5: About you');
    await expect(page.getByRole('group', { name: /How often does someone come to help\?/ })).toBeVisible();
    await checkScreen(page, `how often (${name})`, testInfo);
    await expectPictures(page, ['A calendar', 'A calendar. Every day is coloured in']);
    await page.getByRole('radio', { name: 'Every day' }).check();
    await page.getByRole('button', { name: 'Next' }).click();

    await expect(heading(page)).toHaveText('Page 3 out of 5: Your help');
    await expectPictures(page, ['A sad face, an OK face and a happy face']);
    await checkScreen(page, `rating (${name})`, testInfo);
    await page.getByRole('radio', { name: /^4/ }).check();
    await page.getByRole('button', { name: 'Next' }).click();

    await expect(heading(page)).toHaveText('Page 4 out of 5: Your help');
    await expect(page.getByText('You can choose more than 1.')).toBeVisible();
    await expectPictures(page, ['A light bulb', 'A clock', 'An egg timer', 'A green tick']);
    await checkScreen(page, `what would make it better (${name})`, testInfo);
    await page.screenshot({ path: screenshotPath(`easy-read-better-${width}-${textSize.replace('%', '')}.png`), fullPage: true });
    await page.getByRole('checkbox', { name: 'Helpers come on time' }).check();
    await page.getByRole('checkbox', { name: 'The same helpers each time' }).check();
    await page.getByRole('button', { name: 'Next' }).click();

    await expect(heading(page)).toHaveText('Page 5 out of 5: Your help');
    await expectPictures(page, ['A speech bubble and a pencil']);
    await checkScreen(page, `anything else (${name})`, testInfo);
    await page.getByRole('textbox', { name: /Do you want to tell us anything else\?/ }).fill('The helpers are kind.');
    await page.getByRole('button', { name: 'Next' }).click();

    await expect(heading(page)).toHaveText('Check your answers');
    await checkScreen(page, `check your answers (${name})`, testInfo);
    await page.screenshot({ path: screenshotPath(`easy-read-check-${width}-${textSize.replace('%', '')}.png`), fullPage: true });
    await page.getByRole('button', { name: 'Send answers' }).click();

    await expect(heading(page)).toHaveText('Thank you. We have got your answers.');
    await checkScreen(page, `sent (${name})`, testInfo);

    const [stored] = await collector.responses('help-at-home');
    expect(stored.locale).toBe('en-x-easy');
    expect(stored.answers).toEqual({
      who: 'get_help',
      how_often: 'every_day',
      rating: 4,
      better: ['same_people', 'on_time'],
      more: 'The helpers are kind.',
    });
  });
}

test('a reader may switch between Easy Read and standard English mid-survey and keep their place and answers', async ({
  page,
  collector,
}) => {
  await gotoHosted(page, `${collector.url}/s/help-at-home`);
  await page.getByRole('button', { name: 'Start now' }).click();
  await expect(heading(page)).toHaveText('Page 1 of 2: About you');
  // Pictures are Easy Read's: standard English shows none.
  await expect(widgetRoot(page).getByRole('img')).toHaveCount(0);
  await page.getByRole('radio', { name: 'I get help at home' }).check();
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(heading(page)).toHaveText('Page 2 of 2: The help you get');

  // To Easy Read: the same place, now one question to a screen.
  await page.getByRole('button', { name: 'Easy Read', exact: true }).click();
  await expect(heading(page)).toHaveText('Page 3 out of 5: Your help');
  await page.getByRole('button', { name: 'Back' }).click();
  await expect(heading(page)).toHaveText('Page 2 out of 5: About you');
  await page.getByRole('button', { name: 'Back' }).click();
  await expect(page.getByRole('radio', { name: 'I get help at home' })).toBeChecked();

  // And back to standard English: the page holding that question.
  await page.getByRole('button', { name: 'English', exact: true }).click();
  await expect(heading(page)).toHaveText('Page 1 of 2: About you');
  await expect(page.getByRole('radio', { name: 'I get help at home' })).toBeChecked();
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  // (axe runs in the page, so not here: these are the same components it checks above.)
  test('help-at-home answered in Easy Read as forms: a question to a page, pictures, Easy Read words', async ({
    page,
    collector,
  }) => {
    await page.goto(`${collector.url}/s/help-at-home?lang=en-x-easy`);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Help at home: tell us what you think');
    await page.getByRole('button', { name: 'Start', exact: true }).click();
    await expect(heading(page)).toHaveText('Page 1 out of 5: About you');
    await expect(page.getByRole('img', { name: '3 people' })).toBeVisible();
    await page.getByRole('button', { name: 'Next' }).click();
    await expect(page.getByRole('alert').getByRole('heading')).toHaveText('Something is wrong');
    await page.getByRole('radio', { name: 'I get help at home' }).check();
    await page.getByRole('button', { name: 'Next' }).click();
    await expect(heading(page)).toHaveText('Page 2 out of 5: About you');
    // Back to standard English as a form: the page holding the same question.
    await page.getByRole('button', { name: 'English', exact: true }).click();
    await expect(heading(page)).toHaveText('Page 1 of 2: About you');
    await expect(page.getByRole('radio', { name: 'I get help at home' })).toBeChecked();
    await expect(page.getByRole('img')).toHaveCount(0);
    await page.getByRole('button', { name: 'Easy Read', exact: true }).click();
    await expect(heading(page)).toHaveText('Page 1 out of 5: About you');
    for (const step of ['Next', 'Next']) await page.getByRole('button', { name: step }).click();
    await expect(heading(page)).toHaveText('Page 3 out of 5: Your help');
    await page.getByRole('radio', { name: /^5/ }).check();
    for (const step of ['Next', 'Next', 'Next']) await page.getByRole('button', { name: step }).click();
    await expect(heading(page)).toHaveText('Check your answers');
    await page.getByRole('button', { name: 'Send answers' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Thank you. We have got your answers.');
    const [stored] = await collector.responses('help-at-home');
    expect(stored.locale).toBe('en-x-easy');
    expect(stored.answers).toEqual({ who: 'get_help', rating: 5 });
  });
});

test.describe('axe on the server-rendered Easy Read screens', () => {
  // axe runs in the page, so JavaScript is on, but the widget's script is held back: what
  // is checked is exactly the HTML the collector sends a reader without JavaScript.
  test.use({ viewport: { width: 320, height: 800 } });

  test('no axe violations on any Easy Read screen or error state without the widget', async ({
    page,
    collector,
  }, testInfo) => {
    await page.route('**/embed.js', (route) => route.abort());
    await page.goto(`${collector.url}/s/help-at-home?lang=en-x-easy`);
    await checkScreen(page, 'start, server-rendered', testInfo);
    await page.getByRole('button', { name: 'Start', exact: true }).click();
    await page.getByRole('button', { name: 'Next' }).click();
    await expect(page.getByRole('alert')).toBeVisible();
    await checkScreen(page, 'who, with its error, server-rendered', testInfo);
    await page.getByRole('radio', { name: 'Something else' }).check();
    await page.getByRole('button', { name: 'Next' }).click();
    await expect(page.getByRole('alert')).toBeVisible();
    await checkScreen(page, 'who, its details missing, server-rendered', testInfo);
    await page.getByRole('radio', { name: 'I get help at home' }).check();
    await page.getByRole('button', { name: 'Next' }).click();
    for (const screen of ['how often', 'rating', 'what would make it better', 'anything else']) {
      await expect(page.getByRole('img').first()).toBeVisible();
      await checkScreen(page, `${screen}, server-rendered`, testInfo);
      if (screen === 'rating') await page.getByRole('radio', { name: /^3/ }).check();
      await page.getByRole('button', { name: 'Next' }).click();
    }
    await expect(heading(page)).toHaveText('Check your answers');
    await checkScreen(page, 'check your answers, server-rendered', testInfo);
    await page.getByRole('button', { name: 'Send answers' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Thank you. We have got your answers.');
    await checkScreen(page, 'sent, server-rendered', testInfo);
  });
});
