// Fuzzing the analysis core with mutated real files: at least 20,000 cases per run (truncations,
// replaced characters, unbalanced brackets, 10,000-deep nesting, binary content, invalid UTF-8, lone
// surrogates, token soup, editing sessions of incremental edits, and a >5 MB minified bundle built by
// esbuild from node_modules), spread over worker threads. No exception may escape, every result must
// be well-formed, and each analysis must stay within a ceiling relative to a plain parse of the same
// text. The seed is random per run and printed; WIRELENS_FUZZ_SEED replays a run, and with
// WIRELENS_FUZZ_CASE one case of it. WIRELENS_FUZZ_CASES changes the number of cases.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { Worker } from 'node:worker_threads';
import { buildMinifiedBundle, BUNDLE_MIN_BYTES } from './fuzz/corpus';
import type { WorkerJob, WorkerSummary } from './fuzz/worker';

const CASES = Number(process.env.WIRELENS_FUZZ_CASES ?? 20_000);
const ONLY = process.env.WIRELENS_FUZZ_CASE === undefined ? undefined : Number(process.env.WIRELENS_FUZZ_CASE);
const seed = process.env.WIRELENS_FUZZ_SEED ? Number(process.env.WIRELENS_FUZZ_SEED) : Math.floor(Math.random() * 2 ** 31);
const WORKERS = ONLY !== undefined ? 1 : Math.max(2, Math.min(4, availableParallelism()));
/** No progress on one case for this long is a hang (the bundle cases take seconds, not minutes). */
const HANG_MS = 300_000;
const DEADLINE_MS = 900_000;

function runWorkers(bundlePath: string): Promise<WorkerSummary[]> {
  const counter = new SharedArrayBuffer(4);
  const progress = new SharedArrayBuffer(4 * WORKERS);
  const current = new Int32Array(progress);
  return Promise.all(
    Array.from({ length: WORKERS }, (_, slot) => {
      const job: WorkerJob = { seed, cases: CASES, only: ONLY, bundlePath, counter, progress, slot };
      // Worker threads do not take a .ts entry point: load it through tsx's CommonJS hook. A 1 MB
      // stack, like the main thread of the language server and the CLI.
      const worker = new Worker(`require('tsx/cjs'); require(${JSON.stringify(path.join(__dirname, 'fuzz', 'worker.ts'))});`, {
        eval: true,
        workerData: job,
        // A larger young generation halves the time of the multi-megabyte cases (fewer scavenges).
        resourceLimits: { stackSizeMb: 1, maxOldGenerationSizeMb: 4096, maxYoungGenerationSizeMb: 64 },
      });
      return new Promise<WorkerSummary>((resolve, reject) => {
        let last = -1;
        let since = Date.now();
        const watchdog = setInterval(() => {
          const now = Atomics.load(current, slot);
          if (now !== last) {
            last = now;
            since = Date.now();
          } else if (Date.now() - since > HANG_MS) {
            clearInterval(watchdog);
            void worker.terminate();
            reject(new Error(`fuzz case ${now} hangs (no progress for ${HANG_MS} ms); replay with WIRELENS_FUZZ_SEED=${seed} WIRELENS_FUZZ_CASE=${now}`));
          }
        }, 1000);
        worker.once('message', (summary: WorkerSummary) => {
          clearInterval(watchdog);
          void worker.terminate();
          resolve(summary);
        });
        worker.once('error', (error) => {
          clearInterval(watchdog);
          reject(new Error(`fuzz worker ${slot} crashed at case ${Atomics.load(current, slot)} (replay with WIRELENS_FUZZ_SEED=${seed} WIRELENS_FUZZ_CASE=${Atomics.load(current, slot)}): ${error.stack ?? error.message}`));
        });
      });
    }),
  );
}

describe('analysis fuzzing', () => {
  it(`survives ${ONLY !== undefined ? `case ${ONLY}` : `${CASES} mutated inputs`} (seed ${seed})`, { timeout: DEADLINE_MS }, async () => {
    console.log(`fuzz: seed ${seed} (replay with WIRELENS_FUZZ_SEED=${seed})`);
    const started = Date.now();
    const dir = mkdtempSync(path.join(tmpdir(), 'wirelens-fuzz-'));
    try {
      const bundle = await buildMinifiedBundle();
      assert.ok(Buffer.byteLength(bundle) >= BUNDLE_MIN_BYTES);
      const bundlePath = path.join(dir, 'bundle.min.js');
      writeFileSync(bundlePath, bundle);
      const built = Date.now() - started;
      // CPU time of this process's threads (both workers): what the run costs on an idle machine.
      const cpuBefore = process.cpuUsage();
      const summaries = await runWorkers(bundlePath);
      const cpu = process.cpuUsage(cpuBefore);
      const cpuSeconds = (cpu.user + cpu.system) / 1e6;
      const failures = summaries.flatMap((s) => s.failures).sort((a, b) => a.caseNumber - b.caseNumber);
      const total = summaries.reduce((n, s) => n + s.cases, 0);
      const byStrategy: Record<string, number> = {};
      for (const s of summaries) for (const [k, v] of Object.entries(s.byStrategy)) byStrategy[k] = (byStrategy[k] ?? 0) + v;
      const slowest = summaries.map((s) => s.slowest).sort((a, b) => b.ms - a.ms)[0];
      const failedToParse = summaries.reduce((n, s) => n + s.failedToParse, 0);
      const findings = summaries.reduce((n, s) => n + s.findings, 0);
      const calls = summaries.reduce((n, s) => n + s.calls, 0);
      const bundleStats = summaries.find((s) => s.bundle)?.bundle;
      console.log(
        `fuzz: ${total} cases in ${Date.now() - started} ms (bundle built in ${built} ms) over ${WORKERS} workers, ${cpuSeconds.toFixed(0)} CPU seconds, seed ${seed}; ` +
          `${calls} calls and ${findings} findings checked; ${failedToParse} inputs too deeply nested to parse (reported, not thrown); ` +
          `slowest case ${slowest?.ms} ms (#${slowest?.caseNumber} ${slowest?.strategy}, parse ${slowest?.parseMs ?? '-'} ms)` +
          (bundleStats ? `; bundle ${bundleStats.bytes} bytes: analysis ${bundleStats.analyseMs.toFixed(0)} ms, parse ${bundleStats.parseMs?.toFixed(0)} ms, edits ${bundleStats.editMs.join('/')} ms` : ''),
      );
      const mutationMs = summaries.reduce((n, s) => n + s.mutationMs, 0);
      console.log(`fuzz: ${(mutationMs / Math.max(1, total - 2)).toFixed(2)} ms per mutation case; cases by strategy ${JSON.stringify(byStrategy)}`);
      if (failures.length) {
        assert.fail(
          failures
            .map((f) => `case ${f.caseNumber} (${f.strategy}) — replay with WIRELENS_FUZZ_SEED=${seed} WIRELENS_FUZZ_CASE=${f.caseNumber}\n  ${f.problems.join('\n  ')}\n  input starts: ${JSON.stringify(f.excerpt)}`)
            .join('\n\n'),
        );
      }
      if (ONLY === undefined) {
        assert.equal(total, CASES, 'every case ran');
        assert.ok(failedToParse > 0, 'the deep-nesting cases reach the parser-overflow path');
        assert.ok(findings > CASES / 10, `the mutations still reach the rules (${findings} findings)`);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
