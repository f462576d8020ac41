// `setTimeout` on a socket or request only arms an inactivity timer that emits 'timeout'; Node does
// not close anything ("the connection will not be severed"), and a callback on `server.setTimeout`
// even turns off the server's own destroy. A handler that only logs leaves the socket open forever.
import ts = require('typescript');
import { accessPath, emitterFacts, listenerState, localFunction, originsOf, scopeAt } from '../analysis/emitters';
import { selectCalls, type CallSite } from '../analysis/facts';
import type { FileModel } from '../analysis/fileModel';
import { range } from '../analysis/fileModel';
import { LISTENER_METHODS, unwrapExpression } from '../analysis/resolve';
import type { Binding } from '../analysis/scope';
import type { Fix } from '../analysis/types';
import { walkTree } from '../analysis/walk';
import { createRule, type RuleContext } from './createRule';

// The compiler's exports are getters (a call per read); bind the functions used here once.
const { isArrowFunction, isBlock, isCallExpression, isFunctionExpression, isIdentifier, isNumericLiteral, isPropertyAccessExpression, isStringLiteralLike } = ts;

type MessageIds = 'handlerKeepsSocket' | 'serverHandlerKeepsSocket' | 'nobodyListens';


/**
 * `x.setTimeout(…)`, `x.on('timeout', …)` (and the other ways to add a listener): the sites the rule
 * looks at, by their own syntax (`selectCalls`: in an open document each statement's are kept).
 */
function setsTimeoutOrListensForIt(site: CallSite): boolean {
  const call = site.node;
  if ((site.calleeName !== 'setTimeout' && !LISTENER_METHODS.has(site.calleeName ?? '')) || !isCallExpression(call)) return false;
  const callee = unwrapExpression(call.expression);
  if (!isPropertyAccessExpression(callee)) return false;
  const method = callee.name.text;
  if (method === 'setTimeout') return true;
  const event = call.arguments[0];
  return LISTENER_METHODS.has(method) && event !== undefined && isStringLiteralLike(event) && event.text === 'timeout';
}

/** Objects whose 'timeout' Node reports but does not act on. */
const TIMEOUT_TYPES = new Set(['net.Socket', 'http.ClientRequest', 'http.IncomingMessage', 'http.ServerResponse', 'http.Server', 'net.Server']);
const SERVER_TYPES = new Set(['http.Server', 'net.Server']);
/** Calls that close the connection. */
const CLOSING = new Set(['destroy', 'end', 'abort', 'resetAndDestroy', 'destroySoon', 'terminate', 'close', 'writeHead', 'sendStatus', 'status']);
/** Names of helpers that plausibly close what they are asked to (their body is out of sight). */
const CLOSING_NAME = /close|destroy|abort|\bend|End|reset|cleanup|clean[A-Z]|teardown|tearDown|terminate|disconnect|kill|shutdown|fail|[tT]imeout|reconnect|retry/;

/** Whether running `fn` closes the connection: directly, through a helper in this file, or by escalating to an 'error' listener that does. */
function closes(model: FileModel, fn: ts.Node, target: Target | undefined, depth: number): boolean {
  let found = false;
  // walkTree is iterative: function bodies from generated code nest deeper than the stack allows.
  const visit = (n: ts.Node): 'stop' | undefined => {
    if (isCallExpression(n)) {
      const callee = unwrapExpression(n.expression);
      const name = isPropertyAccessExpression(callee) ? callee.name.text : isIdentifier(callee) ? callee.text : undefined;
      if (isPropertyAccessExpression(callee) && name && CLOSING.has(name)) found = true;
      // Re-emitting 'timeout' hands the decision to the owner's listeners (a library forwarding its socket's events).
      else if (isPropertyAccessExpression(callee) && name === 'emit' && isEvent(n, 'timeout')) found = true;
      else if (isPropertyAccessExpression(callee) && name === 'emit' && isEvent(n, 'error') && target && sameObject(model, callee.expression, target)) {
        // `sock.emit('error', …)` on the timed-out object: its 'error' listeners decide.
        found = errorListenersClose(model, callee.expression, depth);
      } else if (name) {
        const local = depth < 3 ? localFunction(model, callee) : undefined;
        if (local) found = closes(model, local, target, depth + 1);
        else if (CLOSING_NAME.test(name) && !/^(set|clear)Timeout$/.test(name)) found = true;
        // Handing the object itself to code out of sight may close it.
        else if (target && name !== 'emit' && n.arguments.some((a) => sameObject(model, a, target))) found = true;
      }
    }
    return found ? 'stop' : undefined;
  };
  const body = (fn as ts.FunctionLikeDeclarationBase).body;
  if (body) walkTree(body, visit);
  return found;
}

/** The timed-out object: its access path, and for a plain name the variable it is (not a shadowing parameter). */
interface Target {
  path: string;
  binding?: Binding;
}

function targetOf(model: FileModel, expr: ts.Expression): Target | undefined {
  const path = accessPath(model, expr);
  if (!path) return undefined;
  const e = unwrapExpression(expr);
  return { path, binding: isIdentifier(e) ? scopeAt(model, e).lookup(e.text) : undefined };
}

function sameObject(model: FileModel, expr: ts.Expression, target: Target): boolean {
  const e = unwrapExpression(expr);
  if (target.binding) return isIdentifier(e) && scopeAt(model, e).lookup(e.text) === target.binding;
  return accessPath(model, e) === target.path;
}

function isEvent(call: ts.CallExpression, event: string): boolean {
  const ev = call.arguments[0];
  return !!ev && isStringLiteralLike(ev) && ev.text === event;
}

function errorListenersClose(model: FileModel, objExpr: ts.Expression, depth: number): boolean {
  for (const origin of originsOf(model, objExpr) ?? []) {
    const facts = emitterFacts(model, origin);
    if (listenerState(facts, 'error') === 'none') continue;
    for (const r of facts.registrations) {
      if (r.event !== 'error' || !r.handler) continue;
      const h = unwrapExpression(r.handler);
      const fn = isArrowFunction(h) || isFunctionExpression(h) ? h : localFunction(model, h);
      if (fn && closes(model, fn, undefined, depth + 1)) return true;
    }
  }
  return false;
}

function handlerOf(model: FileModel, arg: ts.Expression | undefined): ts.SignatureDeclaration | undefined {
  if (!arg) return undefined;
  const e = unwrapExpression(arg);
  if (isArrowFunction(e) || isFunctionExpression(e)) return e;
  if (isIdentifier(e) || isPropertyAccessExpression(e)) return localFunction(model, e);
  return undefined;
}

/** Adds `<target>.destroy();` at the end of an inline handler. */
function destroyFix(context: RuleContext<MessageIds>, handler: ts.SignatureDeclaration, target: string, inline: boolean): Fix[] {
  if (!inline || !(isArrowFunction(handler) || isFunctionExpression(handler))) return [];
  const { sourceFile: sf, text } = context;
  const title = `Destroy the socket: \`${target}.destroy()\``;
  const body = handler.body;
  if (isBlock(body)) {
    const last = body.statements[body.statements.length - 1];
    if (!last) return [];
    const lineStart = text.lastIndexOf('\n', last.getStart(sf) - 1) + 1;
    const indent = /^[ \t]*/.exec(text.slice(lineStart))?.[0] ?? '';
    const sameLine = !text.slice(body.getStart(sf), body.end).includes('\n');
    const insertion = sameLine ? ` ${target}.destroy();` : `\n${indent}${target}.destroy();`;
    return [{ title, edits: [{ start: last.end, end: last.end, newText: insertion }], preferred: true }];
  }
  return [{ title, edits: [{ start: body.getStart(sf), end: body.end, newText: `{ ${body.getText(sf)}; ${target}.destroy(); }` }], preferred: true }];
}

export default createRule<MessageIds>({
  meta: {
    id: 'socket-timeout-without-destroy',
    lesson: 'retransmission-and-timeouts',
    severity: 'warning',
    title: 'Socket timeout that never closes the socket',
    description:
      "`socket.setTimeout(ms)` and `request.setTimeout(ms)` only arm an inactivity timer that emits 'timeout'; the Node docs say the connection is not severed, and a ClientRequest 'must be destroyed manually'. Passing a callback to `server.setTimeout()` (or listening for the server's 'timeout') turns off the server's default destroy. A handler that only logs or rejects a promise leaves the socket, its file descriptor and its memory in place until the peer closes, which a vanished peer never does.",
    messages: {
      handlerKeepsSocket: "This 'timeout' handler never destroys `{{target}}`: Node only reports the idle timer, it does not close the connection. The socket stays open (and its peer's request unanswered) until the peer gives up, which a vanished peer never does.",
      serverHandlerKeepsSocket: "With a 'timeout' handler on the server, Node no longer destroys idle sockets itself, and this handler never closes `{{target}}`: timed-out connections stay open and keep their file descriptors.",
      nobodyListens: "`{{target}}.setTimeout()` arms a timer, but nothing listens for its 'timeout' and Node does not close the socket itself: the timeout has no effect on the wire.",
    },
    fixable: true,
  },
  check(context) {
    // Test code talks to local peers and runs briefly: the wire effects this rule is about do not occur.
    if (context.isTestFile) return;
    const { model, sourceFile: sf } = context;
    for (const site of selectCalls(model.facts, setsTimeoutOrListensForIt)) {
      const call = site.node as ts.CallExpression;
      const callee = unwrapExpression(call.expression) as ts.PropertyAccessExpression;
      const isSetTimeout = callee.name.text === 'setTimeout';
      const receiver = model.resolver.resolve(callee.expression, site.scope);
      if (!receiver || !TIMEOUT_TYPES.has(receiver.type)) continue;
      const isServer = SERVER_TYPES.has(receiver.type);
      const handlerArg = call.arguments[1];
      const receiverPath = accessPath(model, callee.expression);
      if (isSetTimeout && !handlerArg) {
        // `server.setTimeout(ms)` keeps the server's own destroy; a socket or request gets nothing.
        if (isServer || !receiverPath) continue;
        const timeoutValue = call.arguments[0];
        if (timeoutValue && isNumericLiteral(unwrapExpression(timeoutValue)) && Number(unwrapExpression(timeoutValue).getText(sf)) === 0) continue;
        const origins = originsOf(model, callee.expression);
        if (!origins) continue;
        const listened = origins.some((o) => {
          const facts = emitterFacts(model, o);
          return facts.escapes.length > 0 || facts.registrations.some((r) => r.event === 'timeout');
        });
        if (listened) continue;
        context.report({ messageId: 'nobodyListens', data: { target: receiverPath }, range: range(call, sf) });
        continue;
      }
      const handler = handlerOf(model, handlerArg);
      if (!handler) continue;
      // A server's handler receives the socket; others act on the object they were set on.
      let target = targetOf(model, callee.expression);
      let targetText = callee.expression.getText(sf);
      if (isServer) {
        // `server.setTimeout(ms, () => log())`: the handler cannot even reach the socket.
        const p = handler.parameters[0];
        targetText = p && isIdentifier(p.name) ? p.name.text : 'the socket';
        target = p && isIdentifier(p.name) ? { path: targetText, binding: model.facts.scopes.get(handler)?.lookup(targetText) } : undefined;
      }
      if (closes(model, handler, target, 0)) continue;
      const inline = handlerArg !== undefined && (isArrowFunction(unwrapExpression(handlerArg)) || isFunctionExpression(unwrapExpression(handlerArg)));
      // In a `function` handler `this` is the emitter, not the code's own `this`.
      const fixable = /^[\w$.]+$/.test(targetText) && !(isFunctionExpression(handler) && targetText.startsWith('this.'));
      context.report({
        messageId: isServer ? 'serverHandlerKeepsSocket' : 'handlerKeepsSocket',
        data: { target: targetText },
        range: range(call, sf),
        fixes: fixable ? destroyFix(context, handler, targetText, inline) : [],
      });
    }
  },
});
