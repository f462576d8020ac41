// Scores the CLI's findings on the hand-labelled real code in test/fixtures/real/ against the
// labels: true positives, false positives (any finding that is not an expected one) and misses,
// per rule. Used by accuracy.test.ts and by `npm run accuracy` (which writes docs/accuracy.md).
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseNodeMajor } from '../../server/src/analysis/config';
import { RULES } from '../../server/src/rules';

export const ROOT = path.resolve(__dirname, '..', '..');
export const FIXTURES = path.join(ROOT, 'test/fixtures/real');

interface Label {
  rule: string;
  line: number;
  note: string;
}
interface FileLabels {
  source: string;
  license: string;
  nodeEngines?: string;
  expected: Label[];
  negatives: Label[];
}
interface CliFinding {
  file: string;
  line: number;
  column: number;
  rule: string;
  severity: string;
  message: string;
}

export interface Outcome {
  file: string;
  line: number;
  rule: string;
  note: string;
}

export interface RuleScore {
  rule: string;
  tp: Outcome[];
  fp: Outcome[];
  fn: Outcome[];
  /** Labelled positives in the set (implemented or not). */
  labelled: number;
}

export interface Score {
  files: number;
  rules: RuleScore[];
  tp: number;
  fp: number;
  fn: number;
  precision: number;
  recall: number;
}

export function loadLabels(): Record<string, FileLabels> {
  return JSON.parse(readFileSync(path.join(FIXTURES, 'labels.json'), 'utf8'));
}

/** Labelled examples the analysis cannot reach statically, with the reason, keyed `file:line:rule`. */
export function loadOutOfReach(): Record<string, string> {
  return JSON.parse(readFileSync(path.join(__dirname, 'out-of-reach.json'), 'utf8'));
}

/** Reasons written by hand for each known false positive, keyed `file:line:rule`. */
export function loadReasons(): Record<string, string> {
  return JSON.parse(readFileSync(path.join(__dirname, 'false-positive-reasons.json'), 'utf8'));
}

/**
 * Runs `wirelens check --format json` over the fixtures, one run per Node version: each excerpt is
 * checked against the lowest Node its package supports (`nodeEngines`, as `engines.node` would
 * give), else Node 20.
 */
export function runCli(labels = loadLabels()): CliFinding[] {
  const byNode = new Map<number, string[]>();
  for (const [file, l] of Object.entries(labels)) {
    const node = (l.nodeEngines && parseNodeMajor(l.nodeEngines)) || 20;
    byNode.set(node, [...(byNode.get(node) ?? []), file]);
  }
  const findings: CliFinding[] = [];
  for (const [node, files] of [...byNode].sort((a, b) => a[0] - b[0])) {
    const run = spawnSync(process.execPath, [path.join(ROOT, 'bin/wirelens.js'), 'check', ...files, '--format', 'json', '--node', String(node)], { cwd: FIXTURES, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    if (run.status !== 0 && run.status !== 1) throw new Error(`wirelens check failed (${run.status}): ${run.stderr}`);
    findings.push(...(JSON.parse(run.stdout) as CliFinding[]));
  }
  return findings;
}

export function score(findings: CliFinding[], labels = loadLabels()): Score {
  const implemented = new Set(RULES.map((r) => r.meta.id));
  const byRule = new Map<string, RuleScore>();
  const entry = (rule: string) => {
    let s = byRule.get(rule);
    if (!s) byRule.set(rule, (s = { rule, tp: [], fp: [], fn: [], labelled: 0 }));
    return s;
  };
  for (const id of implemented) entry(id);
  const key = (file: string, line: number, rule: string) => `${file}:${line}:${rule}`;
  const found = new Set(findings.map((f) => key(normalise(f.file), f.line, f.rule)));
  const expected = new Map<string, Outcome>();
  const negatives = new Map<string, string>();
  for (const [file, l] of Object.entries(labels)) {
    for (const e of l.expected) {
      expected.set(key(file, e.line, e.rule), { file, line: e.line, rule: e.rule, note: e.note });
      entry(e.rule).labelled++;
    }
    for (const n of l.negatives) negatives.set(key(file, n.line, n.rule), n.note);
  }
  const counted = new Set<string>();
  for (const f of findings) {
    const file = normalise(f.file);
    const k = key(file, f.line, f.rule);
    // Two findings of one rule on one line (both branches of a conditional) count once.
    if (counted.has(k)) continue;
    counted.add(k);
    const exp = expected.get(k);
    if (exp) entry(f.rule).tp.push(exp);
    else entry(f.rule).fp.push({ file, line: f.line, rule: f.rule, note: negatives.get(k) ?? f.message });
  }
  for (const [k, e] of expected) if (implemented.has(e.rule) && !found.has(k)) entry(e.rule).fn.push(e);
  const rules = [...byRule.values()].filter((r) => implemented.has(r.rule)).sort((a, b) => a.rule.localeCompare(b.rule));
  const tp = rules.reduce((n, r) => n + r.tp.length, 0);
  const fp = rules.reduce((n, r) => n + r.fp.length, 0);
  const fn = rules.reduce((n, r) => n + r.fn.length, 0);
  return { files: Object.keys(labels).length, rules, tp, fp, fn, precision: tp + fp === 0 ? 1 : tp / (tp + fp), recall: tp + fn === 0 ? 1 : tp / (tp + fn) };
}

/** CLI paths are relative to the folder given; labels are relative to test/fixtures/real. */
function normalise(file: string): string {
  const abs = path.resolve(FIXTURES, file);
  return path.relative(FIXTURES, abs).split(path.sep).join('/');
}

export function renderAccuracy(s: Score, reasons: Record<string, string>, outOfReach: Record<string, string> = loadOutOfReach()): string {
  const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
  const out = [
    '# Accuracy on real code',
    '',
    '<!-- Generated by `npm run accuracy` from test/fixtures/real/labels.json and test/accuracy/false-positive-reasons.json. -->',
    '',
    `The validation set is ${s.files} excerpts of published npm packages and permissively licensed repositories, labelled by hand`,
    '(sources and licences in [test/fixtures/real/README.md](../test/fixtures/real/README.md)). `npm test` runs',
    '`wirelens check --format json` over them (with `--node` set to the lowest Node each package supports, else 20) and scores every finding: a finding on a labelled line',
    'is a true positive; any other finding counts as a false positive; a labelled line without its finding is a miss.',
    '',
    `**Overall: precision ${pct(s.precision)} (${s.tp} true, ${s.fp} false positives), recall ${pct(s.recall)} (${s.fn} missed).**`,
    '',
    '| Rule | Labelled | True positives | False positives | Misses | Precision |',
    '|---|---|---|---|---|---|',
  ];
  for (const r of s.rules) {
    const p = r.tp.length + r.fp.length === 0 ? '—' : pct(r.tp.length / (r.tp.length + r.fp.length));
    out.push(`| \`${r.rule}\` | ${r.labelled} | ${r.tp.length} | ${r.fp.length} | ${r.fn.length} | ${p} |`);
  }
  const fps = s.rules.flatMap((r) => r.fp);
  out.push('', '## False positives', '');
  if (fps.length === 0) out.push('None.');
  for (const f of fps) out.push(`- \`${f.rule}\` at ${f.file}:${f.line} — ${reasons[`${f.file}:${f.line}:${f.rule}`] ?? 'NO REASON WRITTEN'}`);
  const fns = s.rules.flatMap((r) => r.fn);
  out.push('', '## Misses', '');
  if (fns.length === 0) out.push('None.');
  for (const f of fns) {
    const why = outOfReach[`${f.file}:${f.line}:${f.rule}`];
    out.push(`- \`${f.rule}\` at ${f.file}:${f.line} — labelled: ${f.note}${why ? ` **Out of static reach:** ${why}` : ''}`);
  }
  return `${out.join('\n')}\n`;
}
