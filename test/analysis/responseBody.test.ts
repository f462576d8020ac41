// The response-body service: for each recognised request, is the body consumed on every path,
// handed off, or dropped — and where.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FileModel } from '../../server/src/analysis/fileModel';
import { parseFile } from '../../server/src/analysis/parse';
import { bodyFate, responseKind } from '../../server/src/analysis/responseBody';

interface Case {
  name: string;
  code: string;
  /** Fate of the first recognised request; for leaks, the reasons and the 1-based lines where it is lost. */
  fate: 'consumed' | 'handed-off' | 'no-body' | 'not-analysed' | Array<[string, number]>;
  file?: string;
}

const cases: Case[] = [
  // fetch Response
  { name: 'read on every path', code: "export async function f(u: string) {\n  const r = await fetch(u);\n  if (!r.ok) throw new Error(await r.text());\n  return r.json();\n}", fate: 'consumed' },
  { name: 'throw on !ok without reading', code: "export async function f(u: string) {\n  const r = await fetch(u);\n  if (!r.ok) throw new Error(`HTTP ${r.status}`);\n  return r.json();\n}", fate: [['throw', 3]] },
  { name: 'cancelled before the throw', code: "export async function f(u: string) {\n  const r = await fetch(u);\n  if (!r.ok) { await r.body?.cancel(); throw new Error(String(r.status)); }\n  return r.json();\n}", fate: 'consumed' },
  { name: 'only status read: lost at the end', code: "export async function f(u: string) {\n  const r = await fetch(u, { method: 'POST' });\n  console.log(r.status, r.headers.get('x'));\n}", fate: [['end', 4]] },
  { name: 'returned to the caller', code: "export async function f(u: string) {\n  const r = await fetch(u);\n  return r;\n}", fate: 'consumed' },
  { name: 'passed to a helper', code: "export async function f(u: string) {\n  const r = await fetch(u);\n  if (!r.ok) return fail(r);\n  return r.json();\n}", fate: 'consumed' },
  { name: 'fetch promise returned', code: "export const f = (u: string) => fetch(u);", fate: 'handed-off' },
  { name: 'awaited and discarded', code: "export async function f(u: string) {\n  await fetch(u, { method: 'POST', body: 'x' });\n}", fate: [['dropped', 2]] },
  { name: 'fire and forget', code: "fetch('https://a.example.com/ping');", fate: [['dropped', 1]] },
  { name: 'inline read', code: "export const f = async (u: string) => (await fetch(u)).json();", fate: 'consumed' },
  { name: 'inline status only', code: "export async function f(u: string) {\n  return (await fetch(u)).ok;\n}", fate: [['dropped', 2]] },
  { name: 'then with a conditional read', code: "export const f = (u: string) => fetch(u).then((r) => (r.ok ? r.json() : null));", fate: [['return', 1]] },
  { name: 'then reading always', code: "export const f = (u: string) => fetch(u).then((r) => r.json()).then(console.log);", fate: 'consumed' },
  { name: 'then ignoring the response', code: "export const f = (u: string) => fetch(u, { method: 'POST' }).then(() => console.log('sent'));", fate: [['ignored', 1]] },
  { name: 'then with a handler from elsewhere', code: "import { handle } from './h';\nexport const f = (u: string) => fetch(u).then(handle);", fate: 'handed-off' },
  { name: 'catch passes the response through', code: "export async function f(u: string) {\n  const r = await fetch(u).catch(() => null);\n  if (!r) return null;\n  return r.ok ? r.json() : null;\n}", fate: [['return', 4]] },
  { name: 'continue in a loop', code: "export async function f(us: string[]) {\n  for (const u of us) {\n    const r = await fetch(u);\n    if (r.status === 404) continue;\n    await r.text();\n  }\n}", fate: [['continue', 4]] },
  { name: 'HEAD request', code: "export async function f(u: string) {\n  const r = await fetch(u, { method: 'HEAD' });\n  return r.headers.get('etag');\n}", fate: 'no-body' },
  { name: 'finally cancels', code: "export async function f(u: string) {\n  const r = await fetch(u);\n  try {\n    if (!r.ok) return null;\n    return await r.json();\n  } finally {\n    await r.body?.cancel();\n  }\n}", fate: 'consumed' },
  { name: 'throw caught and rethrown without reading', code: "export async function f(u: string) {\n  const r = await fetch(u);\n  try {\n    if (!r.ok) throw new Error('x');\n    return await r.json();\n  } catch (e) {\n    throw e;\n  }\n}", fate: [['throw', 7]] },
  { name: 'binding inside try', code: "export async function f(u: string) {\n  try {\n    const r = await fetch(u);\n    log(`${r.status}`);\n  } catch (e) {\n    return null;\n  }\n}", fate: [['end', 5]] },
  { name: 'reassigned before reading', code: "export async function f(u: string) {\n  let r = await fetch(u);\n  if (r.status === 401) {\n    await refresh();\n    r = await fetch(u);\n  }\n  return r.json();\n}", fate: [['reassigned', 5]] },
  { name: '304 has no body', code: "export async function f(u: string, etag: string) {\n  const r = await fetch(u, { headers: { 'if-none-match': etag } });\n  if (r.status === 304) return null;\n  return r.json();\n}", fate: 'consumed' },
  { name: 'switch on status', code: "export async function f(u: string) {\n  const r = await fetch(u);\n  switch (r.status) {\n    case 200: return r.json();\n    case 404: return null;\n    default: throw new Error(await r.text());\n  }\n}", fate: [['return', 5]] },
  { name: 'stored in an outer variable', code: "let last: Response;\nexport async function f(u: string) {\n  last = await fetch(u);\n}", fate: 'handed-off' },
  { name: 'labelled jump is not followed', code: "export async function f(us: string[]) {\n  outer: for (const u of us) {\n    const r = await fetch(u);\n    if (!r.ok) continue outer;\n    await r.text();\n  }\n}", fate: 'not-analysed' },
  { name: 'process.exit ends the program', code: "const r = await fetch('https://a.example.com');\nif (!r.ok) process.exit(1);\nconsole.log(await r.text());", fate: 'consumed', file: 'x.mts' },
  { name: 'body piped', code: "import { Readable } from 'node:stream';\nexport async function f(u: string, out: NodeJS.WritableStream) {\n  const r = await fetch(u);\n  Readable.fromWeb(r.body as any).pipe(out);\n}", fate: 'consumed' },
  { name: 'destructured status only', code: "export async function f(u: string) {\n  const { ok } = await fetch(u);\n  return ok;\n}", fate: [['dropped', 2]] },

  // undici.request
  { name: 'undici body dumped on error', code: "import { request } from 'undici';\nexport async function f(u: string) {\n  const { statusCode, body } = await request(u);\n  if (statusCode !== 200) { await body.dump(); return null; }\n  return body.json();\n}", fate: 'consumed' },
  { name: 'undici body dropped on error', code: "import { request } from 'undici';\nexport async function f(u: string) {\n  const { statusCode, body } = await request(u);\n  if (statusCode !== 200) return null;\n  return body.json();\n}", fate: [['return', 4]] },
  { name: 'undici without body', code: "import { request } from 'undici';\nexport async function f(u: string) {\n  const { statusCode } = await request(u);\n  return statusCode;\n}", fate: [['dropped', 3]] },
  { name: 'undici response object', code: "import { Pool } from 'undici';\nconst pool = new Pool('https://a.example.com');\nexport async function f() {\n  const res = await pool.request({ path: '/', method: 'GET' });\n  if (res.statusCode >= 400) throw new Error('x');\n  return res.body.text();\n}", fate: [['throw', 5]] },

  // node:http
  { name: 'http.get error path without resume', code: "const http = require('http');\nhttp.get('http://a.example.com', (res) => {\n  if (res.statusCode !== 200) return;\n  res.pipe(process.stdout);\n});", fate: [['return', 3]], file: 'x.js' },
  { name: 'http.get resumed on error', code: "const http = require('http');\nhttp.get('http://a.example.com', (res) => {\n  if (res.statusCode !== 200) { res.resume(); return; }\n  res.on('data', (d) => process.stdout.write(d));\n});", fate: 'consumed', file: 'x.js' },
  { name: 'end listener alone does not read', code: "const http = require('http');\nhttp.get('http://a.example.com', (res) => {\n  res.on('end', () => console.log('done'));\n});", fate: [['end', 4]], file: 'x.js' },
  { name: 'no callback: Node discards the response', code: "const http = require('http');\nconst req = http.request({ host: 'a.example.com', method: 'POST' });\nreq.end('x');", fate: 'consumed', file: 'x.js' },
  { name: 'response listener', code: "const http = require('http');\nconst req = http.request({ host: 'a.example.com' });\nreq.on('response', (res) => console.log(res.statusCode));\nreq.end();", fate: [['return', 3]], file: 'x.js' },
  { name: 'resolve receives the response', code: "const https = require('https');\nmodule.exports = (u) => new Promise((resolve) => https.get(u, resolve));", fate: 'handed-off', file: 'x.js' },
  { name: 'socket destroyed', code: "const https = require('https');\nhttps.get('https://a.example.com', (res) => {\n  const cert = res.socket.getPeerCertificate();\n  res.socket.destroy();\n  console.log(cert);\n});", fate: 'consumed', file: 'x.js' },
  { name: 'request destroyed from the callback', code: "const https = require('https');\nconst req = https.get('https://a.example.com', (res) => {\n  console.log(res.headers);\n  req.destroy();\n});", fate: 'consumed', file: 'x.js' },
  { name: 'request handed to a helper that aborts it', code: "const http = require('http');\nfunction abortHandshake(req, why) { req.destroy(new Error(why)); }\nconst req = http.get('http://a.example.com');\nreq.on('response', (res) => {\n  if (res.statusCode !== 200) { abortHandshake(req, 'unexpected ' + res.statusCode); return; }\n  res.pipe(process.stdout);\n});", fate: 'consumed', file: 'x.js' },
  { name: 'handler declared elsewhere in the file', code: "const http = require('http');\nfunction onResponse(res) { if (res.statusCode > 299) return; res.resume(); }\nhttp.get('http://a.example.com', onResponse);", fate: [['return', 2]], file: 'x.js' },
];

function fateOf(c: Case): Case['fate'] {
  const sf = parseFile(c.file ?? 'x.ts', c.code);
  const model = new FileModel(sf);
  const call = model.calls.find((x) => responseKind(x) !== undefined);
  assert.ok(call, 'no request recognised');
  const fate = bodyFate(model, call);
  if (fate.state !== 'leaks') return fate.state;
  return fate.leaks.map((l) => [l.reason, sf.getLineAndCharacterOfPosition(l.reason === 'end' ? l.node.end - 1 : l.node.getStart(sf)).line + 1] as [string, number]);
}

describe('response body service', () => {
  for (const c of cases) {
    it(c.name, () => assert.deepEqual(fateOf(c), c.fate));
  }
});

describe('response body service on generated code', () => {
  it('gives up (not-analysed) instead of overflowing on expressions nested thousands deep', () => {
    const uses = Array.from({ length: 20000 }, (_, i) => (i % 2 ? 'r.status' : 'r.json()')).join(' + ');
    const sf = parseFile('x.ts', `export async function f(u: string) {\n  const r = await fetch(u);\n  return ${uses};\n}`);
    const model = new FileModel(sf);
    assert.equal(bodyFate(model, model.calls[0]).state, 'not-analysed');
  });
});
