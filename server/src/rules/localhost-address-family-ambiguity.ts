// Since Node 17 `localhost` resolves in the resolver's order, usually `::1` first. A server bound to
// an IPv4 address does not listen on `::1`, so a client dialling `localhost` is refused.
import ts = require('typescript');
import { range } from '../analysis/fileModel';
import { unwrapExpression } from '../analysis/resolve';
import type { NetworkCall } from '../analysis/types';
import { createRule } from './createRule';

// The compiler's exports are getters (a call per read); bind the functions used here once.
const { isStringLiteralLike, isTemplateExpression } = ts;

type MessageIds = 'ipv6First';

const IPV4_ONLY_BIND = /^(0\.0\.0\.0|127\.\d+\.\d+\.\d+)$/;
const CLIENT_ROLES = new Set(['request', 'connect']);

/** The string literal that names `localhost` in a client call: its URL argument or its `host` option. */
function localhostLiteral(model: Parameters<Parameters<typeof createRule>[0]['check']>[0]['model'], call: NetworkCall): ts.StringLiteralLike | ts.TemplateExpression | undefined {
  for (const key of ['host', 'hostname']) {
    const v = model.optionValue(call, key);
    const e = v && unwrapExpression(v);
    if (e && isStringLiteralLike(e) && e.text === 'localhost') return e;
  }
  const node = model.nodeOf(call);
  for (const arg of node.arguments ?? []) {
    const e = unwrapExpression(arg);
    if (isStringLiteralLike(e) && /^[a-z][a-z0-9+.-]*:\/\/localhost[:/]/i.test(e.text + '/')) return e;
    if (isTemplateExpression(e) && /^[a-z][a-z0-9+.-]*:\/\/localhost[:/]/i.test(e.head.text)) return e;
    if (isStringLiteralLike(e) && e.text === 'localhost') return e;
  }
  return undefined;
}

export default createRule<MessageIds>({
  meta: {
    id: 'localhost-address-family-ambiguity',
    lesson: 'addresses-ports-sockets',
    severity: 'info',
    title: '`localhost` client against an IPv4-only server',
    description:
      'Node 17 stopped reordering DNS answers IPv4-first, so `localhost` usually resolves to `::1` first. A server bound to `0.0.0.0` or `127.0.0.1` is not listening on `::1`, and a client that dials `localhost` gets ECONNREFUSED. Node 20 tries both families (Happy Eyeballs) for `net` connections, which hides it there. Dial `127.0.0.1`, or bind the server to `::` (both families).',
    messages: {
      ipv6First: 'On Node {{node}}, `localhost` resolves to `::1` first, but the server in this file listens on {{bind}} only: this connection is refused (ECONNREFUSED). Dial `127.0.0.1`, or bind the server to `::`.',
    },
    fixable: true,
  },
  check(context) {
    const { model, config, sourceFile: sf } = context;
    if (config.nodeMajor < 17) return;
    const bind = model.calls.find((c) => c.role === 'listen' && c.host !== undefined && IPV4_ONLY_BIND.test(c.host));
    if (!bind) return;
    for (const call of model.calls) {
      if (!CLIENT_ROLES.has(call.role)) continue;
      // Node 20+ races IPv6 and IPv4 for net-based clients unless told not to.
      const raceOff = call.options.some((o) => o.key === 'autoSelectFamily' && o.value.kind === 'boolean' && !o.value.value);
      if (config.nodeMajor >= 20 && !raceOff) continue;
      const literal = localhostLiteral(model, call);
      if (!literal) continue;
      const start = literal.getStart(sf);
      const text = sf.text.slice(start, literal.end);
      const at = text.indexOf('localhost');
      context.report({
        messageId: 'ipv6First',
        data: { node: config.nodeMajor, bind: bind.host! },
        range: range(literal, sf),
        related: [{ range: bind.range, message: `the server listens on ${bind.host} here` }],
        fixes: at >= 0 ? [{ title: 'Dial 127.0.0.1', edits: [{ start: start + at, end: start + at + 9, newText: '127.0.0.1' }], preferred: true }] : [],
      });
    }
  },
});
