// One throughput measurement, in a process of its own: a single pass of one tool over every corpus
// file, the way a CLI run would go. Usage (run.mjs starts it):
//   node bench/workers/throughput.mjs <parse|analyze|eslint> <files.json> <out.json> [module]
// Each file is read from disk before its clock starts, so every tool is timed on the same work:
// text in memory → result. Loading the tool itself is timed apart (startMs).
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';

const [mode, filesJson, outJson, modulePath] = process.argv.slice(2);
const { files, cwd } = JSON.parse(readFileSync(filesJson, 'utf8'));

const SCRIPT_KIND_BY_EXT = { '.ts': 'TS', '.mts': 'TS', '.cts': 'TS', '.tsx': 'TSX', '.js': 'JS', '.mjs': 'JS', '.cjs': 'JS', '.jsx': 'JSX' };
const extOf = (p) => p.slice(p.lastIndexOf('.'));

/** Each tool: load once, then a function that processes one file and returns a tally to add up. */
const tools = {
  // (a) The floor: what any TypeScript-based analyser must pay. The same call Wirelens's parseFile
  // makes (latest target, no parent pointers, script kind from the extension).
  async parse() {
    const ts = createRequire(modulePath)('typescript');
    return {
      version: ts.version,
      run(fileName, text) {
        const sf = ts.createSourceFile(fileName, text, { languageVersion: ts.ScriptTarget.Latest, jsDocParsingMode: ts.JSDocParsingMode.ParseNone }, false, ts.ScriptKind[SCRIPT_KIND_BY_EXT[extOf(fileName)]]);
        return { syntaxErrors: sf.parseDiagnostics?.length ? 1 : 0 };
      },
    };
  },
  // (b) Wirelens: the whole analysis (pre-filter, parse, facts, every rule) through analyzeText.
  async analyze() {
    const mod = createRequire(import.meta.url)(modulePath);
    const config = mod.defaultConfig();
    return {
      version: 'bundle',
      run(fileName, text) {
        const a = mod.analyzeText(fileName, text, config);
        if (a.internalErrors?.length) problems.push({ file: fileName, kind: 'rule failed', message: a.internalErrors[0].split('\n')[0] });
        return {
          skipped: a.skipped ? 1 : 0,
          calls: a.calls.length,
          findings: a.findings.length,
          internalErrors: a.internalErrors?.length ?? 0,
          syntaxErrors: a.syntaxErrors ? 1 : 0,
        };
      },
    };
  },
  // (c) ESLint 9, flat config written by bench/tools.mjs, one lintText per file (as an editor
  // integration calls it: config lookup, parse, every rule).
  async eslint() {
    const require = createRequire(join(modulePath, 'package.json'));
    const { ESLint } = await import(pathToFileURL(require.resolve('eslint')).href);
    const eslint = new ESLint({ cwd, overrideConfigFile: join(modulePath, 'eslint.config.mjs'), cache: false, warnIgnored: true });
    const version = ESLint.version;
    return {
      version,
      async run(fileName, text) {
        let result;
        try {
          [result] = await eslint.lintText(text, { filePath: fileName });
        } catch (err) {
          // A rule that throws aborts the whole file (e.g. eslint-plugin-n on a tsconfig.json that
          // extends a package the corpus lacks). Counted: the file got less than full work.
          problems.push({ file: fileName, kind: 'crashed', message: String(err.message).split('\n')[0] });
          return { crashed: 1 };
        }
        // A fatal message is a parse failure (no rule ran); an ignored file would mean the config
        // let ESLint skip work, so both are counted and reported.
        const ignored = result.messages.find((m) => !m.ruleId && /ignored/i.test(m.message));
        const fatal = result.messages.find((m) => m.fatal);
        if (ignored || fatal) problems.push({ file: fileName, kind: fatal ? 'fatal' : 'ignored', message: (fatal ?? ignored).message });
        return { messages: result.messages.length, fatalParseErrors: fatal ? 1 : 0, ignored: ignored ? 1 : 0 };
      },
    };
  },
};

/** Files a tool could not fully process, with why (reported so a fast number cannot hide skipped work). */
const problems = [];

const startedAt = performance.now();
const tool = await tools[mode]();
const startMs = performance.now() - startedAt;

// Wall time per file, and CPU time (user + system of the whole process, so a tool's GC and compiler
// threads count against it). On a machine shared with other work, wall time includes waiting for
// a core; CPU time does not, so it is the steadier basis for comparing tools.
const wallMs = new Float64Array(files.length);
const cpuMs = new Float64Array(files.length);
const tally = {};
/** Indexes of the files the tool set aside without parsing (Wirelens's pre-filter). */
const skipped = [];
let bytes = 0;
for (let i = 0; i < files.length; i++) {
  const fileName = files[i];
  const text = readFileSync(fileName, 'utf8');
  bytes += Buffer.byteLength(text);
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const r = await tool.run(fileName, text);
  wallMs[i] = performance.now() - t0;
  const c = process.cpuUsage(c0);
  cpuMs[i] = (c.user + c.system) / 1000;
  for (const [k, v] of Object.entries(r)) tally[k] = (tally[k] ?? 0) + v;
  if (r.skipped) skipped.push(i);
}
const sum = (a) => a.reduce((x, y) => x + y, 0);

const out = {
  mode,
  toolVersion: tool.version,
  startMs,
  wallMs: sum(wallMs),
  cpuMs: sum(cpuMs),
  bytes,
  files: files.length,
  wallMsPerFile: Array.from(wallMs),
  cpuMsPerFile: Array.from(cpuMs),
  tally,
  skipped,
  problems,
  // resourceUsage().maxRSS is in kilobytes.
  maxRssBytes: process.resourceUsage().maxRSS * 1024,
};
writeFileSync(outJson, JSON.stringify(out));
