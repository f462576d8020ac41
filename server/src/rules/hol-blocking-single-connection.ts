// MySQL, Postgres (without pipelining) and HTTP/1.1 carry one request at a time per connection. One
// shared connection for every incoming request, `maxSockets: 1`, or undici pipelining queue every
// request behind the slowest one: head-of-line blocking in the application layer.
import { isNodeAgent } from '../analysis/agents';
import { isInRequestHandler, runFrequency } from '../analysis/context';
import type { NetworkCall, OptionFact } from '../analysis/types';
import { createRule } from './createRule';

type MessageIds = 'sharedConnection' | 'singleSocket' | 'pipelining';

/** Single-connection database clients that run one query at a time. */
const SINGLE_CONNECTION_APIS = new Set(['mysql.createConnection', 'pg.Client']);
const QUERY_METHODS = new Set(['query', 'execute']);
const CLOSE_METHODS = new Set(['end', 'destroy', 'close', 'release']);
const UNDICI_DISPATCHERS = new Set(['undici.Agent', 'undici.Pool', 'undici.Client']);

const numberOption = (call: NetworkCall, key: string): OptionFact | undefined =>
  call.options.find((o) => o.key === key && o.value.kind === 'number');

export default createRule<MessageIds>({
  meta: {
    id: 'hol-blocking-single-connection',
    lesson: 'http1-concurrency',
    severity: 'info',
    title: 'Every request queued on one connection',
    description:
      'MySQL, Postgres (without pipelining) and HTTP/1.1 process one request per connection at a time. A single database connection shared by every incoming request, an agent with `maxSockets: 1`, or undici `pipelining` above 1 queue each request behind the slowest one in front of it: one 2 s query or response delays everything behind it by 2 s (head-of-line blocking in the application layer). Use a pool sized for the concurrency you expect, and keep pipelining for trusted, uniformly fast servers.',
    messages: {
      sharedConnection: 'One {{api}} connection serves every request: the protocol runs one query at a time per connection, so concurrent requests queue behind the slowest query (a 2 s query stalls all of them 2 s). Use a pool (`createPool`/`new Pool`) sized for your concurrency.',
      singleSocket: '`{{key}}: 1` allows one connection per host: HTTP/1.1 carries one request at a time, so every concurrent request waits behind the slowest response in front of it. Allow more sockets, or queue deliberately with a visible limit.',
      pipelining: '`pipelining: {{value}}` sends up to {{value}} requests back to back on one connection: responses come back in order, so one slow response holds up all the others behind it. Keep pipelining at 1 unless the server is trusted and uniformly fast.',
    },
    fixable: false,
  },
  check(context) {
    const { model, sourceFile: sf } = context;
    if (context.isTestFile) return;
    for (const call of model.calls) {
      if (SINGLE_CONNECTION_APIS.has(call.api)) {
        const node = model.nodeOf(call);
        if (runFrequency(node) !== 'once') continue;
        const uses = model.usesOf(node);
        const handlerQueries = uses.filter((u) => QUERY_METHODS.has(u.method) && isInRequestHandler(u.call));
        if (handlerQueries.length === 0) continue;
        // A client connected and closed per call is a different problem (a connection per request).
        if (uses.some((u) => CLOSE_METHODS.has(u.method) && runFrequency(u.call) !== 'once')) continue;
        const first = handlerQueries[0].call;
        context.report({
          messageId: 'sharedConnection',
          data: { api: call.api },
          range: call.calleeRange,
          related: [{ range: { start: first.getStart(sf), end: first.end }, message: 'queries from request handlers share this one connection' }],
        });
        continue;
      }
      if (isNodeAgent(call) || call.api === 'undici.Pool' || call.api === 'undici.Agent') {
        for (const key of isNodeAgent(call) ? ['maxSockets', 'maxTotalSockets'] : ['connections']) {
          const o = numberOption(call, key);
          if (o && o.value.kind === 'number' && o.value.value === 1) context.report({ messageId: 'singleSocket', data: { key }, range: o.range });
        }
      }
      if (UNDICI_DISPATCHERS.has(call.api)) {
        const o = numberOption(call, 'pipelining');
        if (o && o.value.kind === 'number' && o.value.value > 1) context.report({ messageId: 'pipelining', data: { value: o.value.value }, range: o.range });
      }
    }
  },
});
