// Fuzzing the capture engine: at least 100,000 mutated captures per run (truncations, flipped bytes, huge
// and edge lengths, random tails, splices, insertions, pure noise), in two worker threads. Every case must
// return a well-formed analysis without throwing; a case that hangs is caught by a deadline and named.
// The seed is random per run and printed on failure; set WIRELENS_FUZZ_SEED to replay one.

import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { Worker } from 'node:worker_threads';

const CASES = Number(process.env.WIRELENS_FUZZ_CASES ?? 100_000);
const WORKERS = 2;
const DEADLINE_MS = 150_000;
const seed = process.env.WIRELENS_FUZZ_SEED ? Number(process.env.WIRELENS_FUZZ_SEED) : Math.floor(Math.random() * 2 ** 31);

interface Outcome {
  failed: boolean;
  caseNumber?: number;
  strategy?: string;
  message?: string;
  input?: string;
  slowest?: number;
  errors?: number;
}

describe('capture engine fuzzing', () => {
  it(`survives ${CASES} mutated captures (seed ${seed})`, { timeout: DEADLINE_MS + 10_000 }, async () => {
    const progress = new SharedArrayBuffer(4 * WORKERS);
    const view = new Int32Array(progress);
    const per = Math.ceil(CASES / WORKERS);
    const started = Date.now();
    const runs = Array.from({ length: WORKERS }, (_, slot) => {
      // Worker threads do not take a .ts entry point; load it through tsx's CommonJS hook.
      const worker = new Worker(`require('tsx/cjs'); require(${JSON.stringify(path.join(__dirname, 'fuzzWorker.ts'))});`, {
        eval: true,
        workerData: { seed, first: slot * per, count: Math.min(per, CASES - slot * per), progress, slot },
        resourceLimits: { maxOldGenerationSizeMb: 768 },
      });
      return new Promise<Outcome>((resolve, reject) => {
        const timer = setTimeout(() => {
          void worker.terminate();
          reject(new Error(`fuzz worker ${slot} did not finish in ${DEADLINE_MS} ms: case ${Atomics.load(view, slot)} hangs or is far too slow (seed ${seed}; replay with WIRELENS_FUZZ_SEED=${seed})`));
        }, DEADLINE_MS);
        worker.once('message', (outcome: Outcome) => {
          clearTimeout(timer);
          void worker.terminate();
          resolve(outcome);
        });
        worker.once('error', (error) => {
          clearTimeout(timer);
          reject(new Error(`fuzz worker ${slot} crashed at case ${Atomics.load(view, slot)} (seed ${seed}): ${error.message}`));
        });
      });
    });
    const outcomes = await Promise.all(runs);
    for (const o of outcomes) {
      if (o.failed) {
        assert.fail(`case ${o.caseNumber} (${o.strategy}) failed with seed ${seed} — replay with WIRELENS_FUZZ_SEED=${seed}\n${o.message}\ninput (base64): ${o.input?.slice(0, 4000)}`);
      }
    }
    const slowest = Math.max(...outcomes.map((o) => o.slowest ?? 0));
    const errors = outcomes.reduce((n, o) => n + (o.errors ?? 0), 0);
    console.log(`fuzz: ${CASES} cases in ${Date.now() - started} ms, seed ${seed}, slowest case ${slowest.toFixed(1)} ms, ${errors} stopped with an error`);
    assert.ok(slowest < 2000, `slowest case took ${slowest.toFixed(0)} ms (seed ${seed})`);
    assert.ok(errors > CASES / 10, 'the mutations reach the error paths');
    assert.ok(errors < CASES, 'some mutations still read to the end');
  });
});
