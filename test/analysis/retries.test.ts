// The retry service: hand-written retries of network operations, their delay and their limit.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FileModel } from '../../server/src/analysis/fileModel';
import { parseFile } from '../../server/src/analysis/parse';
import { retriesIn } from '../../server/src/analysis/retries';

function retries(code: string, file = 'x.ts') {
  const sf = parseFile(file, code);
  const model = new FileModel(sf);
  return retriesIn(model).map((r) => ({
    shape: r.shape,
    line: sf.getLineAndCharacterOfPosition(r.anchor.getStart(sf)).line + 1,
    delay: r.delay.kind === 'constant' ? r.delay.ms : r.delay.kind,
    afterFailure: r.afterFailure,
    bounded: r.bounded,
    what: r.requests[0]?.api ?? r.reconnect,
  }));
}

describe('retry service', () => {
  it('loop with try/catch and no delay', () => {
    assert.deepEqual(retries("export async function f(u: string) {\n  for (;;) {\n    try { return await fetch(u); } catch { /* again */ }\n  }\n}"), [
      { shape: 'loop', line: 2, delay: 'none', afterFailure: true, bounded: false, what: 'fetch' },
    ]);
  });
  it('bounded loop with exponential backoff', () => {
    assert.deepEqual(retries("import axios from 'axios';\nconst sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));\nexport async function f(u: string) {\n  for (let attempt = 0; attempt < 5; attempt++) {\n    try { return await axios.get(u, { timeout: 1000 }); }\n    catch (e) { await sleep(100 * 2 ** attempt); }\n  }\n  throw new Error('gave up');\n}"), [
      { shape: 'loop', line: 4, delay: 'growing', afterFailure: true, bounded: true, what: 'axios.get' },
    ]);
  });
  it('loop on the response status with a fixed sleep', () => {
    assert.deepEqual(retries("import { setTimeout as sleep } from 'node:timers/promises';\nexport async function f(u: string) {\n  while (true) {\n    const r = await fetch(u);\n    if (r.status !== 503) return r;\n    await sleep(500);\n  }\n}"), [
      { shape: 'loop', line: 3, delay: 500, afterFailure: false, bounded: false, what: 'fetch' },
    ]);
  });
  it('a loop over items is not a retry', () => {
    assert.deepEqual(retries("export async function f(us: string[]) {\n  for (let i = 0; i < us.length; i++) {\n    try { await fetch(us[i]); } catch {}\n  }\n  while (us.length) { const u = us.pop()!; try { await fetch(u); } catch {} }\n}"), []);
  });
  it('generator state machines are not retries', () => {
    assert.deepEqual(retries("function g(e: any) { for (;;) switch (e.n) { case 0: return fetch('x'); default: return; } }"), []);
  });
  it('timer re-armed in a catch handler', () => {
    assert.deepEqual(retries("import axios from 'axios';\nexport function start(uri: string, cb: (e: unknown, d?: unknown) => void) {\n  (function getUrl() {\n    axios.get(uri).then((r) => cb(null, r.data)).catch(() => setTimeout(getUrl, 1000));\n  })();\n}"), [
      { shape: 'timer', line: 4, delay: 1000, afterFailure: true, bounded: false, what: 'axios.get' },
    ]);
  });
  it('reconnect after a recognised socket closes', () => {
    assert.deepEqual(retries("const net = require('net');\nfunction open(self, host) {\n  const socket = net.connect(9092, host);\n  socket.on('close', () => retry());\n  function retry() { setTimeout(() => self.reconnect(host), 2000); }\n}", 'k.js'), [
      { shape: 'timer', line: 5, delay: 2000, afterFailure: true, bounded: false, what: 'reconnect' },
    ]);
  });
  it('a counted timer retry is bounded', () => {
    assert.deepEqual(retries("let attempts = 0;\nexport function send(u: string) {\n  fetch(u).catch(() => { if (attempts++ < 3) setTimeout(() => send(u), 1000); });\n}").map((r) => r.bounded), [true]);
  });
  it('a timer that is not on a failure path is not a retry', () => {
    assert.deepEqual(retries("export function poll(u: string) {\n  fetch(u).then(() => setTimeout(() => poll(u), 5000));\n}"), []);
  });
  it('recursion from the catch block', () => {
    assert.deepEqual(retries("export async function get(u: string, n = 3): Promise<Response> {\n  try { return await fetch(u); }\n  catch (e) { if (n === 0) throw e; return get(u, n - 1); }\n}"), [
      { shape: 'recursion', line: 3, delay: 'none', afterFailure: true, bounded: true, what: 'fetch' },
    ]);
  });
});

describe('retry service on generated code', () => {
  it('does not overflow on expressions and chains nested thousands deep', () => {
    const sum = Array.from({ length: 20000 }, (_, i) => `x${i % 10}`).join(' + ');
    const thens = Array.from({ length: 5000 }, () => '.then((r) => r)').join('');
    const found = retries(`export async function f(u: string) {\n  for (;;) {\n    try { const v = ${sum}; return await fetch(u)${thens}; } catch {}\n  }\n}`);
    assert.deepEqual(found.map((r) => r.delay), ['none']);
  });
});
