// An agent is a connection pool and a TLS session cache. One made per request (or per loop
// iteration, or inside the function that sends the request) starts empty every time: no connection
// to reuse, no session to resume, so each request pays the full TCP + TLS handshake, and the old
// pool's sockets linger until the agent is garbage-collected.
import { isConnectionPool, isUsed } from '../analysis/agents';
import { enclosingFunction, runFrequency } from '../analysis/context';
import { destinationOf } from '../analysis/escape';
import { requestsMadeBy } from '../analysis/localCalls';
import { createRule } from './createRule';

type MessageIds = 'perCall';

const WHEN: Record<string, string> = {
  'per-request': 'incoming request',
  'per-iteration': 'loop iteration',
  'per-call': 'call',
};

export default createRule<MessageIds>({
  meta: {
    id: 'http-agent-per-request',
    lesson: 'keep-alive-and-pools',
    severity: 'warning',
    title: 'HTTP agent or pool created per request',
    description:
      'An agent (`http.Agent`, `https.Agent`, undici `Agent`/`Pool`/`Client`) is a connection pool and, for HTTPS, a TLS session cache (`maxCachedSessions` 100). Creating one per request, per loop iteration or inside the function that sends the request means it is always empty: no kept-alive connection to reuse and no session to resume, so every request pays TCP and a full TLS handshake (2–3 round trips, about 80–120 ms at 40 ms RTT) and more CPU, and the previous pool\'s sockets linger until it is garbage-collected. Create the agent once (module scope, or memoised per configuration) and share it.',
    messages: {
      perCall: 'A new {{api}} per {{when}}: its pool and TLS session cache start empty each time, so every request pays TCP + a full TLS handshake (2–3 round trips, ~80–120 ms at 40 ms RTT) and old sockets linger until GC. Create it once and share it.',
    },
    fixable: false,
  },
  check(context) {
    const { model } = context;
    // Tests build an isolated agent per test on purpose.
    if (context.isTestFile) return;
    for (const call of model.calls) {
      if (!isConnectionPool(call)) continue;
      const node = model.nodeOf(call);
      const frequency = runFrequency(node);
      if (frequency === 'once') continue;
      if (!isUsed(model, node)) continue;
      const destination = destinationOf(model, node);
      if (destination !== 'local') continue;
      const fn = enclosingFunction(node);
      // In a function of unknown frequency, the finding needs the request in the same function:
      // an agent made and used by one call is made for every call.
      const requests = fn ? requestsMadeBy(model, fn).filter((c) => c !== call && c.role === 'request') : [];
      if (frequency === 'per-call' && requests.length === 0) continue;
      context.report({
        messageId: 'perCall',
        data: { api: call.api, when: WHEN[frequency] },
        range: call.calleeRange,
        related: requests.length ? [{ range: requests[0].calleeRange, message: `${requests[0].api} goes out through a fresh pool` }] : [],
      });
    }
  },
});
