// The emitter service: every name an object goes by, its listeners, where it escapes to, whether it
// is closed on a normal path; and the promise service: where a network promise's rejection goes.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import ts = require('typescript');
import { calledOnNormalPath, emitterFacts, listenerState } from '../../server/src/analysis/emitters';
import { FileModel } from '../../server/src/analysis/fileModel';
import { parseFile } from '../../server/src/analysis/parse';
import { networkPromises } from '../../server/src/analysis/promises';

function modelOf(code: string, file = 'a.ts'): FileModel {
  return new FileModel(parseFile(file, code));
}

/** The facts for the first recognised call with this API. */
function factsFor(code: string, api: string, file?: string) {
  const model = modelOf(code, file);
  const call = model.calls.find((c) => c.api === api);
  assert.ok(call, `no ${api} call recognised`);
  return emitterFacts(model, model.nodeOf(call));
}

const events = (f: ReturnType<typeof factsFor>) => f.registrations.map((r) => `${r.method}:${r.event ?? '*'}`);

describe('emitterFacts: listeners', () => {
  it('through the variable, an alias and a chained call', () => {
    const f = factsFor("import net from 'net';\nconst a = net.connect(1, 'h').on('data', d);\nconst b = a;\nb.once('error', e);", 'net.connect');
    assert.deepEqual(events(f), ['on:data', 'once:error']);
    assert.equal(listenerState(f, 'error'), 'listened');
  });

  it('through `this.x` in prototype-style code and `self = this`', () => {
    const code = "var dgram = require('dgram');\nfunction C() {\n  var self = this;\n  this.sock = dgram.createSocket('udp4');\n  self.sock.on('error', log);\n}\nC.prototype.close = function () { this.sock.close(); };";
    const f = factsFor(code, 'dgram.createSocket', 'a.js');
    assert.deepEqual(events(f), ['on:error']);
    assert.deepEqual(f.uses.map((u) => u.method), ['on', 'close']);
  });

  it('through either branch of a conditional and a later assignment', () => {
    const code = "import net from 'net';\nimport tls from 'tls';\nlet s;\nif (secure) s = tls.connect(443, 'h'); else s = net.createConnection(80, 'h');\ns.on('error', e);";
    assert.equal(listenerState(factsFor(code, 'net.connect'), 'error'), 'listened');
    assert.equal(listenerState(factsFor(code, 'tls.connect'), 'error'), 'listened');
    const cond = "import net from 'net';\nimport tls from 'tls';\nconst s = secure ? tls.connect(443, 'h') : net.connect(80, 'h');\ns.once('error', e);";
    assert.equal(listenerState(factsFor(cond, 'net.connect'), 'error'), 'listened');
  });

  it('inside a helper of the same file that receives the object', () => {
    const code = "import net from 'net';\nconst guard = (s: any) => { s.on('error', log); };\nconst sock = net.connect(1, 'h');\nguard(sock);";
    const f = factsFor(code, 'net.connect');
    assert.equal(listenerState(f, 'error'), 'listened');
    assert.deepEqual(f.escapes, []);
  });

  it('removed again: every added listener is taken off outside itself', () => {
    const code = "import net from 'net';\nconst c = net.connect(1, 'h');\nfunction onErr(e: Error) { cb(e); }\nc.on('connect', () => c.removeListener('error', onErr));\nc.on('error', onErr);";
    assert.equal(listenerState(factsFor(code, 'net.connect'), 'error'), 'removed');
    const self = "import net from 'net';\nconst c = net.connect(1, 'h');\nfunction onErr(e: Error) { c.removeListener('error', onErr); }\nc.on('error', onErr);";
    assert.equal(listenerState(factsFor(self, 'net.connect'), 'error'), 'listened');
  });

  it('parameters of named callbacks are typed like inline ones', () => {
    const code = "import net from 'net';\nconst server = net.createServer();\nfunction onConn(sock: any) { sock.on('error', e); }\nserver.on('connection', onConn);";
    const model = modelOf(code);
    const fn = model.sourceFile.statements[2] as ts.FunctionDeclaration;
    const param = fn.parameters[0];
    const f = emitterFacts(model, param);
    assert.equal(listenerState(f, 'error'), 'listened');
    const use = model.usesOf(param);
    assert.deepEqual(use.map((u) => u.method), ['on']);
  });
});

describe('emitterFacts: escapes', () => {
  const kinds = (code: string, api: string, file?: string) => factsFor(code, api, file).escapes.map((e) => e.kind);
  it('returned, passed to unknown code, stored in an object, exported', () => {
    assert.deepEqual(kinds("import net from 'net';\nexport function open() { return net.connect(1, 'h'); }", 'net.connect'), ['returned']);
    assert.deepEqual(kinds("import net from 'net';\nimport { wrap } from './wrap';\nconst s = net.connect(1, 'h');\nwrap(s);", 'net.connect'), ['passed']);
    assert.deepEqual(kinds("import net from 'net';\nconst s = net.connect(1, 'h');\nregistry.add({ socket: s });", 'net.connect'), ['stored']);
    assert.deepEqual(kinds("const { Pool } = require('pg');\nmodule.exports = new Pool();", 'pg.Pool', 'a.js'), ['exported']);
    assert.deepEqual(kinds("import { Pool } from 'pg';\nexport const pool = new Pool();", 'pg.Pool'), ['exported']);
  });

  it('not for loggers, collections, pipe targets; pipeline handles errors itself', () => {
    const code = "import net from 'net';\nconst s = net.connect(1, 'h');\nconsole.log(s);\nclients.push(s);\nconns[id] = s;\nsrc.pipe(s);";
    assert.deepEqual(kinds(code, 'net.connect'), []);
    const f = factsFor("import net from 'net';\nimport { pipeline } from 'stream';\nconst s = net.connect(1, 'h');\npipeline(src, s, done);", 'net.connect');
    assert.equal(f.errorHandledByHelper, true);
  });
});

describe('calledOnNormalPath', () => {
  it('closing in finally is a normal path; only in a signal handler is not', () => {
    const shortLived = "import { Client } from 'pg';\nasync function f() { const c = new Client(); try { await c.connect(); } finally { await c.end(); } }";
    assert.equal(calledOnNormalPath(factsFor(shortLived, 'pg.Client')), true);
    const longLived = "import { Client } from 'pg';\nconst c = new Client();\nc.connect();\nprocess.on('SIGTERM', () => c.end());";
    assert.equal(calledOnNormalPath(factsFor(longLived, 'pg.Client')), false);
  });
});

describe('networkPromises', () => {
  const fates = (code: string) => networkPromises(modelOf(code)).map((p) => `${p.call.api}:${p.handled ? 'handled' : p.settledBy}`);
  it('floating, caught, awaited in try/catch, returned', () => {
    assert.deepEqual(fates("fetch('https://a').then(r => r.json());"), ['fetch:dropped']);
    assert.deepEqual(fates("fetch('https://a').then(r => r.json()).catch(log);"), ['fetch:handled']);
    assert.deepEqual(fates("fetch('https://a').then(ok, fail);"), ['fetch:handled']);
    assert.deepEqual(fates("async function f() { try { await fetch('https://a'); } catch {} }"), ['fetch:handled']);
    assert.deepEqual(fates("function f() { return fetch('https://a'); }"), ['fetch:caller']);
    assert.deepEqual(fates("async function f() { await fetch('https://a'); }"), ['fetch:caller']);
  });

  it('awaited in an async IIFE or timer callback nobody handles', () => {
    assert.deepEqual(fates("(async () => { await fetch('https://a'); })();"), ['fetch:async-function']);
    assert.deepEqual(fates("(async () => { await fetch('https://a'); })().catch(log);"), ['fetch:handled']);
    assert.deepEqual(fates("setTimeout(async () => { await fetch('https://a'); }, 10);"), ['fetch:async-function']);
    assert.deepEqual(fates("async function f() { try {} finally { await fetch('https://a'); } }"), ['fetch:caller']);
  });

  it('callback-style calls return no promise', () => {
    assert.deepEqual(fates("const amqp = require('amqplib/callback_api');\namqp.connect('amqp://h', (err, conn) => {});"), []);
  });
});

describe('networkPromises through helpers of the same file', () => {
  const fates = (code: string) => networkPromises(modelOf(code)).map((p) => `${p.call.api}:${p.handled ? 'handled' : p.settledBy}`);
  it('a helper that returns or awaits the request makes its callers network promises', () => {
    assert.deepEqual(fates("function post(b: string) { return fetch('https://a', { method: 'POST', body: b }); }\nexport function f() { post('x'); }"), ['fetch:caller', 'post():dropped']);
    assert.deepEqual(fates("async function post(b: string) { await fetch('https://a'); }\nexport function f() { post('x').catch(log); }"), ['fetch:caller', 'post():handled']);
    assert.deepEqual(fates("async function post() { try { await fetch('https://a'); } catch {} }\nexport function f() { post(); }"), ['fetch:handled']);
  });

  it('a timer callback that returns the promise drops it', () => {
    assert.deepEqual(fates("export function f() { setTimeout(() => fetch('https://a'), 10); }"), ['fetch:dropped']);
  });
});
