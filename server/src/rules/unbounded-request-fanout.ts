// `Promise.all(items.map(call))` starts every request at once. Node's agents allow unlimited sockets,
// so N items open N connections: N handshakes, N slow-start bursts into one bottleneck, file
// descriptors and ephemeral ports, and the remote's rate limits.
import ts = require('typescript');
import { runFrequency } from '../analysis/context';
import { localFunction, requestsMadeBy } from '../analysis/localCalls';
import { range } from '../analysis/fileModel';
import type { FileModel } from '../analysis/fileModel';
import { unwrapExpression } from '../analysis/resolve';
import type { NetworkCall } from '../analysis/types';
import { createRule } from './createRule';

// The compiler's exports are getters (a call per read); bind the functions used here once.
const { isArrayLiteralExpression, isCallExpression, isIdentifier, isPropertyAccessExpression } = ts;

type MessageIds = 'fanout';

const COMBINATORS = new Set(['all', 'allSettled', 'any', 'race']);
const SMALL_LITERAL = 8;

/** A client whose concurrency is bounded where it was made (agent maxSockets, undici connections). */
function boundedClient(model: FileModel, call: NetworkCall): boolean {
  const creator = call.createdBy !== undefined ? model.calls[call.createdBy] : undefined;
  const opts = [...call.options, ...(creator?.options ?? [])];
  return opts.some((o) => /(^|\.)(maxSockets|connections|maxConcurrentStreams|concurrency)$/.test(o.key) || o.key === 'httpAgent' || o.key === 'httpsAgent' || o.key === 'agent' || o.key === 'dispatcher');
}

export default createRule<MessageIds>({
  meta: {
    id: 'unbounded-request-fanout',
    lesson: 'http1-concurrency',
    severity: 'warning',
    title: 'Unbounded request fan-out',
    description:
      '`Promise.all(items.map(…))` over a network call starts every request at once. Node\'s HTTP agents default to `maxSockets: Infinity`, so N items open N connections: N handshakes, N bursts of 10 segments into the same bottleneck, file descriptors (often limited to 1024), ephemeral ports, and the remote\'s rate limits (429). A small pool of kept-alive connections reaches the same throughput with warm congestion windows. Cap the concurrency (p-limit, p-map, a queue) or batch.',
    messages: {
      fanout: '`Promise.{{combinator}}` over `{{items}}.map()` starts one {{api}} per item at once: with unlimited sockets that is one new connection, handshake and slow-start burst each, plus file descriptors and remote rate limits. Cap the concurrency (e.g. p-limit).',
    },
    fixable: false,
  },
  check(context) {
    const { model, sourceFile: sf } = context;
    for (const site of model.callsNamed(...COMBINATORS)) {
      const node = site.node;
      if (!isCallExpression(node)) continue;
      const callee = unwrapExpression(node.expression);
      if (!isPropertyAccessExpression(callee) || !isIdentifier(callee.expression) || callee.expression.text !== 'Promise' || !COMBINATORS.has(callee.name.text)) continue;
      const arg = node.arguments[0] && unwrapExpression(node.arguments[0]);
      if (!arg || !isCallExpression(arg)) continue;
      const mapCallee = unwrapExpression(arg.expression);
      if (!isPropertyAccessExpression(mapCallee) || mapCallee.name.text !== 'map' || !arg.arguments[0]) continue;
      const items = unwrapExpression(mapCallee.expression);
      if (isArrayLiteralExpression(items) && items.elements.length <= SMALL_LITERAL) continue;
      const body = localFunction(arg.arguments[0], site.scope);
      if (!body) continue;
      // Start-up fan-out over configuration (a handful of entries) runs once and is bounded by the config.
      if (runFrequency(node) === 'once') continue;
      const requests = requestsMadeBy(model, body).filter((c) => !boundedClient(model, c));
      if (requests.length === 0) continue;
      context.report({
        messageId: 'fanout',
        data: { combinator: callee.name.text, items: items.getText(sf).slice(0, 40), api: requests[0].api },
        range: range(callee, sf),
        related: [{ range: requests[0].calleeRange, message: `${requests[0].api} runs once per item` }],
      });
    }
  },
});
