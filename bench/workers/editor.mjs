// Editor latency and server memory, through the real language server over stdio, in a process of
// its own. Usage (run.mjs starts it):
//   node bench/workers/editor.mjs <options.json> <out.json>
// options: { server, files (corpus paths), analysisBundle?, edits, hovers, cycles, starts, push }
// Every phase starts a fresh server so one phase's garbage cannot count against another.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { buildDocument, editPositions, editorCandidates, hoverTargets, lineStarts, positionAt, singleCharEdits } from '../lsp/documents.mjs';
import { LspClient, clientNodeArgs, gcProbeArgs, languageIdOf } from '../lsp/client.mjs';

const [optionsJson, outJson] = process.argv.slice(2);
const options = JSON.parse(readFileSync(optionsJson, 'utf8'));
const analysis = options.analysisBundle ? createRequire(import.meta.url)(options.analysisBundle) : undefined;
const out = { serverNodeArgs: clientNodeArgs(), server: options.server, serverBytes: statSync(options.server).size, serverBuiltAt: statSync(options.server).mtime.toISOString() };
// esbuild's minified output has a few hundred lines; the development bundle a quarter of a million.
{
  const text = readFileSync(options.server, 'utf8');
  let lines = 1;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lines++;
  out.serverMinified = text.length / lines > 1000;
}
const log = (s) => process.stderr.write(`bench/editor: ${s}\n`);

async function timed(fn) {
  const t0 = performance.now();
  const value = await fn();
  return { ms: performance.now() - t0, value };
}

// --- Start to ready -------------------------------------------------------------------------
{
  const ms = [];
  for (let i = 0; i < options.starts; i++) {
    const client = await LspClient.start(options.server);
    ms.push(client.startToReadyMs);
    await client.stop();
  }
  out.startToReadyMs = ms;
  log(`start-to-ready ×${ms.length}`);
}
// The same in the Node that runs VS Code's extension host, when the e2e toolchain has one (Node 24,
// with the compile cache the client sets up): the first start on an empty cache, then warm starts.
if (options.extensionHostNode) {
  const cache = mkdtempSync(join(tmpdir(), 'wirelens-compile-cache-'));
  try {
    const run = async (env) => {
      const client = await LspClient.start(options.server, { node: options.extensionHostNode, compileCache: cache, env });
      await client.stop();
      return client.startToReadyMs;
    };
    const coldMs = await run();
    // Interleaved with starts that do not use the cache (NODE_DISABLE_COMPILE_CACHE), so the gain is
    // the cache's, not a warmer file system.
    const warmMs = [];
    const noCacheMs = [];
    for (let i = 0; i < options.starts; i++) {
      warmMs.push(await run());
      noCacheMs.push(await run({ NODE_DISABLE_COMPILE_CACHE: '1' }));
    }
    out.extensionHostNode = { node: execFileSync(options.extensionHostNode, ['--version'], { encoding: 'utf8' }).trim(), coldMs, warmMs, noCacheMs };
    log(`start-to-ready in ${out.extensionHostNode.node}: cold cache + ${warmMs.length} warm`);
  } finally {
    rmSync(cache, { recursive: true, force: true });
  }
}

// --- Edits and hovers on 2,000- and 10,000-line documents ------------------------------------
const candidates = editorCandidates(options.files.map((path) => ({ path })), analysis);
out.editorCandidates = candidates.length;

/** Times each edit of `singleCharEdits` on an open document: didChange → its diagnostics. */
async function timeEdits(client, uri, doc, pull, firstVersion) {
  const editMs = [];
  const editKinds = [];
  let version = firstVersion;
  let diagnostics;
  let edits = 0;
  for (const edit of singleCharEdits(doc.text, options.edits)) {
    if (edits++ >= options.edits) break;
    version++;
    const v = version;
    const { ms, value } = await timed(async () => {
      const waiting = pull ? undefined : client.published(uri, v);
      await client.change(uri, v, edit.range, edit.text);
      return pull ? (await client.pullDiagnostics(uri)).items : (await waiting).diagnostics;
    });
    editMs.push(ms);
    editKinds.push(edit.kind);
    diagnostics = value.length;
  }
  return { editMs, editKinds, diagnostics, version };
}

/**
 * `node`: run the server with this Node (the extension host's) instead of the bench's. `again`: after
 * the hovers, the same edits once more on the same server, whose compiler has by then seen them all.
 * `bare`: start it without the client's Node options, as `node server.js --stdio`.
 */
async function editSession(doc, name, pull, { node, again = false, bare = false } = {}) {
  const client = await LspClient.start(options.server, { pull, bare, ...(node ? { node } : {}) });
  const uri = pathToFileURL(`/bench/${name}.js`).href;
  const result = { mode: pull ? 'pull' : 'push' };
  let version = 1;
  // didOpen → first diagnostics: a full parse and analysis.
  const opened = await timed(async () => {
    const waiting = pull ? undefined : client.published(uri, 1);
    await client.open(uri, 'javascript', doc.text, 1);
    return pull ? (await client.pullDiagnostics(uri)).items : (await waiting).diagnostics;
  });
  result.openMs = opened.ms;
  result.diagnostics = opened.value.length;
  const first = await timeEdits(client, uri, doc, pull, version);
  version = first.version;
  result.editMs = first.editMs;
  result.editKinds = first.editKinds;
  result.diagnosticsAfterEdits = first.diagnostics;
  if (pull) {
    const starts = lineStarts(doc.text);
    const targets = hoverTargets(doc.text, analysis);
    const hoverMs = [];
    let answered = 0;
    for (let i = 0; i < options.hovers && targets.length; i++) {
      const { ms, value } = await timed(() => client.hover(uri, positionAt(starts, targets[i % targets.length])));
      hoverMs.push(ms);
      if (value) answered++;
    }
    Object.assign(result, { hoverMs, hoverTargets: targets.length, hoversAnswered: answered });
  }
  if (again) result.againEditMs = (await timeEdits(client, uri, doc, pull, version)).editMs;
  await client.stop();
  return result;
}

out.documents = [];
for (const targetLines of [2000, 10000]) {
  const doc = buildDocument(candidates, targetLines);
  const entry = { lines: doc.lines, bytes: Buffer.byteLength(doc.text), sourceFiles: doc.sources.length, runs: [] };
  entry.runs.push(await editSession(doc, `editor-${targetLines}`, true, { again: targetLines === 10000 }));
  log(`${targetLines} lines: pull edits and hovers`);
  // The server runs in the extension host's Node, not the bench's, inside the editor.
  if (targetLines === 10000 && options.extensionHostNode) {
    const run = await editSession(doc, `editor-${targetLines}`, true, { node: options.extensionHostNode });
    entry.runs.push({ ...run, mode: 'pull in the extension host\'s Node', node: execFileSync(options.extensionHostNode, ['--version'], { encoding: 'utf8' }).trim() });
    log(`${targetLines} lines: pull edits in the extension host's Node`);
  }
  // Other editors start the server with whatever command line their user configured: the README
  // gives them the client's options, and this is the server without any.
  if (targetLines === 10000) {
    entry.runs.push({ ...(await editSession(doc, `editor-${targetLines}`, true, { bare: true })), mode: 'pull, started bare', bare: true });
    log(`${targetLines} lines: pull edits, server started bare`);
  }
  if (options.push) {
    entry.runs.push(await editSession(doc, `editor-${targetLines}`, false));
    log(`${targetLines} lines: push edits`);
  }
  out.documents.push(entry);
}

// --- The whole corpus through the server -----------------------------------------------------
// Two ways: one file at a time (open → diagnostics → close, as a workspace-wide check goes), and
// every file left open at once (the worst an editor could ask). Each on a fresh server with the
// heap probe, so retained memory after a full GC is known as well as RSS.
async function corpusRun(keepOpen) {
  const client = await LspClient.start(options.server, { nodeArgs: gcProbeArgs });
  const t0 = performance.now();
  let diagnostics = 0;
  for (const path of options.files) {
    const uri = pathToFileURL(path).href;
    await client.open(uri, languageIdOf(path), readFileSync(path, 'utf8'));
    diagnostics += (await client.pullDiagnostics(uri)).items.length;
    if (!keepOpen) await client.close(uri);
  }
  // A request after the last notification, so everything before it has been handled.
  await client.hover('file:///nothing.js', { line: 0, character: 0 });
  const totalMs = performance.now() - t0;
  const done = client.memory();
  const heapDone = await client.heapAfterGc();
  const result = { keepOpen, files: options.files.length, diagnostics, totalMs, rss: done.rss, peakRss: done.peakRss, heapAfterGc: heapDone.heapUsed };
  if (keepOpen) {
    for (const path of options.files) await client.close(pathToFileURL(path).href);
    await client.hover('file:///nothing.js', { line: 0, character: 0 });
    result.rssAfterClose = client.memory().rss;
    result.heapAfterCloseAndGc = (await client.heapAfterGc()).heapUsed;
  }
  await client.stop();
  return result;
}
out.corpus = await corpusRun(false);
log('whole corpus, one file at a time');
out.corpusAllOpen = await corpusRun(true);
log('whole corpus, all open');

// --- Open/edit/close cycles: does memory grow? ----------------------------------------------
{
  const client = await LspClient.start(options.server, { nodeArgs: gcProbeArgs });
  const docs = candidates.slice(0, 50).map((c) => {
    const starts = lineStarts(c.text);
    return { path: c.path, text: c.text, starts, edit: positionAt(starts, editPositions(c.text, 1)[0]), hover: hoverTargets(c.text, analysis)[0] };
  });
  const samples = [];
  for (let i = 0; i < options.cycles; i++) {
    const d = docs[i % docs.length];
    const uri = pathToFileURL(d.path).href;
    await client.open(uri, 'javascript', d.text, 1);
    await client.pullDiagnostics(uri);
    await client.change(uri, 2, { start: d.edit, end: d.edit }, ' ');
    await client.pullDiagnostics(uri);
    if (d.hover !== undefined) await client.hover(uri, positionAt(d.starts, d.hover));
    await client.close(uri);
    if ((i + 1) % 100 === 0) {
      await client.hover('file:///nothing.js', { line: 0, character: 0 });
      const rss = client.memory().rss;
      const heap = await client.heapAfterGc();
      // The heap without V8's compiled code too: code grows while functions get optimised, data leaks.
      samples.push({ cycle: i + 1, rss, heapAfterGc: heap.heapUsed, dataAfterGc: heap.heapUsed - heap.codeUsed });
    }
  }
  out.cycles = { count: options.cycles, distinctFiles: docs.length, samples };
  await client.stop();
  log('open/edit/close cycles');
}

writeFileSync(outJson, JSON.stringify(out));
