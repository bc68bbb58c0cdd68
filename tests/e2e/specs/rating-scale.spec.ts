// The rating scale reads as one scale at any width: a column of points with the end
// labels beside the ends on a phone (320 px, and 390 px at 200 % text), a row with the
// labels under the ends where it fits. Never a row that wraps its last point alone.
// Screenshots of each are kept in test-results/screenshots.

import { test, expect, heading, openHosted, widgetRoot } from '../helpers/fixtures';
import { screenshotPath } from '../helpers/paths';
import type { Page } from '@playwright/test';

async function reachTheRating(page: Page) {
  await page.getByRole('button', { name: 'Start now' }).click();
  await page.getByRole('checkbox', { name: 'I live in the area' }).check();
  await page.getByRole('radio', { name: 'Lochee' }).check();
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByRole('checkbox', { name: 'Letter or paper form' }).check();
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(heading(page)).toContainText('Page 3 of 4');
}

/** The rating question, its label and its scale. */
function ratingQuestion(page: Page) {
  return widgetRoot(page).locator('.voices-question').filter({ has: page.locator('.voices-rating') });
}

/** Where each point of the scale is, and where its end labels are. */
async function layout(page: Page) {
  return widgetRoot(page).locator('.voices-rating').evaluate((scale) => {
    const box = (e: Element) => e.getBoundingClientRect();
    const points = [...scale.querySelectorAll('.voices-rating-point')].map((point) => ({
      number: box(point.querySelector('.voices-rating-number')!),
      radio: box(point.querySelector('input')!),
      end: point.querySelector('.voices-rating-end') ? box(point.querySelector('.voices-rating-end')!) : null,
    }));
    return points.map((p) => ({
      x: Math.round(p.radio.left),
      y: Math.round(p.radio.top),
      numberTop: Math.round(p.number.top),
      numberBottom: Math.round(p.number.bottom),
      end: p.end && { top: Math.round(p.end.top), left: Math.round(p.end.left) },
    }));
  });
}

for (const { name, width, textSize } of [
  { name: '320 px', width: 320, textSize: '100%' },
  { name: '390 px at 200 % text', width: 390, textSize: '200%' },
]) {
  test(`on a phone (${name}) the scale is one column, the end labels beside the ends`, async ({ page, collector }) => {
    await page.setViewportSize({ width, height: 900 });
    await openHosted(page, collector);
    await page.evaluate((size) => (document.documentElement.style.fontSize = size), textSize);
    await reachTheRating(page);
    const points = await layout(page);
    expect(points).toHaveLength(5);
    // One column: the same left edge, each point below the one before.
    for (const [i, point] of points.entries()) {
      expect(point.x, `point ${i + 1}`).toBe(points[0].x);
      if (i > 0) expect(point.y, `point ${i + 1} below ${i}`).toBeGreaterThan(points[i - 1].y);
    }
    // The end labels beside their numbers, not under them.
    for (const end of [points[0], points[4]]) {
      expect(end.end).not.toBeNull();
      expect(end.end!.top).toBeLessThan(end.numberBottom);
    }
    await ratingQuestion(page).screenshot({ path: screenshotPath(`rating-${width}-${textSize.replace('%', '')}.png`) });
  });
}

test('where a row fits, the scale is one row with the end labels under the ends', async ({ page, collector }) => {
  await page.setViewportSize({ width: 1024, height: 900 });
  await openHosted(page, collector);
  await reachTheRating(page);
  const points = await layout(page);
  for (const [i, point] of points.entries()) {
    expect(point.y, `point ${i + 1} on the same row`).toBe(points[0].y);
    if (i > 0) expect(point.x).toBeGreaterThan(points[i - 1].x);
  }
  for (const end of [points[0], points[4]]) {
    expect(end.end!.top).toBeGreaterThanOrEqual(end.numberBottom);
  }
  await ratingQuestion(page).screenshot({ path: screenshotPath('rating-1024.png') });
});
