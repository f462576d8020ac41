// `for (const x of xs) await call(x)` pays one full round trip (plus server time) per item, one after
// the other: latency is the sum, not the maximum.
import ts = require('typescript');
import { walkTree } from '../analysis/walk';
import { createRule } from './createRule';

// The compiler's exports are getters (a call per read); bind the functions used here once.
const { isAsExpression, isAwaitExpression, isBinaryExpression, isCallExpression, isDoStatement, isForInStatement, isForOfStatement, isForStatement, isFunctionLike, isIdentifier, isNonNullExpression, isParenthesizedExpression, isPropertyAccessExpression, isWhileStatement } = ts;

type MessageIds = 'sequential';

/** Looks like deliberate pacing: a sleep or delay in the same loop body. */
const PACING = /\b(sleep|delay|wait|setTimeout|throttle|backoff|rateLimit|limiter)\b/i;

function awaitedIn(node: ts.Node): boolean {
  let n = node.parent;
  while (n && (isParenthesizedExpression(n) || isPropertyAccessExpression(n) || isCallExpression(n) || isAsExpression(n) || isNonNullExpression(n))) {
    if (isCallExpression(n) && isPropertyAccessExpression(n.expression) && n.expression.name.text === 'then') return false;
    n = n.parent;
  }
  return !!n && isAwaitExpression(n);
}

/** The nearest `for…of`/`for…in`/indexed `for` around the node in its own function. */
function collectionLoop(node: ts.Node): ts.ForOfStatement | ts.ForInStatement | ts.ForStatement | undefined {
  for (let n = node.parent; n && !isFunctionLike(n); n = n.parent) {
    if (isWhileStatement(n) || isDoStatement(n)) return undefined; // usually pagination or polling
    if (isForOfStatement(n) && !n.awaitModifier) return n;
    if (isForInStatement(n)) return n;
    if (isForStatement(n)) return n;
  }
  return undefined;
}

/** The loop carries state from one request to the next (a cursor, a token, a counter it updates). */
function dependsOnPreviousIteration(loop: ts.IterationStatement, call: ts.CallExpression | ts.NewExpression, sf: ts.SourceFile): boolean {
  const body = loop.statement.getText(sf);
  if (/\b(break|return)\b/.test(body) || PACING.test(body)) return true;
  // Variables assigned in the body (not declared there) and read by the call's arguments.
  const assigned = new Set<string>();
  // walkTree is iterative: loop bodies from generated code nest deeper than the stack allows.
  walkTree(loop.statement, (n) => {
    if (isBinaryExpression(n) && n.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && n.operatorToken.kind <= ts.SyntaxKind.LastAssignment && isIdentifier(n.left)) assigned.add(n.left.text);
  });
  const args = (call.arguments ?? []).map((a) => a.getText(sf)).join(' ');
  return [...assigned].some((name) => new RegExp(`\\b${name}\\b`).test(args));
}

export default createRule<MessageIds>({
  meta: {
    id: 'sequential-requests-in-loop',
    lesson: 'http1-concurrency',
    severity: 'hint',
    title: 'Independent requests awaited one by one',
    description:
      'Awaiting a network call inside a loop over independent items serialises the round trips: the total is the sum of every request\'s latency instead of the slowest one — 20 items at 150 ms is 3 s instead of about 150–300 ms. Run them concurrently with a cap (p-limit), or batch them at the protocol level (a multi-row query, `mget`, a batch endpoint). Loops that depend on the previous answer (pagination) are fine.',
    messages: {
      sequential: '`{{api}}` is awaited once per loop iteration: N items cost N round trips in a row ({{example}}). If the items are independent, run them concurrently with a cap, or batch.',
    },
    fixable: false,
  },
  check(context) {
    const { model, sourceFile: sf, config } = context;
    const seen = new Set<ts.Node>();
    for (const call of model.calls) {
      if (call.role !== 'request') continue;
      const node = model.nodeOf(call);
      if (!awaitedIn(node)) continue;
      const loop = collectionLoop(node);
      if (!loop || seen.has(loop) || dependsOnPreviousIteration(loop, node, sf)) continue;
      seen.add(loop);
      const ms = config.rttMs;
      context.report({ messageId: 'sequential', data: { api: call.api, example: `20 items at ${ms} ms RTT ≥ ${20 * ms} ms instead of about ${ms} ms` }, range: call.calleeRange });
    }
  },
});
