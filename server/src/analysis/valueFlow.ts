// Where does an object made inside a function go? Rules about per-request clients ask it: a client
// made per call and dropped at the end pays its connection setup every time, while one stored in
// module state, on `this` or in a cache (`clients.set(key, c)`) is made once and reused, and one
// returned or passed on is somebody else's to judge. Walks only the enclosing function's body and
// follows values derived from the object (`const db = client.db()`).
import ts = require('typescript');
import type { FileModel } from './fileModel';
import { unwrapExpression } from './resolve';
import { walkTree } from './walk';

// The compiler's exports are getters (a call per read); bind the functions used here once.
const { isArrayLiteralExpression, isArrowFunction, isAsExpression, isAwaitExpression, isBinaryExpression, isBlock, isCallExpression, isExpression, isIdentifier, isNewExpression, isNonNullExpression, isParenthesizedExpression, isPropertyAccessExpression, isPropertyAssignment, isReturnStatement, isSatisfiesExpression, isShorthandPropertyAssignment, isVariableDeclaration } = ts;

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
  if (!isIdentifier(t)) return true;
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
  while (n.parent && (isParenthesizedExpression(n.parent) || isAwaitExpression(n.parent) || isAsExpression(n.parent) || isNonNullExpression(n.parent) || isSatisfiesExpression(n.parent))) n = n.parent;
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
  if (isBinaryExpression(p) && p.right === outer && p.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
    if (outlivesCall(model, p.left, fn)) flow.kept = true;
    else if (isIdentifier(p.left)) flow.names.add(p.left.text);
  } else if (isBinaryExpression(p) && p.right === outer && isAssignment(p.operatorToken.kind)) {
    flow.kept = outlivesCall(model, p.left, fn);
  } else if (isVariableDeclaration(p) && p.initializer === outer && isIdentifier(p.name)) {
    flow.names.add(p.name.text);
  } else if (isReturnStatement(p) || (isArrowFunction(p) && p.body === outer)) {
    flow.returned = true;
  } else if (isPropertyAssignment(p) || isShorthandPropertyAssignment(p) || isArrayLiteralExpression(p)) {
    flow.kept = true;
  } else if ((isCallExpression(p) || isNewExpression(p)) && p.expression !== outer) {
    const callee = unwrapExpression(p.expression);
    if (isPropertyAccessExpression(callee) && CACHE_METHODS.has(callee.name.text)) flow.kept = true;
    else flow.passedOn = true;
  }
  if (flow.names.size === 0 || !body) return flow;
  const names = flow.names;
  const isName = (e: ts.Node | undefined): boolean => {
    if (!e) return false;
    const u = isExpression(e) ? unwrapExpression(e) : e;
    const v = isAwaitExpression(u) ? unwrapExpression(u.expression) : u;
    return isIdentifier(v) && names.has(v.text);
  };
  walkTree(body, (n) => {
    if (isVariableDeclaration(n) && n.initializer && isIdentifier(n.name) && (isName(n.initializer) || derivedFrom(n.initializer, names))) names.add(n.name.text);
    if (isBinaryExpression(n) && isAssignment(n.operatorToken.kind) && (isName(n.right) || derivedFrom(n.right, names))) {
      if (outlivesCall(model, n.left, fn)) flow.kept = true;
      else if (isIdentifier(n.left)) names.add(n.left.text);
    }
    if (isReturnStatement(n) && isName(n.expression)) flow.returned = true;
    if (isArrowFunction(n) && n === fn && !isBlock(n.body) && isName(n.body)) flow.returned = true;
    if ((isCallExpression(n) || isNewExpression(n)) && (n.arguments ?? []).some(isName)) {
      const callee = unwrapExpression(n.expression);
      if (isPropertyAccessExpression(callee) && CACHE_METHODS.has(callee.name.text)) flow.kept = true;
      else flow.passedOn = true;
    }
    // `{ client }` / `{ db: client }`: the object carries it on.
    if ((isPropertyAssignment(n) && isName(n.initializer)) || (isShorthandPropertyAssignment(n) && names.has(n.name.text))) flow.kept = true;
    if (isArrayLiteralExpression(n) && n.elements.some(isName)) flow.kept = true;
  });
  return flow;
}

/**
 * `client.db('app')`, `client.getChannel()`, `session.socket`: a value that still holds the object.
 * Awaited calls (`await client.query()`) produce results, not holders, and do not count.
 */
function derivedFrom(expr: ts.Expression, names: Set<string>): boolean {
  const e = unwrapExpression(expr);
  const base = isCallExpression(e) ? unwrapExpression(e.expression) : e;
  if (!isPropertyAccessExpression(base)) return false;
  const receiver = unwrapExpression(base.expression);
  return isIdentifier(receiver) && names.has(receiver.text);
}

function isAssignment(kind: ts.SyntaxKind): boolean {
  return kind >= ts.SyntaxKind.FirstAssignment && kind <= ts.SyntaxKind.LastAssignment;
}
