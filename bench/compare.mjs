// Compares the analysis at another revision with the working tree, for performance work that must not
// change a single finding (`npm run bench:compare -- --base <rev>`):
//   1. the same answer: every corpus file analysed by both, calls and findings compared;
//   2. the edit cost: the 10,000-line editor document, the bench's single-letter edits, each bundle
//      in its own process, passes interleaved (base, head, base, head, …); per edit the median over
//      the passes, then p50 / p95 / mean of wall time and of CPU time.
// Both sides are bundled and minified by esbuild the way the shipped server is.
//
// Options: --base REV (required) --passes N (default 3) --lines N (default 10000) --edits N (default 200)
//          --no-corpus (skip the answer comparison)
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { cacheDir, ensureCorpus, listCorpusFiles, repoRoot } from './corpus.mjs';
import { median, summary } from './stats.mjs';

const argv = process.argv.slice(2);
const option = (name, fallback) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : fallback);
const base = option('--base');
if (!base) {
  process.stderr.write('usage: node bench/compare.mjs --base <git revision> [--passes N] [--lines N] [--edits N] [--no-corpus]\n');
  process.exit(2);
}
const passes = Number(option('--passes', 3));
const lines = Number(option('--lines', 10000));
const edits = Number(option('--edits', 200));
const log = (s) => process.stderr.write(`compare: ${s}\n`);
const require = createRequire(import.meta.url);
const esbuild = require(join(repoRoot, 'node_modules/esbuild'));

const dir = join(cacheDir, 'compare');
rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });

// --- The two bundles ---------------------------------------------------------------------------
const baseTree = join(dir, 'base-tree');
const baseCommit = execFileSync('git', ['rev-parse', '--short', base], { cwd: repoRoot, encoding: 'utf8' }).trim();
execFileSync('git', ['worktree', 'add', '--detach', baseTree, base], { cwd: repoRoot, stdio: 'ignore' });
try {
  symlinkSync(join(repoRoot, 'node_modules'), join(baseTree, 'node_modules'));
  const bundle = (root, outfile) =>
    esbuild.build({ entryPoints: [join(root, 'server/src/analysis/index.ts')], outfile, bundle: true, platform: 'node', format: 'cjs', target: 'node20', minify: true, logLevel: 'silent' });
  await bundle(baseTree, join(dir, 'base.cjs'));
  await bundle(repoRoot, join(dir, 'head.cjs'));
} finally {
  execFileSync('git', ['worktree', 'remove', '--force', baseTree], { cwd: repoRoot, stdio: 'ignore' });
}
const bundles = { base: join(dir, 'base.cjs'), head: join(dir, 'head.cjs') };
ensureCorpus();
const files = listCorpusFiles();

// --- 1. The same answer ------------------------------------------------------------------------
let answers;
if (!argv.includes('--no-corpus')) {
  const a = require(bundles.base);
  const b = require(bundles.head);
  const shape = (r) => JSON.stringify({ calls: r.calls, findings: r.findings, skipped: r.skipped, failure: r.failure, internalErrors: (r.internalErrors ?? []).length });
  answers = { files: files.length, analysed: 0, differ: [] };
  for (const { path } of files) {
    const text = readFileSync(path, 'utf8');
    const before = a.analyzeText(path, text);
    const after = b.analyzeText(path, text);
    if (!after.skipped) answers.analysed++;
    if (shape(before) !== shape(after)) answers.differ.push(path);
  }
  log(`answers: ${answers.differ.length} of ${files.length} files differ`);
}

// --- 2. The edit cost --------------------------------------------------------------------------
const worker = join(dir, 'edit-worker.mjs');
writeFileSync(
  worker,
  `import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { buildDocument, editorCandidates, editPositions } from ${JSON.stringify(join(repoRoot, 'bench/lsp/documents.mjs'))};
const [bundlePath, filesJson, lines, edits, out] = process.argv.slice(2);
const analysis = createRequire(import.meta.url)(bundlePath);
const files = JSON.parse(readFileSync(filesJson, 'utf8')).map((path) => ({ path }));
const doc = buildDocument(editorCandidates(files, analysis), Number(lines));
const d = new analysis.AnalyzedDocument('/bench/editor.js', doc.text);
const config = analysis.defaultConfig();
d.analyze(config);
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
const wall = [], cpuMs = [];
for (const offset of editPositions(doc.text, Math.ceil(Number(edits) / 2), 7, 'identifier')) {
  for (const [start, end, text] of [[offset, offset, 'x'], [offset, offset + 1, '']]) {
    d.applyEdit(start, end, text);
    const t = performance.now(), c = cpu();
    d.analyze(config);
    cpuMs.push(cpu() - c); wall.push(performance.now() - t);
  }
}
writeFileSync(out, JSON.stringify({ wall, cpu: cpuMs, lines: doc.lines }));
`,
);
const filesJson = join(dir, 'files.json');
writeFileSync(filesJson, JSON.stringify(files.map((f) => f.path)));
const runs = { base: [], head: [] };
for (let p = 0; p < passes; p++) {
  for (const side of p % 2 === 0 ? ['base', 'head'] : ['head', 'base']) {
    const out = join(dir, `edits-${side}-${p}.json`);
    const r = spawnSync(process.execPath, [worker, bundles[side], filesJson, String(lines), String(edits), out], { stdio: ['ignore', 'inherit', 'inherit'] });
    if (r.status !== 0) throw new Error(`the ${side} edit worker failed (exit ${r.status})`);
    runs[side].push(JSON.parse(readFileSync(out, 'utf8')));
    log(`pass ${p + 1}/${passes}: ${side}`);
  }
}
/** Per edit, the median over the passes. */
const perEdit = (side, key) => runs[side][0][key].map((_, i) => median(runs[side].map((r) => r[key][i])));
const fmt = (x) => (x >= 100 ? x.toFixed(0) : x.toFixed(1));
const row = (side) => {
  const w = summary(perEdit(side, 'wall'));
  const c = perEdit(side, 'cpu');
  return `| ${side === 'base' ? `${base} (${baseCommit})` : 'working tree'} | ${fmt(w.p50)} / ${fmt(w.p95)} / ${fmt(w.max)} ms | ${fmt(summary(c).p50)} / ${fmt(summary(c).p95)} ms | ${fmt(c.reduce((a, b) => a + b, 0) / c.length)} ms |`;
};
const out = [
  `# Analysis compared: ${base} (${baseCommit}) and the working tree`,
  '',
  answers ? `Same answer: ${answers.files - answers.differ.length} of ${answers.files} corpus files give identical calls and findings (${answers.analysed} analysed past the pre-filter)${answers.differ.length ? `; differing: ${answers.differ.slice(0, 10).join(', ')}` : ''}.` : 'Answers not compared (--no-corpus).',
  '',
  `Edit cost on the ${runs.head[0].lines.toLocaleString('en-US')}-line editor document, ${edits} single-letter edits (typed into a word, then deleted), ${passes} interleaved passes per side, each in its own process; per edit the median over the passes:`,
  '',
  '| analysis | wall: p50 / p95 / max | CPU: p50 / p95 | CPU mean |',
  '| --- | --- | --- | --- |',
  row('base'),
  row('head'),
  '',
];
process.stdout.write(out.join('\n'));
