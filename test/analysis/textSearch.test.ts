// The literal-first text searches answer exactly what the regular expressions they replaced did.
// The original expressions are the oracle here; they are checked against real files (every labelled
// excerpt and every example) and against edge cases at word boundaries, line starts and file ends.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { isBrowserCode, runsInPage } from '../../server/src/analysis/context';
import { AnchoredIndex, anchoredMatches, DocumentOccurrences, searchKey, someAnchoredMatch, standaloneOccurrences, type Anchored } from '../../server/src/analysis/textSearch';
import { BROWSER_API as BROWSER_API_ANCHORED, PAGE_CODE as BROWSER_CODE_ANCHORED } from '../../server/src/analysis/context';
import { MENTIONS_REUSED_SOCKET } from '../../server/src/rules/client-keepalive-outlives-server';
import { SETS_GLOBAL_DISPATCHER } from '../../server/src/rules/fetch-abort-exceeds-undici-timeouts';
import { NAMES_SHUTDOWN_LIBRARY } from '../../server/src/rules/server-close-without-idle-drain';
import { pick, prng } from '../reliability/fuzz/random';

const BROWSER_API = /\bdocument\.(createElement|querySelector(All)?|getElementById|body\b|head\b|addEventListener)|\bnavigator\.serviceWorker\b|\bself\.(addEventListener|skipWaiting|clients)\b|\bwindow\.(addEventListener|location\b|localStorage)|\blocalStorage\.(getItem|setItem)/;
const BROWSER_CODE = /\b(document\.(createElement|querySelector|getElementById|body)|window\.(location|addEventListener|document)|navigator\.|localStorage\.)|^\s*['"]use client['"]|\bfrom\s+['"](react|react-dom|preact|vue|svelte|solid-js)(\/[^'"]*)?['"]|\brequire\(\s*['"](react|vue)['"]\s*\)/m;
const REUSED_SOCKET = /\breusedSocket\b/;
const SET_GLOBAL_DISPATCHER = /\bsetGlobalDispatcher\s*\(/;
const SHUTDOWN_LIBRARY = /['"](stoppable|http-terminator|@godaddy\/terminus|lightship)['"]/;
const standalone = (text: string, name: string) => text.match(new RegExp(`(?<![\\w$.])${name.replace(/\$/g, '\\$')}(?![\\w$])`, 'g'))?.length ?? 0;


function* files(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* files(path);
    else if (/\.[cm]?[jt]sx?$/.test(name)) yield path;
  }
}

const EDGE_CASES = [
  'document.body', 'xdocument.body', '$document.body', '_document.body', 'a.document.body', 'document.bodyguard', 'document.head', 'document.header',
  'navigator.serviceWorker', 'navigator.serviceWorkers', 'navigator.userAgent', 'self.clients', 'self.clientsX', 'myself.clients', 'self.skipWaiting()',
  'window.location', 'window.locations', 'window.localStorage', 'window.document', 'localStorage.getItem', 'localStorage.clear',
  "'use client'", '"use client"', "  'use client';", "\n\t 'use client'", "x 'use client'", "// 'use client'", "'use client", 'use client"', "\r'use client'", "\n\n  \"use client\"",
  "import x from 'react'", 'import x from "react-dom/client"', "from'vue'", "from  'preact'", "datafrom 'react'", "from 'reactive'", "from 'react/jsx-runtime'",
  "require('react')", 'require( "vue" )', "require('vuex')", "xrequire('react')", "require('react'", '',
  // Occurrences at the very start and end of the text, overlapping ones, and the searched-for piece without its literal.
  'self.clients', 'elf.clients', 'f.clients', 'self.self.clients', 'xself.self.clients', 'ment.body', 'cument.body', 'documentdocument.body', 'document.document.body',
  'Storage.getItem', 'calStorage.getItem', 'localStorage.localStorage.setItem', 'vigator.serviceWorker', 'navigator.navigator.serviceWorker',
  "'use client'", "''use client'", "\"'use client'", "'\"use client\"", " \t'use client\"", "use client'", "from from 'react'", 'fromfrom "vue"', "from\n\t'svelte/store'",
  "require(require('react'))", "quire('react')", "re require('vue')",
  'reusedSocket', 'req.reusedSocket', 'reusedSockets', 'xreusedSocket', 'usedSocket', '_reusedSocket', 'reusedSocket_',
  'setGlobalDispatcher(', 'setGlobalDispatcher (a)', 'undici.setGlobalDispatcher\n(agent)', 'xsetGlobalDispatcher(', 'setGlobalDispatcherX(', 'GlobalDispatcher(', 'setGlobalDispatcher',
  "require('stoppable')", 'from "http-terminator"', "'@godaddy/terminus\"", "'lightship", "lightship'", "stoppable'", "'stoppable", "''stoppable''", "'ble'", "'unstoppable'", "'-terminator'",
];

/** Texts put together from pieces of the edge cases, for the fast searches to find (or not) at every kind of place. */
function* mixedTexts(count: number): Generator<string> {
  const random = prng(0x5eed);
  const glue = ['', ' ', '\n', '\r\n', '.', 'x', "'", '"', '(', '\u2028', '\u00a0', 'д'];
  for (let i = 0; i < count; i++) {
    let text = '';
    const parts = 1 + Math.floor(random() * 6);
    for (let j = 0; j < parts; j++) {
      const piece = pick(random, EDGE_CASES);
      // A piece cut at a random place: the literal's search key survives where the literal does not.
      const cut = random() < 0.3 ? piece.slice(Math.floor(random() * piece.length)) : piece;
      text += pick(random, glue) + cut;
    }
    yield text;
  }
}

/** Every text a test compares on: the edge cases, texts mixed from them, the real fixtures and examples. */
function* samples(): Generator<[label: string, text: string]> {
  for (const sample of EDGE_CASES) yield [JSON.stringify(sample), sample];
  for (const sample of mixedTexts(4000)) yield [JSON.stringify(sample), sample];
  for (const path of [...files('test/fixtures/real'), ...files('examples')]) yield [path, readFileSync(path, 'utf8')];
}

describe('literal-first text search', () => {
  it('isBrowserCode answers what its regular expression answers', () => {
    for (const sample of EDGE_CASES) assert.equal(isBrowserCode(sample), BROWSER_API.test(sample), JSON.stringify(sample));
    for (const path of [...files('test/fixtures/real'), ...files('examples')]) {
      const text = readFileSync(path, 'utf8');
      assert.equal(isBrowserCode(text), BROWSER_API.test(text), path);
    }
  });

  it("network-error-unhandled's browser test answers what its regular expression answers", () => {
    for (const sample of EDGE_CASES) assert.equal(someAnchoredMatch(sample, BROWSER_CODE_ANCHORED), BROWSER_CODE.test(sample), JSON.stringify(sample));
    // The rule asks through runsInPage, which answers it and isBrowserCode in one pass per text.
    for (const sample of EDGE_CASES) assert.equal(runsInPage(sample), BROWSER_CODE.test(sample), JSON.stringify(sample));
    for (const path of [...files('test/fixtures/real'), ...files('examples')]) {
      const text = readFileSync(path, 'utf8');
      assert.equal(someAnchoredMatch(text, BROWSER_CODE_ANCHORED), BROWSER_CODE.test(text), path);
      assert.equal(runsInPage(text), BROWSER_CODE.test(text), path);
      assert.equal(isBrowserCode(text), BROWSER_API.test(text), path);
    }
  });

  it("the rules' whole-file tests answer what their regular expressions answer", () => {
    const tests: [readonly Anchored[], RegExp][] = [[MENTIONS_REUSED_SOCKET, REUSED_SOCKET], [SETS_GLOBAL_DISPATCHER, SET_GLOBAL_DISPATCHER], [NAMES_SHUTDOWN_LIBRARY, SHUTDOWN_LIBRARY]];
    for (const [label, text] of samples()) {
      for (const [anchored, expression] of tests) assert.equal(someAnchoredMatch(text, anchored), expression.test(text), `${expression.source} on ${label}`);
    }
  });

  it('the browser tests answer what their regular expressions answer on mixed texts, together and apart', () => {
    const both = [BROWSER_API_ANCHORED, BROWSER_CODE_ANCHORED];
    for (const [label, text] of samples()) {
      const expected = [BROWSER_API.test(text), BROWSER_CODE.test(text)];
      assert.deepEqual(anchoredMatches(text, both), expected, label);
      assert.deepEqual([isBrowserCode(text), runsInPage(text)], expected, label);
      assert.equal(someAnchoredMatch(text, BROWSER_API_ANCHORED), expected[0], label);
    }
  });

  it('the search key is a piece of the literal, at the offset it is said to be', () => {
    for (const alternative of [...BROWSER_API_ANCHORED, ...BROWSER_CODE_ANCHORED, ...MENTIONS_REUSED_SOCKET, ...SETS_GLOBAL_DISPATCHER, ...NAMES_SHUTDOWN_LIBRARY]) {
      const { key, offset } = searchKey(alternative.literal);
      assert.ok(key.length > 0 && alternative.literal.startsWith(key, offset), `${key}@${offset} in ${alternative.literal}`);
    }
    // The search starts from an uncommon character, never from the start of a literal by default.
    assert.deepEqual(searchKey('document.'), { key: 'ment.', offset: 4 });
    assert.deepEqual(searchKey('require('), { key: 'quire(', offset: 2 });
    assert.deepEqual(searchKey('ab'), { key: 'ab', offset: 0 });
  });

  it('finds a literal whose search key occurs first elsewhere, at the text start, and overlapping itself', () => {
    const sets: Anchored[][] = [[{ literal: 'aaXb', pattern: /aaXb!/y }], [{ literal: 'Xb', pattern: /Xb\?/y, wordStart: true }]];
    assert.deepEqual(anchoredMatches('Xb aXb aaXb aaXb!', sets), [true, false]);
    assert.deepEqual(anchoredMatches('aaXb!', sets), [true, false]);
    assert.deepEqual(anchoredMatches('aXb! aXb?', sets), [false, false]);
    assert.deepEqual(anchoredMatches('Xb?', sets), [false, true]);
    assert.deepEqual(anchoredMatches('aaaXb!', sets), [true, false]);
    // A literal that overlaps its own occurrences: the second try starts one character on.
    assert.deepEqual(anchoredMatches('QQQ!', [[{ literal: 'QQ', pattern: /QQ!/y }]]), [true]);
    // One literal, two sets: the search goes on after the first set is answered.
    const shared: Anchored[][] = [[{ literal: 'Kx', pattern: /Kx1/y }], [{ literal: 'Kx', pattern: /Kx2/y }]];
    assert.deepEqual(anchoredMatches('Kx1 Kx2', shared), [true, true]);
    assert.deepEqual(anchoredMatches('Kx2 Kx1', shared), [true, true]);
    assert.deepEqual(anchoredMatches('document.head; document.body', [BROWSER_API_ANCHORED, BROWSER_CODE_ANCHORED]), [true, true]);
  });

  it('occurrences kept through edits answer what a search of the edited text answers', () => {
    // Pieces of the literals and of what follows them, so that edits make, break and join occurrences
    // (`docu` + `ment.body`), move them across line starts, and change what an alternative reads after one.
    const pieces = ['document.', 'docu', 'ment.', 'body', 'head', 'window.', 'location', 'navigator.', 'self.', 'clients', 'localStorage.', 'getItem', "'use client'", '"use client', "'", '"', 'from', ' ', '  ', '\n', '\t', 'react', 'vue', '/x', 'require(', ')', 'x', ';', 'dom', 'reused', 'Socket', 'setGlobalDispatcher', '('];
    const browser = [BROWSER_API_ANCHORED, BROWSER_CODE_ANCHORED];
    // A group first asked about after some edits starts from the text as it is then.
    const later = [MENTIONS_REUSED_SOCKET, SETS_GLOBAL_DISPATCHER];
    for (let seed = 1; seed <= 30; seed++) {
      const r = prng(seed);
      let text = Array.from({ length: 40 }, () => pick(r, pieces)).join('');
      const document = new DocumentOccurrences(text);
      const index = new AnchoredIndex(text, browser);
      let answered = 0;
      for (let i = 0; i < 300; i++) {
        const start = Math.floor(r() * (text.length + 1));
        const end = Math.min(text.length, start + Math.floor(r() * 6));
        const newText = r() < 0.3 ? '' : Array.from({ length: 1 + Math.floor(r() * 2) }, () => pick(r, pieces)).join('');
        text = text.slice(0, start) + newText + text.slice(end);
        document.edit(start, end, newText, text);
        index.edit(start, end, newText, text);
        const expected = anchoredMatches(text, browser);
        assert.deepEqual(document.answers(browser), expected, `seed ${seed} edit ${i}: ${JSON.stringify(text)}`);
        if (i >= 100) assert.deepEqual(document.answers(later), anchoredMatches(text, later), `seed ${seed} edit ${i}: ${JSON.stringify(text)}`);
        // Where the literals are, too: the same as in an index made from the edited text.
        assert.deepEqual(index, new AnchoredIndex(text, browser), `seed ${seed} edit ${i}`);
        assert.deepEqual(index.answers(text), expected, `seed ${seed} edit ${i}`);
        if (expected[0] || expected[1]) answered++;
      }
      assert.ok(answered > 0, `seed ${seed}: the edits made some browser code`);
    }
  });

  it('standaloneOccurrences counts what the look-behind expression counts', () => {
    const names = ['send', 'connect', '$init', '_x', 'a', 'request'];
    const samples = ['send(); send ();x.send();resend();send_();$send();send$()', 'a a.a a_a (a) [a]', '$init();$$init();x$init', 'connect', 'request.request(request)', ''];
    for (const s of samples) for (const n of names) assert.equal(standaloneOccurrences(s, n), standalone(s, n), `${n} in ${s}`);
    for (const path of [...files('test/fixtures/real'), ...files('examples')]) {
      const text = readFileSync(path, 'utf8');
      for (const n of ['request', 'connect', 'get', 'send', 'retry', 'client']) assert.equal(standaloneOccurrences(text, n), standalone(text, n), `${n} in ${path}`);
    }
  });
});
