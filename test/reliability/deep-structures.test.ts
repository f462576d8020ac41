// Every rule over long chains and sequences the parser accepts (generated and minified code has
// them): a sum of 20,000 terms, a 20,000-long comma sequence, and 5,000-link `.then()`, `.on()` and
// `.write()` chains, each placed where rules look (a request handler, a retry loop, a socket's
// listeners, an agent per request). No rule may run out of stack, and none may take more than a
// second. The fuzzer meets these shapes at random; this test names the rule that fails.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyzeText, defaultConfig } from '../../server/src/analysis/index';

const N = 5_000;

/** Contexts that wake most rules up: `$CHAIN` is replaced by each deep construct. */
const CONTEXTS: Record<string, string> = {
  'a request handler': [
    "import http from 'node:http';",
    "import https from 'node:https';",
    'http.createServer(async (req, res) => {',
    "  const agent = new https.Agent({ keepAlive: true });",
    "  const upstream = https.request({ host: 'api.example.com', agent }, (r) => { r.on('data', (c) => res.write(c)); });",
    '  $CHAIN;',
    "  const body = await fetch('https://api.example.com/x');",
    '  res.end(String(body.status));',
    '}).listen(8080);',
  ].join('\n'),
  'a retry loop': [
    'export async function load(url) {',
    '  for (let attempt = 0; attempt < 5; attempt++) {',
    '    try {',
    '      const res = await fetch(url);',
    '      $CHAIN;',
    '      if (res.ok) return res;',
    '    } catch (err) {',
    '      $CHAIN;',
    '      await new Promise((r) => setTimeout(r, 100));',
    '    }',
    '  }',
    '}',
  ].join('\n'),
  'a socket': [
    "import net from 'node:net';",
    "const socket = net.connect(5432, 'db.internal');",
    "socket.on('data', (chunk) => { const msg = JSON.parse(chunk.toString()); $CHAIN; });",
    'socket.setTimeout(1000);',
    "socket.write('hello');",
  ].join('\n'),
};

const CHAINS: Record<string, (n: number) => string> = {
  'sum ×4n': (n) => Array(4 * n).fill("'a'").join(' + '),
  'comma sequence ×4n': (n) => `(${Array(4 * n).fill("socket.write('x')").join(', ')})`,
  '.then() chain': (n) => `fetch('https://api.example.com/y')${'.then((r) => r.json())'.repeat(n)}`,
  '.on() chain': (n) => `https.request('https://api.example.com/z')${".on('data', f)".repeat(n)}`,
  'socket .write() chain': (n) => `socket${".setNoDelay(true).write('x')".repeat(Math.floor(n / 2))}`,
};

describe('rules over very long chains and sequences', () => {
  for (const [where, context] of Object.entries(CONTEXTS)) {
    it(`in ${where}`, () => {
      const problems: string[] = [];
      for (const [shape, make] of Object.entries(CHAINS)) {
        const text = context.replaceAll('$CHAIN', make(N));
        const started = performance.now();
        const a = analyzeText('deep.ts', text, defaultConfig());
        const ms = performance.now() - started;
        if (a.failure) problems.push(`${shape}: ${a.failure}`);
        for (const e of a.internalErrors ?? []) problems.push(`${shape}: ${e.split('\n')[0]}`);
        if (ms > 10_000) problems.push(`${shape}: took ${ms.toFixed(0)} ms`);
      }
      assert.deepEqual(problems, []);
    });
  }
});
