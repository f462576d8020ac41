// Every input the fuzzer (test/reliability/fuzz.test.ts) broke the analysis with, reduced to its
// essence, with what must hold now. docs/reliability.md tells the story of each.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { analyzeText, AnalyzedDocument, defaultConfig, type FileAnalysis } from '../../server/src/analysis/index';
import { problemsOf } from './fuzz/check';

const FETCH = "export const users = () => fetch('https://api.example.com/users');\n";

function wellFormed(text: string, a: FileAnalysis): void {
  assert.deepEqual(problemsOf(text, a), []);
}

/** Best of three, in ms: scaling checks compare two sizes measured the same way, on the same machine. */
function timeOf(make: () => string): number {
  const text = make();
  let best = Infinity;
  for (let i = 0; i < 3; i++) {
    const t = performance.now();
    analyzeText('scale.js', text);
    best = Math.min(best, performance.now() - t);
  }
  return best;
}

/** Growing the input 4× may cost at most ~9× (linear is 4×, quadratic 16×). */
function assertNearLinear(what: string, make: (n: number) => string, n: number): void {
  const small = timeOf(() => make(n));
  const large = timeOf(() => make(4 * n));
  assert.ok(large < 9 * small + 50, `${what}: ${n} → ${small.toFixed(0)} ms, ${4 * n} → ${large.toFixed(0)} ms (superlinear)`);
}

/**
 * Analyses `text` (whole, then as an edit that completes it) in a child process, which is killed
 * if it has not finished after `ms`: a parser that loops must fail this test, not hang the suite.
 */
function analysesWithin(text: string, ms: number): void {
  const script = `
    import analysis from ${JSON.stringify(pathToFileURL(path.resolve('server/src/analysis/index.ts')).href)};
    const { analyzeText, AnalyzedDocument, defaultConfig } = analysis;
    const text = ${JSON.stringify(text)};
    analyzeText('hang.js', text);
    const doc = new AnalyzedDocument('hang.js', text.slice(0, -1));
    doc.analyze(defaultConfig());
    doc.applyEdit(doc.currentText.length, doc.currentText.length, text.slice(-1));
    doc.analyze(defaultConfig());`;
  const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { timeout: ms, encoding: 'utf8' });
  assert.equal(run.error, undefined, `no answer after ${ms} ms: the parser loops`);
  assert.equal(run.status, 0, run.stderr);
}

describe('fuzzing regressions', () => {
  it('an unterminated /** comment ending in a hyphenated word at the end of the file does not hang the parser (TypeScript 5.9.3 JSDoc scanner; seed 485036197 case 6831)', () => {
    analysesWithin(`${FETCH}x;\n/** ab-cd`, 30_000);
    analysesWithin(`${FETCH}/**\n * Returns the user-su`, 30_000);
  });

  it('arrays nested 10,000 deep: a "could not be analysed" result, not a RangeError; an edit recovers', () => {
    const deep = `${FETCH}export const d = ${'['.repeat(10_000)}${']'.repeat(10_000)};\n`;
    const a = analyzeText('deep.ts', deep);
    assert.match(a.failure ?? '', /nested too deeply for the parser/);
    assert.deepEqual([a.calls.length, a.findings.length], [0, 0]);
    assert.match(a.internalErrors?.[0] ?? '', /^parser: RangeError: Maximum call stack size exceeded/);
    const doc = new AnalyzedDocument('deep.ts', deep);
    assert.match(doc.analyze(defaultConfig()).analysis.failure ?? '', /nested too deeply/);
    doc.applyEdit(FETCH.length, deep.length, '');
    const fixed = doc.analyze(defaultConfig()).analysis;
    assert.equal(fixed.failure, undefined);
    assert.deepEqual(fixed.findings.map((f) => f.ruleId), ['outbound-request-without-timeout']);
  });

  it('`@dec await` (a TypeScript 5.9 parser assertion): reported as a parser failure', () => {
    for (const text of ['@c await', `${FETCH}@dec await\n`, "''@c await"]) {
      const a = analyzeText('dec.ts', `fetch('x');\n${text}`);
      assert.match(a.failure ?? '', /the TypeScript parser failed on this text \(Debug Failure/, text);
      wellFormed(text, a);
    }
  });

  it('long chains and sequences the parser accepts are analysed, not lost to a stack overflow', () => {
    const cases: Array<[string, string]> = [
      ['a + b + … ×20,000', `const s = ${Array(20_000).fill("'a'").join(' + ')};\n${FETCH}`],
      ['(a, b, …) ×20,000', `const s = (${Array(20_000).fill('a').join(', ')});\n${FETCH}`],
      ['.then() ×5,000', `export const p = fetch('https://api.example.com/x')${'.then(f)'.repeat(5_000)};\n`],
      ["http.request().on() ×3,000", `import http from 'node:http';\nexport const r = http.request('http://api.example.com/x')${".on('data', f)".repeat(3_000)};\n`],
      ['s.write() ×3,000 in one comma sequence', `import net from 'node:net';\nconst s = net.connect(80, 'db.internal');\n(${Array(3_000).fill("s.write('x')").join(', ')});\n`],
    ];
    for (const [name, text] of cases) {
      const a = analyzeText('chain.ts', text);
      assert.equal(a.failure, undefined, name);
      assert.deepEqual(a.internalErrors, undefined, `${name}: ${a.internalErrors?.map((e) => e.split('\n')[0]).join('; ')}`);
      assert.ok(a.calls.length >= 1, `${name}: the call is found`);
      wellFormed(text, a);
    }
  });

  it('receiver-returning chains resolve in linear time (x.on(…).on(…)… took 2ⁿ: 40 links, 3 s)', () => {
    assertNearLinear('.on() chain', (n) => `import http from 'node:http';\nhttp.request('http://a.example/')${".on('data', f)".repeat(n)};\n`, 250);
  });

  it('call chains outside any try/catch cost linear time in the retry service (a 10,000-link .then() chain took 6 s)', () => {
    assertNearLinear('.then() chain', (n) => `export const p = fetch('https://a.example/')${'.then(f)'.repeat(n)};\n`, 1000);
  });

  it('the response-body service walks iteratively (a 8,000-link chain overflowed it)', () => {
    const text = `const https = require('https');\nhttps.get({ host: 'a.example', agent: false }, (res) => { res.on('end', f)${".on('data', f)".repeat(8_000)}; });\n`;
    const a = analyzeText('body.js', text);
    assert.equal(a.internalErrors, undefined, a.internalErrors?.map((e) => e.split('\n')[0]).join('; '));
    wellFormed(text, a);
  });

  it('functions × call sites is not quadratic (a 5 MB bundle took 70 s in one rule)', () => {
    const make = (n: number) => Array.from({ length: n }, (_, i) => `function f${i}(u) { for (let k = 0; k < 3; k++) { try { return fetch(u); } catch (e) { g${i}(e); } } }`).join('\n');
    assertNearLinear('functions with retries', make, 400);
  });

  it('fix edits stay in order in an object literal that is not closed yet', () => {
    const text = "export async function f() {\n  const response = await fetch(url, {\n   @\n";
    const a = analyzeText('open.mjs', text);
    wellFormed(text, a);
    const fix = a.findings.find((f) => f.ruleId === 'outbound-request-without-timeout')?.fixes[0];
    if (fix) for (const e of fix.edits) assert.ok(e.start <= e.end, JSON.stringify(e));
    const call = analyzeText('call.ts', "fetch('https://api.example.com/x'");
    wellFormed("fetch('https://api.example.com/x'", call);
  });

  it('a callback whose parameter list is garbled (invalid UTF-8) gets no fix edit past the end of the file', () => {
    // test/fixtures/real/statsd/servers-tcp.js with invalid UTF-8 inserted (fuzz seed 67188512, case 4657).
    const text = readFileSync(path.join(__dirname, 'fixtures', 'garbled-parameter.js'), 'utf8');
    const a = analyzeText('tcp.js', text);
    wellFormed(text, a);
  });

  it('an open document says what the CLI says about the same text (the pre-filter applies to every version)', () => {
    const config = defaultConfig();
    // Starts with a network module, then loses it: TLS options alone still count, in both.
    const start = "import tls from 'node:tls';\nexport const options = { minVersion: 'TLSv1' };\n";
    const doc = new AnalyzedDocument('options.ts', start);
    assert.deepEqual(doc.analyze(config).analysis.findings.map((f) => f.ruleId), ['tls-weak-protocol-or-cipher']);
    doc.applyEdit(0, start.indexOf('\n') + 1, '');
    const incremental = doc.analyze(config).analysis;
    const fresh = analyzeText('options.ts', doc.currentText, config);
    assert.deepEqual(incremental.findings.map((f) => f.ruleId), ['tls-weak-protocol-or-cipher']);
    assert.deepEqual(fresh.findings.map((f) => [f.ruleId, f.range]), incremental.findings.map((f) => [f.ruleId, f.range]));
    // And a text with no network hint at all is skipped by both, tree or no tree.
    doc.setText('export const x = 1;\n');
    doc.analyze(config);
    doc.applyEdit(0, 0, '// comment\n');
    assert.equal(doc.analyze(config).analysis.skipped, true);
  });

  it('edits with offsets out of range are clamped, like LSP positions', () => {
    const doc = new AnalyzedDocument('a.ts', FETCH);
    doc.analyze(defaultConfig());
    doc.applyEdit(-10, -5, '// top\n');
    doc.applyEdit(1e9, 2e9, '// end\n');
    doc.applyEdit(20, 10, '');
    doc.applyEdit(Number.NaN, Number.NaN, '');
    assert.equal(doc.currentText, `// top\n${FETCH}// end\n`);
    const a = doc.analyze(defaultConfig()).analysis;
    assert.deepEqual(a.findings.map((f) => f.ruleId), ['outbound-request-without-timeout']);
    assert.equal(JSON.stringify(a.findings), JSON.stringify(analyzeText('a.ts', doc.currentText).findings));
  });
});
