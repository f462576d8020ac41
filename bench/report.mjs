// Renders the results of bench/run.mjs as docs/benchmarks.md.
import { mb, median, mib, ms, summary } from './stats.mjs';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const TARGETS = {
  bOverA: 1.25,
  cOverB: 15,
  editP95Ms: 20,
  hoverP95Ms: 5,
  serverRssBytes: 250 * 2 ** 20,
  growthFraction: 0.05,
  activationMs: 50,
  vsixBytes: 3e6,
};

const verdict = (ok) => (ok === undefined ? 'n/a' : ok ? 'met' : '**missed**');
const lat = (values) => {
  if (!values?.length) return 'n/a';
  const s = summary(values);
  return `${ms(s.p50)} / ${ms(s.p95)} / ${ms(s.max)}`;
};

export function renderReport(r) {
  const e = r.environment;
  const L = [];
  const push = (...lines) => L.push(...lines);
  const pkgList = Object.entries(e.corpusPackages).map(([n, v]) => `${n}@${v}`).join(', ');
  const byId = Object.fromEntries(r.throughput.map((t) => [t.id, t]));

  push('# Benchmarks', '');
  push('Latest results of the benchmark suite (issue 5). `npm run bench` (`node bench/run.mjs`) measures everything below and rewrites this file; re-run it whenever rules are added. How it works and what each number means: the comments in `bench/run.mjs`, `bench/workers/*.mjs` and the "Method" section at the end.', '');
  if (r.corpus.sample > 1) push(`> **Partial run**: every ${r.corpus.sample}th corpus file only (\`--sample ${r.corpus.sample}\`). Not comparable with full runs.`, '');

  push('## Run', '');
  push('| | |', '| --- | --- |');
  push(`| command | \`${e.command}\` (via \`npm run bench\` when run without options) |`);
  push(`| date | ${e.date} (${(e.durationS / 60).toFixed(1)} min) |`);
  push(`| commit | ${e.commit ?? 'unknown'}${e.dirtyPaths ? ` + ${e.dirtyPaths} uncommitted changes under server/, client/ or the build files` : ''} |`);
  push(`| machine | ${e.cpu}, ${e.cores} cores, ${(e.memoryBytes / 2 ** 30).toFixed(1)} GiB memory, ${e.os} |`);
  push(`| load average (1/5/15 min) | at start ${e.loadAtStart.map((x) => x.toFixed(2)).join(' / ')}, at end ${e.loadAtEnd.map((x) => x.toFixed(2)).join(' / ')} |`);
  push(`| Node | ${e.node} |`);
  push(`| packages | ${Object.entries(e.versions).map(([n, v]) => `${n} ${v ?? 'not installed'}`).join(', ')} |`);
  push('');
  if (e.loadAtStart[0] > e.cores * 0.75 || e.loadAtEnd[0] > e.cores * 0.75) {
    push(`> The machine was busy with other work during this run (load average above ${e.cores * 0.75} on ${e.cores} cores): absolute times are inflated. The ratios hold better, because the three tools ran interleaved under the same load.`, '');
  }

  push('## Targets', '');
  const edit10k = r.editor?.documents?.find((d) => d.lines === 10000)?.runs.find((x) => x.mode === 'pull');
  const hoverAll = r.editor?.documents?.flatMap((d) => d.runs.flatMap((x) => x.hoverMs ?? [])) ?? [];
  const edit10kP95 = edit10k ? summary(edit10k.editMs).p95 : undefined;
  const hoverP95 = hoverAll.length ? summary(hoverAll).p95 : undefined;
  const samples = r.editor?.cycles?.samples ?? [];
  const growthOf = (k) => (samples.length >= 2 && samples[0][k] ? (samples.at(-1)[k] - samples[0][k]) / samples[0][k] : undefined);
  // Judged on the heap without V8's compiled code (it grows while functions get optimised; a leak is data).
  const growth = growthOf('dataAfterGc') ?? growthOf('heapAfterGc');
  const heapGrowth = growthOf('heapAfterGc');
  const rssGrowth = growthOf('rss');
  const pct = (g) => (g === undefined ? 'n/a' : `${g >= 0 ? '+' : ''}${(g * 100).toFixed(1)}%`);
  const corpusRss = r.editor?.corpus?.peakRss;
  const allOpenRss = r.editor?.corpusAllOpen?.peakRss;
  push('| target | measured | |', '| --- | --- | --- |');
  const { cpu, wall } = r.ratios;
  const both = (k, d) => (cpu[k] === undefined ? 'n/a' : `${cpu[k].toFixed(d)} CPU time (${wall[k].toFixed(d)} wall)`);
  push(`| b/a ≤ ${TARGETS.bOverA} (analysis adds at most a quarter to parsing) | ${both('bOverA', 2)} | ${verdict(cpu.bOverA === undefined ? undefined : cpu.bOverA <= TARGETS.bOverA)} |`);
  push(`| c/b ≥ ${TARGETS.cOverB} (ESLint at least 15× slower) | ${both('cOverB', 1)} | ${verdict(cpu.cOverB === undefined ? undefined : cpu.cOverB >= TARGETS.cOverB)} |`);
  push(`| edit → diagnostics p95 ≤ ${TARGETS.editP95Ms} ms, 10,000-line file (pull), every edit | ${ms(edit10kP95)} | ${verdict(edit10kP95 === undefined ? undefined : edit10kP95 <= TARGETS.editP95Ms)} |`);
  for (const kind of ['whitespace', 'identifier']) {
    const p95 = edit10k?.editKinds ? summary(edit10k.editMs.filter((_, i) => edit10k.editKinds[i] === kind)).p95 : undefined;
    if (p95 !== undefined) push(`| (same, only the ${kind === 'whitespace' ? 'spaces typed and deleted between tokens' : 'letters typed into and deleted from words'}) | ${ms(p95)} | ${verdict(p95 <= TARGETS.editP95Ms)} |`);
  }
  // Shown, not judged: the target is judged on a freshly started server in the bench's Node (above).
  if (edit10k?.againEditMs) push(`| (same edits again on the same server, its compiler warm: no target) | ${ms(summary(edit10k.againEditMs).p95)} | |`);
  const inHost = r.editor?.documents?.find((d) => d.lines === 10000)?.runs.find((x) => x.node);
  if (inHost) push(`| (same, server in the extension host's Node ${inHost.node}: no target) | ${ms(summary(inHost.editMs).p95)} | |`);
  const bare = r.editor?.documents?.find((d) => d.lines === 10000)?.runs.find((x) => x.bare);
  if (bare) push(`| (same, server started bare, \`node dist/server.js --stdio\`, without the client's Node options: no target) | ${ms(summary(bare.editMs).p95)} | |`);
  push(`| hover p95 ≤ ${TARGETS.hoverP95Ms} ms | ${ms(hoverP95)} | ${verdict(hoverP95 === undefined ? undefined : hoverP95 <= TARGETS.hoverP95Ms)} |`);
  push(`| server peak RSS ≤ 250 MiB after the whole corpus (every file opened, diagnosed, closed in turn) | ${mib(corpusRss)} | ${verdict(corpusRss === undefined ? undefined : corpusRss <= TARGETS.serverRssBytes)} |`);
  push(`| (same, all ${r.editor?.corpusAllOpen?.files ?? ''} files left open at once: no target, the worst case) | ${mib(allOpenRss)} | |`);
  push(`| no growth over ${r.editor?.cycles?.count ?? 1000} open/edit/close cycles: heap after full GC without V8's compiled code, cycle ${samples[0]?.cycle ?? 100} → end, ≤ ${TARGETS.growthFraction * 100}% | ${pct(growth)} (with the code ${pct(heapGrowth)}, RSS ${pct(rssGrowth)}) | ${verdict(growth === undefined ? undefined : growth <= TARGETS.growthFraction)} |`);
  // Like the throughput targets, judged on CPU time when the run measured it (wall time on a loaded
  // machine also counts waiting for a core); both are shown.
  const activationCpu = r.activation.activationCpu?.median;
  const activationJudged = activationCpu ?? r.activation.activationMs;
  push(`| activation ≤ ${TARGETS.activationMs} ms in the extension host (code loading + activate() call, median) | ${activationCpu !== undefined ? `${ms(activationCpu)} CPU time (${ms(r.activation.activationMs)} wall)` : ms(r.activation.activationMs)} | ${verdict(activationJudged === undefined ? undefined : activationJudged <= TARGETS.activationMs)} |`);
  push(`| .vsix ≤ 3 MB | ${r.vsix ? mb(r.vsix.bytes, 2) : 'n/a'} | ${verdict(r.vsix ? r.vsix.bytes <= TARGETS.vsixBytes : undefined)} |`);
  push('');

  push('## Corpus', '');
  push(`${r.corpus.files} files, ${r.corpus.megabytes.toFixed(1)} MB (${Object.entries(r.corpus.byExtension).map(([x, n]) => `${x} ${n}`).join(', ')}) from ${r.corpus.packages} installed packages: the ${Object.keys(e.corpusPackages).length} pinned ones and everything they depend on, installed by \`bench/corpus.mjs\` into the git-ignored \`bench/.cache/corpus\` (\`npm i --ignore-scripts\`, transitive versions fixed by \`bench/corpus.package-lock.json\`). Every \`.js .mjs .cjs .ts .mts .cts\` file counts except declaration files (\`.d.ts\`: no code to analyse, and Wirelens skips them).`, '');
  push(`Pinned: ${pkgList}.`, '');

  push(`## Throughput (${byId.a?.reps ?? 0} repetitions, interleaved, each pass in its own process)`, '');
  push('Each pass is one process running one tool once over every file, like a CLI run; files are read before their clock starts, so every tool is timed on text in memory → result. Two clocks: CPU time (user + system of the pass\'s process, GC threads included) and wall time. Targets are judged on CPU time, which does not count time spent waiting for a core while other work shares the machine; on an idle machine the two agree to within GC threads\' work. Totals and MB/s are medians over the repetitions; per-file times are each file\'s median over the repetitions; peak RSS is the median of the passes\' `process.resourceUsage().maxRSS`; startup (loading the tool) is not in the totals.', '');
  push('| | tool | CPU time (median) | wall time (median) | MB/s (CPU / wall) | per file, CPU: p50 / p95 / max | per file, wall: p50 / p95 / max | peak RSS | startup |', '| --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  const secs = (v) => `${(v / 1000).toFixed(2)} s`;
  for (const t of r.throughput) {
    const name = `${t.label} (${t.toolVersion === 'bundle' ? 'server/src/analysis bundled by esbuild' : t.toolVersion})`;
    const fileDist = (c) => `${ms(c.perFile.p50, 3)} / ${ms(c.perFile.p95)} / ${ms(c.perFile.max)}`;
    push(`| ${t.id} | ${name} | ${secs(t.cpu.totalMs)} (${t.cpu.totalsMs.map(secs).join(', ')}) | ${secs(t.wall.totalMs)} (${t.wall.totalsMs.map(secs).join(', ')}) | ${t.cpu.mbPerS.toFixed(2)} / ${t.wall.mbPerS.toFixed(2)} | ${fileDist(t.cpu)} | ${fileDist(t.wall)} | ${mib(t.peakRss)} | ${ms(t.startMs)} |`);
  }
  if (!byId.b) push(`| b | Wirelens analyzeText | n/a: ${r.analysisMissing} | | | | | | |`);
  if (!byId.c) push('| c | ESLint | not run (`--no-eslint`) | | | | | | |');
  push('');
  const ratioLine = (k) => `b/a = ${r.ratios[k].bOverA?.toFixed(2) ?? 'n/a'}, c/b = ${r.ratios[k].cOverB?.toFixed(1) ?? 'n/a'}, c/a = ${r.ratios[k].cOverA?.toFixed(1) ?? 'n/a'}`;
  push(`Ratios of the median totals: **CPU time: ${ratioLine('cpu')}**; wall time: ${ratioLine('wall')}.`, '');
  if (byId.b) {
    const t = byId.b.tally;
    push(`What (b) did: ${t.skipped} of ${r.corpus.files} files were set aside by the text pre-filter (no networking module, global or option named: nothing to find, so not parsed); ${r.corpus.files - t.skipped} were parsed and analysed, with ${t.calls} networking calls recognised and ${t.findings} findings${t.internalErrors ? `, and **${t.internalErrors} rule failures**` : ', no rule failures'}.`, '');
    const p = r.parsedSubset;
    if (p) {
      push(`Over only the ${p.files} files (b) parses (${mb(p.bytes)}), where the pre-filter cannot help: (a′) parsing them alone ${(p.cpu.a / 1000).toFixed(2)} s CPU, (b) on them ${(p.cpu.b / 1000).toFixed(2)} s CPU (its per-file medians summed), **b/a′ = ${(p.cpu.b / p.cpu.a).toFixed(2)}** (wall ${(p.wall.b / p.wall.a).toFixed(2)}): what the facts walk and the rules add to parsing a file that has networking code. No target; it is what the pre-filter hides.`, '');
    }
  }
  if (byId.c) {
    const t = byId.c.tally;
    push(`What (c) did: ${t.messages ?? 0} messages; ${t.fatalParseErrors ?? 0} files ESLint could not parse (no rules ran on them); ${t.crashed ?? 0} files where a rule threw and aborted the file; ${t.ignored ?? 0} files ESLint ignored. The flat config is generated by \`bench/tools.mjs\`.`, '');
    const problems = byId.c.problems ?? [];
    if (problems.length) {
      const counts = new Map();
      for (const p of problems) {
        const key = `${p.kind}: ${p.message.replace(/\(\d+:\d+\)|\/\S+/g, '…').slice(0, 90)}`;
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
      push('<details><summary>Files ESLint did not fully lint, by reason</summary>', '');
      for (const [key, n] of [...counts].sort((x, y) => y[1] - x[1]).slice(0, 15)) push(`- ${n} × ${key}`);
      push('', '</details>', '');
    }
  }
  push('Slowest files (CPU time, per-file median):', '');
  for (const t of r.throughput) push(`- ${t.id}: ${t.cpu.slowest.map((s) => `${s.file} ${ms(s.ms)}`).join('; ')}`);
  push('');

  push('## Editor latency (language server over stdio)', '');
  if (!r.editor) push('Not run (`--no-editor`).', '');
  else if (r.editor.missing) push(`n/a: ${r.editor.missing}.`, '');
  else {
    const ed = r.editor;
    push(`Server: \`${ed.server.replace(/.*\/(dist\/)/, '$1')}\`${/\/shipped\//.test(ed.server) ? ' as shipped in wirelens.vsix' : ''} (${mb(ed.serverBytes, 2)}, ${ed.serverMinified === false ? '**not minified**' : ed.serverMinified ? 'minified' : ''}, built ${ed.serverBuiltAt ?? '?'}${r.packaging?.ran ? (r.packaging.ok ? ' by `npm run package` in this run' : '; `npm run package` failed in this run, see bench/.cache/package.log') : ''}), started as \`node ${(ed.serverNodeArgs ?? []).map((a) => `${a} `).join('')}${ed.server.replace(/.*\/(dist\/)/, '$1')} --stdio\`, with the Node options the VS Code client gives it on this machine (\`serverNodeArgs\` in \`server/src/lsp/runtimeTuning.ts\`; one run below without them), by a small JSON-RPC client in \`bench/lsp/client.mjs\`. Documents: whole corpus files with recognised networking calls (${ed.editorCandidates} candidates), concatenated to exactly 2,000 and 10,000 lines. Edits: single-character, each undone by the next, at positions spread through the file: a space typed between tokens and deleted, alternating with a letter typed into a word (a name, a keyword, a string) and deleted; the first kind changes no token, the second can change what the analysis finds. Each edit is timed from sending \`didChange\` (incremental) to the diagnostics for that version: the \`textDocument/diagnostic\` answer (pull, what VS Code uses; asked, as VS Code's client asks, with the result id of the last report, so a server may answer that nothing changed) or the \`publishDiagnostics\` notification (push, other editors; includes the server's debounce). Hovers: on the recognised calls, after the edits, p50 / p95 / max.`, '');
    push('| document | open → diagnostics (pull / push) | edit → diagnostics, pull: p50 / p95 / max | (spaces / letters only: p95) | edit → publishDiagnostics, push: p50 / p95 / max | hover: p50 / p95 / max | hovers answered |', '| --- | --- | --- | --- | --- | --- | --- |');
    const byKind = (run) => (run?.editKinds ? ['whitespace', 'identifier'].map((k) => ms(summary(run.editMs.filter((_, i) => run.editKinds[i] === k)).p95)).join(' / ') : 'n/a');
    for (const d of ed.documents) {
      const pull = d.runs.find((x) => x.mode === 'pull');
      const pushRun = d.runs.find((x) => x.mode === 'push');
      push(`| ${d.lines.toLocaleString('en-US')} lines, ${mb(d.bytes, 2)}, ${d.sourceFiles} corpus files, ${pull?.diagnostics ?? '?'} diagnostics | ${ms(pull?.openMs)} / ${ms(pushRun?.openMs)} | ${lat(pull?.editMs)} (${pull?.editMs.length ?? 0} edits) | ${byKind(pull)} | ${lat(pushRun?.editMs)} | ${lat(pull?.hoverMs)} | ${pull?.hoversAnswered ?? 0} of ${pull?.hoverMs?.length ?? 0} (${pull?.hoverTargets ?? 0} calls) |`);
      if (pull?.againEditMs) push(`| (same server, the same edits again after the hovers) | | ${lat(pull.againEditMs)} (${pull.againEditMs.length} edits) | | | | |`);
      const inHost = d.runs.find((x) => x.node);
      if (inHost) push(`| (server in the extension host's Node ${inHost.node}) | ${ms(inHost.openMs)} / | ${lat(inHost.editMs)} (${inHost.editMs.length} edits) | ${byKind(inHost)} | | ${lat(inHost.hoverMs)} | |`);
      const bareRun = d.runs.find((x) => x.bare);
      if (bareRun) push(`| (server started bare, without the client's Node options) | ${ms(bareRun.openMs)} / | ${lat(bareRun.editMs)} (${bareRun.editMs.length} edits) | ${byKind(bareRun)} | | ${lat(bareRun.hoverMs)} | |`);
    }
    push('');
    const st = summary(ed.startToReadyMs);
    push('## Server', '');
    push('| | |', '| --- | --- |');
    push(`| start to ready (spawn → \`initialize\` answered), ${st.n} starts, ${r.environment.node} | median ${ms(median(ed.startToReadyMs))}, p95 ${ms(st.p95)}, max ${ms(st.max)} |`);
    if (ed.extensionHostNode) {
      const w = summary(ed.extensionHostNode.warmMs);
      const nc = summary(ed.extensionHostNode.noCacheMs ?? []);
      push(`| the same in the extension host's Node ${ed.extensionHostNode.node}, with the compile cache the client sets up (NODE_COMPILE_CACHE) | first start (empty cache) ${ms(ed.extensionHostNode.coldMs)}; then ${w.n} starts: median ${ms(median(ed.extensionHostNode.warmMs))}, p95 ${ms(w.p95)}, max ${ms(w.max)}; interleaved starts without the cache: median ${ms(median(ed.extensionHostNode.noCacheMs ?? []))}, p95 ${ms(nc.p95)} |`);
    }
    const c1 = ed.corpus;
    const c2 = ed.corpusAllOpen;
    push(`| whole corpus, one file at a time (open → pull diagnostics → close) | ${(c1.totalMs / 1000).toFixed(1)} s for ${c1.files} files, ${c1.diagnostics} diagnostics; peak RSS ${mib(c1.peakRss)}, RSS at the end ${mib(c1.rss)}, heap after full GC ${mib(c1.heapAfterGc)} |`);
    push(`| whole corpus, every file left open | ${(c2.totalMs / 1000).toFixed(1)} s, ${c2.diagnostics} diagnostics; peak RSS ${mib(c2.peakRss)}, heap after full GC ${mib(c2.heapAfterGc)} with all open; after closing all: RSS ${mib(c2.rssAfterClose)}, heap after full GC ${mib(c2.heapAfterCloseAndGc)} |`);
    push(`| ${ed.cycles.count} open → diagnostics → edit → diagnostics → hover → close cycles over ${ed.cycles.distinctFiles} files, every 100 cycles | RSS: ${ed.cycles.samples.map((s) => mib(s.rss).replace(' MiB', '')).join(', ')} MiB; heap after full GC: ${ed.cycles.samples.map((s) => (s.heapAfterGc / 2 ** 20).toFixed(1)).join(', ')} MiB${ed.cycles.samples[0]?.dataAfterGc === undefined ? '' : `, of which not compiled code: ${ed.cycles.samples.map((s) => (s.dataAfterGc / 2 ** 20).toFixed(1)).join(', ')} MiB`} |`);
    push('', 'Memory: RSS and its peak from `/proc/<pid>/status` (VmRSS, VmHWM); "heap after full GC" from `bench/lsp/gc-probe.cjs`, preloaded into the server (`--expose-gc --require`) for the memory runs only, which collects garbage on SIGUSR2 and reports `process.memoryUsage().heapUsed`: memory the server still holds, as opposed to heap V8 has not yet collected or returned. The growth target is judged without V8\'s code spaces (`v8.getHeapSpaceStatistics()`): the machine code of functions V8 optimises keeps growing for thousands of cycles (a heap snapshot diff over 2,500 of them: all of the growth, 1.5 MiB, was code), while a leak would be data.', '');
    push('');
  }
  // What the profiles of the edit path showed and what was done about it: written by hand (bench/edit-latency.md),
  // kept with the numbers every run rewrites.
  const notes = join(dirname(fileURLToPath(import.meta.url)), 'edit-latency.md');
  if (existsSync(notes)) push(readFileSync(notes, 'utf8').trim(), '');
  push('## Package and activation', '');
  push('| | |', '| --- | --- |');
  push(`| wirelens.vsix | ${r.vsix ? `${mb(r.vsix.bytes, 2)} (${r.vsix.bytes} bytes; ${r.vsix.fresh ? 'built by `npm run package` in this run' : `existing file from ${r.vsix.builtAt}`}${r.packaging?.minified ? `; bundles ${Object.entries(r.packaging.minified).map(([name, yes]) => `${name}.js ${yes ? 'minified' : '**not minified**'}`).join(', ')}` : ''})` : 'n/a: no wirelens.vsix (`npm run package` failed or was skipped)'} |`);
  push(`| extension activation | ${r.activation.activationMs === undefined ? r.activation.note : `${ms(r.activation.activationMs)} — ${r.activation.note}`} |`);
  const act = r.activation;
  const dist = (x) => (x ? `median ${ms(x.median)}, p95 ${ms(x.p95)}, max ${ms(x.max)}` : 'n/a');
  if (act.runs) {
    push(`| activation = code loading + activate() call, wall (${act.runs} runs) | ${dist(act.activation)} |`);
    push(`| the same, CPU time of the extension host process | ${dist(act.activationCpu)} |`);
    push(`| code loading (require of dist/client.js), wall | ${dist(act.codeLoading)} |`);
    push(`| activate() call, wall | ${dist(act.activateCall)} |`);
    if (act.deferredCpu) push(`| not activation: the work activate() schedules for right after it returns (loading dist/languageClient.js, creating and starting the client), extension host thread CPU / wall | ${dist(act.deferredCpu)} / ${dist(act.deferred)} |`);
    push(`| \`extension.activate()\` resolved, wall (includes other extensions starting in the same host) | ${dist(act.activateResolved)} |`);
    push(`| language server ready in the extension host (activate() → \`initialize\` answered) | ${dist(act.serverReady)} |`);
  }
  push('');
  if (r.profiles) {
    push('## CPU profiles (`--profile`)', '');
    push('Unminified bundles with names kept; per function, largest first. Open the profiles in Chrome DevTools or VS Code for the call trees.', '');
    const titles = { analysis: '(b) over the corpus', editing: `the server answering ${r.profiles.editing?.edits ?? ''} edits on the 10,000-line document (pull)` };
    for (const [name, p] of Object.entries(r.profiles)) {
      push(`**${titles[name] ?? name}**: \`${p.profile}\`, ${(p.totalMs / 1000).toFixed(1)} s sampled${p.within ? ` inside ${p.within.map((f) => `\`${f}\``).join(' or ')} (garbage collection, which has no stack, not included)` : `, idle time${p.without ? ` and time under ${p.without.map((f) => `\`${f}\``).join(', ')} (the server loading)` : ''} left out`}`, '');
      const cell = (t) => (t ? `${ms(t.ms)} (${(t.share * 100).toFixed(1)}%) \`${t.fn.replace(/\|/g, '\\|')}\`` : '');
      push('| self time, by function | total time (with callees), by function | self time, by source module |', '| --- | --- | --- |');
      for (let i = 0; i < Math.max(p.top.length, p.inclusive?.length ?? 0); i++) push(`| ${cell(p.top[i])} | ${cell(p.inclusive?.[i])} | ${cell(p.byModule?.[i])} |`);
      push('');
    }
  }
  push('## Method', '');
  push('- (a) is `ts.createSourceFile(name, text, { languageVersion: ScriptTarget.Latest, jsDocParsingMode: ParseNone }, false, kind)` with the project\'s TypeScript, the same call Wirelens\'s parser makes (JSDoc is not parsed): the floor any TypeScript-based analyser pays.');
  push('- (b) is `analyzeText(fileName, text, defaultConfig())` from `server/src/analysis/index.ts`, bundled and minified by esbuild as the shipped server is; every rule runs.');
  push('- (c) is `new ESLint({ overrideConfigFile })` + `lintText(text, { filePath })` per file with `eslint-plugin-n` and `eslint-plugin-security` recommended flat configs, `@typescript-eslint/parser` for TypeScript (no type information), each `.js` file parsed as ESM or CommonJS by its nearest package.json `type`. Installed into `bench/.cache/tools`, apart from the project.');
  push('- The three run interleaved (order rotated every repetition), each pass in a fresh `node` process, so JIT warm-up, garbage and memory are each pass\'s own.');
  push('- Performance work that must not change a finding is checked with `npm run bench:compare -- --base <rev>` (`bench/compare.mjs`): both revisions\' analysis over every corpus file (calls and findings must be identical), and the edit cost on the 10,000-line document, the two bundles in interleaved processes.');
  push('- Edit latency before and after, through the server: `npm run bench:ab -- --server <build> --server <build>` (`bench/ab.mjs`): fresh servers of each build (or with each set of `--options`), alternating round by round, p50 / p95 and the server\'s CPU time; `--gc` logs its garbage collections, `--times` with `bench/edit-windows.mjs` shows where the slowest edits went in a server CPU profile.');
  push('');
  return L.join('\n');
}
