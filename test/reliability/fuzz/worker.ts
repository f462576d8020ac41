// One fuzz worker thread: takes case numbers from a shared counter until the run is done, reports its
// current case through shared memory (so a hang is named), and posts a summary with every failure.
import { readFileSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { analyzeText, AnalyzedDocument, defaultConfig } from '../../../server/src/analysis/index';
import { problemsOf, runCase, timeProblems, useReference, type CaseOutcome, type Timing } from './check';
import { binarySeeds, sourceSeeds } from './corpus';
import { makeCase } from './mutations';
import { caseRandom, int } from './random';

export interface WorkerJob {
  seed: number;
  cases: number;
  /** Only this case (replay). */
  only?: number;
  bundlePath: string;
  counter: SharedArrayBuffer;
  progress: SharedArrayBuffer;
  slot: number;
}

export interface Failure {
  caseNumber: number;
  strategy: string;
  problems: string[];
  /** The start of the input, for the report (the case replays exactly from seed and number). */
  excerpt: string;
}

export interface WorkerSummary {
  slot: number;
  cases: number;
  byStrategy: Record<string, number>;
  failures: Failure[];
  failedToParse: number;
  calls: number;
  findings: number;
  slowest: { ms: number; caseNumber: number; strategy: string; parseMs?: number };
  /** Wall time of the mutation cases (all but the bundle), for the report. */
  mutationMs: number;
  bundle?: { bytes: number; analyseMs: number; parseMs?: number; editMs: number[] };
}

/** Cases 0 and 1 run on the multi-megabyte minified bundle; every other number is a mutation. */
export const BUNDLE_CASES = 2;
/** Analysis of the bundle ≤ this × its parse (measured ≈ 5× on an idle machine). */
const BUNDLE_RATIO = 15;

const job = workerData as WorkerJob;
const counter = new Int32Array(job.counter);
const progress = new Int32Array(job.progress);
const corpus = { sources: sourceSeeds(), binaries: binarySeeds() };
useReference(corpus.sources.find((s) => s.name === 'examples/src/api.ts')?.text ?? corpus.sources[0]!.text);

function bundleCase(caseNumber: number, summary: WorkerSummary): { strategy: string; outcome: CaseOutcome; excerpt: string } {
  const bundle = readFileSync(job.bundlePath, 'utf8');
  const config = defaultConfig();
  const r = caseRandom(job.seed, caseNumber);
  const problems: string[] = [];
  const timings: Timing[] = [];
  let failedToParse = false;
  if (caseNumber === 0) {
    // The pristine bundle in an open document, then edits re-parsed incrementally.
    const doc = new AnalyzedDocument('bundle.min.js', bundle);
    let t = performance.now();
    let a = doc.analyze(config).analysis;
    const ms = performance.now() - t;
    problems.push(...problemsOf(bundle, a));
    const timed = timeProblems('bundle.min.js', bundle, ms, () => {
      const t2 = performance.now();
      analyzeText('bundle.min.js', bundle, config);
      return performance.now() - t2;
    }, 'analysis of the bundle');
    problems.push(...timed.problems);
    timings.push(timed.timing);
    summary.bundle = { bytes: Buffer.byteLength(bundle), analyseMs: timed.timing.ms, parseMs: timed.timing.parseMs, editMs: [] };
    // Large files get a tighter ceiling than the generic one (made for small inputs, where fixed costs
    // dominate): anything quadratic in the number of functions or calls shows up here first.
    const parsed = timed.timing.parseMs;
    if (parsed !== undefined && timed.timing.ms > BUNDLE_RATIO * parsed) problems.push(`the bundle's analysis took ${timed.timing.ms.toFixed(0)} ms, over ${BUNDLE_RATIO} × its parse (${parsed.toFixed(0)} ms)`);
    // Two edits folded into one incremental re-parse: a call typed at the top, a stray bracket inside.
    const edits: Array<Array<[number, number, string]>> = [[[0, 0, "const wirelensProbe = fetch('https://api.example.com/x');"], [int(r, 0, bundle.length), 0, '(']]];
    for (const batch of edits) {
      for (const [start, length, text] of batch) doc.applyEdit(start, start + length, text);
      t = performance.now();
      a = doc.analyze(config).analysis;
      const editMs = performance.now() - t;
      summary.bundle.editMs.push(Math.round(editMs));
      problems.push(...problemsOf(doc.currentText, a));
      // An edit may cost what opening the file cost, not more.
      const opened = timings[0]!.ms;
      if (editMs > 2 * opened + 1000) problems.push(`an edit to the bundle took ${editMs.toFixed(0)} ms (opening it took ${opened.toFixed(0)} ms)`);
      if (a.failure) failedToParse = true;
    }
    for (let k = 0; k < 20; k++) {
      const offset = int(r, 0, doc.currentText.length);
      const call = doc.callAt(offset, config);
      if (call && !(call.range.start <= offset && offset <= call.range.end)) problems.push(`callAt(${offset}) returned a call at ${call.range.start}-${call.range.end}`);
    }
    return { strategy: 'minified bundle, opened and edited', outcome: { problems, timings, failedToParse, calls: a.calls.length, findings: a.findings.length }, excerpt: bundle.slice(0, 200) };
  }
  // A damaged copy: cut short and with characters replaced.
  const chars = bundle.slice(0, int(r, bundle.length >> 1, bundle.length)).split('');
  for (let i = 0; i < 200; i++) chars[int(r, 0, chars.length)] = String.fromCharCode(int(r, 0, 0x10000));
  const damaged = chars.join('');
  const t = performance.now();
  const a = analyzeText('bundle.min.js', damaged, config);
  const ms = performance.now() - t;
  problems.push(...problemsOf(damaged, a));
  const timed = timeProblems('bundle.min.js', damaged, ms, () => {
    const t2 = performance.now();
    analyzeText('bundle.min.js', damaged, config);
    return performance.now() - t2;
  }, 'analysis of the damaged bundle');
  problems.push(...timed.problems);
  timings.push(timed.timing);
  return { strategy: 'minified bundle, truncated and damaged', outcome: { problems, timings, failedToParse: !!a.failure, calls: a.calls.length, findings: a.findings.length }, excerpt: damaged.slice(0, 200) };
}

function run(): WorkerSummary {
  const summary: WorkerSummary = { slot: job.slot, cases: 0, byStrategy: {}, failures: [], failedToParse: 0, calls: 0, findings: 0, slowest: { ms: 0, caseNumber: -1, strategy: '' }, mutationMs: 0 };
  for (;;) {
    const caseNumber = job.only ?? Atomics.add(counter, 0, 1);
    if (job.only === undefined && caseNumber >= job.cases) break;
    Atomics.store(progress, job.slot, caseNumber);
    let strategy = '?';
    let excerpt = '';
    let outcome: CaseOutcome;
    const caseStarted = performance.now();
    try {
      if (caseNumber < BUNDLE_CASES) {
        ({ strategy, outcome, excerpt } = bundleCase(caseNumber, summary));
      } else {
        const c = makeCase(job.seed, caseNumber, corpus);
        strategy = c.strategy;
        excerpt = c.text.slice(0, 300);
        outcome = runCase(c);
      }
    } catch (err) {
      outcome = { problems: [`threw: ${err instanceof Error ? err.stack : String(err)}`], timings: [], failedToParse: false, calls: 0, findings: 0 };
    }
    summary.cases++;
    if (caseNumber >= BUNDLE_CASES) summary.mutationMs += performance.now() - caseStarted;
    const family = strategy.replace(/ \(.*$/, '').replace(/ ×\d+| of \d+ edits/, '');
    summary.byStrategy[family] = (summary.byStrategy[family] ?? 0) + 1;
    if (outcome.failedToParse) summary.failedToParse++;
    summary.calls += outcome.calls;
    summary.findings += outcome.findings;
    for (const t of outcome.timings) if (t.ms > summary.slowest.ms) summary.slowest = { ms: Math.round(t.ms), caseNumber, strategy, parseMs: t.parseMs && Math.round(t.parseMs) };
    if (outcome.problems.length) {
      summary.failures.push({ caseNumber, strategy, problems: outcome.problems.slice(0, 5), excerpt });
      if (summary.failures.length >= 5) break;
    }
    if (job.only !== undefined) break;
  }
  return summary;
}

parentPort!.postMessage(run());
