import { mkdirSync } from 'node:fs';
import path from 'node:path';

export const e2eDir = path.resolve(__dirname, '..');
export const repoRoot = path.resolve(e2eDir, '..', '..');
export const collectorBinary =
  process.env.VOICES_COLLECTOR ?? path.join(repoRoot, 'target', 'debug', 'voices-collector');
export const exampleSurveys = path.join(repoRoot, 'examples', 'surveys');
export const resultsDir = path.join(e2eDir, 'test-results');

/** Where tests save screenshots worth looking at: test-results/screenshots/NAME. */
export function screenshotPath(name: string): string {
  const dir = path.join(resultsDir, 'screenshots');
  mkdirSync(dir, { recursive: true });
  return path.join(dir, name);
}
