// A text pre-filter: a file that mentions no networking module, global or option cannot produce
// a call site or a finding, so it need not be parsed at all. Over 35 MB of real packages this
// scan costs tens of milliseconds, while only about one file in seven survives it.

const MODULE_NAMES = [
  'http', 'https', 'http2', 'net', 'tls', 'dgram', 'dns', 'undici', 'axios', 'got', 'node-fetch', 'superagent',
  'ws', 'pg', 'pg-pool', 'mysql', 'mysql2', 'mongodb', 'mongoose', 'ioredis', 'redis', 'amqplib', 'kafkajs',
  '@grpc/grpc-js', 'express', 'koa', 'fastify', 'socket.io', 'http-proxy', '@nestjs/core', 'follow-redirects',
  'http-proxy-middleware', 'agentkeepalive',
];

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

// A quoted module specifier (optionally node:-prefixed, or a subpath like 'mysql2/promise'),
// a network global, or an option that matters on its own.
const NETWORK_HINT = new RegExp(
  `['"\`](?:node:)?(?:${MODULE_NAMES.map(escape).join('|')})(?:/[\\w./-]*)?['"\`]` +
    // TLS options that rules report wherever they appear (a config object in a file of its own).
    '|\\bfetch\\b|\\bWebSocket\\b|NODE_TLS_REJECT_UNAUTHORIZED|rejectUnauthorized|checkServerIdentity|\\bminVersion\\b|\\bsecureProtocol\\b|\\bciphers\\b|DEFAULT_MIN_VERSION' +
    // Pool checkouts through a pool the app's own db module exports (`import { pool } from './db'`).
    '|[pP]ool\\s*\\.\\s*connect\\s*\\(|\\.getConnection\\s*\\(' +
    // Request options that switch keep-alive off, wherever the request itself is made.
    '|\\bagent\\s*[:=][^;,\\n]{0,40}\\bfalse\\b|[Cc]onnection[\'"]?\\]?\\s*[:=,]\\s*[\'"`]close[\'"`]',
);

export function mayContainNetworkCode(text: string): boolean {
  return NETWORK_HINT.test(text);
}

/** Where the first hint is (`[start, end)`), or undefined when there is none. */
export function networkHintAt(text: string): { start: number; end: number } | undefined {
  const m = NETWORK_HINT.exec(text);
  return m ? { start: m.index, end: m.index + m[0].length } : undefined;
}
