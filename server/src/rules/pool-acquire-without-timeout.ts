// A pool hands out at most `max` connections. When all are busy (slow queries, leaked checkouts) or
// the database stops answering, the next caller queues inside the process. Without an acquire
// timeout it queues forever: no error, no log line, just requests piling up until the load balancer
// gives up on them and memory grows. A bounded wait turns the outage into fast, visible failures.
import ts = require('typescript');
import { addProperty, appendArgument } from '../analysis/edits';
import type { FileModel } from '../analysis/fileModel';
import { propertyKey } from '../analysis/facts';
import { unwrapExpression } from '../analysis/resolve';
import type { Fix, NetworkCall } from '../analysis/types';
import { createRule, type RuleContext } from './createRule';

// The compiler's exports are getters (a call per read); bind the functions used here once.
const { isIdentifier, isPropertyAccessExpression, isSpreadAssignment } = ts;

type MessageIds = 'pgMissing' | 'pgZero' | 'pgDefaultConfig' | 'mysqlUnbounded';

const TIMEOUT_KEY = 'connectionTimeoutMillis';
const SUGGESTED = '5_000';

function maxOf(call: NetworkCall, key: string, fallback: number): number | string {
  const o = call.options.find((x) => x.key === key);
  if (!o) return fallback;
  return o.value.kind === 'number' ? o.value.value : `\`${key}\``;
}

/**
 * `let cfg = options.cfg; if (!cfg) { cfg = {}; cfg.connectionString = url; } new Pool(cfg)`: the
 * config comes from the caller or from a literal built here. When a literal built here can reach
 * the pool without the timeout, the default path waits forever.
 */
function localDefaultWithoutTimeout(model: FileModel, call: NetworkCall): boolean {
  const node = model.nodeOf(call);
  const arg = node.arguments?.[0];
  if (!arg) return false;
  const e = unwrapExpression(arg);
  if (!isIdentifier(e)) return false;
  const binding = model.scopeOf(call).lookup(e.text);
  if (binding?.kind !== 'var' || binding.path.length > 0) return false;
  const sources = [...(binding.init ? [binding.init] : []), ...binding.assigned].map(unwrapExpression);
  const literals = sources.filter(ts.isObjectLiteralExpression);
  if (literals.length === 0) return false;
  const writesTimeout = model.facts.assignments.some((a) => {
    const t = a.target;
    if (!isPropertyAccessExpression(t) || t.name.text !== TIMEOUT_KEY) return false;
    const base = unwrapExpression(t.expression);
    return isIdentifier(base) && a.scope.lookup(base.text) === binding;
  });
  if (writesTimeout) return false;
  return literals.some((lit) => lit.properties.every((p) => !isSpreadAssignment(p) && (!p.name || propertyKey(p.name) !== TIMEOUT_KEY)));
}

function fixFor(context: RuleContext<MessageIds>, call: NetworkCall): Fix[] {
  const { model, sourceFile: sf } = context;
  const title = `Set \`${TIMEOUT_KEY}: ${SUGGESTED}\``;
  const existing = call.options.find((o) => o.key === TIMEOUT_KEY);
  if (existing) return [{ title, edits: [{ start: existing.valueRange.start, end: existing.valueRange.end, newText: SUGGESTED }], preferred: true }];
  const obj = model.optionsObject(call);
  if (obj) return [{ title, edits: [addProperty(obj, `${TIMEOUT_KEY}: ${SUGGESTED}`, sf)], preferred: true }];
  const node = model.nodeOf(call);
  if ((node.arguments?.length ?? 0) === 0) return [{ title, edits: [appendArgument(node, `{ ${TIMEOUT_KEY}: ${SUGGESTED} }`)], preferred: true }];
  return [];
}

export default createRule<MessageIds>({
  meta: {
    id: 'pool-acquire-without-timeout',
    lesson: 'database-clients',
    severity: 'warning',
    title: 'Pool acquire without a timeout',
    description:
      'node-postgres pools default to `connectionTimeoutMillis: 0`: when all `max` connections (10 by default) are busy or leaked, or the database host stops answering, every caller waits for a connection forever. Requests pile up in memory until the load balancer times them out, and nothing is logged. mysql/mysql2 pools with `queueLimit: 0` queue callers without limit in the same way. A bounded acquire timeout turns an exhausted or unreachable database into fast, visible errors.',
    messages: {
      pgMissing: '`{{api}}` has no `connectionTimeoutMillis` (pg defaults to 0 = wait forever): once its {{max}} connections are busy or leaked, or the database stops answering, every query queues in-process forever instead of failing fast. Bound the wait.',
      pgZero: '`connectionTimeoutMillis: 0` makes callers wait forever for a connection: once the pool\'s {{max}} connections are busy or leaked, or the database stops answering, every query queues in-process until the load balancer gives up. Bound the wait.',
      pgDefaultConfig: 'When this pool is built from the default config here, it has no `connectionTimeoutMillis` (pg defaults to 0 = wait forever): once its {{max}} connections are busy or the database stops answering, every query queues forever.',
      mysqlUnbounded: '`queueLimit: 0` with `waitForConnections` queues callers without limit and without a timeout: once the pool\'s {{max}} connections are busy or leaked, every query waits in-process until the load balancer gives up. Bound the queue or fail fast.',
    },
    fixable: true,
  },
  check(context) {
    const { model, text } = context;
    if (context.isTestFile) return;
    for (const call of model.calls) {
      const api = `${text.slice(call.calleeRange.start, call.calleeRange.end).replace(/\s+/g, ' ')}(…)`;
      if (call.api === 'pg.Pool') {
        const max = maxOf(call, 'max', 10);
        if (call.optionsUnknown) {
          if (localDefaultWithoutTimeout(model, call)) context.report({ messageId: 'pgDefaultConfig', data: { api, max }, range: call.calleeRange });
          continue;
        }
        const timeout = call.options.find((o) => o.key === TIMEOUT_KEY);
        if (timeout && !(timeout.value.kind === 'number' && timeout.value.value === 0)) continue;
        context.report({
          messageId: timeout ? 'pgZero' : 'pgMissing',
          data: { api, max },
          range: call.calleeRange,
          related: timeout ? [{ range: timeout.range, message: 'the timeout is switched off here' }] : [],
          fixes: fixFor(context, call),
        });
        continue;
      }
      if (call.api === 'mysql.createPool' && !call.optionsUnknown) {
        const queue = call.options.find((o) => o.key === 'queueLimit');
        const wait = call.options.find((o) => o.key === 'waitForConnections');
        if (!queue || queue.value.kind !== 'number' || queue.value.value !== 0) continue;
        if (wait && wait.value.kind === 'boolean' && !wait.value.value) continue;
        context.report({ messageId: 'mysqlUnbounded', data: { api, max: maxOf(call, 'connectionLimit', 10) }, range: call.calleeRange, related: [{ range: queue.range, message: 'the queue is unbounded here' }] });
      }
    }
  },
});
