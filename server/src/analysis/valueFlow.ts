// Where does an object made inside a function go? Rules about per-request clients ask it: a client
// made per call and dropped at the end pays its connection setup every time, while one stored in
// module state, on `this` or in a cache (`clients.set(key, c)`) is made once and reused, and one
// returned or passed on is somebody else's to judge. Walks only the enclosing function's body and
// follows values derived from the object (`const db = client.db()`).
import ts = require('typescript');
import type { FileModel } from './fileModel';
import { unwrapExpression } from './resolve';
import { walkTree } from './walk';

export interface ValueFlow {
  /** Stored where it outlives the call: a variable declared outside the function, a property, a cache. */
  kept: boolean;
  /** Returned to the caller (directly or as part of the returned value). */
  returned: boolean;
  /** Passed as an argument to a function other than its own methods. */
  passedOn: boolean;
  /** The local variable names that hold the value or something derived from it. */
  names: Set<string>;
}

const CACHE_METHODS = new Set(['set', 'push', 'add', 'unshift', 'put']);

function contains(outer: ts.Node, inner: ts.Node): boolean {
  return inner.pos >= outer.pos && inner.end <= outer.end;
}

/** Whether an assignment target outlives one run of `fn`: a property, or a variable declared outside it. */
export function outlivesCall(model: FileModel, target: ts.Expression, fn: ts.Node): boolean {
  const t = unwrapExpression(target);
  if (!ts.isIdentifier(t)) return true;
  for (let n: ts.Node | undefined = t; n; n = n.parent) {
    const scope = model.facts.scopes.get(n);
    if (!scope) continue;
    const b = scope.lookup(t.text);
    if (!b || b.kind === 'import') return true;
    return !contains(fn, b.node);
  }
  return true;
}

function climb(node: ts.Node): ts.Node {
  let n = node;
  while (n.parent && (ts.isParenthesizedExpression(n.parent) || ts.isAwaitExpression(n.parent) || ts.isAsExpression(n.parent) || ts.isNonNullExpression(n.parent) || ts.isSatisfiesExpression(n.parent))) n = n.parent;
  return n;
}

/** Follows the value created at `node` through the body of `fn`. */
export function flowOfValue(model: FileModel, node: ts.Node, fn: ts.SignatureDeclaration): ValueFlow {
  const flow: ValueFlow = { kept: false, returned: false, passedOn: false, names: new Set() };
  const outer = climb(node);
  const p = outer.parent;
  const body = (fn as ts.FunctionLikeDeclaration).body;
  if (!p) return flow;
  // Where the expression itself lands.
  if (ts.isBinaryExpression(p) && p.right === outer && p.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
    if (outlivesCall(model, p.left, fn)) flow.kept = true;
    else if (ts.isIdentifier(p.left)) flow.names.add(p.left.text);
  } else if (ts.isBinaryExpression(p) && p.right === outer && isAssignment(p.operatorToken.kind)) {
    flow.kept = outlivesCall(model, p.left, fn);
  } else if (ts.isVariableDeclaration(p) && p.initializer === outer && ts.isIdentifier(p.name)) {
    flow.names.add(p.name.text);
  } else if (ts.isReturnStatement(p) || (ts.isArrowFunction(p) && p.body === outer)) {
    flow.returned = true;
  } else if (ts.isPropertyAssignment(p) || ts.isShorthandPropertyAssignment(p) || ts.isArrayLiteralExpression(p)) {
    flow.kept = true;
  } else if ((ts.isCallExpression(p) || ts.isNewExpression(p)) && p.expression !== outer) {
    const callee = unwrapExpression(p.expression);
    if (ts.isPropertyAccessExpression(callee) && CACHE_METHODS.has(callee.name.text)) flow.kept = true;
    else flow.passedOn = true;
  }
  if (flow.names.size === 0 || !body) return flow;
  const names = flow.names;
  const isName = (e: ts.Node | undefined): boolean => {
    if (!e) return false;
    const u = ts.isExpression(e) ? unwrapExpression(e) : e;
    const v = ts.isAwaitExpression(u) ? unwrapExpression(u.expression) : u;
    return ts.isIdentifier(v) && names.has(v.text);
  };
  walkTree(body, (n) => {
    if (ts.isVariableDeclaration(n) && n.initializer && ts.isIdentifier(n.name) && (isName(n.initializer) || derivedFrom(n.initializer, names))) names.add(n.name.text);
    if (ts.isBinaryExpression(n) && isAssignment(n.operatorToken.kind) && (isName(n.right) || derivedFrom(n.right, names))) {
      if (outlivesCall(model, n.left, fn)) flow.kept = true;
      else if (ts.isIdentifier(n.left)) names.add(n.left.text);
    }
    if (ts.isReturnStatement(n) && isName(n.expression)) flow.returned = true;
    if (ts.isArrowFunction(n) && n === fn && !ts.isBlock(n.body) && isName(n.body)) flow.returned = true;
    if ((ts.isCallExpression(n) || ts.isNewExpression(n)) && (n.arguments ?? []).some(isName)) {
      const callee = unwrapExpression(n.expression);
      if (ts.isPropertyAccessExpression(callee) && CACHE_METHODS.has(callee.name.text)) flow.kept = true;
      else flow.passedOn = true;
    }
    // `{ client }` / `{ db: client }`: the object carries it on.
    if ((ts.isPropertyAssignment(n) && isName(n.initializer)) || (ts.isShorthandPropertyAssignment(n) && names.has(n.name.text))) flow.kept = true;
    if (ts.isArrayLiteralExpression(n) && n.elements.some(isName)) flow.kept = true;
  });
  return flow;
}

/**
 * `client.db('app')`, `client.getChannel()`, `session.socket`: a value that still holds the object.
 * Awaited calls (`await client.query()`) produce results, not holders, and do not count.
 */
function derivedFrom(expr: ts.Expression, names: Set<string>): boolean {
  const e = unwrapExpression(expr);
  const base = ts.isCallExpression(e) ? unwrapExpression(e.expression) : e;
  if (!ts.isPropertyAccessExpression(base)) return false;
  const receiver = unwrapExpression(base.expression);
  return ts.isIdentifier(receiver) && names.has(receiver.text);
}

function isAssignment(kind: ts.SyntaxKind): boolean {
  return kind >= ts.SyntaxKind.FirstAssignment && kind <= ts.SyntaxKind.LastAssignment;
}
