// Signing in to the staff pages, as the specs that use them do before anything else.

import { expect, type Page } from '@playwright/test';

/**
 * Signs `who` in on the sign-in page and waits for where they start: the list of surveys,
 * or for an interviewer the surveys to collect responses for.
 */
export async function signIn(
  page: Page,
  url: string,
  who: { name: string; password: string; role?: string },
): Promise<void> {
  await page.goto(`${url}/admin/sign-in`);
  await page.getByLabel('User name').fill(who.name);
  await page.getByLabel('Password').fill(who.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  const home = who.role === 'interviewer' ? 'Collect responses' : 'Surveys';
  await expect(page.getByRole('heading', { level: 1, name: home })).toBeVisible();
}
