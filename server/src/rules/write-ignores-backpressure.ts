// `write()` returns false once the socket's userland buffer passes its highWaterMark (16 KiB): the
// peer reads slower than you write. Ignoring it in a loop or a timer makes Node buffer without
// limit, and a timer that keeps writing after the client left leaks too.
import ts = require('typescript');
import { enclosingFunction, enclosingLoop, isValueUsed } from '../analysis/context';
import { enclosingStatement } from '../analysis/edits';
import { emitterFacts, listenerEventOf, originsOf } from '../analysis/emitters';
import type { FileModel } from '../analysis/fileModel';
import { range } from '../analysis/fileModel';
import { namedImport } from '../analysis/imports';
import { unwrapExpression } from '../analysis/resolve';
import type { Fix } from '../analysis/types';
import { someNode } from '../analysis/walk';
import { createRule, type RuleContext } from './createRule';

// The compiler's exports are getters (a call per read); bind the functions used here once.
const { getModifiers, isArrayLiteralExpression, isArrowFunction, isBinaryExpression, isCallExpression, isExpressionStatement, isForInStatement, isForOfStatement, isForStatement, isFunctionExpression, isIdentifier, isNumericLiteral, isPropertyAccessExpression } = ts;

type MessageIds = 'loop' | 'timer';

/** Writables whose buffer drains at the pace of a network peer. */
const NETWORK_WRITABLES = new Set(['net.Socket', 'http.ServerResponse', 'http.ClientRequest', 'http2.Stream']);
/** Events after which a writer should stop, or whose handling shows the code watches its peer. */
const STOP_EVENTS = new Set(['close', 'end', 'finish', 'error', 'aborted']);
/** Iteration helpers whose callback runs once per element. */
const ITERATORS = new Set(['forEach', 'map', 'each']);
/** Loops with a literal bound below this write a small, bounded burst. */
const SMALL_BURST = 64;

/** The loop (or per-element callback) around a node within its function, when it is not a small fixed burst. */
function repeatingContext(node: ts.Node): ts.Node | undefined {
  const loop = enclosingLoop(node);
  if (loop) return isSmallFixedLoop(loop) ? undefined : loop;
  const fn = enclosingFunction(node);
  const call = fn?.parent;
  if (fn && call && isCallExpression(call) && call.arguments.includes(fn as unknown as ts.Expression)) {
    const callee = unwrapExpression(call.expression);
    if (isPropertyAccessExpression(callee) && ITERATORS.has(callee.name.text) && !isArrayLiteralExpression(unwrapExpression(callee.expression))) return call;
  }
  return undefined;
}

function isSmallFixedLoop(loop: ts.IterationStatement): boolean {
  if (isForOfStatement(loop) || isForInStatement(loop)) return isArrayLiteralExpression(unwrapExpression(loop.expression));
  if (isForStatement(loop) && loop.condition && isBinaryExpression(loop.condition)) {
    const bound = unwrapExpression(loop.condition.right);
    return isNumericLiteral(bound) && Number(bound.text) < SMALL_BURST;
  }
  return false;
}

/** The `setInterval(cb, ms)` call whose callback contains the node, if any. */
function intervalAround(node: ts.Node): ts.CallExpression | undefined {
  for (let fn = enclosingFunction(node); fn; fn = enclosingFunction(fn)) {
    const call = fn.parent;
    if (call && isCallExpression(call) && call.arguments[0] === (fn as unknown as ts.Expression)) {
      const callee = unwrapExpression(call.expression);
      const name = isIdentifier(callee) ? callee.text : isPropertyAccessExpression(callee) ? callee.name.text : '';
      if (name === 'setInterval') return call;
    }
    if (listenerEventOf(fn)) return undefined;
  }
  return undefined;
}

/** A listener for close/end/error anywhere around the interval clears it (or ends the writer). */
function stopsOnClose(interval: ts.CallExpression): boolean {
  const scope = enclosingFunction(interval) ?? interval.getSourceFile();
  // someNode is iterative: a whole file of generated code nests deeper than the stack allows.
  return someNode(scope, (n) => {
    if ((isArrowFunction(n) || isFunctionExpression(n)) && listenerEventOf(n) && STOP_EVENTS.has(listenerEventOf(n)!.event) && /\bclearInterval\s*\(/.test(n.getText())) return true;
    // The callback checks the writer's state before writing (`if (res.destroyed) …`).
    return isPropertyAccessExpression(n) && /^(destroyed|writableEnded|writable|closed|finished|writableNeedDrain)$/.test(n.name.text);
  });
}

function watchesDrain(model: FileModel, receiver: ts.Expression): boolean {
  const origins = originsOf(model, receiver);
  if (!origins) return true;
  return origins.some((o) => {
    const facts = emitterFacts(model, o);
    return facts.escapes.some((e) => e.kind === 'returned') || facts.registrations.some((r) => r.event === 'drain') || facts.uses.some((u) => u.method === 'cork' || u.method === 'uncork');
  });
}

/** `if (!x.write(c)) await once(x, 'drain');` for a statement in a loop of an async function. */
function drainFix(context: RuleContext<MessageIds>, call: ts.CallExpression, receiver: ts.Expression): Fix[] {
  const { model, sourceFile: sf } = context;
  const statement = enclosingStatement(call);
  const fn = enclosingFunction(call);
  if (!statement || !isExpressionStatement(statement) || unwrapExpression(statement.expression) !== call) return [];
  if (!fn || !getModifiers(fn as ts.HasModifiers)?.some((m) => m.kind === ts.SyntaxKind.AsyncKeyword) || !enclosingLoop(call)) return [];
  if (!/^[\w$.]+$/.test(receiver.getText(sf))) return [];
  const once = namedImport(model, 'events', 'once');
  if (!once) return [];
  const edits = [{ start: statement.getStart(sf), end: statement.end, newText: `if (!${call.getText(sf)}) await ${once.name}(${receiver.getText(sf)}, 'drain');` }];
  if (once.edit) edits.unshift(once.edit);
  return [{ title: "Wait for 'drain' when `write()` returns false", edits, preferred: true }];
}

export default createRule<MessageIds>({
  meta: {
    id: 'write-ignores-backpressure',
    lesson: 'flow-control-and-backpressure',
    severity: 'warning',
    title: '`write()` in a loop or timer ignores backpressure',
    description:
      "`write()` returns false once the stream's userland buffer passes its highWaterMark (16 KiB for sockets): the peer is reading slower than you write, its TCP receive window is full, and the kernel send buffer too. Node keeps accepting writes and buffers them in memory without limit; the Node docs call writing to a non-draining socket 'a remotely exploitable vulnerability'. Loops must wait for 'drain' when `write()` returns false; timers must stop when the client goes away.",
    messages: {
      loop: "`{{target}}.write()` in a loop ignores its return value: once the peer reads slower than you write (full receive window), `write()` returns false and Node keeps buffering in memory, without limit. Wait for 'drain' when it returns false.",
      timer: "`{{target}}.write()` on a timer neither checks its return value nor stops when the client leaves: a stalled or departed reader makes the buffer grow every tick (remotely exploitable, per the Node docs). Clear the timer on 'close'.",
    },
    fixable: true,
  },
  check(context) {
    // Test code talks to local peers and runs briefly: the wire effects this rule is about do not occur.
    if (context.isTestFile) return;
    const { model, sourceFile: sf } = context;
    for (const site of model.callsNamed('write')) {
      const call = site.node;
      if (!isCallExpression(call)) continue;
      const callee = unwrapExpression(call.expression);
      if (!isPropertyAccessExpression(callee) || callee.name.text !== 'write') continue;
      if (isValueUsed(call)) continue;
      const receiver = model.resolver.resolve(callee.expression, site.scope);
      if (!receiver || !NETWORK_WRITABLES.has(receiver.type)) continue;
      const loop = repeatingContext(call);
      const interval = loop ? undefined : intervalAround(call);
      if (!loop && !interval) continue;
      if (watchesDrain(model, callee.expression)) continue;
      if (interval && stopsOnClose(interval)) continue;
      const target = callee.expression.getText(sf);
      context.report({
        messageId: loop ? 'loop' : 'timer',
        data: { target: target.length > 30 ? 'stream' : target },
        range: range(call, sf),
        fixes: loop ? drainFix(context, call, callee.expression) : [],
      });
    }
  },
});
