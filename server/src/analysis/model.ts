// The library model: what each networking module exports, what calling or constructing each export
// returns, and which of those calls touch the network. A tiny structural type system keyed by name:
// resolution walks member names through it, so `require('node:https').get`, `import { get } from
// 'https'` and `const h = https; h.get` all land on the same entry.
import type { CallRole, Scheme, Transport } from './types';

export type TypeName = string;

/** Where a call's arguments live (0-based positions). Candidates are tried in order. */
export interface ArgShape {
  /** Positions that may hold the URL / address string (or URL object). */
  url?: number[];
  /** Positions that may hold the options object; the first object-like argument wins. */
  options?: number[];
  /** Position of a numeric port argument (net.connect(port, host)). */
  port?: number;
  /** Position of a host string argument. */
  host?: number;
  /** Position of a callback argument (`-1` = the last argument when it is a function). */
  callback?: number;
}

export interface OpSpec {
  api: string;
  library: string;
  role: CallRole;
  transport: Transport;
  scheme?: Scheme;
  args?: ArgShape;
}

export interface CallSpec {
  returns?: TypeName;
  op?: OpSpec;
  /** Types of the parameters of the callback argument (the last function passed). */
  callbackParams?: TypeName[];
}

export interface TypeModel {
  members?: Record<string, TypeName>;
  /** Type of any member not listed (generated gRPC services, Mongo collections ...). */
  anyMember?: TypeName;
  call?: CallSpec;
  construct?: CallSpec;
  /** Members are inherited from this type too. */
  extends?: TypeName;
  /** Listener parameter types per event (`server.on('connection', (socket) => …)`). */
  events?: Record<string, TypeName[]>;
}

export interface ModuleModel {
  /** The namespace (`import * as m`, named imports). */
  exports: TypeName;
  /** `import m from` (defaults to the namespace, as Node's builtins and CJS interop do). */
  default?: TypeName;
  /** `require(m)` (defaults to `default`, then the namespace). */
  cjs?: TypeName;
}

const TYPES: Record<TypeName, TypeModel> = {};
const MODULES: Record<string, ModuleModel> = {};

function type(name: TypeName, model: TypeModel): void {
  TYPES[name] = model;
}
function op(api: string, library: string, role: CallRole, transport: Transport, extra: Partial<OpSpec> = {}): OpSpec {
  return { api, library, role, transport, ...extra };
}

// Argument shapes shared by several APIs.
const URL_OPTS_CB: ArgShape = { url: [0], options: [0, 1], callback: -1 };
const URL_INIT: ArgShape = { url: [0], options: [1] };
const OPTS_ONLY: ArgShape = { options: [0] };
const URL_OR_OPTS: ArgShape = { url: [0], options: [0, 1] };

// ---------------------------------------------------------------------------------------------
// Globals
type('global', {
  members: {
    fetch: 'fn:fetch',
    WebSocket: 'class:WebSocket',
    globalThis: 'global',
    window: 'global',
    self: 'global',
    process: 'process',
    AbortSignal: 'AbortSignal',
    require: 'require',
  },
});
type('fn:fetch', {
  call: { returns: 'Promise<Response>', op: op('fetch', 'fetch', 'request', 'tcp', { scheme: 'https', args: URL_INIT }) },
});
type('class:WebSocket', {
  construct: { returns: 'WebSocket', op: op('WebSocket', 'WebSocket', 'connect', 'tcp', { scheme: 'wss', args: { url: [0], options: [2] } }) },
});
type('process', { members: { env: 'process.env' } });
type('Response', { members: { body: 'stream.Readable', json: 'method', text: 'method', arrayBuffer: 'method', blob: 'method', formData: 'method', ok: 'value', status: 'value', headers: 'value' } });
type('WebSocket', {
  members: { on: 'method', once: 'method', send: 'method', ping: 'method', pong: 'method', terminate: 'method', close: 'method', addEventListener: 'method' },
  events: { message: ['value'], pong: ['value'], close: ['value'], error: ['Error'] },
});

// ---------------------------------------------------------------------------------------------
// node:http and node:https
for (const mod of ['http', 'https'] as const) {
  const scheme: Scheme = mod;
  const lib = `node:${mod}`;
  type(`mod:${mod}`, {
    members: {
      request: `fn:${mod}.request`,
      get: `fn:${mod}.get`,
      createServer: `fn:${mod}.createServer`,
      Server: `class:${mod}.Server`,
      Agent: `class:${mod}.Agent`,
      globalAgent: `${mod}.Agent`,
    },
  });
  for (const method of ['request', 'get']) {
    type(`fn:${mod}.${method}`, {
      call: { returns: 'http.ClientRequest', callbackParams: ['http.IncomingMessage'], op: op(`${mod}.${method}`, lib, 'request', 'tcp', { scheme, args: URL_OPTS_CB }) },
    });
  }
  type(`fn:${mod}.createServer`, {
    call: { returns: `http.Server`, callbackParams: ['http.IncomingMessage', 'http.ServerResponse'], op: op(`${mod}.createServer`, lib, 'server', 'tcp', { scheme, args: { options: [0], callback: -1 } }) },
  });
  type(`class:${mod}.Server`, { construct: TYPES[`fn:${mod}.createServer`].call });
  type(`class:${mod}.Agent`, {
    construct: { returns: `${mod}.Agent`, op: op(`${mod}.Agent`, lib, 'client', 'tcp', { scheme, args: OPTS_ONLY }) },
  });
  type(`${mod}.Agent`, { members: {} });
}
type('http.Server', {
  members: { listen: 'fn:server.listen', close: 'method', setTimeout: 'method', on: 'method', once: 'method', closeIdleConnections: 'method', closeAllConnections: 'method' },
  events: { request: ['http.IncomingMessage', 'http.ServerResponse'], connection: ['net.Socket'], upgrade: ['http.IncomingMessage', 'net.Socket'] },
});
type('http.IncomingMessage', { members: { on: 'method', once: 'method', pipe: 'method', resume: 'method', setEncoding: 'method', socket: 'net.Socket' }, extends: 'stream.Readable' });
type('http.ServerResponse', { members: { write: 'method', end: 'method', setHeader: 'method', writeHead: 'method', on: 'method', socket: 'net.Socket' } });
type('stream.Readable', { members: { on: 'method', once: 'method', pipe: 'method', resume: 'method', destroy: 'method' } });
type('fn:server.listen', {
  call: { returns: 'http.Server', op: op('server.listen', 'node:http', 'listen', 'tcp', { args: { port: 0, host: 1, options: [0] } }) },
});
type('http.ClientRequest', {
  members: { setTimeout: 'method', on: 'method', once: 'method', end: 'method', write: 'method', destroy: 'method' },
  events: { response: ['http.IncomingMessage'], socket: ['net.Socket'] },
});

// ---------------------------------------------------------------------------------------------
// node:http2
type('mod:http2', {
  members: {
    connect: 'fn:http2.connect',
    createServer: 'fn:http2.createServer',
    createSecureServer: 'fn:http2.createSecureServer',
  },
});
type('fn:http2.connect', {
  call: { returns: 'http2.Session', op: op('http2.connect', 'node:http2', 'connect', 'tcp', { scheme: 'h2', args: { url: [0], options: [1] } }) },
});
type('http2.Session', { members: { request: 'fn:http2.session.request', close: 'method', destroy: 'method', on: 'method', once: 'method', ping: 'method', setTimeout: 'method', unref: 'method', ref: 'method' } });
type('fn:http2.session.request', {
  call: { returns: 'http2.Stream', op: op('http2session.request', 'node:http2', 'request', 'tcp', { scheme: 'h2', args: { options: [0, 1] } }) },
});
type('http2.Stream', { members: { on: 'method', once: 'method', end: 'method', write: 'method', close: 'method', destroy: 'method', setEncoding: 'method', setTimeout: 'method', pipe: 'method' } });
type('fn:http2.createServer', {
  call: { returns: 'http2.Server', op: op('http2.createServer', 'node:http2', 'server', 'tcp', { scheme: 'h2c', args: { options: [0] } }) },
});
type('fn:http2.createSecureServer', {
  call: { returns: 'http2.Server', op: op('http2.createSecureServer', 'node:http2', 'server', 'tcp', { scheme: 'h2', args: { options: [0] } }) },
});
type('http2.Server', { members: { listen: 'fn:http2.server.listen' } });
type('fn:http2.server.listen', {
  call: { returns: 'http2.Server', op: op('server.listen', 'node:http2', 'listen', 'tcp', { scheme: 'h2', args: { port: 0, host: 1 } }) },
});

// ---------------------------------------------------------------------------------------------
// node:net and node:tls
const CONNECT_ARGS: ArgShape = { options: [0, 1, 2], port: 0, host: 1, callback: -1 };
type('mod:net', {
  members: {
    connect: 'fn:net.connect',
    createConnection: 'fn:net.connect',
    createServer: 'fn:net.createServer',
    Socket: 'class:net.Socket',
  },
});
type('fn:net.connect', {
  call: { returns: 'net.Socket', op: op('net.connect', 'node:net', 'connect', 'tcp', { scheme: 'tcp', args: CONNECT_ARGS }) },
});
type('class:net.Socket', { construct: { returns: 'net.Socket' } });
type('net.Socket', {
  members: { connect: 'fn:net.socket.connect', write: 'method', setTimeout: 'method', on: 'method', once: 'method', end: 'method', destroy: 'method', setNoDelay: 'method', setKeepAlive: 'method', pipe: 'method', setEncoding: 'method', cork: 'method', uncork: 'method' },
  events: { data: ['Buffer'] },
});
type('fn:net.socket.connect', {
  call: { returns: 'net.Socket', op: op('socket.connect', 'node:net', 'connect', 'tcp', { scheme: 'tcp', args: CONNECT_ARGS }) },
});
type('fn:net.createServer', {
  call: { returns: 'net.Server', callbackParams: ['net.Socket'], op: op('net.createServer', 'node:net', 'server', 'tcp', { scheme: 'tcp', args: { options: [0], callback: -1 } }) },
});
type('net.Server', { members: { listen: 'fn:net.server.listen', close: 'method', on: 'method', once: 'method' }, events: { connection: ['net.Socket'], secureConnection: ['net.Socket'] } });
type('fn:net.server.listen', {
  call: { returns: 'net.Server', op: op('server.listen', 'node:net', 'listen', 'tcp', { scheme: 'tcp', args: { port: 0, host: 1, options: [0] } }) },
});
type('mod:tls', {
  members: { connect: 'fn:tls.connect', createServer: 'fn:tls.createServer', createSecureContext: 'method' },
});
type('fn:tls.connect', {
  call: { returns: 'net.Socket', op: op('tls.connect', 'node:tls', 'connect', 'tcp', { scheme: 'tls', args: CONNECT_ARGS }) },
});
type('fn:tls.createServer', {
  call: { returns: 'net.Server', callbackParams: ['net.Socket'], op: op('tls.createServer', 'node:tls', 'server', 'tcp', { scheme: 'tls', args: { options: [0], callback: -1 } }) },
});

// ---------------------------------------------------------------------------------------------
// node:dgram
type('mod:dgram', { members: { createSocket: 'fn:dgram.createSocket' } });
type('fn:dgram.createSocket', {
  call: { returns: 'dgram.Socket', op: op('dgram.createSocket', 'node:dgram', 'client', 'udp', { scheme: 'udp', args: { options: [0] } }) },
});
type('dgram.Socket', {
  members: { send: 'fn:dgram.send', bind: 'method', on: 'method', once: 'method', close: 'method', connect: 'method' },
  events: { message: ['Buffer', 'dgram.RemoteInfo'] },
});
type('fn:dgram.send', {
  call: { op: op('socket.send', 'node:dgram', 'send', 'udp', { scheme: 'udp', args: { callback: -1 } }) },
});

// ---------------------------------------------------------------------------------------------
// node:dns
const DNS_FNS = ['lookup', 'resolve', 'resolve4', 'resolve6', 'resolveAny', 'resolveCname', 'resolveMx', 'resolveNs', 'resolveSrv', 'resolveTxt', 'reverse'];
type('mod:dns', {
  members: { ...Object.fromEntries(DNS_FNS.map((f) => [f, `fn:dns.${f}`])), promises: 'mod:dns/promises', Resolver: 'class:dns.Resolver' },
});
type('mod:dns/promises', { members: Object.fromEntries(DNS_FNS.map((f) => [f, `fn:dns.${f}`])) });
type('class:dns.Resolver', { construct: { returns: 'mod:dns/promises' } });
for (const f of DNS_FNS) {
  type(`fn:dns.${f}`, {
    call: {
      op: op(`dns.${f}`, 'node:dns', 'dns', f === 'lookup' ? 'none' : 'udp', { scheme: 'dns', args: { host: 0, options: [1], callback: -1 } }),
    },
  });
}

// ---------------------------------------------------------------------------------------------
// undici
type('mod:undici', {
  members: {
    fetch: 'fn:undici.fetch',
    request: 'fn:undici.request',
    stream: 'fn:undici.stream',
    Agent: 'class:undici.Agent',
    Pool: 'class:undici.Pool',
    Client: 'class:undici.Client',
    ProxyAgent: 'class:undici.ProxyAgent',
    EnvHttpProxyAgent: 'class:undici.EnvHttpProxyAgent',
    RetryAgent: 'class:undici.RetryAgent',
    setGlobalDispatcher: 'method',
    WebSocket: 'class:WebSocket',
  },
});
type('fn:undici.fetch', {
  call: { returns: 'Promise<Response>', op: op('undici.fetch', 'undici', 'request', 'tcp', { scheme: 'https', args: URL_INIT }) },
});
type('undici.ResponseData', { members: { body: 'stream.Readable', statusCode: 'value', headers: 'value' } });
type('fn:undici.request', {
  call: { returns: 'Promise<undici.ResponseData>', op: op('undici.request', 'undici', 'request', 'tcp', { scheme: 'https', args: URL_INIT }) },
});
// `stream(url, opts, factory)`: the body goes to the writable the factory returns.
type('fn:undici.stream', {
  call: { op: op('undici.stream', 'undici', 'request', 'tcp', { scheme: 'https', args: URL_INIT }) },
});
for (const cls of ['Agent', 'Pool', 'Client', 'ProxyAgent', 'EnvHttpProxyAgent', 'RetryAgent']) {
  const args: ArgShape = cls === 'Pool' || cls === 'Client' ? { url: [0], options: [1] } : cls === 'RetryAgent' ? { options: [1] } : OPTS_ONLY;
  type(`class:undici.${cls}`, {
    construct: { returns: 'undici.Dispatcher', op: op(`undici.${cls}`, 'undici', 'client', 'tcp', { scheme: 'https', args }) },
  });
}
type('undici.Dispatcher', { members: { request: 'fn:undici.dispatcher.request', close: 'method' } });
type('fn:undici.dispatcher.request', {
  call: { returns: 'Promise<undici.ResponseData>', op: op('dispatcher.request', 'undici', 'request', 'tcp', { scheme: 'https', args: { options: [0] } }) },
});

// ---------------------------------------------------------------------------------------------
// axios: the default export is callable, has verb methods, and `create` returns an instance of the same shape.
const AXIOS_VERBS_NO_BODY = ['get', 'delete', 'head', 'options'];
const AXIOS_VERBS_BODY = ['post', 'put', 'patch', 'postForm', 'putForm', 'patchForm'];
for (const [t, apiBase] of [['axios', 'axios'], ['axios.instance', 'axiosInstance']] as const) {
  const members: Record<string, TypeName> = { request: `fn:${t}.request`, defaults: 'axios.defaults', interceptors: 'object' };
  for (const v of AXIOS_VERBS_NO_BODY) members[v] = `fn:${t}.${v}`;
  for (const v of AXIOS_VERBS_BODY) members[v] = `fn:${t}.${v}`;
  if (t === 'axios') {
    members.create = 'fn:axios.create';
    members.default = 'axios';
  }
  type(t, {
    members,
    call: { returns: 'Promise<AxiosResponse>', op: op(apiBase, 'axios', 'request', 'tcp', { args: URL_OR_OPTS }) },
  });
  type(`fn:${t}.request`, { call: { returns: 'Promise<AxiosResponse>', op: op(`${apiBase}.request`, 'axios', 'request', 'tcp', { args: OPTS_ONLY }) } });
  for (const v of AXIOS_VERBS_NO_BODY) {
    type(`fn:${t}.${v}`, { call: { returns: 'Promise<AxiosResponse>', op: op(`${apiBase}.${v}`, 'axios', 'request', 'tcp', { args: { url: [0], options: [1] } }) } });
  }
  for (const v of AXIOS_VERBS_BODY) {
    type(`fn:${t}.${v}`, { call: { returns: 'Promise<AxiosResponse>', op: op(`${apiBase}.${v}`, 'axios', 'request', 'tcp', { args: { url: [0], options: [2] } }) } });
  }
}
type('fn:axios.create', { call: { returns: 'axios.instance', op: op('axios.create', 'axios', 'client', 'tcp', { args: OPTS_ONLY }) } });
MODULES.axios = { exports: 'mod:axios', default: 'axios', cjs: 'axios' };
type('mod:axios', { members: { default: 'axios', create: 'fn:axios.create' } });

// ---------------------------------------------------------------------------------------------
// got: callable, verb methods, `extend` returns a new instance.
const GOT_VERBS = ['get', 'post', 'put', 'patch', 'delete', 'head', 'stream'];
type('got', {
  members: { ...Object.fromEntries(GOT_VERBS.map((v) => [v, `fn:got.${v}`])), extend: 'fn:got.extend', default: 'got' },
  call: { returns: 'Promise<GotResponse>', op: op('got', 'got', 'request', 'tcp', { args: URL_OR_OPTS }) },
});
for (const v of GOT_VERBS) {
  type(`fn:got.${v}`, { call: { returns: 'Promise<GotResponse>', op: op(`got.${v}`, 'got', 'request', 'tcp', { args: URL_OR_OPTS }) } });
}
type('fn:got.extend', { call: { returns: 'got', op: op('got.extend', 'got', 'client', 'tcp', { args: OPTS_ONLY }) } });
MODULES.got = { exports: 'mod:got', default: 'got', cjs: 'got' };
type('mod:got', { members: { default: 'got', got: 'got' } });

// ---------------------------------------------------------------------------------------------
// node-fetch (default export is fetch)
type('fn:node-fetch', {
  members: { default: 'fn:node-fetch' },
  call: { returns: 'Promise<Response>', op: op('node-fetch', 'node-fetch', 'request', 'tcp', { scheme: 'https', args: URL_INIT }) },
});
MODULES['node-fetch'] = { exports: 'mod:node-fetch', default: 'fn:node-fetch', cjs: 'fn:node-fetch' };
type('mod:node-fetch', { members: { default: 'fn:node-fetch' } });

// ---------------------------------------------------------------------------------------------
// superagent: `request.get(url)` returns a chainable request; `.timeout()` etc are chained.
const SA_VERBS = ['get', 'post', 'put', 'patch', 'delete', 'del', 'head'];
type('superagent', {
  members: { ...Object.fromEntries(SA_VERBS.map((v) => [v, `fn:superagent.${v}`])), agent: 'fn:superagent.agent', default: 'superagent' },
  call: { returns: 'superagent.Request', op: op('superagent', 'superagent', 'request', 'tcp', { args: { url: [1] } }) },
});
for (const v of SA_VERBS) {
  type(`fn:superagent.${v}`, { call: { returns: 'superagent.Request', op: op(`superagent.${v}`, 'superagent', 'request', 'tcp', { args: { url: [0] } }) } });
}
type('fn:superagent.agent', { call: { returns: 'superagent', op: op('superagent.agent', 'superagent', 'client', 'tcp', {}) } });
MODULES.superagent = { exports: 'mod:superagent', default: 'superagent', cjs: 'superagent' };
type('mod:superagent', { members: { default: 'superagent' } });

// ---------------------------------------------------------------------------------------------
// ws
type('class:ws.WebSocket', {
  members: { Server: 'class:ws.Server', WebSocketServer: 'class:ws.Server', WebSocket: 'class:ws.WebSocket', default: 'class:ws.WebSocket' },
  construct: { returns: 'WebSocket', op: op('ws.WebSocket', 'ws', 'connect', 'tcp', { scheme: 'wss', args: { url: [0], options: [1, 2] } }) },
});
type('class:ws.Server', {
  construct: { returns: 'ws.Server', op: op('ws.WebSocketServer', 'ws', 'server', 'tcp', { scheme: 'ws', args: OPTS_ONLY }) },
});
type('ws.Server', {
  members: { on: 'method', once: 'method', close: 'method', clients: 'value', handleUpgrade: 'method' },
  events: { connection: ['WebSocket', 'http.IncomingMessage'] },
});
MODULES.ws = { exports: 'mod:ws', default: 'class:ws.WebSocket', cjs: 'class:ws.WebSocket' };
type('mod:ws', { members: { WebSocket: 'class:ws.WebSocket', WebSocketServer: 'class:ws.Server', Server: 'class:ws.Server', default: 'class:ws.WebSocket' } });

// ---------------------------------------------------------------------------------------------
// pg
type('mod:pg', { members: { Pool: 'class:pg.Pool', Client: 'class:pg.Client', default: 'mod:pg' } });
type('class:pg.Pool', { construct: { returns: 'pg.Pool', op: op('pg.Pool', 'pg', 'client', 'tcp', { scheme: 'postgres', args: OPTS_ONLY }) } });
type('class:pg.Client', { construct: { returns: 'pg.Client', op: op('pg.Client', 'pg', 'client', 'tcp', { scheme: 'postgres', args: OPTS_ONLY }) } });
type('pg.Pool', {
  members: { query: 'fn:pg.query', connect: 'fn:pg.pool.connect', end: 'method', on: 'method', once: 'method' },
  events: { connect: ['pg.Client'], acquire: ['pg.Client'], error: ['Error', 'pg.Client'] },
});
type('pg.Client', {
  members: { query: 'fn:pg.query', connect: 'fn:pg.client.connect', end: 'method', release: 'method', on: 'method' },
});
type('fn:pg.query', { call: { op: op('pg.query', 'pg', 'request', 'tcp', { scheme: 'postgres', args: { options: [0] } }) } });
type('fn:pg.pool.connect', { call: { returns: 'Promise<pg.Client>', callbackParams: ['Error', 'pg.Client', 'fn:pg.release'], op: op('pg.Pool#connect', 'pg', 'connect', 'tcp', { scheme: 'postgres' }) } });
type('fn:pg.client.connect', { call: { op: op('pg.Client#connect', 'pg', 'connect', 'tcp', { scheme: 'postgres' }) } });
MODULES['pg-pool'] = { exports: 'mod:pg-pool', default: 'class:pg.Pool', cjs: 'class:pg.Pool' };
type('mod:pg-pool', { members: { default: 'class:pg.Pool' } });

// ---------------------------------------------------------------------------------------------
// mysql2 / mysql
for (const mod of ['mysql', 'mysql2', 'mysql2/promise']) {
  type(`mod:${mod}`, {
    members: { createConnection: 'fn:mysql.createConnection', createPool: 'fn:mysql.createPool', default: `mod:${mod}` },
  });
}
type('fn:mysql.createConnection', {
  call: { returns: 'mysql.Connection', op: op('mysql.createConnection', 'mysql2', 'client', 'tcp', { scheme: 'mysql', args: URL_OR_OPTS }) },
});
type('fn:mysql.createPool', {
  call: { returns: 'mysql.Pool', op: op('mysql.createPool', 'mysql2', 'client', 'tcp', { scheme: 'mysql', args: URL_OR_OPTS }) },
});
type('mysql.Connection', { members: { query: 'fn:mysql.query', execute: 'fn:mysql.query', end: 'method', release: 'method', destroy: 'method', on: 'method' } });
type('mysql.Pool', { members: { query: 'fn:mysql.query', execute: 'fn:mysql.query', getConnection: 'fn:mysql.getConnection', end: 'method', on: 'method', promise: 'fn:mysql.promise' } });
// A pool checkout: a connection from the pool (opened on demand) that must be given back with `release()`.
type('fn:mysql.getConnection', { call: { returns: 'Promise<mysql.Connection>', callbackParams: ['Error', 'mysql.Connection'], op: op('mysql.Pool#getConnection', 'mysql2', 'connect', 'tcp', { scheme: 'mysql', args: { callback: -1 } }) } });
// mysql2: `pool.promise()` is the same pool with promise-returning methods.
type('fn:mysql.promise', { call: { returns: 'mysql.Pool' } });
type('fn:mysql.query', { call: { op: op('mysql.query', 'mysql2', 'request', 'tcp', { scheme: 'mysql' }) } });

// ---------------------------------------------------------------------------------------------
// mongodb
type('mod:mongodb', { members: { MongoClient: 'class:mongodb.MongoClient' } });
type('class:mongodb.MongoClient', {
  members: { connect: 'fn:mongodb.connect' },
  construct: { returns: 'mongodb.MongoClient', op: op('mongodb.MongoClient', 'mongodb', 'client', 'tcp', { scheme: 'mongodb', args: { url: [0], options: [1] } }) },
});
type('fn:mongodb.connect', {
  call: { returns: 'mongodb.MongoClient', op: op('MongoClient.connect', 'mongodb', 'connect', 'tcp', { scheme: 'mongodb', args: { url: [0], options: [1] } }) },
});
type('mongodb.MongoClient', { members: { connect: 'fn:mongodb.client.connect', close: 'method', db: 'method' } });
type('fn:mongodb.client.connect', { call: { op: op('MongoClient#connect', 'mongodb', 'connect', 'tcp', { scheme: 'mongodb' }) } });

// ---------------------------------------------------------------------------------------------
// ioredis and node-redis
type('class:ioredis', {
  members: { default: 'class:ioredis', Redis: 'class:ioredis', Cluster: 'class:ioredis' },
  construct: { returns: 'redis.Client', op: op('ioredis.Redis', 'ioredis', 'client', 'tcp', { scheme: 'redis', args: { url: [0], options: [0, 1, 2], port: 0, host: 1 } }) },
});
MODULES.ioredis = { exports: 'mod:ioredis', default: 'class:ioredis', cjs: 'class:ioredis' };
type('mod:ioredis', { members: { default: 'class:ioredis', Redis: 'class:ioredis', Cluster: 'class:ioredis' } });
type('mod:redis', { members: { createClient: 'fn:redis.createClient', createCluster: 'fn:redis.createClient' } });
type('fn:redis.createClient', {
  call: { returns: 'redis.Client', op: op('redis.createClient', 'redis', 'client', 'tcp', { scheme: 'redis', args: OPTS_ONLY }) },
});
type('redis.Client', { members: { connect: 'fn:redis.connect', quit: 'method', disconnect: 'method', on: 'method' } });
type('fn:redis.connect', { call: { op: op('redis.connect', 'redis', 'connect', 'tcp', { scheme: 'redis' }) } });

// ---------------------------------------------------------------------------------------------
// amqplib
for (const mod of ['amqplib', 'amqplib/callback_api']) {
  type(`mod:${mod}`, { members: { connect: 'fn:amqp.connect', default: `mod:${mod}` } });
}
type('fn:amqp.connect', {
  call: { returns: 'Promise<amqp.Connection>', callbackParams: ['Error', 'amqp.Connection'], op: op('amqp.connect', 'amqplib', 'connect', 'tcp', { scheme: 'amqp', args: { url: [0], options: [1] } }) },
});
type('amqp.Connection', { members: { createChannel: 'fn:amqp.createChannel', createConfirmChannel: 'fn:amqp.createChannel', close: 'method', on: 'method', once: 'method' } });
type('fn:amqp.createChannel', { call: { returns: 'Promise<amqp.Channel>', callbackParams: ['Error', 'amqp.Channel'] } });
type('amqp.Channel', {
  members: Object.fromEntries(['publish', 'sendToQueue', 'assertQueue', 'assertExchange', 'bindQueue', 'consume', 'ack', 'nack', 'prefetch', 'close', 'on', 'once', 'waitForConfirms'].map((m) => [m, 'method'])),
});

// ---------------------------------------------------------------------------------------------
// kafkajs
type('mod:kafkajs', { members: { Kafka: 'class:kafkajs.Kafka' } });
type('class:kafkajs.Kafka', {
  construct: { returns: 'kafkajs.Kafka', op: op('kafkajs.Kafka', 'kafkajs', 'client', 'tcp', { scheme: 'kafka', args: OPTS_ONLY }) },
});
type('kafkajs.Kafka', { members: { producer: 'fn:kafkajs.producer', consumer: 'fn:kafkajs.consumer', admin: 'fn:kafkajs.producer' } });
type('fn:kafkajs.producer', { call: { returns: 'kafkajs.Producer' } });
type('fn:kafkajs.consumer', { call: { returns: 'kafkajs.Producer' } });
type('kafkajs.Producer', { members: { connect: 'fn:kafkajs.connect', send: 'fn:kafkajs.send', sendBatch: 'fn:kafkajs.send', disconnect: 'method', on: 'method', transaction: 'method' } });
type('fn:kafkajs.connect', { call: { op: op('producer.connect', 'kafkajs', 'connect', 'tcp', { scheme: 'kafka' }) } });
type('fn:kafkajs.send', { call: { op: op('producer.send', 'kafkajs', 'request', 'tcp', { scheme: 'kafka', args: OPTS_ONLY }) } });

// ---------------------------------------------------------------------------------------------
// @grpc/grpc-js: loaded packages have dynamic members; constructing a service gives a client whose
// every method is a call.
type('mod:@grpc/grpc-js', {
  members: { loadPackageDefinition: 'fn:grpc.loadPackageDefinition', Client: 'class:grpc.Client', credentials: 'grpc.credentials', ChannelCredentials: 'grpc.credentials', makeGenericClientConstructor: 'fn:grpc.makeClient', Server: 'class:grpc.Server' },
});
// Channel credentials: the second argument of every generated client constructor, which is how a
// `new UsersClient(addr, credentials.createInsecure())` from generated code is recognised.
type('grpc.credentials', {
  members: Object.fromEntries(['createInsecure', 'createSsl', 'createFromSecureContext', 'combineChannelCredentials', 'createFromMetadataGenerator', 'createFromGoogleCredential'].map((m) => [m, 'fn:grpc.credentials'])),
});
type('fn:grpc.credentials', { call: { returns: 'grpc.ChannelCredentials' } });
type('class:grpc.Server', { construct: { returns: 'grpc.Server' } });
type('grpc.Server', { members: { addService: 'method', bindAsync: 'method', start: 'method', tryShutdown: 'method', forceShutdown: 'method' } });
type('fn:grpc.loadPackageDefinition', { call: { returns: 'grpc.Package' } });
type('fn:grpc.makeClient', { call: { returns: 'class:grpc.Client' } });
type('grpc.Package', { anyMember: 'grpc.PackageMember' });
type('grpc.PackageMember', { anyMember: 'grpc.PackageMember', construct: { returns: 'grpc.Client', op: op('grpc.Client', '@grpc/grpc-js', 'client', 'tcp', { scheme: 'grpc', args: { url: [0], options: [2] } }) } });
type('class:grpc.Client', {
  construct: { returns: 'grpc.Client', op: op('grpc.Client', '@grpc/grpc-js', 'client', 'tcp', { scheme: 'grpc', args: { url: [0], options: [2] } }) },
});
type('grpc.Client', {
  members: { close: 'method', waitForReady: 'method', getChannel: 'method' },
  anyMember: 'fn:grpc.unary',
});
type('fn:grpc.unary', { call: { op: op('grpc.call', '@grpc/grpc-js', 'request', 'tcp', { scheme: 'grpc', args: { options: [1, 2], callback: -1 } }) } });

// ---------------------------------------------------------------------------------------------
// Web frameworks: `app.listen` returns the http.Server.
type('fn:express', { members: { default: 'fn:express', Router: 'method', json: 'method', static: 'method' }, call: { returns: 'express.app', op: op('express()', 'express', 'server', 'tcp', { scheme: 'http' }) } });
MODULES.express = { exports: 'mod:express', default: 'fn:express', cjs: 'fn:express' };
type('mod:express', { members: { default: 'fn:express' } });
type('express.app', { members: { listen: 'fn:app.listen', get: 'method', post: 'method', put: 'method', delete: 'method', patch: 'method', use: 'method', all: 'method', route: 'method' } });
type('fn:app.listen', { call: { returns: 'http.Server', op: op('app.listen', 'express', 'listen', 'tcp', { scheme: 'http', args: { port: 0, host: 1, options: [0] } }) } });
type('class:koa', { members: { default: 'class:koa' }, construct: { returns: 'koa.app', op: op('new Koa()', 'koa', 'server', 'tcp', { scheme: 'http' }) } });
MODULES.koa = { exports: 'mod:koa', default: 'class:koa', cjs: 'class:koa' };
type('mod:koa', { members: { default: 'class:koa' } });
type('koa.app', { members: { listen: 'fn:koa.listen', use: 'method', callback: 'method' } });
type('fn:koa.listen', { call: { returns: 'http.Server', op: op('app.listen', 'koa', 'listen', 'tcp', { scheme: 'http', args: { port: 0, host: 1 } }) } });
type('fn:fastify', { members: { default: 'fn:fastify', fastify: 'fn:fastify' }, call: { returns: 'fastify.app', op: op('fastify()', 'fastify', 'server', 'tcp', { scheme: 'http', args: OPTS_ONLY }) } });
MODULES.fastify = { exports: 'mod:fastify', default: 'fn:fastify', cjs: 'fn:fastify' };
type('mod:fastify', { members: { default: 'fn:fastify', fastify: 'fn:fastify' } });
type('fastify.app', { members: { listen: 'fn:fastify.listen', get: 'method', post: 'method', route: 'method', register: 'method' } });
type('fn:fastify.listen', { call: { op: op('fastify.listen', 'fastify', 'listen', 'tcp', { scheme: 'http', args: { port: 0, options: [0] } }) } });

// agentkeepalive: drop-in `http.Agent` subclasses with keep-alive on and a free-socket timeout
// (`freeSocketTimeout`, 4 s since v4).
type('class:agentkeepalive', {
  members: { HttpsAgent: 'class:agentkeepalive.HttpsAgent', HttpAgent: 'class:agentkeepalive', default: 'class:agentkeepalive' },
  construct: { returns: 'http.Agent', op: op('agentkeepalive.Agent', 'agentkeepalive', 'client', 'tcp', { scheme: 'http', args: OPTS_ONLY }) },
});
type('class:agentkeepalive.HttpsAgent', {
  construct: { returns: 'https.Agent', op: op('agentkeepalive.HttpsAgent', 'agentkeepalive', 'client', 'tcp', { scheme: 'https', args: OPTS_ONLY }) },
});
MODULES.agentkeepalive = { exports: 'class:agentkeepalive', default: 'class:agentkeepalive', cjs: 'class:agentkeepalive' };

// http-proxy and http-proxy-middleware: a reverse proxy that sends each incoming request upstream
// with `http.request`; without an `agent` option it passes `agent: false` (a new connection each time).
type('mod:http-proxy', {
  members: { createProxyServer: 'fn:httpProxy.create', createServer: 'fn:httpProxy.create', createProxy: 'fn:httpProxy.create', default: 'mod:http-proxy' },
});
type('fn:httpProxy.create', {
  call: { returns: 'httpProxy.Server', op: op('httpProxy.createProxyServer', 'http-proxy', 'client', 'tcp', { args: OPTS_ONLY }) },
});
type('httpProxy.Server', {
  members: { web: 'method', ws: 'method', on: 'method', once: 'method', listen: 'method', close: 'method' },
  events: { proxyReq: ['http.ClientRequest', 'http.IncomingMessage', 'http.ServerResponse'], proxyRes: ['http.IncomingMessage', 'http.IncomingMessage', 'http.ServerResponse'] },
});
type('hpm', {
  members: { createProxyMiddleware: 'fn:hpm.create', legacyCreateProxyMiddleware: 'fn:hpm.create', default: 'hpm' },
  call: { op: op('createProxyMiddleware', 'http-proxy-middleware', 'client', 'tcp', { args: { url: [0], options: [0, 1] } }) },
});
type('fn:hpm.create', { call: TYPES.hpm.call });
MODULES['http-proxy-middleware'] = { exports: 'hpm', default: 'hpm', cjs: 'hpm' };

// follow-redirects: drop-in `http`/`https` with the same request API.
type('mod:follow-redirects', { members: { http: 'mod:http', https: 'mod:https', default: 'mod:follow-redirects' } });

// ---------------------------------------------------------------------------------------------
// Builtin modules whose namespace is also their default export and CommonJS export.
for (const mod of ['http', 'https', 'http2', 'net', 'tls', 'dgram', 'dns', 'dns/promises', 'undici', 'pg', 'mysql', 'mysql2', 'mysql2/promise', 'mongodb', 'redis', 'amqplib', 'amqplib/callback_api', 'kafkajs', '@grpc/grpc-js', 'follow-redirects', 'http-proxy']) {
  MODULES[mod] ??= { exports: `mod:${mod}` };
}

/** Module specifier → model (`node:` prefix and `/index` suffixes normalised). */
export function moduleModel(specifier: string): ModuleModel | undefined {
  let name = specifier.startsWith('node:') ? specifier.slice(5) : specifier;
  if (name.endsWith('/index.js')) name = name.slice(0, -9);
  return Object.prototype.hasOwnProperty.call(MODULES, name) ? MODULES[name] : undefined;
}

export function typeModel(name: TypeName): TypeModel | undefined {
  return Object.prototype.hasOwnProperty.call(TYPES, name) ? TYPES[name] : undefined;
}

/** The type of `value.member`, following `extends` and `anyMember`. */
export function memberType(name: TypeName, member: string): TypeName | undefined {
  for (let t = typeModel(name), depth = 0; t && depth < 4; t = t.extends ? typeModel(t.extends) : undefined, depth++) {
    if (t.members && Object.prototype.hasOwnProperty.call(t.members, member)) return t.members[member];
    if (t.anyMember) return t.anyMember;
  }
  return undefined;
}

export const GLOBAL_TYPE: TypeName = 'global';
