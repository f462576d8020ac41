// A database client made (or connected and closed) for every request pays the whole connection
// setup each time: TCP, often TLS, the protocol's startup and authentication, and a server-side
// backend or session. Under load the server's connection limit runs out long before the CPU does.
import ts = require('typescript');
import { enclosingFunction, isLazyInitialisation, runFrequency } from '../analysis/context';
import type { FileModel } from '../analysis/fileModel';
import { range } from '../analysis/fileModel';
import type { NetworkCall, RelatedLocation } from '../analysis/types';
import { flowOfValue } from '../analysis/valueFlow';
import { createRule } from './createRule';

// The compiler's exports are getters (a call per read); bind the functions used here once.
const { isAsExpression, isAwaitExpression, isCallExpression, isNewExpression, isParenthesizedExpression } = ts;

type MessageIds = 'newClient' | 'newPool' | 'connectPerRequest';

interface Database {
  name: string;
  /** What one new connection costs before the first query, in round trips. */
  roundTrips: [number, number];
  steps: string;
}

const POSTGRES: Database = { name: 'Postgres', roundTrips: [3, 6], steps: 'TCP, TLS, startup and SCRAM auth' };
const MYSQL: Database = { name: 'MySQL', roundTrips: [3, 5], steps: 'TCP, TLS, handshake and auth' };
const MONGO: Database = { name: 'MongoDB', roundTrips: [4, 6], steps: 'TCP, TLS, hello and SCRAM auth, plus its own pool and monitor' };
const REDIS: Database = { name: 'Redis', roundTrips: [2, 4], steps: 'TCP, TLS and AUTH/HELLO' };

/** Calls that create a client (or pool) and connect it. */
const CREATORS: Record<string, Database> = {
  'pg.Client': POSTGRES,
  'pg.Pool': POSTGRES,
  'mysql.createConnection': MYSQL,
  'mysql.createPool': MYSQL,
  'mongodb.MongoClient': MONGO,
  'MongoClient.connect': MONGO,
  'ioredis.Redis': REDIS,
  'redis.createClient': REDIS,
};
const POOLS = new Set(['pg.Pool', 'mysql.createPool']);

/** `client.connect()` of a client made elsewhere. */
const CONNECTS: Record<string, Database> = {
  'pg.Client#connect': POSTGRES,
  'MongoClient#connect': MONGO,
  'redis.connect': REDIS,
};

const CLOSE_METHODS = new Set(['end', 'close', 'quit', 'disconnect', 'destroy']);

function contains(outer: ts.Node, inner: ts.Node): boolean {
  return inner.pos >= outer.pos && inner.end <= outer.end;
}

/** `f(new Client())`: the new object is an argument, not a variable of this function. */
function passedStraightOn(node: ts.Node): boolean {
  let outer: ts.Node = node;
  while (outer.parent && (isParenthesizedExpression(outer.parent) || isAwaitExpression(outer.parent) || isAsExpression(outer.parent))) outer = outer.parent;
  const p = outer.parent;
  return !!p && (isCallExpression(p) || isNewExpression(p)) && p.expression !== outer;
}

/** `close()`/`end()`/`quit()` on the object made at `origin`, inside `fn`. */
function closeIn(model: FileModel, origin: ts.Node, fn: ts.Node): ts.CallExpression | undefined {
  return model.usesOf(origin).find((u) => CLOSE_METHODS.has(u.method) && contains(fn, u.call))?.call;
}

function cost(db: Database, rttMs: number): Record<string, string | number> {
  const [lo, hi] = db.roundTrips;
  return { db: db.name, steps: db.steps, trips: `${lo}–${hi}`, ms: `${lo * rttMs}–${hi * rttMs}`, rtt: rttMs };
}

export default createRule<MessageIds>({
  meta: {
    id: 'db-client-per-request',
    lesson: 'database-clients',
    severity: 'warning',
    title: 'Database client created per request',
    description:
      'A database client created, or connected and closed, inside a request or message handler opens a new server connection every time: TCP, usually TLS, then the protocol startup and authentication (Postgres: 3–6 round trips and a new backend process; MongoDB also starts its own pool and monitoring connections). It multiplies latency, leaves a `TIME_WAIT` socket per request, and under load exhausts the server\'s connection limit. Create the client or pool once at startup and share it.',
    messages: {
      newClient: '`{{api}}` runs on every request: each one opens a new {{db}} connection ({{steps}}: {{trips}} round trips, ≈{{ms}} ms at {{rtt}} ms RTT) and load exhausts the server\'s connection limit. Create it once at startup and reuse it.',
      newPool: '`{{api}}` creates a new {{db}} pool on every request, so no connection is ever reused: {{trips}} round trips ({{steps}}, ≈{{ms}} ms at {{rtt}} ms RTT) each time. Create the pool once at startup and share it.',
      connectPerRequest: '`{{api}}` connects the shared {{db}} client on every request and closes it again: {{trips}} round trips ({{steps}}, ≈{{ms}} ms at {{rtt}} ms RTT) each time, and overlapping requests collide on one client. Connect once at startup.',
    },
    fixable: false,
  },
  check(context) {
    const { model, config, text } = context;
    const calleeText = (call: NetworkCall) => text.slice(call.calleeRange.start, call.calleeRange.end).replace(/\s+/g, ' ');
    if (context.isTestFile) return;
    const perRequest = (call: NetworkCall) => runFrequency(model.nodeOf(call), model) === 'per-request';
    for (const call of model.calls) {
      const created = CREATORS[call.api];
      if (created) {
        const node = model.nodeOf(call);
        const fn = enclosingFunction(node);
        if (!fn || !perRequest(call) || isLazyInitialisation(node)) continue;
        const closedAt = closeIn(model, node, fn);
        // Kept in module state, on `this` or in a cache: made once per key, reused while warm.
        // Handed straight to another function (`register(new Redis())`): that function decides.
        if (!closedAt && (flowOfValue(model, node, fn).kept || passedStraightOn(node))) continue;
        const related: RelatedLocation[] = closedAt ? [{ range: range(closedAt), message: 'and closed again here' }] : [];
        context.report({ messageId: POOLS.has(call.api) ? 'newPool' : 'newClient', data: { api: `${calleeText(call)}(…)`, ...cost(created, config.rttMs) }, range: call.calleeRange, related });
        continue;
      }
      const connected = CONNECTS[call.api];
      if (!connected || call.createdBy === undefined) continue;
      const creator = model.calls[call.createdBy];
      const node = model.nodeOf(call);
      const fn = enclosingFunction(node);
      const creatorNode = model.nodeOf(creator);
      if (!fn || contains(fn, creatorNode) || !perRequest(call)) continue;
      const closedAt = closeIn(model, creatorNode, fn);
      if (!closedAt) continue;
      context.report({
        messageId: 'connectPerRequest',
        data: { api: `${calleeText(call)}()`, ...cost(connected, config.rttMs) },
        range: call.calleeRange,
        related: [
          { range: creator.range, message: `${creator.api} creates the shared client here` },
          { range: range(closedAt), message: 'and closes it here' },
        ],
      });
    }
  },
});
