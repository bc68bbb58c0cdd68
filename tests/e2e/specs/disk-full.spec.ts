// A full disk under the collector: the widget keeps the response in its outbox while the
// collector answers 503, and it is stored exactly once when space returns, without a
// restart of the collector. The disk is a real 32 MB tmpfs, which needs root (as CI has).

import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test, expect, heading, outboxEntries, reachCheckAnswers } from '../helpers/fixtures';
import { startCollector } from '../helpers/collector';

const queuedHeading = 'Your answers are kept on this device';
const sentHeading = 'Thank you, your answers have been sent';
const diskFull = 'the disk holding the data directory is full';

/** Mounts a tmpfs of `size` on a new directory; fails saying why when not root. */
function mountTmpfs(size: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'voices-full-disk-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], { stdio: 'pipe' });
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim() ?? String(error);
    throw new Error(
      `mounting a tmpfs failed (${stderr}); this test needs root (CAP_SYS_ADMIN), as CI has, ` +
        `and runs as uid ${process.getuid?.()}`,
    );
  }
  return dir;
}

/** Unmounts `dir` (waiting for a process still closing its files, lazily as a last resort) and removes it. */
async function unmount(dir: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      execFileSync('umount', [dir], { stdio: 'pipe' });
      break;
    } catch (error) {
      if (attempt === 50) {
        execFileSync('umount', ['-l', dir], { stdio: 'pipe' });
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  rmSync(dir, { recursive: true, force: true });
}

/** Fills the file system holding `dir` to the last byte; returns the file that did it. */
function fill(dir: string): string {
  const file = path.join(dir, 'filler');
  const fd = openSync(file, 'w');
  try {
    for (const size of [1024 * 1024, 4096, 1]) {
      const chunk = Buffer.alloc(size);
      for (;;) {
        try {
          writeSync(fd, chunk);
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code === 'ENOSPC') break;
          throw error;
        }
      }
    }
  } finally {
    closeSync(fd);
  }
  return file;
}

test('on a full disk the response waits in the outbox, and is stored once when space returns', async ({ page }) => {
  test.setTimeout(120_000);
  const disk = mountTmpfs('32m');
  try {
    const collector = await startCollector({ data: path.join(disk, 'data') });
    let passed = false;
    try {
      await reachCheckAnswers(page, collector);

      // Fill the disk, then write until the collector notices: sled still fits a few
      // small records into pages it already has. Each health check is such a write.
      const filler = fill(disk);
      let health: Response | undefined;
      for (let i = 0; i < 500; i++) {
        health = await fetch(`${collector.url}/healthz`);
        if (health.status === 503) break;
      }
      expect(health?.status, 'the health check fails on the full disk').toBe(503);
      expect((await health!.json()).message).toContain(diskFull);

      const answers: { status: number; message: string }[] = [];
      page.on('response', async (response) => {
        if (response.request().method() === 'POST' && response.url().includes('/responses')) {
          const body = await response.json().catch(() => ({}));
          answers.push({ status: response.status(), message: String(body.message ?? '') });
        }
      });
      await page.getByRole('button', { name: 'Send my answers' }).click();
      await expect(heading(page)).toHaveText(queuedHeading);
      const waiting = await outboxEntries(page);
      expect(waiting).toMatchObject([{ survey_id: 'engagement-2026' }]);

      // The widget tries again (after about 2 s) and is refused again; the response stays put.
      await expect.poll(() => answers.length, { timeout: 30_000 }).toBeGreaterThanOrEqual(2);
      for (const answer of answers) {
        expect(answer.status).toBe(503);
        expect(answer.message).toContain(diskFull);
      }
      await expect(heading(page)).toHaveText(queuedHeading);
      expect(await outboxEntries(page)).toEqual(waiting);

      // Space returns: the next retry is stored, by the same collector process.
      rmSync(filler);
      await expect(heading(page)).toHaveText(sentHeading, { timeout: 90_000 });
      await expect(page.locator('.voices-receipt')).toHaveText(/^[A-Z0-9]{4}-[A-Z0-9]{4}$/);
      expect(await outboxEntries(page)).toEqual([]);
      expect(answers.at(-1)?.status).toBe(201);

      const stored = await collector.responses();
      expect(stored).toHaveLength(1);
      expect(stored[0].submission_id).toBe(waiting[0].submission_id);
      expect(stored[0].answers).toMatchObject({ connection: ['resident'], locality: 'lochee', heard_back: 'never' });
      passed = true;
    } finally {
      // A collector that cannot flush at exit (the disk is still full) stops with 2:
      // that must not hide the failure that left it so.
      await collector.dispose().catch((error) => {
        if (passed) throw error;
        console.error(`stopping the collector: ${error}`);
      });
    }
  } finally {
    await unmount(disk);
  }
});
