// A socket, request or connection that errors with nobody listening takes the process down: an
// EventEmitter 'error' without a listener throws, and so does (since Node 15) a rejected promise
// nobody handles. On the wire that is one RST from one peer ending every other connection too.
import ts = require('typescript');
import { enclosingFunction, isInRequestHandler, runsInPage } from '../analysis/context';
import { insertAfterCreation } from '../analysis/edits';
import { calledOnNormalPath, emitterFacts, listenerState, localFunction, type EmitterFacts } from '../analysis/emitters';
import { selectCalls, type CallSite } from '../analysis/facts';
import { range } from '../analysis/fileModel';
import { networkPromises } from '../analysis/promises';
import { LISTENER_METHODS, unwrapExpression } from '../analysis/resolve';
import { urlPrefix } from '../analysis/values';
import type { Fix, NetworkCall, TextRange } from '../analysis/types';
import { createRule, type RuleContext } from './createRule';

// The compiler's exports are getters (a call per read); bind the functions used here once.
const { isArrowFunction, isCallExpression, isExpressionStatement, isFunctionExpression, isIdentifier, isNewExpression, isParameter, isParenthesizedExpression, isPropertyAccessExpression, isStringLiteralLike } = ts;

type MessageIds = 'accepted' | 'client' | 'request' | 'datagram' | 'session' | 'websocket' | 'pool' | 'broker' | 'removed' | 'promise';

/** What kind of object it is, which decides the message and whether short-lived use is safe. */
type Kind = Exclude<MessageIds, 'removed' | 'promise'>;

interface Candidate {
  origin: ts.Node;
  kind: Kind;
  api: string;
  anchor: TextRange;
  /** Where the object came from, for the related location (the server that accepted it). */
  related?: { range: TextRange; message: string };
}

/** APIs whose result is an EventEmitter that throws on an unhandled 'error'. */
const EMITTER_APIS: Record<string, Kind> = {
  'net.connect': 'client',
  'tls.connect': 'client',
  'socket.connect': 'client',
  'http.request': 'request',
  'http.get': 'request',
  'https.request': 'request',
  'https.get': 'request',
  'dgram.createSocket': 'datagram',
  'http2.connect': 'session',
  'ws.WebSocket': 'websocket',
  'pg.Pool': 'pool',
  'pg.Client': 'pool',
  'redis.createClient': 'pool',
  'amqp.connect': 'broker',
};

/** Raw sockets: their errors keep coming for as long as the connection is open. */
const SOCKET_KINDS = new Set<Kind>(['client', 'accepted', 'datagram']);

/** Clients whose errors during use arrive through promises: only a long-lived one needs a listener. */
const LONG_LIVED_ONLY = new Set<Kind>(['pool', 'broker']);

/** Component files run in the page. */
const BROWSER_FILE = /\.(jsx|tsx|vue|svelte)$/i;

const isFunctionLike = (e: ts.Expression | undefined): e is ts.ArrowFunction | ts.FunctionExpression => !!e && (isArrowFunction(e) || isFunctionExpression(e));

function handlerFunction(context: RuleContext<MessageIds>, arg: ts.Expression | undefined): ts.SignatureDeclaration | undefined {
  if (!arg) return undefined;
  const e = unwrapExpression(arg);
  if (isFunctionLike(e)) return e;
  if (isIdentifier(e) || isPropertyAccessExpression(e)) return localFunction(context.model, e);
  return undefined;
}

function paramCandidate(fn: ts.SignatureDeclaration | undefined, index: number, kind: Kind, api: string, related: Candidate['related']): Candidate | undefined {
  const p = fn?.parameters[index];
  if (!p || !isIdentifier(p.name) || p.dotDotDotToken) return undefined;
  return { origin: p, kind, api, anchor: range(p.name), related };
}

const CONNECTION_EVENTS = new Set(['connection', 'secureConnection', 'upgrade']);

/**
 * `x.on('connection' | 'secureConnection' | 'upgrade', …)` (or another way to add a listener), by the
 * site's own syntax (`selectCalls`: in an open document each statement's are kept).
 */
function listensForConnections(site: CallSite): boolean {
  const node = site.node;
  if (!LISTENER_METHODS.has(site.calleeName ?? '') || !isCallExpression(node)) return false;
  // The event name first: it rules out nearly every listener of the file for the price of a compare.
  const ev = node.arguments[0];
  if (!ev || !isStringLiteralLike(ev) || !CONNECTION_EVENTS.has(ev.text)) return false;
  const callee = unwrapExpression(node.expression);
  return isPropertyAccessExpression(callee) && LISTENER_METHODS.has(callee.name.text);
}

/** Connection sockets handed to server callbacks: `net.createServer((sock) => …)`, `server.on('connection', …)`. */
function acceptedSockets(context: RuleContext<MessageIds>): Candidate[] {
  const { model } = context;
  const out: Candidate[] = [];
  for (const call of model.calls) {
    if (call.api !== 'net.createServer' && call.api !== 'tls.createServer') continue;
    const args = model.nodeOf(call).arguments ?? [];
    const fn = handlerFunction(context, args[args.length - 1]);
    const c = paramCandidate(fn, 0, 'accepted', call.api, { range: call.calleeRange, message: `${call.api} accepts the connection here` });
    if (c) out.push(c);
  }
  for (const site of selectCalls(model.facts, listensForConnections)) {
    const node = site.node as ts.CallExpression;
    const ev = node.arguments[0] as ts.StringLiteralLike;
    const callee = unwrapExpression(node.expression) as ts.PropertyAccessExpression;
    const receiver = model.resolver.resolve(callee.expression, site.scope);
    if (!receiver) continue;
    const related = { range: range(node), message: `the '${ev.text}' listener receives the socket here` };
    const fn = handlerFunction(context, node.arguments[1]);
    // An http.Server guards its own connection sockets ('clientError'); after 'upgrade' nobody does.
    if (receiver.type === 'net.Server' && ev.text !== 'upgrade') out.push(...[paramCandidate(fn, 0, 'accepted', 'net.Server', related)].filter((c): c is Candidate => !!c));
    if (receiver.type === 'http.Server' && ev.text === 'upgrade') out.push(...[paramCandidate(fn, 1, 'accepted', 'http.Server', related)].filter((c): c is Candidate => !!c));
    if (receiver.type === 'ws.Server' && ev.text === 'connection') out.push(...[paramCandidate(fn, 0, 'websocket', 'ws.WebSocketServer', related)].filter((c): c is Candidate => !!c));
  }
  return out;
}

function createdEmitters(context: RuleContext<MessageIds>): Candidate[] {
  const { model, sourceFile: sf } = context;
  const out: Candidate[] = [];
  const seen = new Set<ts.Node>();
  for (const call of model.calls) {
    const kind = EMITTER_APIS[call.api];
    if (!kind) continue;
    const node = model.nodeOf(call);
    if (call.api === 'amqp.connect') {
      // The callback API hands the connection to the callback; the promise API resolves to it.
      const args = node.arguments ?? [];
      const cb = handlerFunction(context, args[args.length - 1]);
      if (cb) {
        const c = paramCandidate(cb, 1, kind, call.api, undefined);
        if (c) out.push(c);
        continue;
      }
    }
    let origin: ts.Node = node;
    let anchor = call.calleeRange;
    if (call.api === 'socket.connect') {
      const receiver = model.receiverOrigin(call);
      if (receiver && isNewExpression(receiver)) {
        origin = receiver;
        anchor = { start: receiver.getStart(sf), end: receiver.expression.end };
      }
    }
    // `tls.connect({ socket })` upgrades a socket whose own listeners this code already manages.
    if (call.api === 'tls.connect' && call.options.some((o) => o.key === 'socket')) continue;
    if (seen.has(origin)) continue;
    seen.add(origin);
    out.push({ origin, kind, api: call.api, anchor });
  }
  // `amqp.connect('amqp://…')` through a module this file cannot resolve (a local re-export, the
  // package's own entry point): the broker URL says what it is.
  for (const site of model.callsNamed('connect')) {
    const node = site.node;
    if (!isCallExpression(node) || model.callAt(node)) continue;
    const callee = unwrapExpression(node.expression);
    if (!isPropertyAccessExpression(callee) || callee.name.text !== 'connect' || !isIdentifier(callee.expression)) continue;
    if (model.resolver.resolve(callee.expression, site.scope)) continue;
    const url = node.arguments[0] && urlPrefix(node.arguments[0], site.scope);
    if (!url || !/^amqps?:\/\//i.test(url.text) || node.arguments.some((a) => isFunctionLike(unwrapExpression(a)))) continue;
    out.push({ origin: node, kind: 'broker', api: 'amqp.connect', anchor: range(callee, sf) });
  }
  return out;
}

function errorListenerFix(context: RuleContext<MessageIds>, candidate: Candidate): Fix[] {
  const { sourceFile: sf } = context;
  const label = candidate.kind === 'pool' ? 'idle client' : candidate.kind === 'broker' ? 'connection' : candidate.kind === 'request' ? 'request' : 'socket';
  const handler = (name: string) => `${name}.on('error', (err) => console.error('${label} error:', err.message));`;
  const title = "Add an 'error' listener";
  const origin = candidate.origin;
  const edit = insertAfterCreation(origin, handler, sf);
  if (edit) return [{ title, edits: [edit], preferred: true }];
  // `http.get(url, cb);` as a statement: chain the listener.
  const p = origin.parent;
  if (p && isExpressionStatement(p) && (isCallExpression(origin) || isNewExpression(origin))) {
    return [{ title, edits: [{ start: origin.end, end: origin.end, newText: `.on('error', (err) => console.error('${label} error:', err.message))` }], preferred: true }];
  }
  return [];
}

function isGuarded(facts: EmitterFacts, candidate: Candidate, context: RuleContext<MessageIds>): 'report' | 'removed' | 'skip' {
  if (facts.errorHandledByHelper) return 'skip';
  const state = listenerState(facts, 'error');
  if (state === 'listened') return 'skip';
  // `ws.onerror = …` registers through EventTarget.
  if (context.model.propertyWritesTo(facts.origin).some((w) => w.path.join('.') === 'onerror')) return 'skip';
  if (state === 'removed') {
    // A socket whose error handling was taken off after connecting, and that stays here: later
    // resets hit no listener. (Handed on, as connect helpers do, the receiver listens; a request is
    // done with its own errors once it upgrades or answers.)
    return facts.escapes.length > 0 || !SOCKET_KINDS.has(candidate.kind) ? 'skip' : 'removed';
  }
  // Handed to code this file cannot see, which may well listen (rules.md: listeners in another module).
  if (facts.escapes.length > 0) return 'skip';
  if (LONG_LIVED_ONLY.has(candidate.kind) && calledOnNormalPath(facts)) return 'skip';
  return 'report';
}

/** Module top level, or an immediately invoked function there. */
function runsAtTopLevel(node: ts.Node): boolean {
  for (let fn = enclosingFunction(node); fn; fn = enclosingFunction(fn)) {
    let n: ts.Node = fn;
    while (n.parent && isParenthesizedExpression(n.parent)) n = n.parent;
    const call = n.parent;
    if (!call || !isCallExpression(call) || call.expression !== n) return false;
  }
  return true;
}

export default createRule<MessageIds>({
  meta: {
    id: 'network-error-unhandled',
    lesson: 'closing-connections',
    severity: 'warning',
    title: "Network 'error' with no listener",
    description:
      "Connection failures arrive as events: ECONNRESET when the peer (or a load balancer, or a NAT that forgot the flow) sends RST, EPIPE when writing after the peer closed, ECONNREFUSED, ETIMEDOUT, ENOTFOUND. An 'error' event with no listener throws, and an unhandled promise rejection exits the process since Node 15, so one misbehaving peer ends every other connection and in-flight request in the process. pg pools emit 'error' for idle clients killed by a failover; amqplib connections when the broker closes them.",
    messages: {
      accepted: "`{{name}}` has no 'error' listener: one client that resets its connection (RST → ECONNRESET) or leaves mid-write (EPIPE) throws here and exits the process, dropping every other connection with it.",
      client: "{{api}} socket has no 'error' listener: ECONNREFUSED, ENOTFOUND, or a reset (ECONNRESET) on the open connection is emitted as 'error' and, unhandled, exits the process.",
      request: "{{api}} request has no 'error' listener: a refused connection, failed DNS lookup or reset socket emits 'error' on it, and an unhandled 'error' exits the process with every in-flight request.",
      datagram: "dgram socket has no 'error' listener: a failed send (ENOTFOUND for the host, EMSGSIZE above 65 507 B) or bind is emitted as 'error', and unhandled it exits the process.",
      session: "{{api}} session has no 'error' listener: a refused or reset connection (ECONNRESET) or a protocol error emits 'error' on the session, and unhandled it exits the process.",
      websocket: "`{{name}}` has no 'error' listener: an invalid frame, an oversized message or a reset connection emits 'error', and with no listener ws throws and the process exits.",
      pool: "{{api}} has no 'error' listener: when the server, a failover or an idle timeout kills an idle connection, the client emits 'error' and the process exits. Listen for it and log.",
      broker: "{{api}} connection has no 'error' listener: a broker restart or a missed heartbeat closes it with an 'error' event, and unhandled it exits the process.",
      removed: "The only 'error' listener on this socket is removed once it connects: a later ECONNRESET or EPIPE on the open connection is emitted with no listener and exits the process.",
      promise: "{{api}} rejects on a refused, reset or timed-out connection, and nothing handles it here: since Node 15 an unhandled rejection exits the process. Await it in try/catch or add `.catch()`.",
    },
    fixable: true,
  },
  check(context) {
    // Test code is expected to crash loudly on a network error.
    if (context.isTestFile) return;
    const { model } = context;
    const candidates = [...acceptedSockets(context), ...createdEmitters(context)];
    const reported = new Set<ts.Node>();
    for (const candidate of candidates) {
      if (reported.has(candidate.origin)) continue;
      const facts = emitterFacts(model, candidate.origin);
      const verdict = isGuarded(facts, candidate, context);
      if (verdict === 'skip') continue;
      reported.add(candidate.origin);
      const name = isParameter(candidate.origin) ? candidate.origin.name.getText(context.sourceFile) : candidate.api;
      context.report({
        messageId: verdict === 'removed' ? 'removed' : candidate.kind,
        data: { api: candidate.api, name },
        range: candidate.anchor,
        related: candidate.related ? [candidate.related] : [],
        fixes: errorListenerFix(context, candidate),
      });
    }
    // A rejection nobody handles ends a Node process, not a browser tab.
    const browser = runsInPage(context.text) || BROWSER_FILE.test(context.sourceFile.fileName);
    for (const p of browser ? [] : networkPromises(model)) {
      if (p.handled) continue;
      // At the top level of a script (directly or in its main IIFE) a rejection ends the script,
      // which is how a script fails anyway; in a long-running process it takes everything down.
      if (runsAtTopLevel(p.node)) continue;
      // Express-style async handlers: the framework's business (rules.md: needs framework modelling).
      if (p.settledBy === 'caller' || (p.settledBy === 'async-function' && isInRequestHandler(p.node))) continue;
      const call: NetworkCall = p.call;
      if (reported.has(p.node)) continue;
      context.report({ messageId: 'promise', data: { api: call.api }, range: call.calleeRange });
    }
  },
});
