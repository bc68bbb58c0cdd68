import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { collectorBinary, repoRoot } from './helpers/paths';

// The tests drive target/debug/voices-collector, which embeds widget/dist. Build the
// collector (a no-op when it is up to date); the widget itself is built by
// `cargo xtask build-widget`, which `cargo xtask test` runs first.
export default function globalSetup(): void {
  if (!existsSync(`${repoRoot}/widget/dist/manifest.json`)) {
    throw new Error('widget/dist is missing: run `cargo xtask build-widget` first');
  }
  if (process.env.VOICES_E2E_SKIP_BUILD !== '1') {
    execFileSync('cargo', ['build', '-p', 'voices-collector'], { cwd: repoRoot, stdio: 'inherit' });
  }
  if (!existsSync(collectorBinary)) {
    throw new Error(`${collectorBinary} is missing: run \`cargo build -p voices-collector\``);
  }
}
