// "Released on every path": the path-sensitive service behind pool-connection-not-released.
// The acquisition is the call right after the `/*@*/` marker; each case states the verdict and,
// for leaks, the reasons and the lines where the leaking paths leave.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import ts = require('typescript');
import { FileModel } from '../../server/src/analysis/fileModel';
import { parseFile } from '../../server/src/analysis/parse';
import { releaseOnEveryPath, type ReleaseSpec } from '../../server/src/analysis/release';

const PG: ReleaseSpec = { releaseMethods: new Set(['release']), resourceParam: 1, releaseParam: 2, errorParam: 0 };

interface Case {
  name: string;
  code: string;
  kind: 'released' | 'leaks' | 'handed-off' | 'unknown';
  /** For leaks: `reason@line` of each leaking path, in order. */
  paths?: string[];
  form?: string;
}

function verdictOf(code: string) {
  const model = new FileModel(parseFile('a.ts', code));
  const at = code.indexOf('/*@*/') + 5;
  const site = model.facts.calls.filter((c) => c.node.getStart(model.sourceFile) === at).sort((a, b) => a.node.end - b.node.end)[0];
  assert.ok(site && ts.isCallExpression(site.node), 'no call at the marker');
  const line = (n: ts.Node) => code.slice(0, n.getStart(model.sourceFile)).split('\n').length;
  return { verdict: releaseOnEveryPath(model, site.node, PG), line };
}

const cases: Case[] = [
  // Promise form
  {
    name: 'try/finally releases',
    code: 'async function f() {\n  const c = await /*@*/pool.connect();\n  try {\n    await c.query(q);\n  } finally {\n    c.release();\n  }\n}',
    kind: 'released',
  },
  {
    name: 'early return leaks (the rules.md example)',
    code: "async function f(res) {\n  const c = await /*@*/pool.connect();\n  try {\n    await c.query('BEGIN');\n    if (!(await c.query(q)).rowCount) return res.send('taken');\n    await c.query('COMMIT'); c.release();\n  } catch (e) { await c.query('ROLLBACK'); c.release(); throw e; }\n}",
    kind: 'leaks',
    // ROLLBACK can fail too, and then nothing releases the client.
    paths: ['return@5', 'exception@7'],
  },
  {
    name: 'release after an awaited query without try leaks when the query rejects',
    code: 'async function f() {\n  const c = await /*@*/pool.connect();\n  const r = await c.query(q);\n  c.release();\n  return r.rows;\n}',
    kind: 'leaks',
    paths: ['exception@3'],
  },
  {
    name: 'release in catch and after try',
    code: 'async function f() {\n  const c = await /*@*/pool.connect();\n  let r;\n  try { r = await c.query(q); } catch (e) { c.release(); throw e; }\n  c.release();\n  return r;\n}',
    kind: 'released',
  },
  {
    name: 'catch swallows, release after',
    code: 'async function f() {\n  const c = await /*@*/pool.connect();\n  try { await c.query(q); } catch (e) { log(e); }\n  c.release();\n}',
    kind: 'released',
  },
  {
    name: 'never released: leaks at the end',
    code: 'async function f() {\n  const c = await /*@*/pool.connect();\n  try { await c.query(q); } catch {}\n}',
    kind: 'leaks',
    paths: ['end@1'],
  },
  {
    name: 'if/else both release',
    code: 'async function f(x) {\n  const c = await /*@*/pool.connect();\n  if (x) { c.release(); return 1; } else { c.release(); }\n  return 2;\n}',
    kind: 'released',
  },
  {
    name: 'explicit throw before release',
    code: "async function f(x) {\n  const c = await /*@*/pool.connect();\n  if (!x) throw new Error('bad');\n  c.release();\n}",
    kind: 'leaks',
    paths: ['throw@3'],
  },
  {
    name: 'let declared outside try, guarded release in finally',
    code: 'async function f() {\n  let c;\n  try {\n    c = await /*@*/pool.connect();\n    await c.query(q);\n  } finally {\n    if (c) c.release();\n  }\n}',
    kind: 'released',
  },
  {
    name: 'optional-chained and short-circuit releases in finally',
    code: 'async function f() {\n  let c, d;\n  try {\n    c = await /*@*/pool.connect();\n    await c.query(q);\n  } finally {\n    c && c.release();\n  }\n}',
    kind: 'released',
  },
  {
    name: 'await using disposes',
    code: 'async function f() {\n  await using c = await /*@*/pool.connect();\n  await c.query(q);\n}',
    kind: 'released',
  },
  {
    name: 'returned: handed off to the caller',
    code: 'async function getClient() {\n  const c = await /*@*/pool.connect();\n  await c.query("SET search_path TO app");\n  return c;\n}',
    kind: 'handed-off',
  },
  {
    name: 'passed to another function: handed off',
    code: 'async function f() {\n  const c = await /*@*/pool.connect();\n  await work(c);\n}',
    kind: 'handed-off',
  },
  {
    name: 'stored on this: handed off',
    code: 'class A { async start() { this.client = await /*@*/pool.connect(); } }',
    kind: 'handed-off',
  },
  {
    name: 'LISTEN client with a notification listener is long-lived',
    code: "async function listen() {\n  const c = await /*@*/pool.connect();\n  c.on('notification', onNote);\n  await c.query('LISTEN x');\n}",
    kind: 'handed-off',
  },
  {
    name: 'result discarded',
    code: 'async function f() {\n  await /*@*/pool.connect();\n}',
    kind: 'leaks',
    form: 'discarded',
    paths: ['discarded@2'],
  },
  {
    name: 'loop with continue that skips the release',
    code: 'async function f(xs) {\n  for (const x of xs) {\n    const c = await /*@*/pool.connect();\n    if (x.skip) continue;\n    c.release();\n  }\n}',
    kind: 'leaks',
    paths: ['end@1'],
  },
  {
    name: 'loop that releases every iteration',
    code: 'async function f(xs) {\n  for (const x of xs) {\n    const c = await /*@*/pool.connect();\n    try { await c.query(x); } finally { c.release(); }\n  }\n}',
    kind: 'released',
  },
  {
    name: 'switch with a case that returns early',
    code: "async function f(k) {\n  const c = await /*@*/pool.connect();\n  switch (k) {\n    case 'a': c.release(); break;\n    case 'b': return null;\n    default: c.release();\n  }\n}",
    kind: 'leaks',
    paths: ['return@5'],
  },
  {
    name: 'process.exit ends the path',
    code: 'async function main() {\n  const c = await /*@*/pool.connect();\n  if (bad) process.exit(1);\n  c.release();\n}',
    kind: 'released',
  },
  {
    name: 'a local helper that releases',
    code: 'async function f() {\n  const c = await /*@*/pool.connect();\n  const done = () => c.release();\n  try { await c.query(q); } finally { done(); }\n}',
    kind: 'released',
  },
  // Callback form
  {
    name: 'pg callback: error guard, release in the query callback',
    code: 'pool.connect((err, client, done) => {\n  if (err) return cb(err);\n  client.query(q, (err2, res) => {\n    done();\n    cb(err2, res);\n  });\n});'.replace('pool.connect', '/*@*/pool.connect'),
    kind: 'released',
    form: 'callback',
  },
  {
    name: 'pg callback: early return in the query callback skips done()',
    code: '/*@*/pool.connect(function (err, client, done) {\n  if (err) throw err;\n  client.query(q, function (err2, res) {\n    if (err2) return cb(err2);\n    done();\n    cb(null, res.rows);\n  });\n});',
    kind: 'leaks',
    paths: ['return@4'],
  },
  {
    name: 'pg callback: done passed as the query callback',
    code: "/*@*/pool.connect((err, client, done) => {\n  if (err) return;\n  client.query('select 1', done);\n});",
    kind: 'released',
  },
  {
    name: 'pg callback: never released',
    code: "/*@*/pool.connect((err, client, done) => {\n  client.query('select 1', (e, r) => console.log(r));\n});",
    kind: 'leaks',
    paths: ['end@1'],
  },
  {
    name: 'mysql callback: release first thing in the query callback',
    code: '/*@*/pool.getConnection(function (err, conn) {\n  if (err) throw err;\n  conn.query(sql, function (error, rows) {\n    conn.release();\n    if (error) throw error;\n  });\n});',
    kind: 'released',
  },
  {
    name: 'callback hands the client and done to the caller',
    code: '/*@*/pool.connect((err, client, done) => cb(err, client, done));',
    kind: 'handed-off',
  },
  // Promise chains
  {
    name: 'then without catch releases only on success',
    code: 'function f() {\n  return /*@*/pool.connect().then((client) => {\n    return client.query(q).then((res) => {\n      client.release();\n      return res.rows;\n    });\n  });\n}',
    kind: 'leaks',
    paths: ['rejection@3'],
    form: 'then',
  },
  {
    name: 'then with catch that releases',
    code: 'function f() {\n  return /*@*/pool.connect().then((client) =>\n    client.query(q)\n      .then((res) => { client.release(); return res.rows; })\n      .catch((e) => { client.release(); throw e; }));\n}',
    kind: 'released',
  },
  {
    name: 'a then callback that does not even take the client',
    code: "/*@*/pool.connect().then(() => console.log('connected')).catch(console.error);",
    kind: 'leaks',
    form: 'discarded',
    paths: ['discarded@1'],
  },
  {
    name: 'finally in the chain',
    code: 'function f() {\n  return /*@*/pool.connect().then((client) => client.query(q).finally(() => client.release()));\n}',
    kind: 'released',
  },
];

describe('releaseOnEveryPath', () => {
  for (const c of cases) {
    it(c.name, () => {
      const { verdict, line } = verdictOf(c.code);
      assert.equal(verdict.kind, c.kind, JSON.stringify(verdict.kind === 'leaks' ? verdict.paths.map((p) => `${p.reason}@${line(p.node)}`) : verdict.kind));
      if (verdict.kind === 'leaks') {
        if (c.paths) assert.deepEqual(verdict.paths.map((p) => `${p.reason}@${line(p.node)}`), c.paths);
        if (c.form) assert.equal(verdict.form, c.form);
      } else if (c.form && verdict.kind === 'released') {
        assert.equal(verdict.form, c.form);
      }
    });
  }
});

describe('releaseOnEveryPath on generated code', () => {
  it('gives up (unknown) instead of overflowing on expressions nested thousands deep', () => {
    const sum = Array.from({ length: 20000 }, (_, i) => `x${i % 10}`).join(' + ');
    const thens = Array.from({ length: 5000 }, () => '.then((r) => r)').join('');
    for (const body of [`const v = ${sum};\n  await c.query(v);`, `await c.query(q)${thens};`]) {
      const { verdict } = verdictOf(`async function f() {\n  const c = await /*@*/pool.connect();\n  ${body}\n  c.release();\n}`);
      assert.equal(verdict.kind, 'unknown');
    }
  });
});

