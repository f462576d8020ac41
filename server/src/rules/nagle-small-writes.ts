// Nagle's algorithm holds a small segment while an earlier one is unacknowledged, and the peer
// delays its ACK (40 ms minimum on Linux, 200 ms on some stacks) hoping to piggyback it on a reply
// that cannot come until the held segment arrives. Write-write-read exchanges on a raw socket stall.
import ts = require('typescript');
import { enclosingLoop } from '../analysis/context';
import { insertAfterCreation } from '../analysis/edits';
import { emitterFacts, originsOf, scopeAt, type EmitterFacts } from '../analysis/emitters';
import type { FileModel } from '../analysis/fileModel';
import { range } from '../analysis/fileModel';
import { unwrapExpression } from '../analysis/resolve';
import type { Fix } from '../analysis/types';
import { someNode } from '../analysis/walk';
import { createRule, type RuleContext } from './createRule';

// The compiler's exports are getters (a call per read); bind the functions used here once.
const { isAwaitExpression, isBlock, isCallExpression, isExpressionStatement, isFunctionLike, isNewExpression, isParameter, isPropertyAccessExpression, isSourceFile, isYieldExpression } = ts;

type MessageIds = 'writeWriteRead';

/** Events or methods that read the peer's reply: the writes are one side of a request/response exchange. */
const READ_EVENTS = new Set(['data', 'readable']);

/** The `socket.write(…)` call of an expression statement, with its receiver. */
function writeOf(statement: ts.Statement): { call: ts.CallExpression; receiver: ts.Expression } | undefined {
  if (!isExpressionStatement(statement)) return undefined;
  const e = unwrapExpression(statement.expression);
  if (!isCallExpression(e)) return undefined;
  const callee = unwrapExpression(e.expression);
  if (!isPropertyAccessExpression(callee) || callee.name.text !== 'write') return undefined;
  return { call: e, receiver: callee.expression };
}

function containsAwait(node: ts.Node): boolean {
  // Iterative (someNode): generated code nests deeper than the stack allows.
  if (isFunctionLike(node)) return false;
  return someNode(node, (n) => isAwaitExpression(n) || isYieldExpression(n), (n) => isFunctionLike(n));
}

/** `noDelay: true` where the socket (or the server that accepted it) was made. */
function noDelayAtCreation(model: FileModel, facts: EmitterFacts): boolean {
  let node: ts.Node | undefined = facts.origin;
  if (isParameter(node)) {
    // `net.createServer({ noDelay: true }, (sock) => …)`
    const fn = node.parent;
    node = fn.parent;
  }
  const call = node && (isCallExpression(node) || isNewExpression(node)) ? model.callAt(node) : undefined;
  return !!call && call.options.some((o) => o.key === 'noDelay' && !(o.value.kind === 'boolean' && !o.value.value));
}

function setNoDelayFix(context: RuleContext<MessageIds>, facts: EmitterFacts): Fix[] {
  const edit = insertAfterCreation(facts.origin, (name) => `${name}.setNoDelay(true);`, context.sourceFile);
  return edit ? [{ title: 'Turn Nagle off: `setNoDelay(true)`', edits: [edit], preferred: true }] : [];
}

export default createRule<MessageIds>({
  meta: {
    id: 'nagle-small-writes',
    lesson: 'delayed-ack',
    severity: 'info',
    title: 'Small writes on a Nagle socket before reading a reply',
    description:
      "A raw `net.Socket` has Nagle's algorithm on. When a second small segment follows one that is not yet acknowledged, the kernel holds it; the receiver delays its ACK (at least 40 ms on Linux, up to 200 ms elsewhere) hoping to send it with a reply, which cannot come until the held segment arrives. A request written in two pieces and then answered therefore stalls by the delayed-ACK timer on every exchange. Node's HTTP stack sets `noDelay` for you; raw sockets need `setNoDelay(true)`, `cork()`/`uncork()`, or one combined write.",
    messages: {
      writeWriteRead: "Second small `write()` on `{{target}}` while the first is unacknowledged: Nagle holds it until the peer's delayed ACK (≥ 40 ms on Linux, up to 200 ms elsewhere), so every request/reply exchange stalls. Call `setNoDelay(true)` or combine the writes.",
    },
    fixable: true,
  },
  check(context) {
    // Test code talks to local peers and runs briefly: the wire effects this rule is about do not occur.
    if (context.isTestFile) return;
    const { model, sourceFile: sf } = context;
    const reported = new Set<ts.Node>();
    // Consecutive statements of a block: `a.write(x); a.write(y);` with nothing awaited between.
    const blocks = new Set<ts.Node>();
    for (const site of model.callsNamed('write')) {
      const call = site.node;
      if (!isCallExpression(call)) continue;
      const callee = unwrapExpression(call.expression);
      if (!isPropertyAccessExpression(callee) || callee.name.text !== 'write') continue;
      const statement = call.parent;
      if (statement && isExpressionStatement(statement) && statement.parent && (isBlock(statement.parent) || isSourceFile(statement.parent))) blocks.add(statement.parent);
    }
    for (const block of blocks) {
      const statements = (block as ts.Block).statements;
      let previous: { call: ts.CallExpression; receiver: ts.Expression } | undefined;
      for (const statement of statements) {
        const w = writeOf(statement);
        if (!w) {
          // Only a pending first write can be cut off by an await: without one, the statement's subtree is not walked
          // (a write at the top level makes every statement of the file one of these).
          if (previous && containsAwait(statement)) previous = undefined;
          continue;
        }
        if (previous && previous.receiver.getText(sf) === w.receiver.getText(sf) && !enclosingLoop(w.call)) {
          // `await once(sock, 'data')`, `await readReply()` later in the block: the reply is awaited here.
          const awaitsReply = statements.slice(statements.indexOf(statement) + 1).some(containsAwait);
          const found = judge(model, w.receiver, awaitsReply);
          if (found && !reported.has(found.origin)) {
            reported.add(found.origin);
            context.report({ messageId: 'writeWriteRead', data: { target: w.receiver.getText(sf) }, range: range(w.call, sf), related: [{ range: range(previous.call, sf), message: 'the first write, still unacknowledged when the second is sent' }], fixes: setNoDelayFix(context, found) });
          }
        }
        previous = w;
      }
    }
  },
});

/** The facts of a raw TCP socket that reads replies and has Nagle on; undefined otherwise. */
function judge(model: FileModel, receiver: ts.Expression, awaitsReply: boolean): EmitterFacts | undefined {
  const v = model.resolver.resolve(receiver, scopeAt(model, receiver));
  if (!v || v.type !== 'net.Socket') return undefined;
  const origins = originsOf(model, receiver);
  if (!origins || origins.length !== 1) return undefined;
  const facts = emitterFacts(model, origins[0]);
  // `setNoDelay()` and `setNoDelay(true)` turn Nagle off; `setNoDelay(false)` keeps it.
  if (facts.uses.some((u) => u.method === 'cork' || (u.method === 'setNoDelay' && u.call.arguments[0]?.kind !== ts.SyntaxKind.FalseKeyword))) return undefined;
  if (noDelayAtCreation(model, facts)) return undefined;
  // Only a request/response exchange waits on the held segment; a one-way stream does not care.
  if (!awaitsReply && !facts.registrations.some((r) => r.event !== undefined && READ_EVENTS.has(r.event))) return undefined;
  return facts;
}
