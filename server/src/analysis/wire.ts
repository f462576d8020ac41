// What crosses the wire for a recognised call: the phases in order with their round trips, the
// cost of a cold and of a reused connection at the configured RTT, and the defaults in effect.
// Numbers follow the lesson plan's numbers card (RFC 9293 §3.5, RFC 8446 §2, RFC 5246 §7.3,
// Node's http docs and the undici Client docs).
import { relatedLessonsFor, type RelatedLesson } from './relatedLessons';
import type { AnalysisConfig, NetworkCall, OptionFact } from './types';

export type Phase = 'dns' | 'tcp' | 'tls' | 'setup' | 'request' | 'datagram' | 'listen';

export interface WirePhase {
  phase: Phase;
  /** Packets in order, `→` client to server, `←` back. */
  packets: string;
  rtts: number;
  /** Only sometimes paid (DNS answered from a cache). */
  optional?: boolean;
  /** Paid again on a reused connection. */
  everyCall?: boolean;
  note?: string;
}

export interface Explanation {
  title: string;
  /** Where it goes: `HTTPS · api.example.com:443`. */
  target: string;
  phases: WirePhase[];
  cold?: { rtts: number; ms: number };
  /** Absent when every call opens a new connection (or there is no connection to reuse). */
  reused?: { rtts: number; ms: number };
  /** Why there is no reuse, when there is none. */
  noReuse?: string;
  defaults: string[];
  lesson: string;
  /** Other lessons about what this call runs into (relatedLessons.ts), without `lesson`. */
  related: RelatedLesson[];
  /** Whether the scheme was assumed rather than seen. */
  assumedScheme?: string;
}

const DEFAULT_PORTS: Record<string, number> = {
  http: 80, https: 443, ws: 80, wss: 443, h2: 443, grpc: 443, postgres: 5432, mysql: 3306, mongodb: 27017, redis: 6379, amqp: 5672, kafka: 9092, dns: 53,
};

const SCHEME_LABEL: Record<string, string> = {
  http: 'HTTP/1.1', https: 'HTTPS', h2: 'HTTP/2 over TLS', h2c: 'HTTP/2 cleartext', ws: 'WebSocket', wss: 'WebSocket over TLS', tcp: 'TCP', tls: 'TLS over TCP', udp: 'UDP',
  dns: 'DNS', postgres: 'PostgreSQL', mysql: 'MySQL', mongodb: 'MongoDB', redis: 'Redis', amqp: 'AMQP', kafka: 'Kafka', grpc: 'gRPC (HTTP/2)',
};

function option(call: NetworkCall, key: string): OptionFact | undefined {
  return call.options.find((o) => o.key === key);
}
function boolOption(call: NetworkCall, key: string): boolean | undefined {
  const v = option(call, key)?.value;
  return v?.kind === 'boolean' ? v.value : undefined;
}

const dnsPhase = (host?: string): WirePhase => ({
  phase: 'dns',
  packets: `→ DNS query${host ? ` for ${host}` : ''} · ← answer`,
  rtts: 1,
  optional: true,
  note: 'skipped when the OS resolver has it cached; Node itself caches nothing',
});
const tcpPhase: WirePhase = { phase: 'tcp', packets: '→ SYN · ← SYN-ACK · → ACK', rtts: 1, note: 'TCP three-way handshake' };
const tlsPhase = (alpn?: string): WirePhase => ({
  phase: 'tls',
  packets: '→ ClientHello · ← ServerHello … Finished · → Finished',
  rtts: 1,
  note: `TLS 1.3 (TLS 1.2 takes 2 RTT)${alpn ? `; ALPN picks ${alpn} inside the handshake` : ''}`,
});
const requestPhase = (packets = '→ request · ← response'): WirePhase => ({ phase: 'request', packets, rtts: 1, everyCall: true });

function isLoopback(host?: string): boolean {
  return !!host && /^(localhost|127\.\d+\.\d+\.\d+|::1|\[::1\])$/.test(host);
}

function isIpLiteral(host?: string): boolean {
  return !!host && (/^\d+\.\d+\.\d+\.\d+$/.test(host) || host.includes(':'));
}

function connectionPhases(call: NetworkCall, tls: boolean, alpn?: string): WirePhase[] {
  const phases: WirePhase[] = [];
  if (!isIpLiteral(call.host) && !isLoopback(call.host)) phases.push(dnsPhase(call.host));
  phases.push(tcpPhase);
  if (tls) phases.push(tlsPhase(alpn));
  return phases;
}

function httpDefaults(call: NetworkCall, nodeMajor: number): { defaults: string[]; noReuse?: string } {
  const defaults: string[] = [];
  let noReuse: string | undefined;
  const agent = option(call, 'agent');
  const hasTimeout = call.options.some((o) => /(^|\.)(timeout|signal|deadline)$/i.test(o.key));
  switch (call.library) {
    case 'fetch':
    case 'undici':
      defaults.push(
        'undici pool per origin, keep-alive on: idle connections are kept 4 s (or the server\'s `Keep-Alive` hint)',
        'undici limits: connect 10 s, headers 300 s, body 300 s',
      );
      if (!hasTimeout) defaults.push('no overall deadline unless you pass `signal: AbortSignal.timeout(ms)`');
      break;
    case 'node:http':
    case 'node:https':
      if (agent?.value.kind === 'boolean' && agent.value.value === false) {
        noReuse = '`agent: false` opens a new connection for this request and closes it afterwards';
      } else if (agent) {
        defaults.push('uses the agent passed in `agent` (a `new Agent()` without `keepAlive: true` does not reuse connections)');
      } else if (nodeMajor >= 19) {
        defaults.push('global agent: keep-alive on since Node 19, idle sockets closed after 5 s');
      } else {
        noReuse = `the global agent on Node ${nodeMajor} does not keep connections alive: every request pays the handshake`;
      }
      if (!hasTimeout) defaults.push('no timeout: a silent peer holds the request until the kernel gives up (~127 s to connect, ~15 min once connected)');
      break;
    case 'axios':
      defaults.push(`\`timeout: 0\` by default (no limit)`, nodeMajor >= 19 ? 'connections reused through Node\'s global agent (keep-alive since Node 19)' : `Node ${nodeMajor}'s global agent opens a connection per request`);
      if (nodeMajor < 19 && !agent) noReuse = `axios on Node ${nodeMajor} uses a global agent without keep-alive`;
      break;
    case 'got':
      defaults.push('no timeout by default', 'retries GET/PUT/HEAD/DELETE/OPTIONS/TRACE twice on network errors (not POST)');
      break;
    case 'node-fetch':
      defaults.push('no timeout by default (v2 `timeout` option, or an `AbortSignal` in v3)', 'connections reused only through a keep-alive agent');
      break;
    case 'superagent':
      defaults.push('no timeout unless `.timeout({ response, deadline })` is chained');
      break;
  }
  if (option(call, 'keepAlive')?.value.kind === 'boolean' && boolOption(call, 'keepAlive') === false) noReuse = '`keepAlive: false` closes the connection after each request';
  return { defaults, noReuse };
}

function serverDefaults(call: NetworkCall, config: AnalysisConfig): string[] {
  if (call.library === 'fastify') return ['Fastify sets its own `keepAliveTimeout` (72 s by its docs)', 'one TCP connection per client, reused for many requests'];
  const keepAlive = config.nodeMajor >= 26 ? 65 : 5;
  return [
    `\`keepAliveTimeout\` ${keepAlive} s on Node ${config.nodeMajor}: idle client connections are closed after it (a load balancer must close first: ALB idles 60 s)`,
    `\`headersTimeout\` ${config.nodeMajor >= 19 ? '60 s' : config.nodeMajor >= 18 ? '60 s' : '40 s'}, \`requestTimeout\` ${config.nodeMajor >= 18 ? '300 s' : 'none'}`,
    'listen backlog 511 (capped by `net.core.somaxconn`, 4096 on Linux ≥ 5.4)',
  ];
}

function targetOf(call: NetworkCall, scheme: string | undefined): string {
  const label = scheme ? SCHEME_LABEL[scheme] ?? scheme : 'network';
  if (!call.host && call.port === undefined) return label;
  const port = call.port ?? (scheme ? DEFAULT_PORTS[scheme] : undefined);
  return `${label} · ${call.host ?? '?'}${port !== undefined ? `:${port}` : ''}`;
}

/** Builds the wire explanation for one recognised call. */
export function explainCall(call: NetworkCall, config: AnalysisConfig): Explanation {
  const ms = (rtts: number) => Math.round(rtts * config.rttMs);
  let phases: WirePhase[] = [];
  let defaults: string[] = [];
  let noReuse: string | undefined;
  let lesson = 'tcp-handshake';
  let scheme: string | undefined = call.scheme;
  let assumedScheme: string | undefined;

  const httpLike = ['fetch', 'undici', 'node:http', 'node:https', 'axios', 'got', 'node-fetch', 'superagent'].includes(call.library);
  if (httpLike && call.role === 'request') {
    if (call.library !== 'node:http' && call.library !== 'node:https' && (!scheme || !call.host)) {
      if (scheme !== 'http') {
        assumedScheme = 'https';
        scheme = 'https';
      }
    }
    phases = [...connectionPhases(call, scheme === 'https', 'http/1.1'), requestPhase()];
    ({ defaults, noReuse } = httpDefaults(call, config.nodeMajor));
    lesson = call.library === 'fetch' || call.library === 'undici' ? 'keep-alive-and-pools' : 'retransmission-and-timeouts';
    if (noReuse) lesson = 'keep-alive-and-pools';
  } else if (call.scheme === 'grpc' && call.role === 'request') {
    phases = [...connectionPhases(call, true, 'h2'), requestPhase('→ HEADERS + DATA (request) · ← HEADERS + DATA + trailers')];
    defaults = ['no deadline unless you pass `{ deadline }`', 'one HTTP/2 connection per channel, calls multiplexed as streams'];
    lesson = 'http2';
  } else if (call.scheme === 'grpc') {
    phases = [...connectionPhases(call, true, 'h2'), { phase: 'setup', packets: '→ SETTINGS · ← SETTINGS', rtts: 0, note: 'sent with the first flights, no extra round trip' }];
    defaults = ['the channel connects lazily on the first call', 'client keepalive pings off by default'];
    lesson = 'http2';
  } else if (call.library === 'node:http2') {
    if (call.role === 'request') {
      phases = [requestPhase('→ HEADERS (+ DATA) on a new stream · ← HEADERS + DATA')];
      defaults = ['runs on the session\'s existing connection: no handshake per request'];
    } else if (call.role === 'connect') {
      phases = [...connectionPhases(call, call.scheme === 'h2', 'h2'), { phase: 'setup', packets: '→ preface + SETTINGS · ← SETTINGS', rtts: 0, note: 'no extra round trip' }];
      defaults = ['one TCP connection carries every stream: a lost segment stalls all of them (TCP head-of-line blocking)'];
    } else {
      phases = [{ phase: 'listen', packets: 'accepts TCP + TLS (ALPN h2), then streams', rtts: 0 }];
    }
    lesson = 'http2';
  } else if (call.library === 'ws' || call.library === 'WebSocket') {
    if (call.role === 'connect') {
      phases = [...connectionPhases(call, call.scheme !== 'ws', 'http/1.1'), { phase: 'setup', packets: '→ GET + Upgrade: websocket · ← 101 Switching Protocols', rtts: 1 }];
      defaults = ['after the upgrade, messages are frames on the same TCP connection', 'no ping/pong unless you send them: idle NATs and load balancers drop silent connections'];
    } else {
      phases = [{ phase: 'listen', packets: 'HTTP Upgrade on the server\'s connections', rtts: 0 }];
      defaults = ['ws sends no pings by default: detect dead peers with ping/pong'];
    }
    lesson = 'websocket';
  } else if (call.library === 'node:net' || call.library === 'node:tls') {
    if (call.role === 'connect') {
      phases = [...connectionPhases(call, call.scheme === 'tls')];
      defaults = ['a byte stream: `\'data\'` chunks do not match your writes', 'Nagle on for raw sockets (`setNoDelay()` off)', 'no timeout: a dead peer is detected after ~15 min of retransmissions, an idle one never (TCP keepalive is off)'];
      lesson = call.scheme === 'tls' ? 'tls-handshake' : 'tcp-handshake';
    } else {
      phases = [{ phase: 'listen', packets: 'kernel completes SYN · SYN-ACK · ACK, then `\'connection\'`', rtts: 0 }];
      defaults = ['listen backlog 511 (capped by `net.core.somaxconn`)', 'Nagle on for accepted sockets'];
      lesson = 'listen-backlog';
    }
  } else if (call.library === 'node:dgram') {
    if (call.role === 'send') {
      phases = [...(call.host && !isIpLiteral(call.host) && !isLoopback(call.host) ? [dnsPhase(call.host)] : []), { phase: 'datagram', packets: '→ one UDP datagram (8-byte header)', rtts: 0, everyCall: true, note: 'no handshake, no acknowledgement, no retransmission' }];
      defaults = ['payloads above 1472 B (IPv4) / 1452 B (IPv6) are fragmented on Ethernet'];
    } else {
      phases = [];
      defaults = ['UDP: no connection, no delivery or ordering guarantee'];
    }
    lesson = 'udp-dgram';
  } else if (call.library === 'node:dns') {
    phases = [{ phase: 'dns', packets: call.api === 'dns.lookup' ? 'getaddrinfo(3) on the libuv thread pool → resolver' : '→ DNS query (UDP 53) · ← answer (c-ares)', rtts: 1, everyCall: true }];
    defaults = call.api === 'dns.lookup'
      ? ['runs on the libuv thread pool (4 threads, shared with fs, crypto, zlib)', 'no cache in Node']
      : ['c-ares sends the query itself: no thread pool, no /etc/hosts'];
    lesson = 'dns-in-node';
  } else if (['pg', 'mysql2', 'mongodb', 'ioredis', 'redis', 'amqplib', 'kafkajs'].includes(call.library)) {
    ({ phases, defaults } = databasePhases(call));
    lesson = 'database-clients';
  } else if (call.role === 'server' || call.role === 'listen') {
    phases = [{ phase: 'listen', packets: 'kernel completes SYN · SYN-ACK · ACK, then requests arrive on kept-alive connections', rtts: 0 }];
    defaults = serverDefaults(call, config);
    lesson = 'idle-timeout-alignment';
  } else if (call.role === 'client') {
    phases = [];
    defaults = clientDefaults(call);
    lesson = 'keep-alive-and-pools';
  }
  const paid = phases.filter((p) => !p.optional);
  const coldRtts = paid.reduce((n, p) => n + p.rtts, 0);
  const reusedRtts = paid.filter((p) => p.everyCall).reduce((n, p) => n + p.rtts, 0);
  const hasConnection = phases.some((p) => p.phase === 'tcp');
  const related = relatedLessonsFor({ call, config, noReuse, tls: phases.some((p) => p.phase === 'tls'), tcp: hasConnection }, lesson);
  return {
    title: call.api,
    target: targetOf(call, scheme),
    phases,
    cold: phases.length > 0 ? { rtts: coldRtts, ms: ms(coldRtts) } : undefined,
    reused: hasConnection && !noReuse && call.role === 'request' ? { rtts: reusedRtts, ms: ms(reusedRtts) } : undefined,
    noReuse,
    defaults,
    lesson,
    related,
    assumedScheme,
  };
}

function databasePhases(call: NetworkCall): { phases: WirePhase[]; defaults: string[] } {
  const ssl = call.options.some((o) => (o.key === 'ssl' || o.key === 'tls') && !(o.value.kind === 'boolean' && !o.value.value));
  const conn = connectionPhases(call, false);
  const tlsSetup: WirePhase[] = ssl ? [...(call.library === 'pg' ? [{ phase: 'setup' as const, packets: '→ SSLRequest · ← S', rtts: 1 }] : []), tlsPhase()] : [];
  const query = requestPhase(call.role === 'request' ? '→ query · ← rows' : '→ command · ← reply');
  switch (call.library) {
    case 'pg':
      return {
        phases: [...conn, ...tlsSetup, { phase: 'setup', packets: '→ StartupMessage · ← SASL · → SCRAM · ← OK · ReadyForQuery', rtts: 3, note: 'SCRAM-SHA-256 authentication (PostgreSQL 14+ default) takes 3 round trips' }, query],
        defaults: call.api === 'pg.Client'
          ? ['one connection per Client: pay the setup again for every new Client']
          : ['Pool: `max` 10 connections, idle ones closed after 10 s', '`connectionTimeoutMillis` 0: waits for a free connection forever', 'TCP keepalive off (`keepAlive: false`)'],
      };
    case 'mysql2':
      return {
        phases: [...conn, ...tlsSetup, { phase: 'setup', packets: '← greeting · → auth · ← OK', rtts: 1, note: 'the server speaks first' }, query],
        defaults: ['`connectTimeout` 10 s', 'pool: 10 connections, unbounded wait queue (`queueLimit: 0`)', 'TCP keepalive opt-in (`enableKeepAlive`)'],
      };
    case 'mongodb':
      return {
        phases: [...conn, ...tlsSetup, { phase: 'setup', packets: '→ hello · ← hello reply (+ SCRAM authentication)', rtts: 1 }, query],
        defaults: ['`maxPoolSize` 100, `connectTimeoutMS` 30 s, `serverSelectionTimeoutMS` 30 s', '`socketTimeoutMS` 0: no per-operation socket timeout'],
      };
    case 'ioredis':
    case 'redis':
      return {
        phases: [...conn, ...tlsSetup, query],
        defaults: ['commands queue while disconnected (offline queue)', 'pipelining sends N commands in one round trip'],
      };
    case 'amqplib':
      return {
        phases: [...conn, ...tlsSetup, { phase: 'setup', packets: '→ AMQP header · ← Start · → StartOk · ← Tune · → TuneOk, Open · ← OpenOk', rtts: 3 }],
        defaults: ['one TCP connection, many channels', 'heartbeats negotiated in Tune (`?heartbeat=` in the URL)'],
      };
    default:
      return {
        phases: [...conn, ...tlsSetup, query],
        defaults: ['kafkajs: `connectionTimeout` 1 s, `requestTimeout` 30 s', 'brokers close idle connections after 10 min (`connections.max.idle.ms`)'],
      };
  }
}

function clientDefaults(call: NetworkCall): string[] {
  switch (call.api) {
    case 'http.Agent':
    case 'https.Agent':
      return boolOption(call, 'keepAlive') === true
        ? ['keep-alive on: idle sockets stay open for the next request', '`maxSockets` ∞, `maxFreeSockets` 256, `scheduling` lifo']
        : ['`new Agent()` defaults to `keepAlive: false`: a new connection per request', '`maxSockets` ∞'];
    case 'axios.create':
      return ['`timeout: 0` unless set here', 'no packets until the first request'];
    case 'undici.Agent':
    case 'undici.Pool':
    case 'undici.Client':
      return ['keep-alive: idle connections kept 4 s', 'connect 10 s, headers 300 s, body 300 s', '`pipelining` 1'];
    case 'agentkeepalive.Agent':
    case 'agentkeepalive.HttpsAgent':
      return ['keep-alive on: idle sockets closed after 4 s (`freeSocketTimeout`)', 'a busy socket idle for 8 s is destroyed (`timeout`)'];
    case 'httpProxy.createProxyServer':
    case 'createProxyMiddleware':
      return call.options.some((o) => o.key === 'agent')
        ? ['proxied requests go through the given `agent`']
        : ['no `agent`: each proxied request opens its own upstream connection (`agent: false`, `Connection: close`)'];
    default:
      return ['no packets until the first request'];
  }
}
