// The literal-first text searches answer exactly what the regular expressions they replaced did.
// The original expressions are the oracle here; they are checked against real files (every labelled
// excerpt and every example) and against edge cases at word boundaries, line starts and file ends.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { isBrowserCode, runsInPage } from '../../server/src/analysis/context';
import { someAnchoredMatch, standaloneOccurrences } from '../../server/src/analysis/textSearch';
import { PAGE_CODE as BROWSER_CODE_ANCHORED } from '../../server/src/analysis/context';

const BROWSER_API = /\bdocument\.(createElement|querySelector(All)?|getElementById|body\b|head\b|addEventListener)|\bnavigator\.serviceWorker\b|\bself\.(addEventListener|skipWaiting|clients)\b|\bwindow\.(addEventListener|location\b|localStorage)|\blocalStorage\.(getItem|setItem)/;
const BROWSER_CODE = /\b(document\.(createElement|querySelector|getElementById|body)|window\.(location|addEventListener|document)|navigator\.|localStorage\.)|^\s*['"]use client['"]|\bfrom\s+['"](react|react-dom|preact|vue|svelte|solid-js)(\/[^'"]*)?['"]|\brequire\(\s*['"](react|vue)['"]\s*\)/m;
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
];

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
