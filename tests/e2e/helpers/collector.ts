// Starts a real collector (`target/debug/voices-collector serve`) on a free loopback port
// with a fresh data directory, and reads back what it stored with `export`.

import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { collectorBinary, exampleSurveys } from './paths';

export interface StoredResponse {
  receipt: string;
  survey_id: string;
  survey_version: number;
  submitted_at: string;
  submission_id: string;
  locale: string;
  channel: string;
  answers: Record<string, unknown>;
  specify?: Record<string, string>;
  started_at?: string;
}

export interface Collector {
  /** `http://127.0.0.1:PORT`, no trailing slash. */
  url: string;
  /** Stops the server (SIGTERM, then waits for it to exit). Safe to call twice. */
  stop(): Promise<void>;
  /** Stops the server and returns the survey's stored responses (`export --format ndjson`). */
  responses(survey?: string): Promise<StoredResponse[]>;
  /** What the collector wrote on stderr so far (for failure messages). */
  log(): string;
  /** Stops the server and deletes its data. */
  dispose(): Promise<void>;
  /** An admin's bearer token for the staff API, when `adminToken` was asked for. */
  token?: string;
}

export interface StaffAccount {
  name: string;
  role: 'admin' | 'analyst' | 'interviewer';
  password: string;
  /** An interviewer's surveys to collect responses for. */
  surveys?: string[];
}

/** `--public-url` of a collector that sends email: its links start so. */
export const PUBLIC_URL = 'http://voices.e2e.test';

export interface CollectorOptions {
  /** Survey definitions to publish besides the examples, as objects. */
  surveys?: Record<string, unknown>[];
  /** Staff accounts added with `user add` (password on stdin) before serving. */
  staff?: StaffAccount[];
  /**
   * Serve from this data directory (for example on a small tmpfs) instead of a fresh
   * one; it belongs to the caller and is left in place by `dispose`.
   */
  data?: string;
  /** `--form-min-seconds` (default here 0: tests answer faster than people do). */
  formMinSeconds?: number;
  /** Create an admin token (`token create`) before serving: `collector.token`. */
  adminToken?: boolean;
  /**
   * Send update emails to this SMTP relay (`--smtp-url`), with links to
   * `http://voices.e2e.test` (`--public-url`: tests put the collector's address in).
   */
  smtpUrl?: string;
}

/** `voices-collector token create e2e --role admin --data DIR`: the secret it prints. */
async function createAdminToken(data: string): Promise<string> {
  mkdirSync(data, { recursive: true });
  return new Promise<string>((resolve, reject) => {
    execFile(
      collectorBinary,
      ['token', 'create', 'e2e', '--role', 'admin', '--data', data],
      (error, out, err) => (error ? reject(new Error(`token create failed: ${error.message}\n${err}`)) : resolve(out.trim())),
    );
  });
}

/** `voices-collector survey publish FILE... --data DIR`, every survey in `dir`. */
async function publishSurveys(data: string, dir: string): Promise<void> {
  mkdirSync(data, { recursive: true });
  const files = readdirSync(dir).filter((f) => f.endsWith('.json')).map((f) => path.join(dir, f));
  await new Promise<void>((resolve, reject) => {
    execFile(collectorBinary, ['survey', 'publish', ...files, '--data', data], (error, _out, err) =>
      error ? reject(new Error(`survey publish failed: ${error.message}\n${err}`)) : resolve(),
    );
  });
}

/** `voices-collector user add NAME --data DIR --role ROLE`, the password piped to stdin. */
async function addStaff(data: string, account: StaffAccount): Promise<void> {
  mkdirSync(data, { recursive: true });
  await new Promise<void>((resolve, reject) => {
    const child = execFile(
      collectorBinary,
      ['user', 'add', account.name, '--data', data, '--role', account.role,
        ...(account.surveys ?? []).flatMap((survey) => ['--survey', survey])],
      (error, _out, err) => (error ? reject(new Error(`user add failed: ${error.message}\n${err}`)) : resolve()),
    );
    child.stdin!.end(`${account.password}\n`);
  });
}

const START_TIMEOUT_MS = 20_000;
const STOP_TIMEOUT_MS = 10_000;

export async function startCollector(options: CollectorOptions = {}): Promise<Collector> {
  const root = mkdtempSync(path.join(tmpdir(), 'voices-e2e-'));
  const data = options.data ?? path.join(root, 'data');
  const surveys = path.join(root, 'surveys');
  // The example definitions, with the folders of pictures beside them (help-at-home/).
  cpSync(exampleSurveys, surveys, { recursive: true });
  for (const survey of options.surveys ?? []) {
    writeFileSync(path.join(surveys, `${survey.id}.json`), JSON.stringify(survey, null, 2));
  }
  // An interviewer is given published surveys only: publish them first (serve finds them
  // published already).
  if ((options.staff ?? []).some((account) => account.surveys?.length)) {
    await publishSurveys(data, surveys);
  }
  for (const account of options.staff ?? []) {
    await addStaff(data, account);
  }
  const token = options.adminToken ? await createAdminToken(data) : undefined;

  const child = spawn(
    collectorBinary,
    [
      'serve', '--addr', '127.0.0.1:0', '--data', data, '--surveys', surveys, '--demo', '--rate-limit', '0',
      // Tests answer faster than people: the no-JavaScript speed bump is tested on its own.
      '--form-min-seconds', String(options.formMinSeconds ?? 0),
      ...(options.smtpUrl
        ? ['--smtp-url', options.smtpUrl, '--mail-from', 'Voices <voices@e2e.test>',
           '--public-url', PUBLIC_URL, '--mail-retry-seconds', '1']
        : []),
    ],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, VOICES_LOG: process.env.VOICES_LOG ?? 'warn' } },
  );
  let stderr = '';
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (chunk: string) => {
    stderr += chunk;
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  const url = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    const timer = setTimeout(() => {
      reject(new Error(`the collector did not say "listening on" within ${START_TIMEOUT_MS} ms\n${stderr}`));
    }, START_TIMEOUT_MS);
    lines.on('line', (line) => {
      const match = /^listening on (http:\/\/\S+)/.exec(line);
      if (match) {
        clearTimeout(timer);
        resolve(match[1].replace(/\/+$/, ''));
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the collector exited with ${code} before listening\n${stderr}`));
    });
  }).catch(async (error) => {
    kill(child);
    rmSync(root, { recursive: true, force: true });
    throw error;
  });

  let stopped: Promise<void> | null = null;
  const stop = (): Promise<void> => {
    stopped ??= (async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
      }
      const code = await Promise.race([
        exited,
        new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), STOP_TIMEOUT_MS)),
      ]);
      if (code === 'timeout') {
        kill(child);
        await exited;
        throw new Error(`the collector did not stop within ${STOP_TIMEOUT_MS} ms of SIGTERM\n${stderr}`);
      }
      if (code !== 0) {
        throw new Error(`the collector exited with ${code} after SIGTERM (expected 0)\n${stderr}`);
      }
    })();
    return stopped;
  };

  const responses = async (survey = 'engagement-2026'): Promise<StoredResponse[]> => {
    await stop();
    const stdout = await new Promise<string>((resolve, reject) => {
      execFile(
        collectorBinary,
        ['export', '--data', data, '--survey', survey, '--format', 'ndjson'],
        { maxBuffer: 16 * 1024 * 1024 },
        (error, out, err) => (error ? reject(new Error(`export failed: ${error.message}\n${err}`)) : resolve(out)),
      );
    });
    return stdout
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as StoredResponse);
  };

  const dispose = async (): Promise<void> => {
    try {
      await stop();
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  };

  return { url, stop, responses, log: () => stderr, dispose, token };
}

/** Last resort: SIGKILL this one process, by its PID. */
function kill(child: ChildProcess): void {
  if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
    try {
      process.kill(child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}
