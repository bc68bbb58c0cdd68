import { defineConfig, devices } from '@playwright/test';

// Browser tests of the widget against a real collector (see README.md).
// Debian's Chromium is used; Playwright's own browser download is never needed.
export default defineConfig({
  testDir: './specs',
  outputDir: './test-results',
  reporter: 'list',
  globalSetup: './global-setup.ts',
  // Two cores: two workers keep the machine busy without starving the collectors.
  workers: 2,
  retries: 0,
  fullyParallel: true,
  forbidOnly: !!process.env.CI,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  use: {
    actionTimeout: 10_000,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  projects: [
    {
      name: 'chromium-mobile',
      use: {
        // A Pixel-class phone: the widget's main audience.
        ...devices['Pixel 7'],
        browserName: 'chromium',
        viewport: { width: 412, height: 915 },
        deviceScaleFactor: 2.625,
        isMobile: true,
        hasTouch: true,
        launchOptions: {
          executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
          args: [
            '--no-sandbox',
            '--disable-gpu',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
          ],
        },
      },
    },
  ],
});
