// `.pipe()` moves bytes and backpressure, not errors or early closes: a client that disconnects
// leaves the source open (a socket or file descriptor that never closes), and an error on the
// source is not forwarded (it throws when nobody listens) while the destination hangs.
import ts = require('typescript');
import { enclosingStatement } from '../analysis/edits';
import { emitterFacts, listenerEventOf, listenerState, originsOf, scopeAt } from '../analysis/emitters';
import type { FileModel } from '../analysis/fileModel';
import { namedImport } from '../analysis/imports';
import { unwrapExpression } from '../analysis/resolve';
import type { Fix } from '../analysis/types';
import { createRule, type RuleContext } from './createRule';

// The compiler's exports are getters (a call per read); bind the functions used here once.
const { isCallExpression, isExpressionStatement, isIdentifier, isNewExpression, isParameter, isPropertyAccessExpression, isVariableDeclaration } = ts;

type MessageIds = 'sourceThrows' | 'sourceLeaks';

/** Types whose streams are network connections. */
const NETWORK_TYPES = new Set(['net.Socket', 'http.IncomingMessage', 'http.ServerResponse', 'http.ClientRequest', 'http2.Stream']);
/** Names that hold a request, response or socket by convention (Express handlers, proxies). */
const NETWORK_NAMES = /^(req|request|res|response|socket|sock|proxyReq|proxyRes|upstreamReq|upstreamRes|clientSocket|serverSocket)$/i;
/** Events whose listener means the code deals with failure or early close itself. */
const FAILURE_EVENTS = new Set(['error', 'close', 'aborted', 'abort', 'finish', 'unpipe', 'timeout']);

function isNetworkStream(model: FileModel, expr: ts.Expression): boolean {
  const e = unwrapExpression(expr);
  const v = model.resolver.resolve(e, scopeAt(model, e));
  if (v && NETWORK_TYPES.has(v.type)) return true;
  const name = isIdentifier(e) ? e.text : isPropertyAccessExpression(e) ? e.name.text : undefined;
  return !!name && NETWORK_NAMES.test(name);
}

/** True when any object the expression may be listens for failure itself (or is handed to `pipeline`). */
function handlesFailure(model: FileModel, origins: ts.Node[]): boolean {
  return origins.some((o) => {
    const facts = emitterFacts(model, o);
    if (facts.errorHandledByHelper || listenerState(facts, 'error') !== 'none') return true;
    return facts.registrations.some((r) => r.event !== undefined && FAILURE_EVENTS.has(r.event) && r.method !== 'removeListener' && r.method !== 'off');
  });
}

/** Made in this file (a call or `new`) or a callback parameter whose type the library model knows. */
function isOwnStream(model: FileModel, origin: ts.Node): boolean {
  if (isCallExpression(origin) || isNewExpression(origin)) return true;
  // A parameter typed by the model, or handed over by an event this code listens to ('response').
  if (isParameter(origin) && isIdentifier(origin.name)) return !!model.resolver.resolve(origin.name, scopeAt(model, origin.name)) || !!listenerEventOf(origin.parent);
  if (isVariableDeclaration(origin) && origin.initializer) {
    const init = unwrapExpression(origin.initializer);
    return isCallExpression(init) || isNewExpression(init);
  }
  return false;
}

/** An IncomingMessage does not emit 'error' when nobody listens; everything else throws. */
function throwsWithoutListener(model: FileModel, expr: ts.Expression): boolean {
  const e = unwrapExpression(expr);
  const v = model.resolver.resolve(e, scopeAt(model, e));
  if (v) return v.type !== 'http.IncomingMessage';
  const name = isIdentifier(e) ? e.text : isPropertyAccessExpression(e) ? e.name.text : '';
  return !/^(req|request|res|response|proxyRes|upstreamRes)$/i.test(name);
}

/** The streams of a `.pipe` chain: `a.pipe(b).pipe(c)` → [a, b, c]; undefined for anything else. */
function pipeChain(call: ts.CallExpression): ts.Expression[] | undefined {
  const parts: ts.Expression[] = [];
  let e: ts.Expression = call;
  while (isCallExpression(e) && isPropertyAccessExpression(e.expression) && e.expression.name.text === 'pipe') {
    if (e.arguments.length !== 1) return undefined;
    parts.unshift(e.arguments[0]);
    e = unwrapExpression(e.expression.expression);
  }
  parts.unshift(e);
  return parts;
}

function pipelineFix(context: RuleContext<MessageIds>, call: ts.CallExpression): Fix[] {
  const { model, sourceFile: sf } = context;
  // Only the outermost call of a chain, used as a statement on its own (its result unused).
  const statement = enclosingStatement(call);
  if (!statement || !isExpressionStatement(statement) || unwrapExpression(statement.expression) !== call) return [];
  const streams = pipeChain(call);
  if (!streams) return [];
  const imported = namedImport(model, 'stream', 'pipeline');
  if (!imported) return [];
  const args = streams.map((s) => s.getText(sf)).join(', ');
  const replacement = `${imported.name}(${args}, (err) => {\n${' '.repeat(0)}  if (err) console.error('pipeline failed:', err.message);\n})`;
  const indent = /^[ \t]*/.exec(sf.text.slice(sf.text.lastIndexOf('\n', statement.getStart(sf) - 1) + 1))?.[0] ?? '';
  const text = replacement.replace(/\n/g, `\n${indent}`);
  const edits = [{ start: call.getStart(sf), end: call.end, newText: text }];
  if (imported.edit) edits.unshift(imported.edit);
  return [{ title: 'Use `stream.pipeline` (destroys every stream on error or early close)', edits, preferred: true }];
}

function describe(expr: ts.Expression, sf: ts.SourceFile): string {
  const t = expr.getText(sf).replace(/\s+/g, ' ');
  return t.length > 40 ? `${t.slice(0, 37)}…` : t;
}

export default createRule<MessageIds>({
  meta: {
    id: 'pipe-without-error-handling',
    lesson: 'flow-control-and-backpressure',
    severity: 'warning',
    title: '`.pipe()` without error or close handling',
    description:
      "`src.pipe(dst)` forwards data and backpressure but neither errors nor early closes. When the client behind `dst` disconnects (RST, a closed tab, a proxy timeout), `dst` is destroyed and `src` is merely unpiped: the upstream socket or file descriptor stays open. An error on `src` is not forwarded: with no listener it throws and exits the process, and `dst` hangs until its peer times out. `stream.pipeline()` destroys every stream in the chain on error or close.",
    messages: {
      sourceThrows: "`{{src}}` has no 'error' listener and `.pipe()` does not forward errors: a failure on it (ENOENT, ECONNRESET) throws and exits the process, and `{{dst}}` is left open until its peer times out. Use `stream.pipeline`.",
      sourceLeaks: "`.pipe()` does not propagate close: when the peer of `{{dst}}` disconnects (RST), `{{src}}` is only unpiped and stays open, holding its socket. Use `stream.pipeline`, which destroys both ends.",
    },
    fixable: true,
  },
  check(context) {
    // Test code talks to local peers and runs briefly: the wire effects this rule is about do not occur.
    if (context.isTestFile) return;
    const { model, sourceFile: sf } = context;
    for (const site of model.callsNamed('pipe')) {
      const call = site.node;
      if (!isCallExpression(call) || call.arguments.length !== 1) continue;
      const callee = unwrapExpression(call.expression);
      if (!isPropertyAccessExpression(callee) || callee.name.text !== 'pipe') continue;
      const src = callee.expression;
      const dst = call.arguments[0];
      // An echo (`sock.pipe(sock)`) has one object: network-error-unhandled covers its 'error'.
      if (unwrapExpression(src).getText(sf) === unwrapExpression(dst).getText(sf)) continue;
      if (!isNetworkStream(model, src) && !isNetworkStream(model, dst)) continue;
      const srcOrigins = originsOf(model, src);
      const dstOrigins = originsOf(model, dst);
      if (!srcOrigins || !dstOrigins) continue;
      // A stream handed in by a caller is the caller's to guard; judge only streams made or typed here.
      if (!srcOrigins.every((o) => isOwnStream(model, o))) continue;
      if (handlesFailure(model, srcOrigins)) continue;
      const srcThrows = throwsWithoutListener(model, src);
      if (!srcThrows && handlesFailure(model, dstOrigins)) continue;
      // The outermost call of a chain carries the fix.
      const outer = call.parent && isPropertyAccessExpression(call.parent) && call.parent.name.text === 'pipe' ? undefined : call;
      context.report({
        messageId: srcThrows ? 'sourceThrows' : 'sourceLeaks',
        data: { src: describe(src, sf), dst: describe(dst, sf) },
        range: { start: callee.name.getStart(sf), end: call.end },
        fixes: outer ? pipelineFix(context, outer) : [],
      });
    }
  },
});
