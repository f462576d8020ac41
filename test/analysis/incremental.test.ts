// The incremental analysis of an open document (facts kept per top-level statement between edits,
// see facts.ts) must answer exactly what a fresh analysis of the same text answers: every call and
// every finding, with their ranges, messages and fixes, after every edit of a long random session
// over real networking code (the fuzz seeds and published packages in node_modules).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import ts = require('typescript');
import { analyzeText, AnalyzedDocument, defaultConfig, type FileAnalysis } from '../../server/src/analysis/index';
import { collectFacts, FactsCache, propertyKeysWhere, selectAssignments, selectCalls, selectScopes, type FileFacts } from '../../server/src/analysis/facts';
import { FileModel } from '../../server/src/analysis/fileModel';
import { parseFile, reparse } from '../../server/src/analysis/parse';
import { LONGEST_FRAGMENT, reparseCounts } from '../../server/src/analysis/statementReparse';
import { editedLineStarts, lineStarts } from '../../server/src/analysis/suppress';
import { sourceSeeds } from '../reliability/fuzz/corpus';
import { type Edit, packageSeeds, pick, seededRandom } from './editSessions';

const config = defaultConfig();
const signature = (a: FileAnalysis) => JSON.stringify({ calls: a.calls, findings: a.findings, skipped: a.skipped, failure: a.failure, internalErrors: a.internalErrors?.length ?? 0 });

/** Edits that change what the analysis sees: names, declarations, assignments, statement boundaries, comments, strings. */
const SNIPPETS = ['x', ' ', '\n', ';', '}', '{', '(', 'var http = require("http");\n', 'let agent;\n', 'agent = new http.Agent({ keepAlive: false });\n', 'client = null;\n', 'function request() {}\n', '/*', '*/', '`', "'", 'const fetch = 1;\n', 'exports.x = 1;\n', 'if (a) { var socket = net.connect(80); }\n'];

function nextEdit(text: string, rnd: () => number): Edit {
  const at = Math.floor(rnd() * text.length);
  const lineStart = text.lastIndexOf('\n', at) + 1;
  const kind = rnd();
  if (kind < 0.4) return { start: at, end: at, newText: pick(rnd, SNIPPETS) };
  if (kind < 0.6) return { start: at, end: Math.min(text.length, at + 1 + Math.floor(rnd() * 3)), newText: '' };
  if (kind < 0.8) {
    const lineEnd = text.indexOf('\n', lineStart);
    return { start: lineStart, end: lineEnd < 0 ? text.length : lineEnd + 1, newText: '' };
  }
  return { start: lineStart, end: lineStart, newText: pick(rnd, SNIPPETS) };
}

/** A reserved or contextual keyword (`const`, `get`, `of`), as the compiler's scanner reads the word. */
const wordScanner = ts.createScanner(ts.ScriptTarget.Latest, /*skipTrivia*/ true);
function isKeyword(word: string): boolean {
  wordScanner.setText(word);
  const kind = wordScanner.scan();
  return kind >= ts.SyntaxKind.FirstKeyword && kind <= ts.SyntaxKind.LastKeyword;
}

/** A letter typed inside the first name (not a keyword) at or after `from`; a space where none is found. */
function letterInName(text: string, from: number, rnd: () => number): Edit {
  const name = /[A-Za-z_$][\w$]*/g;
  name.lastIndex = from;
  for (let m = name.exec(text); m; m = name.exec(text)) {
    if (m[0].length < 2 || isKeyword(m[0])) continue;
    const at = m.index + 1 + Math.floor(rnd() * (m[0].length - 1));
    return { start: at, end: at, newText: pick(rnd, ['x', 'e', '_']) };
  }
  return { start: from, end: from, newText: ' ' };
}

/** Whole statements the analysis sees: network calls, a client per call, an agent. */
const STATEMENTS = ["require('net').connect(80).write('x');\n", "require('http').get('http://example.com/');\n", "fetch('http://example.com/');\n", "const agent = new (require('http').Agent)({ keepAlive: false });\n"];

/** A statement inserted at the start of the first line at or after `from` that follows the end of another (`;`, `{`, `}`). */
function statementAtLineStart(text: string, from: number, rnd: () => number): Edit {
  for (let at = text.indexOf('\n', from); at >= 0; at = text.indexOf('\n', at + 1)) {
    const before = text.slice(Math.max(0, at - 1), at);
    if (before === ';' || before === '{' || before === '}') return { start: at + 1, end: at + 1, newText: pick(rnd, STATEMENTS) };
  }
  return { start: from, end: from, newText: ' ' };
}

/**
 * Replaces, in an open document holding `text`, the first occurrence of each step's text with its
 * replacement, one step at a time; after each, the document must answer what a fresh analysis of its
 * text answers, and `after` sees the text.
 */
function replaySteps(doc: AnalyzedDocument, text: string, steps: ReadonlyArray<readonly [string, string]>, after?: (text: string, replace: string) => void): void {
  for (const [find, replace] of steps) {
    const start = text.indexOf(find);
    assert.ok(start >= 0, find);
    text = text.slice(0, start) + replace + text.slice(start + find.length);
    doc.applyEdit(start, start + find.length, replace);
    assert.equal(signature(doc.analyze(config).analysis), signature(analyzeText(doc.fileName, text, config)), `after ${JSON.stringify(replace)}`);
    after?.(text, replace);
  }
}

describe('incremental analysis of an open document', () => {
  it('answers what a fresh analysis answers after every edit of random sessions over real code', () => {
    const seeds = [...sourceSeeds(), ...packageSeeds()].filter((s) => s.text.length < 200_000);
    assert.ok(seeds.length >= 40, `expected real code to edit, found ${seeds.length} files`);
    const rnd = seededRandom(20261126);
    let compared = 0;
    let withCalls = 0;
    for (const seed of seeds) {
      const doc = new AnalyzedDocument(seed.name, seed.text);
      doc.analyze(config);
      let text = seed.text;
      for (let i = 0; i < 12; i++) {
        const e = nextEdit(text, rnd);
        text = text.slice(0, e.start) + e.newText + text.slice(e.end);
        doc.applyEdit(e.start, e.end, e.newText);
        // Sometimes several edits arrive before the next analysis.
        if (rnd() < 0.25 && i < 11) continue;
        const incremental = doc.analyze(config).analysis;
        const fresh = analyzeText(seed.name, text, config);
        assert.equal(signature(incremental), signature(fresh), `${seed.name}, after edit ${i} ${JSON.stringify(e)}`);
        compared++;
        if (fresh.calls.length) withCalls++;
      }
    }
    // The sessions must have exercised the analysis, not only skipped files.
    assert.ok(compared > 400 && withCalls > 200, `compared ${compared} analyses, ${withCalls} with calls`);
  });

  it('answers the same after edits inside long statements, which re-parse only the statements or members around the edit', () => {
    // Classes and functions of hundreds of lines: the re-parse copies the nodes down to the edited list
    // (statementReparse.ts), and the analysis must treat the copy as a new statement.
    const seeds = [...sourceSeeds(), ...packageSeeds()]
      .map((s) => ({ ...s, long: parseFile(s.name, s.text).statements.filter((st) => st.end - st.pos > LONGEST_FRAGMENT) }))
      .filter((s) => s.long.length > 0);
    assert.ok(seeds.length >= 5, `expected real code with long statements, found ${seeds.length} files`);
    const rnd = seededRandom(20261127);
    const insideBefore = reparseCounts.inside;
    let compared = 0;
    for (const seed of seeds) {
      const doc = new AnalyzedDocument(seed.name, seed.text);
      doc.analyze(config);
      let text = seed.text;
      let undo: Edit | undefined;
      for (let i = 0; i < 30; i++) {
        // A letter typed into a name, a whole statement at a line start, or a snippet (which may leave an
        // error), somewhere in one of the long statements as they were (close enough after a few edits);
        // each edit is then taken out again.
        const statement = pick(rnd, seed.long);
        const from = Math.min(text.length, statement.pos + Math.floor(rnd() * (statement.end - statement.pos)));
        const kind = rnd();
        const e: Edit = undo ?? (kind < 0.5 ? letterInName(text, from, rnd) : kind < 0.85 ? statementAtLineStart(text, from, rnd) : { start: from, end: from, newText: pick(rnd, SNIPPETS) });
        undo = undo ? undefined : { start: e.start, end: e.start + e.newText.length, newText: text.slice(e.start, e.end) };
        text = text.slice(0, e.start) + e.newText + text.slice(e.end);
        doc.applyEdit(e.start, e.end, e.newText);
        const incremental = doc.analyze(config).analysis;
        const fresh = analyzeText(seed.name, text, config);
        assert.equal(signature(incremental), signature(fresh), `${seed.name}, after edit ${i} ${JSON.stringify(e)}`);
        compared++;
      }
    }
    const inside = reparseCounts.inside - insideBefore;
    assert.ok(compared >= 150 && inside > 120, `compared ${compared} analyses, ${inside} re-parsed inside a statement`);
  });

  it('gives a root name to its first declaration in statement order when a kept statement now comes before a re-created one', () => {
    // The root's declarations are patched in place only when the re-created statements take the removed
    // ones' places; here the kept `var x = 2` moves ahead of the new declaration and must win.
    const cache = new FactsCache();
    const first = parseFile('r.js', 'var s = 0;\nvar x = 1;\nvar x = 2;\n');
    collectFacts(first, cache);
    const [s, , kept] = first.statements as unknown as [ts.Statement, ts.Statement, ts.VariableStatement];
    const added = parseFile('w.js', 'var x = 3;\n').statements[0]!;
    const facts = collectFacts(ts.factory.updateSourceFile(first, [s, kept, added]), cache);
    assert.equal(facts.root.bindings.get('x')?.node, kept.declarationList.declarations[0]);
  });

  it('walks again only the top-level statements the incremental parse re-created', () => {
    const text = ["const http = require('http');", 'let agent;', "function get() { return http.get('http://example.com/', { agent }); }", 'function other() { return 1; }', 'agent = new http.Agent({ keepAlive: true });', ''].join('\n');
    const cache = new FactsCache();
    const first = parseFile('a.js', text);
    const before = collectFacts(first, cache);
    const kept = before.calls.find((c) => c.node.getText(first).startsWith('http.get'))!;
    const at = text.indexOf('return 1') + 'return 1'.length;
    const second = reparse(first, text.slice(0, at) + '2' + text.slice(at), [{ start: at, end: at, newText: '2' }]);
    const after = collectFacts(second, cache);
    // The call in the untouched function is the same fact (not walked again), its index renumbered in walk order…
    const again = after.calls.find((c) => c.node === kept.node);
    assert.equal(again, kept);
    assert.deepEqual(after.calls.map((c) => c.index), after.calls.map((_, i) => i));
    // …while the edited statement's facts are new, and the root scope holds every statement's declarations.
    assert.deepEqual([...after.root.bindings.keys()], ['http', 'agent', 'get', 'other']);
    const agent = after.root.lookup('agent');
    assert.equal(agent?.kind, 'var');
    // Assignments from other statements are attached once, not once per collection.
    assert.equal(agent?.kind === 'var' ? agent.assigned.length : -1, 1);
    assert.equal(after.root.node, second);
  });

  it('keeps what kept statements resolved to unless the edit changes what a root name they use means', () => {
    // Each statement its own line, with an unrelated one between the declarations and their user: an
    // edit at a statement's end re-creates the next statement too (the incremental parser's choice).
    const base = ["const http = require('http');", 'let agent;', 'function other() { return 1; }', 'const options = { agent };', 'function more() { return 2; }', 'function get(url) { return http.get(url, { agent }); }', ''].join('\n');
    /** Applies one edit after a first analysis; true when the kept `http.get` site keeps its resolution. */
    const keeps = (find: string, replace: string) => {
      const cache = new FactsCache();
      const first = parseFile('a.js', base);
      const site = new FileModel(first, cache).facts.calls.find((c) => c.node.expression.getText(first) === 'http.get')!;
      assert.ok(site.resolution, 'resolved by the first analysis');
      const at = base.indexOf(find);
      assert.ok(at >= 0, find);
      const next = base.slice(0, at) + replace + base.slice(at + find.length);
      const facts = collectFacts(reparse(first, next, [{ start: at, end: at + find.length, newText: replace }]), cache);
      assert.ok(facts.calls.includes(site), 'the edit keeps the statement of http.get');
      return site.resolution?.generation === facts.resolutionGeneration;
    };
    assert.equal(keeps('return 1', 'return 12'), true, 'an edit inside a function body');
    assert.equal(keeps('http =', 'http  ='), true, 'the same require, re-created');
    assert.equal(keeps("require('http')", "require('https')"), false, 'a root name now holds another module');
    assert.equal(keeps('return 1', 'agent = new http.Agent(); return 1'), false, 'an assignment to a root variable');
    assert.equal(keeps('function other() { return 1; }', 'function other() { return 1; }\nconst agent2 = 1;'), true, 'a new name nobody uses');
    assert.equal(keeps('function other() { return 1; }', 'function other() { return 1; }\nvar agent = 1;'), true, 'a redeclaration that does not win (the first declaration does)');
    assert.equal(keeps('return 1', 'const http = 1; return 1'), true, 'a name declared inside a function body');
    assert.equal(keeps('let agent;', 'let agent = 1;'), false, 'a root variable given another value');
    assert.equal(keeps('= { agent }', '= { agent, x: 1 }'), true, 'a statement that uses the same names, edited');
  });

  it('resolves again the kept statements that use a changed root name through other root names', () => {
    // Enough unrelated statements that picking out the affected ones beats resolving everything again.
    const filler = Array.from({ length: 20 }, (_, i) => `function f${i}() { return ${i}; }`);
    const text = ["const http = require('http');", 'let base = http;', 'function other() { return 1; }', 'const alias = base;', 'function get(url) { return alias.get(url); }', 'function unrelated() { return process.cwd(); }', ...filler, ''].join('\n');
    const cache = new FactsCache();
    const first = parseFile('a.js', text);
    const model = new FileModel(first, cache);
    const site = (callee: string) => model.facts.calls.find((c) => c.node.expression.getText(first) === callee)!;
    const get = site('alias.get');
    const cwd = site('process.cwd');
    assert.ok(get.resolution?.call, 'alias.get is http.get');
    // `base` now holds something else: `alias` (declared from it) and the site using `alias` must resolve again.
    const at = text.indexOf('return 1');
    const next = text.slice(0, at) + 'base = null; ' + text.slice(at);
    const facts = collectFacts(reparse(first, next, [{ start: at, end: at, newText: 'base = null; ' }]), cache);
    assert.equal(get.resolution, undefined);
    assert.ok(cwd.resolution, 'a statement using none of those names keeps its resolution');
    assert.equal(cwd.resolution.generation, facts.resolutionGeneration);
  });

  it('resolves again only the sites inside a kept function that a re-created statement passes by name', () => {
    const text = ["const net = require('net');", 'function onSocket(sock) { sock.write("hi"); }', 'function other() { return 1; }', "function open() { net.connect(80).write('x'); }", ''].join('\n');
    const cache = new FactsCache();
    const first = parseFile('a.js', text);
    const before = new FileModel(first, cache);
    assert.equal(before.facts.calls.find((c) => c.node.expression.getText(first) === 'sock.write')?.resolution?.receiver, undefined);
    const at = text.indexOf('return 1');
    const next = text.slice(0, at) + 'net.createServer(onSocket); ' + text.slice(at);
    const facts = collectFacts(reparse(first, next, [{ start: at, end: at, newText: 'net.createServer(onSocket); ' }]), cache);
    const site = (callee: string) => facts.calls.find((c) => c.node.expression.getText(facts.sourceFile) === callee)!;
    // `sock` is now typed by the new registration: the write inside onSocket must resolve again…
    assert.equal(site('sock.write').resolution, undefined);
    // …while the other kept statements keep theirs.
    assert.equal(site('net.connect(80).write').resolution?.generation, facts.resolutionGeneration);
    // Resolved again, `sock` is now the server's accepted socket (before the edit nothing typed it).
    new FileModel(facts.sourceFile, cache);
    assert.match(site('sock.write').resolution?.receiver?.type ?? 'untyped', /Socket/);
  });

  it("keeps each selection, and the file's lists of sites, assignments, properties and class fields, through edits that add, change and remove them", () => {
    // Selections are made once over every statement, then kept up to date with the statements each
    // edit removes and adds: after every edit they must list what a fresh collection lists.
    const items = ['try { a(); } catch (e) { b(); }\n', 'for (;;) { c(); }\n', 'o.timeout = 1;\n', 'new C(1, 2);\n', 'function f() { try {} catch {} }\n', 'x = { y: new D(3, 4) };\n', "h = { Connection: 'close', connection: 1 };\n", "g({ CONNECTION: 'x' });\n", 'class K { constructor() { this.s = net.connect(1); } }\n'];
    const rnd = seededRandom(11);
    let text = items.join('') + 'const http = require("http");\n' + items.slice(2).join('');
    const cache = new FactsCache();
    let file = parseFile('s.js', text);
    const isNewWithTwo = (site: { node: ts.Node }) => ts.isNewExpression(site.node) && (site.node.arguments?.length ?? 0) === 2;
    const anyWrite = () => true;
    const isConnection = (key: string) => key.toLowerCase() === 'connection';
    const selections = (facts: FileFacts) => JSON.stringify({
      // The keys each once, with every property of each, merged from the statements that have it.
      connection: propertyKeysWhere(facts, isConnection).map((key) => [key, (facts.propertiesByName.get(key) ?? []).map((p) => [p.pos, p.end])]),
      // Every site's index is its place in the file's list (kept statements keep theirs while nothing before them moves).
      indexes: facts.calls.map((site, i) => site.index - i).filter((d) => d !== 0),
      // The file's lists, spliced from the last version's where the edit left statements alone.
      sites: facts.calls.map((site) => [site.node.pos, site.node.end]),
      assignments: facts.assignments.map((a) => [a.node.pos, a.node.end]),
      classes: [...facts.classFields].map(([cls, fields]) => [cls.pos, cls.end, [...fields.keys()]]).sort((a, b) => (a[0] as number) - (b[0] as number)),
      catches: selectScopes(facts, ts.isCatchClause).map((n) => [n.pos, n.end]),
      loops: selectScopes(facts, ts.isForStatement).map((n) => [n.pos, n.end]),
      writes: selectAssignments(facts, anyWrite).map((a) => [a.node.pos, a.node.end]),
      constructions: selectCalls(facts, isNewWithTwo).map((c) => [c.node.pos, c.node.end]),
    });
    selections(collectFacts(file, cache));
    let compared = 0;
    for (let i = 0; i < 400; i++) {
      const lines = text.split('\n');
      const line = Math.floor(rnd() * lines.length);
      const start = lines.slice(0, line).reduce((n, l) => n + l.length + 1, 0);
      const remove = rnd() < 0.4 && line < lines.length - 1;
      const edit = remove ? { start, end: start + lines[line]!.length + 1, newText: '' } : { start, end: start, newText: pick(rnd, items) };
      text = text.slice(0, edit.start) + edit.newText + text.slice(edit.end);
      file = reparse(file, text, [edit]);
      const kept = collectFacts(file, cache);
      if (!kept.statements) continue;
      assert.equal(selections(kept), selections(collectFacts(parseFile('s.js', text))), `after edit ${i}`);
      compared++;
    }
    assert.ok(compared > 300, `compared ${compared}`);
  });

  it('answers the whole-text tests through edits that add and remove browser globals and suppressions', () => {
    // Whether the file runs in a page decides whether an unhandled rejection ends a process, and a
    // directive comment silences a finding: both come from the document's occurrences of the tests'
    // literals, kept through edits.
    const base = "async function load() {\n  await fetch('https://api.example.com/items');\n}\nsetInterval(() => load(), 1000);\n";
    const doc = new AnalyzedDocument('app.js', base);
    const unhandled = () => doc.analyze(config).analysis.findings.filter((f) => f.ruleId === 'network-error-unhandled').length;
    assert.equal(unhandled(), 1, 'in a process, the rejection of fetch is unhandled');
    const directive = '// wirelens-disable-next-line network-error-unhandled\n';
    const steps: Array<[string, string]> = [
      ['\nsetInterval', '\ndocument.body.append(x);\nsetInterval'], ['document.body', 'document.bod'], ['document.bod', 'document.body'], ['document.body.append(x);', ''],
      ['\nsetInterval', `\n${directive}setInterval`], ['disable-next', 'disablenext'], ['disablenext', 'disable-next'],
      // Text typed before the directive moves it.
      ['async function', 'const x = 1;\nasync function'], ['x = 1', 'xy = 1'], [directive, ''],
    ];
    replaySteps(doc, base, steps, (text, replace) => {
      const silenced = text.includes('document.body') || text.includes('wirelens-disable-next-line');
      assert.equal(unhandled(), silenced ? 0 : 1, `after ${JSON.stringify(replace)}`);
    });
  });

  it('finds axios-retry configurations through edits, from the sites kept per statement', () => {
    // The axios-retry check reads the sites bound to an axios-retry import (or a variable, when the
    // text names the module) from each statement's kept selection, merged with the calls named `default`.
    const base = [
      "const axios = require('axios');",
      "const axiosRetry = require('axios-retry');",
      'const client = axios.create();',
      'function setup() { return 1; }',
      'axiosRetry(client, { retries: 3 });',
      'axiosRetry.default(axios, { retries: 2 });',
      '',
    ].join('\n');
    const doc = new AnalyzedDocument('client.js', base);
    const noDelay = () => doc.analyze(config).analysis.findings.filter((f) => f.message.includes('with no delay')).length;
    assert.equal(noDelay(), 2);
    const steps: Array<[string, string]> = [['return 1', 'return 12'], ['retries: 3', 'retries: 4, retryDelay: axiosRetry.exponentialDelay'], ['axiosRetry(client', 'axiosRetryX(client'], ['axiosRetryX(client', 'axiosRetry(client'], ["require('axios-retry')", "require('axios-retryx')"]];
    replaySteps(doc, base, steps);
    assert.equal(noDelay(), 0, 'configured with a delay, then no longer axios-retry');
  });

  it("follows a root variable's references through edits that add and remove them in other statements", () => {
    // A root variable's references are kept while no statement that has its name changes: a reference
    // added in another statement, or one that stops naming it, must be seen.
    const base = [
      "const net = require('net');",
      'const sock = net.connect(80);',
      'function setup() { return 1; }',
      'function other() { return 2; }',
      '',
    ].join('\n');
    const doc = new AnalyzedDocument('client.js', base);
    const unhandled = () => doc.analyze(config).analysis.findings.filter((f) => f.ruleId === 'network-error-unhandled').length;
    assert.equal(unhandled(), 1);
    const steps: Array<[string, string]> = [
      ['return 2', 'return 23'],
      // Handed to code out of sight, which may listen: found through the variable's references only.
      ['return 1;', 'register(sock); return 1;'],
      ['return 23', 'return 2'],
      ['register(sock)', 'register(sockx)'],
      ['register(sockx)', 'register(sock)'],
      ['return 2;', "sock.on('error', () => {}); return 2;"],
      ['register(sock)', 'register(sockx)'],
    ];
    replaySteps(doc, base, steps);
    assert.equal(unhandled(), 0, 'the listener added in another statement counts');
  });

  it('keeps line starts through edits that add, remove and move lines', () => {
    const rnd = seededRandom(7);
    let text = 'a\nbb\r\n\nccc\n';
    let starts = lineStarts(text);
    for (let i = 0; i < 2000; i++) {
      const start = Math.floor(rnd() * (text.length + 1));
      const end = Math.min(text.length, start + Math.floor(rnd() * 4));
      const newText = ['', 'x', '\n', 'y\nz', '\r\n', '\n\n'][Math.floor(rnd() * 6)]!;
      text = text.slice(0, start) + newText + text.slice(end);
      starts = editedLineStarts(starts, start, end, newText);
      assert.deepEqual(starts, lineStarts(text), `after edit ${i}`);
    }
  });

  it('walks again a statement the re-parse brings back to the top level from inside a block (fuzz seed 218687766 case 11073)', () => {
    // Typing `\u{1F60` into `const` makes `{` open a block around the rest of the file, then the
    // block closes elsewhere: the re-parse reuses the nested `module.exports = …` as a top-level
    // statement again, with facts and resolutions from two versions ago (when `fetch` was node-fetch).
    const text = "const fetch = require('node-fetch');\n\nmodule.exports = (url) => new Promise((resolve) => {\n  fetch(url, { method: 'POST' }).then(resolve);\n});\n";
    const doc = new AnalyzedDocument('a.js', text);
    assert.equal(doc.analyze(config).analysis.calls[0]?.library, 'node-fetch');
    let at = 2;
    for (const [typed, analyse] of [['\\', false], ['u', false], ['{', false], ['1', false], ['F', true], ['6', false], ['0', true], ['0', false], ['}', true]] as const) {
      doc.applyEdit(at, at, typed);
      at += typed.length;
      if (!analyse) continue;
      assert.equal(signature(doc.analyze(config).analysis), signature(analyzeText('a.js', doc.currentText, config)), doc.currentText.slice(0, 40));
    }
  });

  it('resolves again what a kept statement calls through a module variable once an edit declares `require` (fuzz seed 773559291 case 3195)', () => {
    // `var buffer = require(…)` typed into `var buffernt. = require(…)` reads as `var buffernt, require`:
    // the re-created statement before it declares `net = require('net')` as before, but `require` is a
    // variable now, so `net` is no module and the kept `net.connect(…)` is no recognised call.
    const filler = Array.from({ length: 12 }, (_, i) => `function f${i}() { return ${i}; }`);
    const text = ["var _ = require('lodash'),", "  net = require('net');", '', "var buffer = require('./buffer');", ...filler, 'exports.open = function (options) {', '  return net.connect(options);', '};', ''].join('\n');
    const doc = new AnalyzedDocument('a.cjs', text);
    assert.deepEqual(doc.analyze(config).analysis.calls.map((c) => c.api), ['net.connect']);
    const at = text.indexOf('buffer =') + 'buffer'.length;
    doc.applyEdit(at, at, 'nt.');
    assert.equal(signature(doc.analyze(config).analysis), signature(analyzeText('a.cjs', doc.currentText, config)));
    assert.deepEqual(doc.analyze(config).analysis.calls, []);
  });

  it('finds again what a kept assignment writes to when the root name it writes through changes meaning', () => {
    const filler = Array.from({ length: 12 }, (_, i) => `function f${i}() { return ${i}; }`);
    // Another server, so the first analysis already asks what every assignment writes to.
    const text = ["const http = require('http');", 'let app = http.creatServer(handle);', ...filler, 'app.keepAliveTimeout = 65_000;', 'http.createServer(other).listen(80);', ''].join('\n');
    const doc = new AnalyzedDocument('a.js', text);
    assert.deepEqual(doc.analyze(config).analysis.calls.map((c) => c.api), ['http.createServer', 'server.listen'], 'a misspelt createServer is nothing');
    // Fix the spelling: `app` is now a server, and the kept statement writes its keep-alive timeout.
    const at = text.indexOf('creatServer') + 'creat'.length;
    doc.applyEdit(at, at, 'e');
    const { model } = doc.analyze(config);
    const server = model!.calls.find((c) => c.api === 'http.createServer');
    assert.ok(server, 'http.createServer recognised');
    assert.deepEqual(model!.propertyWritesTo(model!.nodeOf(server)).map((w) => w.path.join('.')), ['keepAliveTimeout']);
  });
});

