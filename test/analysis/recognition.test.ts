// Resolution and recognition: which calls are networking calls, through every way code names them.
// Each case lists the recognised APIs in source order; `~` cases must recognise nothing.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyzeText } from '../../server/src/analysis/index';

interface Case {
  name: string;
  code: string;
  apis: string[];
  file?: string;
}

const cases: Case[] = [
  // Global fetch and shadowing
  { name: 'global fetch', code: "await fetch('https://a.example.com');", apis: ['fetch'] },
  { name: 'globalThis.fetch', code: "await globalThis.fetch('https://a.example.com');", apis: ['fetch'] },
  { name: 'fetch shadowed by a parameter', code: "function get(fetch: any) { return fetch('x'); }", apis: [] },
  { name: 'fetch shadowed by a function declaration', code: "function fetch(u: string) { return u; }\nfetch('https://a.example.com');", apis: [] },
  { name: 'fetch shadowed by a const', code: "const fetch = (u: string) => u;\nfetch('https://a.example.com');", apis: [] },
  { name: 'fetch shadowed in an inner block only', code: "{ const fetch = () => 1; fetch(); }\nfetch('https://a.example.com');", apis: ['fetch'] },
  { name: 'fetch shadowed by a later var (hoisted)', code: "function f() { fetch('x'); var fetch = () => 1; }", apis: [] },
  { name: 'fetch shadowed by an import', code: "import { fetch } from './my-fetch';\nfetch('https://a.example.com');", apis: [] },
  { name: 'fetch shadowed by a catch variable', code: "try {} catch (fetch) { fetch('x'); }", apis: [] },
  { name: 'method named fetch is not fetch', code: "repo.fetch('https://a.example.com');", apis: [] },
  { name: 'new WebSocket global', code: "const ws = new WebSocket('wss://a.example.com');", apis: ['WebSocket'] },

  // node:http / https
  { name: 'ESM default import http', code: "import http from 'http';\nhttp.get('http://a.example.com', () => {});", apis: ['http.get'] },
  { name: 'ESM namespace import node:https', code: "import * as https from 'node:https';\nhttps.request({ host: 'a.example.com' });", apis: ['https.request'] },
  { name: 'ESM named import', code: "import { request } from 'node:https';\nrequest('https://a.example.com');", apis: ['https.request'] },
  { name: 'ESM renamed import', code: "import { get as httpGet } from 'http';\nhttpGet('http://a.example.com');", apis: ['http.get'] },
  { name: 'require', code: "const http = require('http');\nhttp.request('http://a.example.com');", apis: ['http.request'] },
  { name: 'require with node: prefix', code: "const https = require('node:https');\nhttps.get('https://a.example.com');", apis: ['https.get'] },
  { name: 'require destructuring', code: "const { get } = require('https');\nget('https://a.example.com');", apis: ['https.get'] },
  { name: 'require destructuring renamed', code: "const { request: req } = require('node:http');\nreq({ host: 'a' });", apis: ['http.request'] },
  { name: 'require member directly', code: "const get = require('https').get;\nget('https://a.example.com');", apis: ['https.get'] },
  { name: 'inline require call', code: "require('http').get('http://a.example.com');", apis: ['http.get'] },
  { name: 'require shadowed', code: "function f(require: any) { require('http').get('x'); }", apis: [] },
  { name: 'import = require (TS)', code: "import http = require('http');\nhttp.get('http://a.example.com');", apis: ['http.get'] },
  { name: 'alias of a module', code: "import https from 'https';\nconst h = https;\nh.get('https://a.example.com');", apis: ['https.get'] },
  { name: 'alias chain', code: "const a = require('http'); const b = a; const c = b;\nc.get('x');", apis: ['http.get'] },
  { name: 'element access', code: "import http from 'http';\nhttp['request']('http://a.example.com');", apis: ['http.request'] },
  { name: 'createServer and listen', code: "import http from 'http';\nconst server = http.createServer((req, res) => res.end());\nserver.listen(3000);", apis: ['http.createServer', 'server.listen'] },
  { name: 'chained createServer().listen()', code: "require('http').createServer(h).listen(8080);", apis: ['http.createServer', 'server.listen'] },
  { name: 'new http.Agent', code: "import http from 'http';\nconst agent = new http.Agent({ keepAlive: true });", apis: ['http.Agent'] },
  { name: 'let assigned later', code: "import http from 'http';\nlet server;\nserver = http.createServer();\nserver.listen(80);", apis: ['http.createServer', 'server.listen'] },
  { name: 'server stored on this', code: "import http from 'http';\nclass App { server = http.createServer(); start() { this.server.listen(80); } }", apis: ['http.createServer', 'server.listen'] },
  { name: 'server assigned to this in constructor', code: "const http = require('http');\nclass App { constructor() { this.server = http.createServer(); } start() { this.server.listen(80); } }", apis: ['http.createServer', 'server.listen'], file: 'a.js' },
  { name: 'unrelated module with same member names', code: "import http from './http';\nhttp.get('/x');", apis: [] },
  { name: 'type-only use is no call', code: "import type { Agent } from 'http';\nlet a: Agent;", apis: [] },
  { name: 'parenthesised and asserted callee', code: "import http from 'http';\n(http as any).get('x');\n(http.get)('y');", apis: ['http.get', 'http.get'] },

  // http2, net, tls, dgram, dns
  { name: 'http2.connect and session.request', code: "import http2 from 'node:http2';\nconst s = http2.connect('https://a.example.com');\ns.request({ ':path': '/' });", apis: ['http2.connect', 'http2session.request'] },
  { name: 'net.connect', code: "import net from 'net';\nnet.connect(6379, 'cache.internal');", apis: ['net.connect'] },
  { name: 'net.createConnection destructured', code: "const { createConnection } = require('node:net');\ncreateConnection({ host: 'db', port: 5432 });", apis: ['net.connect'] },
  { name: 'new net.Socket().connect', code: "import * as net from 'net';\nconst sock = new net.Socket();\nsock.connect(80, 'a.example.com');", apis: ['socket.connect'] },
  { name: 'net.createServer', code: "import net from 'net';\nnet.createServer((s) => s.pipe(s)).listen(7000);", apis: ['net.createServer', 'server.listen'] },
  { name: 'tls.connect', code: "import tls from 'tls';\ntls.connect({ host: 'a.example.com', port: 443 });", apis: ['tls.connect'] },
  { name: 'dgram createSocket and send', code: "import dgram from 'dgram';\nconst sock = dgram.createSocket('udp4');\nsock.send(Buffer.from('x'), 8125, 'stats.internal');", apis: ['dgram.createSocket', 'socket.send'] },
  { name: 'dns.lookup and dns.promises.resolve4', code: "import dns from 'dns';\ndns.lookup('a.example.com', () => {});\nawait dns.promises.resolve4('a.example.com');", apis: ['dns.lookup', 'dns.resolve4'] },
  { name: 'dns/promises module', code: "import { lookup } from 'node:dns/promises';\nawait lookup('a.example.com');", apis: ['dns.lookup'] },

  // undici
  { name: 'undici request and fetch', code: "import { request, fetch } from 'undici';\nawait request('https://a.example.com');\nawait fetch('https://a.example.com');", apis: ['undici.request', 'undici.fetch'] },
  { name: 'undici Agent and Pool', code: "import { Agent, Pool } from 'undici';\nnew Agent({ keepAliveTimeout: 10 });\nnew Pool('https://a.example.com');", apis: ['undici.Agent', 'undici.Pool'] },
  { name: 'dynamic import of undici', code: "const { request } = await import('undici');\nawait request('https://a.example.com');", apis: ['undici.request'] },
  { name: 'dynamic import namespace', code: "const undici = await import('undici');\nawait undici.request('https://a.example.com');", apis: ['undici.request'] },

  // axios
  { name: 'axios default import verbs', code: "import axios from 'axios';\naxios.get('/a'); axios.post('/b', {}); axios({ url: '/c' });", apis: ['axios.get', 'axios.post', 'axios'] },
  { name: 'axios require', code: "const axios = require('axios');\naxios.delete('/a');", apis: ['axios.delete'] },
  { name: 'axios require .default', code: "const axios = require('axios').default;\naxios.get('/a');", apis: ['axios.get'] },
  { name: 'axios instance', code: "import axios from 'axios';\nconst api = axios.create({ baseURL: 'https://a.example.com' });\napi.get('/users');", apis: ['axios.create', 'axiosInstance.get'] },
  { name: 'axios instance on this', code: "import axios from 'axios';\nclass Client { private http = axios.create(); list() { return this.http.get('/x'); } }", apis: ['axios.create', 'axiosInstance.get'] },

  // got, node-fetch, superagent
  { name: 'got call and verb', code: "import got from 'got';\nawait got('https://a.example.com');\nawait got.post('https://a.example.com');", apis: ['got', 'got.post'] },
  { name: 'got.extend instance', code: "import got from 'got';\nconst client = got.extend({ prefixUrl: 'https://a' });\nclient.get('x');", apis: ['got.extend', 'got.get'] },
  { name: 'node-fetch default', code: "import fetch from 'node-fetch';\nawait fetch('https://a.example.com');", apis: ['node-fetch'] },
  { name: 'node-fetch require', code: "const fetch = require('node-fetch');\nfetch('https://a.example.com');", apis: ['node-fetch'], file: 'a.js' },
  { name: 'superagent', code: "import request from 'superagent';\nawait request.get('https://a.example.com');", apis: ['superagent.get'] },

  // ws
  { name: 'ws client and server', code: "import WebSocket, { WebSocketServer } from 'ws';\nnew WebSocket('wss://a.example.com');\nnew WebSocketServer({ port: 8080 });", apis: ['ws.WebSocket', 'ws.WebSocketServer'] },
  { name: 'ws require Server', code: "const WebSocket = require('ws');\nnew WebSocket.Server({ noServer: true });", apis: ['ws.WebSocketServer'] },

  // databases and brokers
  { name: 'pg Pool query and connect', code: "import { Pool } from 'pg';\nconst pool = new Pool();\nawait pool.query('select 1');\nconst c = await pool.connect();\nawait c.query('select 2');", apis: ['pg.Pool', 'pg.query', 'pg.Pool#connect', 'pg.query'] },
  { name: 'pg default import', code: "import pg from 'pg';\nconst client = new pg.Client({ host: 'db' });\nawait client.connect();", apis: ['pg.Client', 'pg.Client#connect'] },
  { name: 'mysql2 promise pool', code: "import mysql from 'mysql2/promise';\nconst pool = mysql.createPool({ host: 'db' });\nawait pool.query('select 1');", apis: ['mysql.createPool', 'mysql.query'] },
  { name: 'mongodb', code: "import { MongoClient } from 'mongodb';\nconst client = new MongoClient('mongodb://db:27017');\nawait client.connect();", apis: ['mongodb.MongoClient', 'MongoClient#connect'] },
  { name: 'ioredis', code: "import Redis from 'ioredis';\nconst r = new Redis(6379, 'cache');", apis: ['ioredis.Redis'] },
  { name: 'node-redis createClient', code: "import { createClient } from 'redis';\nconst c = createClient({ url: 'redis://cache' });\nawait c.connect();", apis: ['redis.createClient', 'redis.connect'] },
  { name: 'amqplib', code: "import amqp from 'amqplib';\nconst conn = await amqp.connect('amqp://mq');", apis: ['amqp.connect'] },
  { name: 'kafkajs producer', code: "import { Kafka } from 'kafkajs';\nconst kafka = new Kafka({ brokers: ['k:9092'] });\nconst p = kafka.producer();\nawait p.connect();\nawait p.send({ topic: 't', messages: [] });", apis: ['kafkajs.Kafka', 'producer.connect', 'producer.send'] },
  { name: 'grpc generated client', code: "import * as grpc from '@grpc/grpc-js';\nconst proto = grpc.loadPackageDefinition(def) as any;\nconst client = new proto.users.UserService('users:50051', grpc.credentials.createInsecure());\nclient.getUser({ id: 1 }, (err, res) => {});", apis: ['grpc.Client', 'grpc.call'] },

  // frameworks
  { name: 'express app.listen', code: "import express from 'express';\nconst app = express();\napp.listen(3000);", apis: ['express()', 'app.listen'] },
  { name: 'koa listen', code: "const Koa = require('koa');\nconst app = new Koa();\napp.listen(3000);", apis: ['new Koa()', 'app.listen'] },
  { name: 'fastify listen', code: "import Fastify from 'fastify';\nconst app = Fastify({ logger: true });\nawait app.listen({ port: 3000 });", apis: ['fastify()', 'fastify.listen'] },

  // JS flavours and broken syntax
  { name: 'JSX file', code: "import axios from 'axios';\nexport const C = () => <button onClick={() => axios.get('/x')}>x</button>;", apis: ['axios.get'], file: 'c.tsx' },
  { name: 'CommonJS .cjs', code: "const https = require('https');\nmodule.exports = () => https.get('https://a.example.com');", apis: ['https.get'], file: 'a.cjs' },
  { name: 'broken syntax still analysed', code: "import axios from 'axios';\nexport async function f() {\n  await axios.get('/x');\n  if (ready {\n    await axios.post('/y');\n", apis: ['axios.get', 'axios.post'] },
  { name: 'unterminated string after a call', code: "import axios from 'axios';\naxios.get('/x');\nconst s = 'oops\n", apis: ['axios.get'] },
  { name: 'no network module: not parsed', code: 'export const add = (a: number, b: number) => a + b;', apis: [] },
];

describe('recognition of networking calls', () => {
  for (const c of cases) {
    it(c.name, () => {
      const result = analyzeText(c.file ?? 'test.ts', c.code);
      assert.deepEqual(result.calls.map((call) => call.api), c.apis);
    });
  }

  it('has at least 60 cases', () => assert.ok(cases.length >= 60, String(cases.length)));
});

describe('facts extracted from call sites', () => {
  const call = (code: string, i = 0) => analyzeText('t.ts', code).calls[i];

  it('URL literal gives scheme, host and port', () => {
    const c = call("fetch('http://api.example.com:8080/users');");
    assert.deepEqual([c.scheme, c.host, c.port], ['http', 'api.example.com', 8080]);
  });
  it('template literal gives the scheme and host up to the first substitution', () => {
    const c = call('fetch(`https://api.example.com/users/${id}`);');
    assert.deepEqual([c.scheme, c.host], ['https', 'api.example.com']);
  });
  it('host unknown when the template substitutes it', () => {
    const c = call('fetch(`https://${host}/users`);');
    assert.deepEqual([c.scheme, c.host], ['https', undefined]);
  });
  it('constant URL is followed', () => {
    const c = call("const BASE = 'https://api.example.com';\nfetch(BASE + '/users');");
    assert.equal(c.host, 'api.example.com');
  });
  it('options are flattened with dotted keys and static values', () => {
    const c = call("import { Agent } from 'undici';\nconst T = 5_000;\nnew Agent({ keepAliveTimeout: T, connect: { timeout: 2 * 1000 }, pipelining: 1 });");
    assert.deepEqual(
      c.options.map((o) => [o.key, o.value]),
      [
        ['keepAliveTimeout', { kind: 'number', value: 5000 }],
        ['connect', { kind: 'object' }],
        ['connect.timeout', { kind: 'number', value: 2000 }],
        ['pipelining', { kind: 'number', value: 1 }],
      ],
    );
  });
  it('options held in a const object are followed', () => {
    const c = call("import axios from 'axios';\nconst cfg = { timeout: 1000 };\naxios.get('/x', cfg);", 0);
    assert.deepEqual(c.options.map((o) => o.key), ['timeout']);
    assert.equal(c.optionsUnknown, false);
  });
  it('options from a parameter are unknown', () => {
    const c = call("import axios from 'axios';\nexport function get(opts: any) { return axios.get('/x', opts); }");
    assert.equal(c.optionsUnknown, true);
  });
  it('spread of an unknown object makes options unknown', () => {
    const c = call("import axios from 'axios';\naxios.get('/x', { ...defaults, headers: {} });");
    assert.equal(c.optionsUnknown, true);
  });
  it('net.connect port and host arguments', () => {
    const c = call("import net from 'net';\nnet.connect(5432, 'db.internal');");
    assert.deepEqual([c.port, c.host], [5432, 'db.internal']);
  });
  it('http.request options object gives host and port', () => {
    const c = call("import http from 'http';\nhttp.request({ hostname: 'a.example.com', port: 8443 });");
    assert.deepEqual([c.host, c.port, c.scheme], ['a.example.com', 8443, 'http']);
  });
  it('instance calls point at the call that created the instance', () => {
    const r = analyzeText('t.ts', "import axios from 'axios';\nconst api = axios.create();\napi.get('/a');");
    assert.equal(r.calls[1].createdBy, 0);
  });
  it('listen on an express app points at express()', () => {
    const r = analyzeText('t.ts', "import express from 'express';\nconst app = express();\napp.listen(3000, '0.0.0.0');");
    assert.equal(r.calls[1].createdBy, 0);
    assert.deepEqual([r.calls[1].port, r.calls[1].host], [3000, '0.0.0.0']);
  });
  it('calls inside request handlers are marked', () => {
    const r = analyzeText('t.ts', "import express from 'express';\nconst app = express();\napp.get('/u', async (req, res) => { await fetch('https://a.example.com'); });\nfetch('https://b.example.com');");
    const fetches = r.calls.filter((c) => c.api === 'fetch');
    assert.deepEqual(fetches.map((c) => c.inRequestHandler), [true, false]);
  });
  it('ranges point at the callee', () => {
    const code = "import axios from 'axios';\naxios.get('/x');";
    const c = call(code);
    assert.equal(code.slice(c.calleeRange.start, c.calleeRange.end), 'axios.get');
  });
});

describe('callback parameters typed by the API they are passed to', () => {
  const model = (code: string) => {
    // The FileModel is what rules see; reach it through a tiny rule-free analysis.
    const { FileModel } = require('../../server/src/analysis/fileModel') as typeof import('../../server/src/analysis/fileModel');
    const { parseFile } = require('../../server/src/analysis/parse') as typeof import('../../server/src/analysis/parse');
    return new FileModel(parseFile('t.ts', code));
  };
  const socketEvents = (code: string) => {
    const m = model(code);
    const origins = m.facts.calls.map((c) => c.node).filter((n) => /\.on\(/.test(n.getText(m.sourceFile)));
    const events = new Set<string>();
    for (const site of m.facts.calls) {
      const callee = site.node.expression;
      if (callee.getText(m.sourceFile).endsWith('.on')) {
        const receiver = m.resolver.resolve((callee as import('typescript').PropertyAccessExpression).expression, site.scope);
        if (receiver?.origin) for (const e of m.listenedEvents(receiver.origin)) events.add(`${receiver.type}:${e}`);
      }
    }
    void origins;
    return [...events].sort();
  };

  it('net.createServer connection sockets', () => {
    assert.deepEqual(socketEvents("import net from 'net';\nnet.createServer((socket) => { socket.on('data', onData); socket.on('error', onError); });"), ['net.Socket:data', 'net.Socket:error']);
  });
  it("server.on('connection') sockets", () => {
    assert.deepEqual(socketEvents("import http from 'http';\nconst s = http.createServer();\ns.on('connection', (sock) => { sock.on('timeout', t); });"), ['http.Server:connection', 'net.Socket:timeout']);
  });
  it('http.get response in the callback', () => {
    assert.deepEqual(socketEvents("import https from 'https';\nhttps.get('https://a', (res) => { res.on('data', d); });"), ['http.IncomingMessage:data']);
  });
  it('ws connection handler', () => {
    assert.deepEqual(socketEvents("import { WebSocketServer } from 'ws';\nconst wss = new WebSocketServer({ port: 1 });\nwss.on('connection', (ws) => { ws.on('pong', heartbeat); });"), ['WebSocket:pong', 'ws.Server:connection']);
  });
  it('fetch().then response', () => {
    const m = model("fetch('https://a').then((res) => res.json());");
    const json = m.facts.calls.find((c) => c.node.getText(m.sourceFile) === 'res.json()')!;
    const receiver = m.resolver.resolve((json.node.expression as import('typescript').PropertyAccessExpression).expression, json.scope);
    assert.equal(receiver?.type, 'Response');
    assert.equal(receiver?.origin, m.nodeOf(m.calls[0]));
  });
  it('a parameter that is not a known callback stays unknown', () => {
    const m = model("export function handle(socket) { socket.on('data', d); }");
    const site = m.facts.calls[0];
    assert.equal(m.resolver.resolve((site.node.expression as import('typescript').PropertyAccessExpression).expression, site.scope), undefined);
  });
});

describe('run frequency and value use', () => {
  const { runFrequency, isValueUsed } = require('../../server/src/analysis/context') as typeof import('../../server/src/analysis/context');
  const { FileModel } = require('../../server/src/analysis/fileModel') as typeof import('../../server/src/analysis/fileModel');
  const { parseFile } = require('../../server/src/analysis/parse') as typeof import('../../server/src/analysis/parse');
  const freq = (code: string) => {
    const m = new FileModel(parseFile('t.ts', code));
    return m.calls.filter((c) => c.api === 'pg.Pool').map((c) => runFrequency(m.nodeOf(c)));
  };
  it('module level, handler, loop, function, constructor, init', () => {
    assert.deepEqual(freq("import { Pool } from 'pg';\nconst a = new Pool();"), ['once']);
    assert.deepEqual(freq("import { Pool } from 'pg';\nimport express from 'express';\nconst app = express();\napp.get('/x', async (req, res) => { const p = new Pool(); });"), ['per-request']);
    assert.deepEqual(freq("import { Pool } from 'pg';\nfor (const t of tenants) { const p = new Pool({ database: t }); }"), ['per-iteration']);
    assert.deepEqual(freq("import { Pool } from 'pg';\nexport function query() { return new Pool(); }"), ['per-call']);
    assert.deepEqual(freq("import { Pool } from 'pg';\nclass Db { constructor() { this.pool = new Pool(); } }"), ['once']);
    assert.deepEqual(freq("import { Pool } from 'pg';\nasync function init() { return new Pool(); }"), ['once']);
  });
  it('write() results used or ignored', () => {
    const m = new FileModel(parseFile('t.ts', "sock.write(a);\nif (!sock.write(b)) wait();\nconst ok = sock.write(c);\nvoid sock.write(d);"));
    const writes = m.facts.calls.filter((c) => c.node.expression.getText(m.sourceFile) === 'sock.write');
    assert.deepEqual(writes.map((c) => isValueUsed(c.node)), [false, true, true, false]);
  });
});

describe('facts: template constants, datagram targets', () => {
  it('a constant at the start of a template gives scheme, host and port', () => {
    const c = analyzeText('t.ts', "const U = 'http://inventory.internal:8080';\nfetch(`${U}/stock`);").calls[0];
    assert.deepEqual([c.scheme, c.host, c.port], ['http', 'inventory.internal', 8080]);
  });
  it('dgram send with and without offset/length', () => {
    const r = analyzeText('t.ts', "import dgram from 'dgram';\nconst s = dgram.createSocket('udp4');\ns.send(Buffer.from('x'), 8125, 'metrics.internal');\ns.send(buf, 0, buf.length, 514, 'syslog.internal', cb);");
    assert.deepEqual(r.calls.filter((c) => c.api === 'socket.send').map((c) => [c.port, c.host]), [[8125, 'metrics.internal'], [514, 'syslog.internal']]);
  });
});
