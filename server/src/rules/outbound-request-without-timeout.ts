// An outbound call with no timeout waits as long as the peer lets it: a peer that accepted the
// connection and never answers produces no packets to retransmit, so TCP never gives up.
import ts = require('typescript');
import { chainedMethods, enclosingFunction } from '../analysis/context';
import { addProperty, appendArgument, insertArgumentBefore } from '../analysis/edits';
import type { FileModel } from '../analysis/fileModel';
import type { Fix, NetworkCall, Severity } from '../analysis/types';
import { createRule, type RuleContext } from './createRule';

// The compiler's exports are getters (a call per read); bind the functions used here once.
const { SyntaxKind, isArrowFunction, isCallExpression, isFunctionExpression, isIdentifier, isNewExpression, isPropertyAccessExpression, isStringLiteralLike } = ts;

const TIMEOUT_MS = '10_000';

/** Option keys that bound a request, per library. */
const TIMEOUT_KEYS: Record<string, RegExp> = {
  fetch: /^signal$/,
  undici: /^(signal|headersTimeout|bodyTimeout)$/,
  'node-fetch': /^(signal|timeout)$/,
  'node:http': /^(timeout|signal)$/,
  'node:https': /^(timeout|signal)$/,
  axios: /^(timeout|signal|cancelToken)$/,
  got: /^(timeout|signal)(\.|$)/,
  superagent: /^$/,
  'node:net': /^(timeout|signal)$/,
  'node:tls': /^(timeout|signal)$/,
  '@grpc/grpc-js': /^deadline$/,
};

/** Methods on the returned request/socket that set a timeout. */
const TIMEOUT_METHODS = new Set(['setTimeout', 'timeout', 'deadline', 'abort']);

type MessageIds = 'fetch' | 'noTimeout' | 'instance' | 'grpc' | 'socket';

/** The call as the code writes it (`payments.post`), shortened for long chains. */
function sourceName(text: string, call: NetworkCall): string {
  const s = text.slice(call.calleeRange.start, call.calleeRange.end).replace(/\s+/g, '');
  return s.length <= 40 ? s : call.api;
}

const hasKey = (call: NetworkCall, re: RegExp) => call.options.some((o) => re.test(o.key) && o.value.kind !== 'undefined' && o.value.kind !== 'null');

function boundedThroughUses(model: FileModel, call: NetworkCall): boolean {
  const node = model.nodeOf(call);
  const receiver = model.receiverOrigin(call);
  const uses = [...model.usesOf(node), ...(receiver ? model.usesOf(receiver) : [])];
  if (uses.some((u) => TIMEOUT_METHODS.has(u.method) || (u.method === 'on' && isTimeoutEvent(u.call)))) return true;
  return chainedMethods(node).some((m) => TIMEOUT_METHODS.has(m));
}

/**
 * A raw socket that the same function ends or destroys is a short exchange (connect, write, end),
 * where a silent peer stalls the caller. A socket kept open (pooled, streaming, a broker or tunnel
 * connection) is a long-lived connection: liveness, not a request timeout, is its concern.
 */
function isShortLivedSocket(model: FileModel, call: NetworkCall): boolean {
  const node = model.nodeOf(call);
  const fn = enclosingFunction(node);
  const receiver = model.receiverOrigin(call);
  const uses = [...model.usesOf(node), ...(receiver ? model.usesOf(receiver) : [])];
  return uses.some((u) => (u.method === 'end' || u.method === 'destroy') && enclosingFunctionOutsideCallbacks(u.call) === fn);
}

/** The enclosing function, looking through callbacks passed as arguments (`sock.on('connect', () => sock.end())`). */
function enclosingFunctionOutsideCallbacks(node: ts.Node): ts.SignatureDeclaration | undefined {
  let fn = enclosingFunction(node);
  while (fn && fn.parent && (isCallExpression(fn.parent) || isNewExpression(fn.parent)) && (isArrowFunction(fn) || isFunctionExpression(fn))) {
    fn = enclosingFunction(fn);
  }
  return fn;
}

function isPiped(model: FileModel, call: NetworkCall): boolean {
  const node = model.nodeOf(call);
  if (model.usesOf(node).some((u) => u.method === 'pipe')) return true;
  return model.argumentUsesIn(node, 'pipe', 'pipeline').some((u) => {
    const callee = u.call.expression;
    const name = isPropertyAccessExpression(callee) ? callee.name.text : isIdentifier(callee) ? callee.text : '';
    return name === 'pipe' || name === 'pipeline';
  });
}

function isTimeoutEvent(call: ts.CallExpression): boolean {
  const ev = call.arguments[0];
  return !!ev && isStringLiteralLike(ev) && ev.text === 'timeout';
}

/** The client/agent/instance this call goes through sets a timeout (options or a later assignment). */
function boundedThroughCreator(model: FileModel, call: NetworkCall, keys: RegExp): boolean | undefined {
  if (call.createdBy === undefined) return undefined;
  const creator = model.calls[call.createdBy];
  if (creator.optionsUnknown) return true;
  if (hasKey(creator, keys)) return true;
  const writes = model.propertyWritesTo(model.nodeOf(creator));
  return writes.some((w) => w.path.join('.') === 'defaults.timeout' || w.path.join('.') === 'defaults.signal' || w.path[w.path.length - 1] === 'timeout');
}

/** `axios.defaults.timeout = …` anywhere in the file bounds every call through the default instance. */
function axiosGlobalDefault(context: RuleContext<MessageIds>): boolean {
  const { assignments } = context.model.facts;
  for (const a of assignments) {
    const t = a.target;
    // The names compared as stored (`escapedText`, equal to `text` for names without a leading `__`):
    // reading `text` is a call, and this runs for every assignment of the file.
    if (!isPropertyAccessExpression(t) || t.name.escapedText !== 'timeout' || !isPropertyAccessExpression(t.expression) || t.expression.name.escapedText !== 'defaults') continue;
    // Resolved as found, in file order, and first thing in the check: the resolver memoises, so when it is asked matters.
    if (context.model.resolver.resolve(t.expression.expression, a.scope)?.type === 'axios') return true;
  }
  return false;
}

/**
 * A `dispatcher` made in this file with `headersTimeout`/`bodyTimeout` tighter than undici's 300 s
 * bounds the call; one made elsewhere is unknown, so it counts as bounded.
 */
function boundedThroughDispatcher(model: FileModel, call: NetworkCall): boolean {
  const dispatcher = model.optionValue(call, 'dispatcher');
  if (!dispatcher) return false;
  const value = model.resolver.resolve(dispatcher, model.scopeOf(call));
  const creator = value?.origin && model.callAt(value.origin);
  if (!creator) return !value;
  return hasKey(creator, /^(headersTimeout|bodyTimeout|connect\.timeout)$/);
}

/** An agent option that points at an agent made in this file with a `timeout`; unknown agents count as bounded. */
function boundedThroughAgent(model: FileModel, call: NetworkCall): boolean {
  const agent = ['agent', 'httpAgent', 'httpsAgent'].map((k) => model.optionValue(call, k)).find((v) => v !== undefined);
  if (!agent || agent.kind === SyntaxKind.FalseKeyword) return false;
  const value = model.resolver.resolve(agent, model.scopeOf(call));
  const creator = value?.origin && model.callAt(value.origin);
  return !creator || hasKey(creator, /^timeout$/);
}

function fixesFor(context: RuleContext<MessageIds>, call: NetworkCall): Fix[] {
  const { model, sourceFile: sf } = context;
  const node = model.nodeOf(call);
  const args = node.arguments ?? ts.factory.createNodeArray();
  const optionsObj = model.optionsObject(call);
  const lib = call.library;
  if (lib === 'fetch' || lib === 'undici' || lib === 'node-fetch' || lib === 'node:http' || lib === 'node:https') {
    const prop = `signal: AbortSignal.timeout(${TIMEOUT_MS})`;
    const title = 'Add `signal: AbortSignal.timeout(10_000)`';
    if (optionsObj) return [{ title, edits: [addProperty(optionsObj, prop, sf)], preferred: true }];
    if (!call.optionsUnknown && isCallExpression(node)) {
      const cbIndex = args.findIndex((a) => isArrowFunction(a) || isFunctionExpression(a));
      if (cbIndex > 0) return [{ title, edits: [insertArgumentBefore(node, cbIndex, `{ ${prop} }`, sf)], preferred: true }];
      if (args.length === 1) return [{ title, edits: [appendArgument(node, `{ ${prop} }`)], preferred: true }];
    }
    return [];
  }
  if (lib === 'axios') {
    if (call.createdBy !== undefined) {
      const creator = model.calls[call.createdBy];
      const creatorNode = model.nodeOf(creator);
      const creatorObj = model.optionsObject(creator);
      if (creatorObj) return [{ title: 'Add `timeout: 10_000` to the axios instance', edits: [addProperty(creatorObj, `timeout: ${TIMEOUT_MS}`, sf)], preferred: true }];
      if (creatorNode.arguments?.length === 0) return [{ title: 'Add `timeout: 10_000` to the axios instance', edits: [appendArgument(creatorNode, `{ timeout: ${TIMEOUT_MS} }`)], preferred: true }];
      return [];
    }
    const title = 'Add `timeout: 10_000`';
    if (optionsObj) return [{ title, edits: [addProperty(optionsObj, `timeout: ${TIMEOUT_MS}`, sf)], preferred: true }];
    if (call.optionsUnknown || !isCallExpression(node)) return [];
    const withBody = /\.(post|put|patch)(Form)?$/.test(call.api);
    const wanted = withBody ? 2 : 1;
    if (args.length === wanted) return [{ title, edits: [appendArgument(node, `{ timeout: ${TIMEOUT_MS} }`)], preferred: true }];
    if (withBody && args.length === 1) return [{ title, edits: [appendArgument(node, `undefined, { timeout: ${TIMEOUT_MS} }`)], preferred: true }];
    return [];
  }
  if (lib === 'got') {
    const prop = `timeout: { request: ${TIMEOUT_MS} }`;
    if (optionsObj) return [{ title: 'Add `timeout: { request: 10_000 }`', edits: [addProperty(optionsObj, prop, sf)], preferred: true }];
    if (args.length === 1 && !call.optionsUnknown) return [{ title: 'Add `timeout: { request: 10_000 }`', edits: [appendArgument(node, `{ ${prop} }`)], preferred: true }];
    return [];
  }
  if (lib === 'superagent') {
    // Chain `.timeout()` at the end of the fluent chain that starts here.
    let end: ts.Node = node;
    while (end.parent && isPropertyAccessExpression(end.parent) && end.parent.parent && isCallExpression(end.parent.parent) && end.parent.name.text !== 'then' && end.parent.name.text !== 'end') end = end.parent.parent;
    return [{ title: 'Chain `.timeout({ response: 10_000, deadline: 60_000 })`', edits: [{ start: end.end, end: end.end, newText: '.timeout({ response: 10_000, deadline: 60_000 })' }], preferred: true }];
  }
  if (lib === '@grpc/grpc-js' && isCallExpression(node)) {
    const last = args[args.length - 1];
    const deadline = `{ deadline: Date.now() + ${TIMEOUT_MS} }`;
    if (last && (isArrowFunction(last) || isFunctionExpression(last) || isIdentifier(last)) && args.length >= 2 && args.length <= 3) {
      return [{ title: 'Pass `{ deadline: Date.now() + 10_000 }`', edits: [insertArgumentBefore(node, args.length - 1, deadline, sf)], preferred: true }];
    }
  }
  return [];
}

export default createRule<MessageIds>({
  meta: {
    id: 'outbound-request-without-timeout',
    lesson: 'retransmission-and-timeouts',
    severity: 'warning',
    title: 'Outbound request without a timeout',
    description:
      'An HTTP, gRPC or socket call with no timeout, deadline or abort signal waits as long as the peer lets it. The kernel gives up on an unanswered SYN after about 127 s and on a vanished peer with unacknowledged data after about 15 minutes, and never on a peer that accepted the connection and stays silent. Each stuck call pins a socket, memory and the request that made it.',
    messages: {
      fetch: '{{api}} has no `signal`: undici only gives up after 300 s without headers (and 300 s between body chunks). Bound it with `AbortSignal.timeout(ms)` to your latency budget.',
      noTimeout: '{{api}} has no timeout: {{why}} A silent peer holds this request and its socket for ~127 s before a connection exists, and forever after.',
      instance: '{{api}} goes through an axios instance created without `timeout` (axios defaults to 0 = wait forever). A silent peer holds each request and its socket indefinitely.',
      grpc: '{{api}} has no deadline: gRPC calls wait forever by default. A hung server ties up the call and the caller; pass `{ deadline }`.',
      socket: '{{api}} sets no timeout: TCP notices a vanished peer only after ~15 min of retransmissions and a silent one never. Call `socket.setTimeout(ms)` and destroy the socket on `\'timeout\'`.',
    },
    fixable: true,
  },
  check(context) {
    const { model } = context;
    const globalAxiosTimeout = axiosGlobalDefault(context);
    for (const call of model.calls) {
      const keys = TIMEOUT_KEYS[call.library];
      if (!keys) continue;
      const isRequest = call.role === 'request';
      const isSocketConnect = call.role === 'connect' && (call.library === 'node:net' || call.library === 'node:tls');
      if (!isRequest && !isSocketConnect) continue;
      if (call.api === 'dispatcher.request' || call.transport === 'none') continue;
      // A TLS upgrade of a socket that already exists opens no connection of its own.
      if (call.library === 'node:tls' && call.options.some((o) => o.key === 'socket')) continue;
      // A socket piped to or from another stream is a tunnel or proxy leg: it lives as long as the stream.
      if (isSocketConnect && (isPiped(model, call) || !isShortLivedSocket(model, call))) continue;
      if (call.optionsUnknown) continue;
      if (hasKey(call, keys)) continue;
      if (boundedThroughUses(model, call)) continue;
      const viaCreator = boundedThroughCreator(model, call, call.library === 'axios' ? /^(timeout|signal)$/ : keys);
      if (viaCreator) continue;
      if ((call.library === 'node:http' || call.library === 'node:https' || call.library === 'axios') && boundedThroughAgent(model, call)) continue;
      if ((call.library === 'fetch' || call.library === 'undici') && boundedThroughDispatcher(model, call)) continue;
      if (call.library === 'axios' && call.createdBy === undefined && globalAxiosTimeout) continue;
      if (call.library === 'got' && call.createdBy !== undefined && viaCreator === undefined) continue;

      const related = call.createdBy !== undefined ? [{ range: model.calls[call.createdBy].range, message: `${model.calls[call.createdBy].api} creates the client without a timeout` }] : [];
      const fixes = fixesFor(context, call);
      let messageId: MessageIds = 'noTimeout';
      let severity: Severity | undefined;
      let why = '';
      if (call.library === 'fetch' || call.library === 'undici') {
        messageId = 'fetch';
        severity = 'info';
      } else if (call.library === '@grpc/grpc-js') {
        messageId = 'grpc';
      } else if (isSocketConnect) {
        messageId = 'socket';
      } else if (call.library === 'axios' && call.createdBy !== undefined) {
        messageId = 'instance';
      } else {
        why = call.library === 'axios' ? 'axios defaults to `timeout: 0` (wait forever).' : call.library === 'got' ? 'got sets no timeout by default.' : call.library === 'superagent' ? 'superagent waits forever unless `.timeout()` is chained.' : call.library === 'node-fetch' ? 'node-fetch waits forever by default.' : 'Node sets none on client requests.';
      }
      context.report({ messageId, data: { api: sourceName(context.text, call), why }, range: call.calleeRange, severity, related, fixes });
    }
  },
});

