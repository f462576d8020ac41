// A UDP datagram larger than the path MTU is split into IP fragments: losing any one loses the whole
// datagram, many firewalls and NATs drop fragments outright, and with DF set the send fails with
// EMSGSIZE. On Ethernet that line is 1472 B of payload over IPv4 and 1452 B over IPv6.
import ts = require('typescript');
import { enclosingFunction, enclosingLoop } from '../analysis/context';
import { listenerEventOf, scopeAt } from '../analysis/emitters';
import type { FileModel } from '../analysis/fileModel';
import { unwrapExpression } from '../analysis/resolve';
import { staticValue } from '../analysis/values';
import { someNode, walkTree } from '../analysis/walk';
import { createRule } from './createRule';

// The compiler's exports are getters (a call per read); bind the functions used here once.
const { SyntaxKind, isArrowFunction, isBinaryExpression, isCallExpression, isFunctionExpression, isIdentifier, isNewExpression, isNumericLiteral, isPropertyAccessExpression, isTemplateExpression } = ts;

type MessageIds = 'oversized' | 'unbounded';

/** Largest UDP payload that fits one Ethernet frame over IPv4 (1500 − 20 IP − 8 UDP). */
const IPV4_MAX_PAYLOAD = 1472;
const LOOPBACK = /^(localhost|127\.\d+\.\d+\.\d+|::1|\[::1\])$/i;
/** Helpers whose output size follows their input: whole objects, log lines, documents. */
const FORMATTING = /(format|serializ|stringif|encode|render|toJSON)/i;

type Why = { kind: 'json' | 'formatted' | 'relayed'; node: ts.Node } | { kind: 'constant'; bytes: number };

/** Follows the payload back to where it is made; says why it may exceed the MTU, if it does. */
function whyLarge(model: FileModel, expr: ts.Expression, depth: number, seen: Set<ts.Node>): Why | undefined {
  if (depth > 5) return undefined;
  const e = unwrapExpression(expr);
  if (seen.has(e)) return undefined;
  seen.add(e);
  const scope = scopeAt(model, e);
  const v = staticValue(e, scope);
  if (v.kind === 'string') {
    const bytes = Buffer.byteLength(v.value, 'utf8');
    return bytes > IPV4_MAX_PAYLOAD ? { kind: 'constant', bytes } : undefined;
  }
  if (isIdentifier(e)) {
    const b = scope.lookup(e.text);
    if (b?.kind === 'param') return isRelayedDatagram(model, b.node) ? { kind: 'relayed', node: b.node } : undefined;
    if (b?.kind === 'var' && b.path.length === 0) {
      for (const source of [...(b.init ? [b.init] : []), ...b.assigned]) {
        const why = whyLarge(model, source, depth + 1, seen);
        if (why) return why;
      }
    }
    return undefined;
  }
  if (isBinaryExpression(e) && e.operatorToken.kind === SyntaxKind.PlusToken) return whyLarge(model, e.left, depth + 1, seen) ?? whyLarge(model, e.right, depth + 1, seen);
  if (isTemplateExpression(e)) {
    for (const span of e.templateSpans) {
      const why = whyLarge(model, span.expression, depth + 1, seen);
      if (why) return why;
    }
    return undefined;
  }
  if (isCallExpression(e) || isNewExpression(e)) {
    const callee = unwrapExpression(e.expression);
    const name = isIdentifier(callee) ? callee.text : isPropertyAccessExpression(callee) ? callee.name.text : '';
    const args = e.arguments ?? ts.factory.createNodeArray<ts.Expression>();
    if (name === 'stringify' && isPropertyAccessExpression(callee) && isIdentifier(callee.expression) && callee.expression.text === 'JSON') return { kind: 'json', node: e };
    // `Buffer.alloc(4096)`
    if ((name === 'alloc' || name === 'allocUnsafe') && args[0]) {
      const n = staticValue(args[0], scope);
      return n.kind === 'number' && n.value > IPV4_MAX_PAYLOAD ? { kind: 'constant', bytes: n.value } : undefined;
    }
    // `Buffer.from(x)`, `new Buffer(x)`, `x.toString()`: the same bytes.
    if ((name === 'from' || name === 'Buffer') && args[0]) return whyLarge(model, args[0], depth + 1, seen);
    if (name === 'toString' && isPropertyAccessExpression(callee)) return whyLarge(model, callee.expression, depth + 1, seen);
    if (FORMATTING.test(name)) return { kind: 'formatted', node: e };
  }
  return undefined;
}

/**
 * A parameter holding a datagram received elsewhere: the message of a dgram 'message' listener, or
 * a `(msg, rinfo)` pair as those listeners receive it. Over loopback (MTU 64 KiB) such a datagram
 * can be far larger than what the next hop carries unfragmented.
 */
function isRelayedDatagram(model: FileModel, param: ts.ParameterDeclaration): boolean {
  const fn = param.parent;
  if (!isIdentifier(param.name)) return false;
  const v = model.resolver.resolve(param.name, scopeAt(model, param.name));
  if (v?.type === 'Buffer' && listenerEventOf(fn)?.event === 'message') return true;
  const index = fn.parameters.indexOf(param);
  const next = fn.parameters[index + 1];
  return !!next && isIdentifier(next.name) && /^(rinfo|remoteInfo|remote)$/i.test(next.name.text);
}

/**
 * The function measures what it sends (`buf.length > MAX`, `Buffer.byteLength(msg) <= mtu`) or
 * names a size limit: the code bounds or splits its datagrams.
 */
function checksSize(fn: ts.Node | undefined, payloadNames: readonly string[]): boolean {
  if (!fn) return false;
  const measured = payloadNames.map((n) => new RegExp(`\\b${n.replace(/[$]/g, '\\$')}\\s*\\.\\s*(length|byteLength)\\b|byteLength\\(\\s*${n.replace(/[$]/g, '\\$')}\\b`));
  // someNode/walkTree are iterative: long call chains nest deeper than the stack allows.
  return someNode(fn, (n) => {
    if (isBinaryExpression(n) && [SyntaxKind.GreaterThanToken, SyntaxKind.GreaterThanEqualsToken, SyntaxKind.LessThanToken, SyntaxKind.LessThanEqualsToken].includes(n.operatorToken.kind)) {
      const text = n.getText();
      if (measured.some((re) => re.test(text)) || /mtu|max(imum)?_?(packet|datagram)?_?(size|length|bytes)/i.test(text)) return true;
    }
    return isIdentifier(n) && /^(mtu|maxPacketSize|maxDatagramSize|MAX_PACKET_SIZE|MAX_DATAGRAM_SIZE|maxBufferSize|chunkSize|chunkMaxLength|maxChunkSize)$/i.test(n.text);
  });
}

/** Names the payload goes by: the variables in the expression sent. */
function namesIn(expr: ts.Expression): string[] {
  const out: string[] = [];
  walkTree(expr, (n) => {
    if (isIdentifier(n) && !(isPropertyAccessExpression(n.parent) && n.parent.name === n)) out.push(n.text);
  });
  return out;
}

/** `send(buf, [offset, length,] port, host, cb)`: the address argument, by the shape of the call. */
function hostArgument(args: ts.NodeArray<ts.Expression>): ts.Expression | undefined {
  const third = args[2] && unwrapExpression(args[2]);
  // `send(buf, offset, length, port[, host][, cb])`: the address is the fifth argument.
  const withOffset = !!third && isPropertyAccessExpression(third) && /^(length|byteLength)$/.test(third.name.text);
  const host = withOffset ? args[4] : args[2];
  if (!host) return undefined;
  const h = unwrapExpression(host);
  return isArrowFunction(h) || isFunctionExpression(h) ? undefined : host;
}

/** The legacy dgram shape `x.send(buf, 0, buf.length, port, host[, cb])`, recognisable without knowing `x`. */
function isDatagramShape(args: ts.NodeArray<ts.Expression>): boolean {
  if (args.length < 5 || args.length > 6) return false;
  const offset = unwrapExpression(args[1]);
  const length = unwrapExpression(args[2]);
  return isNumericLiteral(offset) && isPropertyAccessExpression(length) && /^(length|byteLength)$/.test(length.name.text) && length.expression.getText() === unwrapExpression(args[0]).getText();
}

const DESCRIBE: Record<'json' | 'formatted' | 'relayed', string> = {
  json: 'A JSON document',
  formatted: 'A formatted message of any length',
  relayed: 'A received datagram (up to 64 KiB over loopback)',
};

export default createRule<MessageIds>({
  meta: {
    id: 'udp-datagram-exceeds-mtu',
    lesson: 'mtu-and-fragmentation',
    severity: 'warning',
    title: 'UDP datagram that can exceed the path MTU',
    description:
      "A datagram above the path MTU is split into IP fragments. Losing any fragment loses the whole datagram, many firewalls, NATs and cloud networks drop fragments outright, and with the don't-fragment bit set the send fails with EMSGSIZE. On Ethernet the unfragmented maximum is 1472 B of payload over IPv4 and 1452 B over IPv6; tunnels and VPNs lower it further, which is why QUIC sticks to 1200 B. Loopback carries 64 KiB, so this only shows up off the developer's machine.",
    messages: {
      oversized: 'This datagram is {{bytes}} B: above 1472 B (IPv4 on Ethernet; 1452 B over IPv6) it leaves as IP fragments, and losing or dropping any one loses it all. Keep datagrams under ~1200 B or split them.',
      unbounded: '{{what}} is sent as one datagram with no size check: past 1472 B (IPv4 on Ethernet; 1452 B over IPv6) it leaves as IP fragments, which firewalls often drop and any loss voids. Cap it near 1200 B or split it.',
    },
    fixable: false,
  },
  check(context) {
    // Test code talks to local peers and runs briefly: the wire effects this rule is about do not occur.
    if (context.isTestFile) return;
    const { model, sourceFile: sf } = context;
    for (const site of model.callsNamed('send')) {
      const call = site.node;
      if (!isCallExpression(call)) continue;
      const callee = unwrapExpression(call.expression);
      if (!isPropertyAccessExpression(callee) || callee.name.text !== 'send' || call.arguments.length === 0) continue;
      const recognised = model.callAt(call)?.api === 'socket.send';
      if (!recognised && !(isDatagramShape(call.arguments) && !model.resolver.resolve(callee.expression, site.scope))) continue;
      // No address means localhost; a loopback peer has a 64 KiB MTU.
      const host = hostArgument(call.arguments);
      const hostValue = host && staticValue(host, site.scope);
      if (!host || (hostValue?.kind === 'string' && LOOPBACK.test(hostValue.value))) continue;
      const payload = call.arguments[0];
      // A send inside a loop over pieces, or code that measures what it sends, already splits or bounds it.
      const fn = enclosingFunction(call);
      if (checksSize(fn, namesIn(payload))) continue;
      const why = whyLarge(model, payload, 0, new Set());
      if (!why) continue;
      if (why.kind !== 'constant' && why.kind !== 'relayed' && enclosingLoop(call)) continue;
      const range = { start: callee.name.getStart(sf), end: call.end };
      if (why.kind === 'constant') context.report({ messageId: 'oversized', data: { bytes: why.bytes }, range });
      else context.report({ messageId: 'unbounded', data: { what: DESCRIBE[why.kind] }, range, related: [{ range: { start: why.node.getStart(sf), end: why.node.end }, message: 'its size is decided here' }] });
    }
  },
});
