// A gRPC client owns a channel: name resolution, a TCP (+TLS) connection and the HTTP/2 preface and
// SETTINGS exchange, after which any number of concurrent calls share it as HTTP/2 streams. A new
// client per call pays that setup every time and, unless it is closed, leaves its channel behind.
import ts = require('typescript');
import { enclosingFunction, isLazyInitialisation, runFrequency } from '../analysis/context';
import { selectCalls, type CallSite } from '../analysis/facts';
import type { FileModel } from '../analysis/fileModel';
import { range } from '../analysis/fileModel';
import { unwrapExpression } from '../analysis/resolve';
import { flowOfValue } from '../analysis/valueFlow';
import { literalTest, someAnchoredMatch } from '../analysis/textSearch';
import { walkTree } from '../analysis/walk';
import { createRule } from './createRule';

// The compiler's exports are getters (a call per read); bind the functions used here once.
const { isCallExpression, isIdentifier, isNewExpression, isParenthesizedExpression, isPropertyAccessExpression } = ts;

type MessageIds = 'perRequest' | 'perCall';

// Read once: the compiler's exports are getters, too slow for loops over every call.
const { SyntaxKind } = ts;

function contains(outer: ts.Node, inner: ts.Node): boolean {
  return inner.pos >= outer.pos && inner.end <= outer.end;
}

/** The text names gRPC somewhere. */
const NAMES_GRPC = literalTest('grpc');
const isNewWithTwoArguments = (site: CallSite): boolean => site.node.kind === SyntaxKind.NewExpression && (site.node.arguments?.length ?? 0) >= 2;

/**
 * gRPC client constructions: service constructors from a loaded package definition (the model
 * knows them) and generated static clients, recognised by the channel credentials they take.
 */
function clientConstructions(model: FileModel): ts.NewExpression[] {
  const out: ts.NewExpression[] = [];
  for (const call of model.calls) {
    const node = model.nodeOf(call);
    if (call.api === 'grpc.Client' && isNewExpression(node)) out.push(node);
  }
  // Generated clients need channel credentials from gRPC: nothing to look for without it.
  if (!someAnchoredMatch(model.sourceFile.text, NAMES_GRPC)) return out;
  for (const { node, scope } of selectCalls(model.facts, isNewWithTwoArguments)) {
    if (!isNewExpression(node) || model.callAt(node)) continue;
    const creds = node.arguments?.[1];
    if (creds && model.resolver.resolve(creds, scope)?.type === 'grpc.ChannelCredentials') out.push(node);
  }
  return out;
}

/**
 * The first call made on the client inside `fn`: `new C(…).getUser(…)` or `client.getUser(…)`.
 * Generated client classes are not in the library model, so calls through the variables that hold
 * the client are found by name too.
 */
function firstUse(model: FileModel, node: ts.NewExpression, fn: ts.Node, names: Set<string>): ts.CallExpression | undefined {
  let outer: ts.Node = node;
  while (outer.parent && isParenthesizedExpression(outer.parent)) outer = outer.parent;
  const p = outer.parent;
  if (p && isPropertyAccessExpression(p) && p.parent && isCallExpression(p.parent) && p.parent.expression === p) return p.parent;
  const typed = model.usesOf(node).find((u) => contains(fn, u.call))?.call;
  if (typed) return typed;
  let found: ts.CallExpression | undefined;
  walkTree(fn, (n) => {
    if (isCallExpression(n) && isPropertyAccessExpression(n.expression)) {
      const receiver = unwrapExpression(n.expression.expression);
      if (isIdentifier(receiver) && names.has(receiver.text)) {
        found = n;
        return 'stop';
      }
    }
  });
  return found;
}

export default createRule<MessageIds>({
  meta: {
    id: 'grpc-client-per-call',
    lesson: 'http2',
    severity: 'warning',
    title: 'gRPC client created per call',
    description:
      'Each gRPC client owns a channel: DNS resolution, a TCP connection (plus TLS) and the HTTP/2 connection preface and SETTINGS exchange. One channel carries any number of concurrent calls as HTTP/2 streams. Creating a client for each call pays the setup every time, defeats multiplexing, and leaves the channel (and its sub-channels) open unless `close()` is called. Create the client once and share it.',
    messages: {
      perRequest: '`{{api}}` creates a gRPC channel on every request: DNS, TCP (+TLS) and the HTTP/2 preface/SETTINGS exchange (2–4 round trips, ≈{{ms}} ms at {{rtt}} ms RTT) before each call, and the channel stays open unless closed. Create the client once and share it.',
      perCall: '`{{api}}` creates a gRPC channel for a single call and drops it: every call pays DNS, TCP (+TLS) and the HTTP/2 preface/SETTINGS (2–4 round trips, ≈{{ms}} ms at {{rtt}} ms RTT) instead of multiplexing on one channel. Create the client once and share it.',
    },
    fixable: false,
  },
  check(context) {
    const { model, config, sourceFile: sf, text } = context;
    if (context.isTestFile) return;
    for (const node of clientConstructions(model)) {
      const fn = enclosingFunction(node);
      if (!fn || isLazyInitialisation(node)) continue;
      const frequency = runFrequency(node, model);
      if (frequency === 'once') continue;
      const flow = flowOfValue(model, node, fn);
      if (flow.kept) continue; // memoised: one client per key
      const use = firstUse(model, node, fn, flow.names);
      let messageId: MessageIds;
      if (frequency === 'per-request' || frequency === 'per-iteration') {
        messageId = 'perRequest';
      } else {
        // A plain function: only a client that is made, used and dropped here is certainly per call;
        // one that is returned or handed on may be a factory whose caller keeps it.
        if (flow.returned || flow.passedOn || !use) continue;
        messageId = 'perCall';
      }
      const callee = unwrapExpression(node.expression);
      const api = `new ${text.slice(callee.getStart(sf), callee.end)}(…)`;
      context.report({
        messageId,
        data: { api, ms: `${2 * config.rttMs}–${4 * config.rttMs}`, rtt: config.rttMs },
        range: { start: node.getStart(sf), end: callee.end },
        related: use ? [{ range: range(use, sf), message: 'the call it is made for' }] : [],
      });
    }
  },
});
