// HTTP/1.1 reuses a connection only when both sides keep it alive. `agent: false`,
// `keepAlive: false`, a `Connection: close` header, a `new Agent()` left at its default, or a proxy
// without an agent each turn every request into a fresh TCP (+TLS) connection that is closed after
// the response, and the closing side parks the socket in TIME_WAIT for 60 s.
import ts = require('typescript');
import { isNodeAgent, isUsed, keepAliveOf, optionsFullyKnown } from '../analysis/agents';
import { isBrowserCode } from '../analysis/context';
import { addProperty, appendArgument, enclosingStatement, removeProperty } from '../analysis/edits';
import { propertyKey, propertyKeysWhere, selectAssignments, type Assignment } from '../analysis/facts';
import { range } from '../analysis/fileModel';
import type { FileModel } from '../analysis/fileModel';
import { unwrapExpression } from '../analysis/resolve';
import type { Fix, NetworkCall } from '../analysis/types';
import { staticValue } from '../analysis/values';
import { createRule, type RuleContext } from './createRule';

// The compiler's exports are getters (a call per read); bind the functions used here once.
const { isBinaryExpression, isConditionalExpression, isElementAccessExpression, isFunctionLike, isObjectLiteralExpression, isPropertyAccessExpression, isPropertyAssignment, isSourceFile, isStringLiteralLike } = ts;

type MessageIds = 'agentFalse' | 'keepAliveOff' | 'agentDefault' | 'connectionClose' | 'proxyNoAgent';

/** Keys of Node's `http.request` options: an object with several of them is request options. */
const REQUEST_OPTION_KEYS = new Set([
  'host', 'hostname', 'port', 'path', 'method', 'headers', 'protocol', 'socketPath', 'auth', 'localAddress', 'family',
  'servername', 'rejectUnauthorized', 'ca', 'cert', 'key', 'pfx', 'passphrase', 'ciphers', 'secureProtocol', 'timeout',
  'setHost', 'lookup', 'href', 'url', 'uri',
]);
/** Keys that mark the owner of a `headers` object as an outbound request (a `Response` init has none of them). */
const OUTBOUND_KEYS = new Set(['host', 'hostname', 'port', 'path', 'method', 'url', 'uri', 'baseURL', 'prefixUrl', 'protocol', 'agent', 'socketPath', 'target', 'dispatcher']);
/** Libraries whose calls send requests with the headers and agent they are given. */
const OUTBOUND_LIBRARIES = new Set(['node:http', 'node:https', 'fetch', 'undici', 'node-fetch', 'axios', 'got', 'superagent']);

/** A CONNECT request turns its connection into a tunnel: it can never be reused for another request. */
function isConnectRequest(obj: ts.ObjectLiteralExpression, model: FileModel): boolean {
  return obj.properties.some((p) => isPropertyAssignment(p) && propertyKey(p.name) === 'method' && (() => {
    const v = staticValue(p.initializer, model.facts.root);
    return v.kind === 'string' && v.value.toUpperCase() === 'CONNECT';
  })());
}

const keysOf = (obj: ts.ObjectLiteralExpression): string[] =>
  obj.properties.flatMap((p) => {
    const key = p.name && propertyKey(p.name as ts.PropertyName);
    return key === undefined ? [] : [key];
  });

function outboundCallsByOptions(model: FileModel): Map<ts.ObjectLiteralExpression, NetworkCall> {
  const byObject = new Map<ts.ObjectLiteralExpression, NetworkCall>();
  for (const call of model.calls) {
    if (!OUTBOUND_LIBRARIES.has(call.library) || (call.role !== 'request' && call.role !== 'client')) continue;
    const obj = model.optionsObject(call);
    if (obj) byObject.set(obj, call);
  }
  return byObject;
}

/** `x || false`, `x ?? false`, `c ? x : false`, `false`: a value that is `false` when nothing else is configured. */
function fallsBackToFalse(expr: ts.Expression): boolean {
  const e = unwrapExpression(expr);
  if (e.kind === ts.SyntaxKind.FalseKeyword) return true;
  if (isBinaryExpression(e) && (e.operatorToken.kind === ts.SyntaxKind.BarBarToken || e.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken)) return fallsBackToFalse(e.right);
  if (isConditionalExpression(e)) return unwrapExpression(e.whenFalse).kind === ts.SyntaxKind.FalseKeyword || unwrapExpression(e.whenTrue).kind === ts.SyntaxKind.FalseKeyword;
  return false;
}

function propertyName(target: ts.Expression): string | undefined {
  if (isPropertyAccessExpression(target)) return target.name.text;
  if (isElementAccessExpression(target) && isStringLiteralLike(target.argumentExpression)) return target.argumentExpression.text;
  return undefined;
}

// Tests of an assignment's own syntax, for `selectAssignments` (in an open document each statement's
// selection is kept, so an edit does not read every assignment of the file again).
/** `x.port = …`, `x['method'] = …`: a request option written on an object. */
const writesRequestOption = (a: Assignment): boolean => REQUEST_OPTION_KEYS.has(propertyName(a.target) ?? '');
/** `x.agent = …`. */
const writesAgent = (a: Assignment): boolean => propertyName(a.target) === 'agent';
/** `x.headers.connection = …` (`Connection` in any letter case, either access). */
const writesConnectionHeader = (a: Assignment): boolean => {
  const name = propertyName(a.target);
  if (name === undefined || !isConnectionName(name)) return false;
  const parent = unwrapExpression((a.target as ts.PropertyAccessExpression | ts.ElementAccessExpression).expression);
  return (isPropertyAccessExpression(parent) || isElementAccessExpression(parent)) && propertyName(parent) === 'headers';
};

function enclosingFunctionOrFile(node: ts.Node): ts.Node {
  for (let n = node.parent; n; n = n.parent) if (isFunctionLike(n) || isSourceFile(n)) return n;
  return node.getSourceFile();
}

/**
 * Request-option keys written on the same object (`outgoing.port = …; outgoing.method = …`) in the
 * same function: evidence that `outgoing.agent = …` configures an outbound HTTP request.
 */
function requestKeysWrittenOn(context: RuleContext<MessageIds>, target: ts.PropertyAccessExpression | ts.ElementAccessExpression): number {
  const base = target.expression.getText(context.sourceFile);
  const fn = enclosingFunctionOrFile(target);
  const keys = new Set<string>();
  for (const a of selectAssignments(context.model.facts, writesRequestOption)) {
    const t = a.target as ts.PropertyAccessExpression | ts.ElementAccessExpression;
    if (enclosingFunctionOrFile(t) !== fn) continue;
    if (t.expression.getText(context.sourceFile) === base) keys.add(propertyName(t)!);
  }
  return keys.size;
}

function checkAgents(context: RuleContext<MessageIds>): void {
  const { model, sourceFile: sf } = context;
  for (const call of model.calls) {
    if (!isNodeAgent(call)) continue;
    const keepAlive = keepAliveOf(model, call);
    if (keepAlive.state === 'off') {
      // Switched off on purpose against the stale-socket race (rules.md: the fix belongs to idle-timeout alignment).
      if (explainsStaleSocketWorkaround(context, model.nodeOf(call), keepAlive.option.range.start)) continue;
      const valueStart = keepAlive.option.valueRange;
      context.report({
        messageId: 'keepAliveOff',
        range: keepAlive.option.range,
        fixes: [{ title: 'Set `keepAlive: true`', edits: [{ ...valueStart, newText: 'true' }], preferred: true }],
      });
      continue;
    }
    if (keepAlive.state !== 'default-off') continue;
    // `maxCachedSessions: 0` asks for a full TLS handshake on every connection: a probe that wants fresh connections.
    if (call.options.some((o) => o.key === 'maxCachedSessions' && o.value.kind === 'number' && o.value.value === 0)) continue;
    const node = model.nodeOf(call);
    if (!isUsed(model, node)) continue;
    const obj = model.optionsObject(call);
    const fixes: Fix[] = obj
      ? [{ title: 'Add `keepAlive: true`', edits: [addProperty(obj, 'keepAlive: true', sf)], preferred: true }]
      : (node.arguments?.length ?? 0) === 0
        ? [{ title: 'Add `{ keepAlive: true }`', edits: [appendArgument(node, '{ keepAlive: true }')], preferred: true }]
        : [];
    context.report({ messageId: 'agentDefault', data: { api: call.api }, range: call.calleeRange, fixes });
  }
}

const STALE_SOCKET_NOTE = /ECONNRESET|hang ?up|stale|EPIPE|reused? socket|keep-?alive (race|bug|issue)/i;

/** A comment on the agent's statement or the option itself that names the stale-socket race. */
function explainsStaleSocketWorkaround(context: RuleContext<MessageIds>, node: ts.Node, optionStart: number): boolean {
  const text = context.text;
  const statement = enclosingStatement(node);
  const starts = [optionStart, statement ? statement.getFullStart() : node.getFullStart()];
  for (const at of starts) {
    // Comments just before the option or the statement (a few lines at most).
    const before = text.slice(Math.max(0, at - 400), at);
    const comments = before.match(/\/\/[^\n]*|\/\*[\s\S]*?\*\//g) ?? [];
    if (comments.some((c) => STALE_SOCKET_NOTE.test(c))) return true;
  }
  return false;
}

function checkAgentFalse(context: RuleContext<MessageIds>, outbound: Map<ts.ObjectLiteralExpression, NetworkCall>): void {
  const { model, sourceFile: sf } = context;
  for (const p of model.facts.propertiesByName.get('agent') ?? []) {
    const obj = p.parent;
    if (!isObjectLiteralExpression(obj)) continue;
    if (staticValue(p.initializer, model.facts.root).kind !== 'boolean' || unwrapExpression(p.initializer).kind !== ts.SyntaxKind.FalseKeyword) continue;
    if (isConnectRequest(obj, model)) continue;
    const call = outbound.get(obj);
    const requestKeys = keysOf(obj).filter((k) => REQUEST_OPTION_KEYS.has(k)).length;
    if (!call && requestKeys < 2) continue;
    // Removing it hands the request to the global agent, which keeps connections alive since Node 19.
    const fixes: Fix[] = context.config.nodeMajor >= 19 ? [{ title: 'Remove `agent: false` (use the keep-alive global agent)', edits: [removeProperty(p, sf)], preferred: true }] : [];
    context.report({ messageId: 'agentFalse', range: range(p, sf), fixes });
  }
  for (const a of selectAssignments(model.facts, writesAgent)) {
    const t = a.target as ts.PropertyAccessExpression | ts.ElementAccessExpression;
    if (!fallsBackToFalse(a.node.right)) continue;
    if (requestKeysWrittenOn(context, t) < 2) continue;
    context.report({ messageId: 'agentFalse', range: range(a.node, sf) });
  }
}

function isClose(expr: ts.Expression | undefined, model: FileModel): boolean {
  const v = staticValue(expr, model.facts.root);
  return v.kind === 'string' && v.value.trim().toLowerCase() === 'close';
}

/**
 * `connection` in any letter case. The length test first: it runs for every property name and
 * assignment of the file, and no other length lowercases to these ten letters.
 */
const isConnectionName = (name: string): boolean => name.length === 10 && name.toLowerCase() === 'connection';

function checkConnectionClose(context: RuleContext<MessageIds>, outbound: Map<ts.ObjectLiteralExpression, NetworkCall>): void {
  const { model, sourceFile: sf } = context;
  for (const key of propertyKeysWhere(model.facts, isConnectionName)) {
    for (const p of model.facts.propertiesByName.get(key) ?? []) {
      if (!isClose(p.initializer, model)) continue;
      const headers = p.parent;
      if (!isObjectLiteralExpression(headers) || keysOf(headers).some((k) => k.toLowerCase() === 'upgrade')) continue;
      const holder = headers.parent;
      if (!isPropertyAssignment(holder) || propertyKey(holder.name) !== 'headers' || !isObjectLiteralExpression(holder.parent)) continue;
      const owner = holder.parent;
      if (isConnectRequest(owner, model)) continue;
      if (!outbound.has(owner) && !keysOf(owner).some((k) => OUTBOUND_KEYS.has(k))) continue;
      context.report({
        messageId: 'connectionClose',
        range: range(p, sf),
        fixes: [{ title: 'Remove the `Connection: close` header', edits: [removeProperty(p, sf)], preferred: true }],
      });
    }
  }
  // `options.headers.connection = 'close'`: only outbound requests carry a writable `headers` object.
  for (const a of selectAssignments(model.facts, writesConnectionHeader)) {
    if (!isClose(a.node.right, model)) continue;
    context.report({ messageId: 'connectionClose', range: range(a.node, sf) });
  }
  // `req.setHeader('Connection', 'close')` on a client request.
  for (const call of model.calls) {
    if ((call.library !== 'node:http' && call.library !== 'node:https') || call.role !== 'request') continue;
    for (const use of model.usesOf(model.nodeOf(call))) {
      if (use.method !== 'setHeader') continue;
      const [name, value] = use.call.arguments;
      const n = staticValue(name, use.scope);
      if (n.kind !== 'string' || n.value.toLowerCase() !== 'connection' || !isClose(value, model)) continue;
      context.report({ messageId: 'connectionClose', range: range(use.call, sf) });
    }
  }
}

/** http-proxy / http-proxy-middleware made without an `agent`, and none passed per request either. */
function checkProxies(context: RuleContext<MessageIds>): void {
  const { model } = context;
  for (const call of model.calls) {
    if (call.library !== 'http-proxy' && call.library !== 'http-proxy-middleware') continue;
    if (!optionsFullyKnown(model, call) || call.options.some((o) => o.key === 'agent')) continue;
    if (call.library === 'http-proxy-middleware' && !model.optionsObject(call)) continue;
    const node = model.nodeOf(call);
    const perRequestAgent = model.usesOf(node).some((u) => {
      if (u.method !== 'web' && u.method !== 'ws') return false;
      const opts = u.call.arguments[u.method === 'web' ? 2 : 3];
      if (!opts) return false;
      const e = unwrapExpression(opts);
      // An options object the analysis cannot see may carry an agent.
      return !isObjectLiteralExpression(e) || keysOf(e).includes('agent') || e.properties.some(ts.isSpreadAssignment);
    });
    if (perRequestAgent) continue;
    if (model.propertyWritesTo(node).some((w) => w.path[w.path.length - 1] === 'agent')) continue;
    context.report({ messageId: 'proxyNoAgent', data: { api: call.api }, range: call.calleeRange });
  }
}

export default createRule<MessageIds>({
  meta: {
    id: 'http-keepalive-disabled',
    lesson: 'keep-alive-and-pools',
    severity: 'warning',
    title: 'HTTP keep-alive switched off',
    description:
      'HTTP/1.1 reuses a connection for the next request only while both sides keep it alive. `agent: false`, `keepAlive: false`, a `Connection: close` header, a `new http.Agent()` left at its default (`keepAlive: false`; only the global agent keeps alive, since Node 19), or http-proxy without an `agent` make every request open a new TCP (+TLS) connection: 1–3 extra round trips and a fresh slow start each time. The side that closes keeps each socket in TIME_WAIT for 60 s, so about 470 requests per second to one backend exhaust the 28 232 ephemeral ports and connects fail with EADDRNOTAVAIL.',
    messages: {
      agentFalse: '`agent: false` gives every request its own connection, closed after the response: a new TCP (+TLS) handshake each time and a socket in TIME_WAIT for 60 s. About 470 requests/s to one host exhaust the 28 232 ephemeral ports (EADDRNOTAVAIL).',
      keepAliveOff: '`keepAlive: false`: the agent closes each connection once it is idle, so requests pay a new TCP (+TLS) handshake and leave sockets in TIME_WAIT for 60 s (about 470 requests/s to one host exhaust the ephemeral ports).',
      agentDefault: '`new {{api}}()` defaults to `keepAlive: false` (only the global agent keeps alive, since Node 19): idle connections are closed, so requests pay new TCP (+TLS) handshakes and leave sockets in TIME_WAIT for 60 s.',
      connectionClose: '`Connection: close` ends the connection after this response: every request pays a new TCP (+TLS) handshake and leaves a socket in TIME_WAIT for 60 s. About 470 requests/s to one host exhaust the 28 232 ephemeral ports.',
      proxyNoAgent: '{{api}} without an `agent` sends each proxied request with `agent: false` and `Connection: close`: a new upstream connection per request, and about 470 requests/s to one backend exhaust the ephemeral ports (EADDRNOTAVAIL). Pass a keep-alive agent.',
    },
    fixable: true,
  },
  check(context) {
    // Tests isolate connections on purpose (a kept-alive socket holds the runner open).
    if (context.isTestFile) return;
    // In a browser bundle these options are ignored: the browser pools connections itself.
    if (isBrowserCode(context.text)) return;
    const outbound = outboundCallsByOptions(context.model);
    checkAgents(context);
    checkAgentFalse(context, outbound);
    checkConnectionClose(context, outbound);
    checkProxies(context);
  },
});
