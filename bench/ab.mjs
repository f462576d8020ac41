// Before and after through the real server: fresh servers of one or more builds, each with one or more
// sets of Node options, alternating round by round, each opening the bench's 10,000-line document and
// timing its single-character edits (didChange → pulled diagnostics), as bench/workers/editor.mjs does.
// The machine's speed moves by a third within minutes, so only alternating runs compare.
//
//   node bench/ab.mjs [--server dist/server.js]... [--options "--flag --other"]... [--rounds 6]
//                     [--edits 200] [--lines 10000] [--bare] [--node PATH] [--gc] [--slowest N]
//                     [--times DIR]
//
// --server   a server bundle (several: compared; copy a build aside to compare it with the next one)
// --options  Node options for the server, after the client's (several: compared; "" is none)
// --bare     without the Node options the VS Code client gives the server (runtimeTuning.ts)
// --node     the Node that runs the servers (default: this one)
// --gc       the server logs its garbage collections (bench/lsp/gc-log.cjs): counts, totals, longest
// --slowest  print each run's N slowest edits (index: ms)
// --times    write each run's edit start and end times (µs, the monotonic clock a server's
//            --cpu-prof uses) to DIR, for bench/edit-windows.mjs
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { buildAnalysisBundle } from './bundle.mjs';
import { listCorpusFiles, repoRoot } from './corpus.mjs';
import { buildDocument, editorCandidates, singleCharEdits } from './lsp/documents.mjs';
import { LspClient } from './lsp/client.mjs';
import { median, percentile } from './stats.mjs';

const args = process.argv.slice(2);
const all = (name) => args.flatMap((a, i) => (a === name ? [args[i + 1]] : []));
const one = (name, fallback) => all(name).at(-1) ?? fallback;
const servers = (all('--server').length ? all('--server') : ['dist/server.js']).map((s) => resolve(s));
const optionSets = (all('--options').length ? all('--options') : ['']).map((o) => o.split(' ').filter(Boolean));
const rounds = Number(one('--rounds', 6));
const edits = Number(one('--edits', 200));
const bare = args.includes('--bare');
const node = one('--node', process.execPath);
const slowest = Number(one('--slowest', 0));
const timesDir = all('--times').length ? resolve(one('--times')) : undefined;
const gcLog = args.includes('--gc') ? ['--require', fileURLToPath(new URL('./lsp/gc-log.cjs', import.meta.url))] : [];
if (timesDir) mkdirSync(timesDir, { recursive: true });

const { bundle, reason } = await buildAnalysisBundle();
if (!bundle) throw new Error(`the analysis bundle is needed to choose the document's files: ${reason}`);
const doc = buildDocument(editorCandidates(listCorpusFiles(), createRequire(import.meta.url)(bundle)), Number(one('--lines', 10000)));

/** User + system CPU time of a process, in ms (Linux; undefined elsewhere). */
function cpuMs(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return undefined;
  }
}
/** CPU time between two readings, when there are readings. */
const since = (now, then) => (now === undefined || then === undefined ? undefined : now - then);

const configs = servers.flatMap((server) => optionSets.map((options) => ({ server, options, label: [server.replace(`${repoRoot}/`, ''), ...options].join(' ') })));
const results = new Map(configs.map((c) => [c.label, []]));
const round1 = (v) => (v === undefined ? 'n/a' : v.toFixed(1));

for (let r = 0; r < rounds; r++) {
  for (const c of configs) {
    const client = await LspClient.start(c.server, { bare, node, nodeArgs: [...gcLog, ...c.options] });
    const uri = pathToFileURL('/bench/ab.js').href;
    const opened = performance.now();
    await client.open(uri, 'javascript', doc.text, 1);
    await client.pullDiagnostics(uri);
    const openMs = performance.now() - opened;
    const cpuAtOpen = cpuMs(client.process.pid);
    const ms = [];
    const times = [];
    let cpu40;
    let version = 1;
    for (const edit of singleCharEdits(doc.text, edits)) {
      if (ms.length >= edits) break;
      const t0 = performance.now();
      const h0 = process.hrtime.bigint();
      await client.change(uri, ++version, edit.range, edit.text);
      await client.pullDiagnostics(uri);
      ms.push(performance.now() - t0);
      times.push([Number(h0 / 1000n), Number(process.hrtime.bigint() / 1000n)]);
      if (ms.length === 40) cpu40 = since(cpuMs(client.process.pid), cpuAtOpen);
    }
    const cpuAll = since(cpuMs(client.process.pid), cpuAtOpen);
    await client.stop();
    const run = { p50: percentile(ms, 50), p95: percentile(ms, 95), max: Math.max(...ms), openMs, cpu40, cpuAll };
    results.get(c.label).push(run);
    console.log(`round ${r + 1} ${c.label}: p50 ${round1(run.p50)} p95 ${round1(run.p95)} max ${round1(run.max)} open ${round1(openMs)} ms; server CPU first 40 edits ${cpu40 ?? 'n/a'}, all ${cpuAll ?? 'n/a'} ms`);
    if (slowest) console.log(`  slowest: ${ms.map((v, i) => [v, i]).sort((a, b) => b[0] - a[0]).slice(0, slowest).map(([v, i]) => `${i}: ${v.toFixed(1)}`).join(', ')}`);
    if (gcLog.length) {
      const gcs = [...client.stderr.matchAll(/wirelens-bench-gc (\S+) (\S+)/g)].map((m) => ({ kind: m[1], ms: Number(m[2]) }));
      const kinds = [...new Set(gcs.map((g) => g.kind))].map((kind) => {
        const of = gcs.filter((g) => g.kind === kind);
        return `${kind} ${of.length}× ${of.reduce((a, g) => a + g.ms, 0).toFixed(0)} ms (longest ${Math.max(...of.map((g) => g.ms)).toFixed(1)})`;
      });
      console.log(`  garbage collections (open and edits): ${kinds.join(', ') || 'none'}`);
    }
    if (timesDir) writeFileSync(join(timesDir, `round${r + 1}-${configs.indexOf(c) + 1}.json`), JSON.stringify({ label: c.label, pid: client.process.pid, times }));
  }
}

console.log('');
for (const [label, runs] of results) {
  const m = (k) => {
    const values = runs.map((x) => x[k]).filter((v) => v !== undefined);
    return values.length ? round1(median(values)) : 'n/a';
  };
  console.log(`${label}: p95 median ${m('p95')} ms (${runs.map((x) => round1(x.p95)).join(' ')}), p50 ${m('p50')}, open ${m('openMs')} ms; server CPU first 40 edits ${m('cpu40')}, all ${m('cpuAll')} ms`);
}
