// CPU profiles of what the targets measure, to see where the time goes when one is missed:
//   - (b) the analysis over the corpus (one extra pass, not among the timed ones);
//   - the language server answering edits on the 10,000-line document (pull diagnostics).
// Both run unminified bundles with names kept, so the profile names real functions. Profiles are
// written to bench/.cache/profiles/*.cpuprofile (open them in Chrome DevTools or VS Code); the
// report lists the functions with the most self time.
//
// `node bench/profile.mjs` profiles on its own; `node bench/run.mjs --profile` adds it to a run.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { cacheDir, corpusDir, ensureCorpus, listCorpusFiles, repoRoot } from './corpus.mjs';
import { LspClient } from './lsp/client.mjs';
import { buildDocument, editPositions, editorCandidates, lineStarts, positionAt } from './lsp/documents.mjs';

export const profileDir = join(cacheDir, 'profiles');

async function bundle(entry, outfile) {
  const esbuild = createRequire(join(repoRoot, 'package.json'))('esbuild');
  await esbuild.build({ entryPoints: [join(repoRoot, entry)], outfile, bundle: true, platform: 'node', format: 'cjs', target: 'node20', keepNames: true, external: ['vscode'], logLevel: 'silent' });
  return outfile;
}

/**
 * Maps a line of an unminified esbuild bundle to the source module it came from: esbuild starts
 * each module's code with a `// path/of/module.ts` comment line.
 */
function bundleModules(bundlePath) {
  const starts = [];
  readFileSync(bundlePath, 'utf8').split('\n').forEach((line, i) => {
    const m = /^\/\/ ((?:node_modules|server|client)\/\S+\.[cm]?[jt]s)$/.exec(line);
    if (m) starts.push({ line: i, module: m[1] });
  });
  return (line) => {
    let found;
    for (const s of starts) {
      if (s.line > line) break;
      found = s.module;
    }
    return found;
  };
}

/**
 * Self time per function (name, file, line), largest first. With `within` (function names), only
 * samples whose stack passes through one of them count (the harness's own reading and timing are
 * left out); with `without`, samples under those functions are left out (module loading). Idle time
 * never counts. Garbage collection has no stack, so it is kept only without `within`.
 */
export function topSelfTime(profilePath, count = 12, within, without = []) {
  const profile = JSON.parse(readFileSync(profilePath, 'utf8'));
  const byNode = new Map(profile.nodes.map((n) => [n.id, n]));
  const parentOf = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parentOf.set(c, n.id);
  const inside = new Map();
  // Per node: 1 = under a `within` frame, -1 = under a `without` frame, 0 = neither.
  const mark = (id) => {
    if (inside.has(id)) return inside.get(id);
    const name = byNode.get(id).callFrame.functionName;
    const parent = parentOf.get(id);
    const result = without.includes(name) ? -1 : within?.includes(name) ? 1 : parent !== undefined ? mark(parent) : 0;
    inside.set(id, result);
    return result;
  };
  const isInside = (id) => (within ? mark(id) === 1 : mark(id) !== -1);
  const self = new Map();
  let total = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i];
    const dt = profile.timeDeltas[i] ?? 0;
    if (byNode.get(id).callFrame.functionName === '(idle)' || !isInside(id)) continue;
    total += dt;
    self.set(id, (self.get(id) ?? 0) + dt);
  }
  // Bundled code is named by the module it came from (server/src/…, node_modules/typescript/…).
  const moduleMaps = new Map();
  const moduleOf = (url, line) => {
    if (!url.startsWith('file://') || !url.endsWith('.js') && !url.endsWith('.cjs')) return undefined;
    const path = url.slice('file://'.length);
    if (!path.startsWith(profileDir)) return undefined;
    if (!moduleMaps.has(path)) moduleMaps.set(path, bundleModules(path));
    return moduleMaps.get(path)(line);
  };
  const keyOf = (id) => {
    const { functionName, url, lineNumber } = byNode.get(id).callFrame;
    const where = moduleOf(url, lineNumber) ?? (url ? `${url.replace(/^file:\/\//, '').replace(repoRoot + '/', '')}:${lineNumber + 1}` : '');
    const name = functionName.length > 60 ? `${functionName.slice(0, 57)}…` : functionName;
    return `${name || '(anonymous)'} ${where}`.trim();
  };
  const byModule = new Map();
  const byFunction = new Map();
  // Inclusive time: each sample counts once for every distinct function on its stack.
  const inclusive = new Map();
  for (const [id, us] of self) {
    byFunction.set(keyOf(id), (byFunction.get(keyOf(id)) ?? 0) + us);
    const { url, lineNumber, functionName } = byNode.get(id).callFrame;
    const module = moduleOf(url, lineNumber) ?? (url.startsWith('node:') || url === '' ? `(${functionName.startsWith('(') ? functionName.slice(1, -1) : 'node internals'})` : url.replace(/^file:\/\//, '').replace(repoRoot + '/', ''));
    byModule.set(module, (byModule.get(module) ?? 0) + us);
    const seen = new Set();
    for (let n = id; n !== undefined; n = parentOf.get(n)) {
      const k = keyOf(n);
      const frameUrl = byNode.get(n).callFrame.url;
      // The harness's own frames (bench/workers) hold everything: they say nothing.
      if (seen.has(k) || !frameUrl.startsWith('file:') || frameUrl.includes('/bench/workers/')) continue;
      seen.add(k);
      inclusive.set(k, (inclusive.get(k) ?? 0) + us);
    }
  }
  const rank = (m) => [...m].sort((a, b) => b[1] - a[1]).slice(0, count).map(([fn, us]) => ({ fn, ms: us / 1000, share: us / total }));
  return { totalMs: total / 1000, top: rank(byFunction), inclusive: rank(inclusive), byModule: rank(byModule) };
}

function newestProfile(dir) {
  const files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
  if (files.length !== 1) throw new Error(`expected one profile in ${dir}, found ${files.length}`);
  return join(dir, files[0]);
}

export async function profileAll({ files, analysisAvailable, serverAvailable, edits = 200 }) {
  mkdirSync(profileDir, { recursive: true });
  const results = {};
  const filesJson = join(profileDir, 'files.json');
  writeFileSync(filesJson, JSON.stringify({ cwd: corpusDir, files: files.map((f) => f.path) }));
  let analysisBundle;
  if (analysisAvailable) {
    analysisBundle = await bundle('server/src/analysis/index.ts', join(profileDir, 'analysis.cjs'));
    const dir = join(profileDir, 'analysis');
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir);
    const r = spawnSync(process.execPath, ['--no-warnings', '--cpu-prof', `--cpu-prof-dir=${dir}`, join(repoRoot, 'bench/workers/throughput.mjs'), 'analyze', filesJson, join(dir, 'pass.json'), analysisBundle], { stdio: ['ignore', 'inherit', 'pipe'], encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`profiled analysis pass failed: ${r.stderr}`);
    results.analysis = { profile: relative(repoRoot, newestProfile(dir)), within: ['analyzeText'], ...topSelfTime(newestProfile(dir), 12, ['analyzeText']) };
  }
  if (serverAvailable) {
    const server = await bundle('server/src/lsp/main.ts', join(profileDir, 'server.js'));
    const dir = join(profileDir, 'server');
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir);
    const analysis = analysisBundle ? createRequire(import.meta.url)(analysisBundle) : undefined;
    const doc = buildDocument(editorCandidates(files, analysis), 10000);
    const client = await LspClient.start(server, { nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${dir}`] });
    const uri = pathToFileURL('/bench/editor-10000.js').href;
    await client.open(uri, 'javascript', doc.text, 1);
    await client.pullDiagnostics(uri);
    const starts = lineStarts(doc.text);
    let version = 1;
    // Letters typed into words: the edits that can change findings, so the analysis cannot skip work.
    for (const offset of editPositions(doc.text, Math.ceil(edits / 2), 7, 'identifier')) {
      const at = positionAt(starts, offset);
      await client.change(uri, ++version, { start: at, end: at }, 'x');
      await client.pullDiagnostics(uri);
      await client.change(uri, ++version, { start: at, end: { line: at.line, character: at.character + 1 } }, '');
      await client.pullDiagnostics(uri);
    }
    await client.stop();
    // The server's start (loading and compiling its bundle) is not what an edit costs: left out.
    const without = ['Module._load', 'Module._compile'];
    results.editing = { profile: relative(repoRoot, newestProfile(dir)), edits: version - 1, without, ...topSelfTime(newestProfile(dir), 12, undefined, without) };
  }
  return results;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  ensureCorpus();
  const results = await profileAll({ files: listCorpusFiles(), analysisAvailable: true, serverAvailable: true });
  for (const [name, r] of Object.entries(results)) {
    console.log(`\n${name}: ${r.profile} (${r.totalMs.toFixed(0)} ms sampled)`);
    for (const t of r.top) console.log(`  ${(t.share * 100).toFixed(1).padStart(5)}%  ${t.ms.toFixed(0).padStart(6)} ms  ${t.fn}`);
  }
}
