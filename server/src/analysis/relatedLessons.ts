// The hover's "Related lessons": besides the one lesson that explains a call's packets, the lessons
// about what that particular call also runs into on the wire, chosen by what the call does (a cold
// connection per request, a raw socket, a hostname on a dual-stack Node, a long-lived connection …).
// Each trigger says why in one line, shown next to the link. The catalog test counts these
// triggers as the way to reach their lessons, and test/analysis/related-lessons.test.ts checks
// that every trigger fires on real code (and stays quiet where it does not apply).
import type { AnalysisConfig, NetworkCall } from './types';

export interface RelatedLesson {
  lesson: string;
  /** Why this call leads there, one line, our own text (no workspace text in it). */
  why: string;
}

/** What a trigger may look at: the call, the configuration and what the explanation found. */
export interface RelatedLessonInput {
  call: NetworkCall;
  config: AnalysisConfig;
  /** Set when the call cannot reuse a connection (`agent: false`, no keep-alive …). */
  noReuse?: string;
  /** The explanation's phases include a TLS handshake. */
  tls: boolean;
  /** The explanation's phases include a TCP handshake (the call opens a connection). */
  tcp: boolean;
}

export interface RelatedLessonTrigger {
  /** Stable name for tests. */
  id: string;
  lesson: string;
  why: (input: RelatedLessonInput) => string | undefined;
}

const HTTP_CLIENT_LIBRARIES = new Set(['fetch', 'undici', 'node:http', 'node:https', 'axios', 'got', 'node-fetch', 'superagent']);
const POOLED_STORES = new Set(['pg', 'mysql2', 'mongodb', 'ioredis', 'redis', 'amqplib', 'kafkajs']);
const HTTP_SERVER_LIBRARIES = new Set(['node:http', 'node:https', 'express', 'koa', 'fastify', 'hapi', '@hapi/hapi']);

function isIpLiteral(host: string): boolean {
  return /^\d+\.\d+\.\d+\.\d+$/.test(host) || host.includes(':');
}

/** An agent created without `keepAlive: true` (Node's `new http.Agent()` default). */
function isAgentWithoutKeepAlive(call: NetworkCall): boolean {
  if (call.role !== 'client' || (call.api !== 'http.Agent' && call.api !== 'https.Agent')) return false;
  const keepAlive = call.options.find((o) => o.key === 'keepAlive')?.value;
  return !(keepAlive?.kind === 'boolean' && keepAlive.value);
}

/** A proxy that forwards each request on its own upstream connection (no `agent`). */
function isProxyWithoutAgent(call: NetworkCall): boolean {
  return (call.api === 'httpProxy.createProxyServer' || call.api === 'createProxyMiddleware') && !call.options.some((o) => o.key === 'agent');
}

/** A connection the code keeps open across requests: sockets, WebSockets, HTTP/2 sessions, pools. */
function longLivedConnection(call: NetworkCall): string | undefined {
  if (call.role === 'connect' && (call.library === 'node:net' || call.library === 'node:tls')) return 'a socket';
  if (call.library === 'ws' || call.library === 'WebSocket') return call.role === 'server' ? "a WebSocket server's connections" : 'a WebSocket';
  if (call.library === 'node:http2' && call.role === 'connect') return 'an HTTP/2 session';
  if (POOLED_STORES.has(call.library) && call.role !== 'request') return 'pooled connections';
  return undefined;
}

export const RELATED_LESSON_TRIGGERS: readonly RelatedLessonTrigger[] = [
  {
    id: 'cold-connection-ports',
    lesson: 'ephemeral-ports',
    why: ({ call, noReuse }) =>
      (noReuse && HTTP_CLIENT_LIBRARIES.has(call.library)) || isAgentWithoutKeepAlive(call) || isProxyWithoutAgent(call)
        ? 'a new connection per request takes a new source port, and the side that closes first keeps it in TIME_WAIT for 60 s'
        : undefined,
  },
  {
    id: 'cold-connection-slow-start',
    lesson: 'congestion-control',
    why: ({ call, noReuse }) =>
      (noReuse && HTTP_CLIENT_LIBRARIES.has(call.library)) || isAgentWithoutKeepAlive(call)
        ? 'every new connection starts in slow start (10 segments, about 14 KB, in the first round trip): larger responses take extra round trips'
        : undefined,
  },
  {
    id: 'tls-repeat-connection',
    lesson: 'tls-resumption-and-0rtt',
    why: ({ call, tls, noReuse }) => {
      if (!tls) return undefined;
      if (noReuse) return 'each request pays a full TLS handshake again; resumption only saves CPU and bytes, keep-alive saves the round trip';
      return call.role === 'request' || call.role === 'connect' ? 'a reconnect to the same server can resume the TLS session (a ticket, cheaper handshake); 0-RTT is not safe for non-idempotent requests' : undefined;
    },
  },
  {
    id: 'raw-socket-nagle',
    lesson: 'nagle-and-nodelay',
    why: ({ call }) =>
      (call.library === 'node:net' || call.library === 'node:tls') && (call.role === 'connect' || call.role === 'server')
        ? 'Nagle is on for raw sockets: a small write waits for the ACK of the previous one unless you call `setNoDelay(true)`'
        : undefined,
  },
  {
    id: 'hostname-dual-stack',
    lesson: 'happy-eyeballs',
    why: ({ call, config, tcp }) => {
      const optedIn = call.options.some((o) => o.key === 'autoSelectFamily' || o.key === 'family');
      if (!optedIn && !(tcp && call.host && !isIpLiteral(call.host))) return undefined;
      if (!['node:net', 'node:tls', 'node:http', 'node:https', 'fetch', 'undici', 'axios', 'got', 'node-fetch', 'superagent', 'ws', 'WebSocket', 'node:http2'].includes(call.library)) return undefined;
      return config.nodeMajor >= 20
        ? 'a hostname with IPv6 and IPv4 addresses: Node ≥ 20 races them (`autoSelectFamily`, 250 ms per attempt)'
        : `a hostname with IPv6 and IPv4 addresses: Node ${config.nodeMajor} tries them one after another, without Happy Eyeballs`;
    },
  },
  {
    id: 'long-lived-through-nat',
    lesson: 'nat-and-conntrack',
    why: ({ call }) => {
      if (call.library === 'node:dgram' && call.role === 'send') return 'UDP through NAT: the mapping expires after 30 s without traffic (Linux conntrack), and replies after that are lost';
      const what = longLivedConnection(call);
      return what ? `${what} kept open while idle: NAT gateways and firewalls forget idle flows after minutes (AWS NAT: 350 s)` : undefined;
    },
  },
  {
    id: 'server-behind-proxy',
    lesson: 'proxies-and-load-balancers',
    why: ({ call }) => {
      if (isProxyWithoutAgent(call) || call.api === 'httpProxy.createProxyServer' || call.api === 'createProxyMiddleware') return 'a layer-7 proxy: two connections per request, and the client address travels in `X-Forwarded-For`';
      if ((call.role === 'server' || call.role === 'listen') && HTTP_SERVER_LIBRARIES.has(call.library)) return 'behind a load balancer `req.socket.remoteAddress` is the proxy, and its idle timeouts meet yours';
      return undefined;
    },
  },
  {
    id: 'http2-head-of-line',
    lesson: 'quic-and-http3',
    why: ({ call }) =>
      call.library === 'node:http2' && (call.role === 'connect' || call.role === 'server')
        ? 'every stream shares one TCP connection, so one lost segment stalls them all: HTTP/3 over QUIC orders data per stream'
        : undefined,
  },
];

/** At most this many related lessons per hover: the hover is read at a glance. */
export const MAX_RELATED_LESSONS = 3;

/** The related lessons for a call, without the explanation's own lesson, in table order. */
export function relatedLessonsFor(input: RelatedLessonInput, primaryLesson: string): RelatedLesson[] {
  const out: RelatedLesson[] = [];
  for (const trigger of RELATED_LESSON_TRIGGERS) {
    if (trigger.lesson === primaryLesson || out.some((r) => r.lesson === trigger.lesson)) continue;
    const why = trigger.why(input);
    if (why) out.push({ lesson: trigger.lesson, why });
    if (out.length === MAX_RELATED_LESSONS) break;
  }
  return out;
}
