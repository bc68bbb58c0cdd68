// What a first visit downloads of the widget is what `cargo xtask bench` weighs: every file
// of widget/dist/manifest.json not marked `on_demand`, once each, and none that is (the
// stylesheet as a file, which embed.js carries as text; other languages' words).

import type { Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test, expect, openHosted } from '../helpers/fixtures';
import { partnerPage } from '../helpers/partner';
import { repoRoot } from '../helpers/paths';

type ManifestFile = { path: string; on_demand?: boolean };
const manifest: { files: ManifestFile[] } = JSON.parse(
  readFileSync(path.join(repoRoot, 'widget', 'dist', 'manifest.json'), 'utf8'),
);
const widgetFiles = new Set(manifest.files.map((file) => file.path));
const weighed = manifest.files
  .filter((file) => !file.on_demand)
  .map((file) => file.path)
  .sort();

/** The widget's files that `page` asks the collector at `origin` for, as they are asked. */
function widgetFilesFetched(page: Page, origin: string): string[] {
  const fetched: string[] = [];
  page.on('request', (request) => {
    const url = new URL(request.url());
    const file = url.pathname.slice(1);
    if (url.origin === origin && widgetFiles.has(file)) fetched.push(file);
  });
  return fetched;
}

test('a first visit to the hosted page fetches exactly the files the weight counts', async ({ page, collector }) => {
  const fetched = widgetFilesFetched(page, collector.url);
  await openHosted(page, collector);
  // Anything fetched after the takeover counts too.
  await page.waitForLoadState('networkidle');
  expect(fetched.sort()).toEqual(weighed);
});

test('a first visit to a partner page fetches exactly the files the weight counts', async ({
  page,
  collector,
  partner,
}) => {
  const fetched = widgetFilesFetched(page, collector.url);
  const site = await partner({
    '/': {
      body: partnerPage({
        collector: collector.url,
        body: '<h1>Have your say</h1>\n<voices-survey survey="engagement-2026"></voices-survey>',
      }),
    },
  });
  await page.goto(`${site.url}/`);
  await expect(page.locator('voices-survey')).toHaveAttribute('ready', '');
  await expect(page.getByRole('button', { name: 'Start now' })).toBeVisible();
  await page.waitForLoadState('networkidle');
  expect(fetched.sort()).toEqual(weighed);
});
