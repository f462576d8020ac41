// Where does a freshly made object go? Kept in a local for this call only, stored somewhere that
// outlives the call (a field, a module variable, a cache), or handed back to the caller. Rules that
// flag per-call allocations (agents, pools, clients) stay silent when the object is memoised or
// returned: the caller or the cache decides how often it is really made.
import ts = require('typescript');
import { scopeAt } from './agents';
import type { FileModel } from './fileModel';
import type { Binding } from './scope';
import { walkTree } from './walk';

// The compiler's exports are getters (a call per read); bind the functions used here once.
const { isArrayLiteralExpression, isArrowFunction, isAsExpression, isAwaitExpression, isBinaryExpression, isCallExpression, isConditionalExpression, isElementAccessExpression, isExportAssignment, isExpressionStatement, isFunctionLike, isIdentifier, isNewExpression, isNonNullExpression, isObjectLiteralExpression, isParenthesizedExpression, isPropertyAccessExpression, isPropertyAssignment, isPropertyDeclaration, isReturnStatement, isSatisfiesExpression, isShorthandPropertyAssignment, isSpreadAssignment, isSpreadElement, isTypeAssertionExpression, isVariableDeclaration } = ts;

export type Destination =
  /** Only used while this function runs (a local variable, an option of a call made here). */
  | 'local'
  /** Stored where it outlives the call: `this.x = …`, a variable of an outer function or the module, `cache.set(k, …)`, `x ??= …`. */
  | 'stored'
  /** Returned (or resolved) to the caller, possibly inside the object it configures. */
  | 'returned'
  /** Evaluated and thrown away. */
  | 'dropped';

const STORE_METHODS = new Set(['set', 'push', 'unshift', 'add', 'put', 'setItem']);
const MAX_STEPS = 12;

function enclosingFunction(node: ts.Node): ts.Node | undefined {
  for (let n = node.parent; n; n = n.parent) if (isFunctionLike(n)) return n;
  return undefined;
}

/** True when the binding was declared outside `fn` (a module variable or a closure variable). */
function declaredOutside(binding: Binding | undefined, fn: ts.Node | undefined): boolean {
  if (!binding || !fn) return false;
  const decl = binding.node;
  return decl.pos < fn.pos || decl.end > fn.end;
}

/**
 * Follows the value of `node` (a `new` or call expression) through the expressions that carry it
 * (`{ agent: … }`, `axios.create({ httpsAgent: … })`, `a || …`, `c ? … : …`) to where it ends up.
 */
export function destinationOf(model: FileModel, node: ts.Expression): Destination {
  const fn = enclosingFunction(node);
  let n: ts.Node = node;
  for (let step = 0; step < MAX_STEPS; step++) {
    const p = n.parent;
    if (!p) return 'dropped';
    if (isParenthesizedExpression(p) || isAsExpression(p) || isNonNullExpression(p) || isSatisfiesExpression(p) || isAwaitExpression(p) || isTypeAssertionExpression(p)) {
      n = p;
      continue;
    }
    if (isConditionalExpression(p) && p.condition !== n) {
      n = p;
      continue;
    }
    if (isBinaryExpression(p)) {
      const op = p.operatorToken.kind;
      if ((op === ts.SyntaxKind.BarBarToken || op === ts.SyntaxKind.QuestionQuestionToken || op === ts.SyntaxKind.AmpersandAmpersandToken) && p.right === n) {
        n = p;
        continue;
      }
      if (op === ts.SyntaxKind.QuestionQuestionEqualsToken || op === ts.SyntaxKind.BarBarEqualsToken) return 'stored';
      if (op === ts.SyntaxKind.EqualsToken && p.right === n) return assignmentDestination(model, p, fn);
      return 'local';
    }
    if (isPropertyAssignment(p) || isShorthandPropertyAssignment(p) || isSpreadAssignment(p) || isSpreadElement(p) || isArrayLiteralExpression(p) || isObjectLiteralExpression(p)) {
      n = p;
      continue;
    }
    if ((isCallExpression(p) || isNewExpression(p)) && p.arguments?.includes(n as ts.Expression)) {
      const callee = p.expression;
      if (isPropertyAccessExpression(callee) && STORE_METHODS.has(callee.name.text)) return 'stored';
      if (isPropertyAccessExpression(callee) && callee.name.text === 'assign' && isIdentifier(callee.expression) && callee.expression.text === 'Object') {
        return p.arguments?.[0] === n ? 'local' : objectDestination(model, p.arguments![0], fn);
      }
      if (isIdentifier(callee) && /^(resolve|done|cb|callback|next)$/.test(callee.text)) return 'returned';
      // A recognised request uses it right here; anything else (a factory, a constructor) carries it in its result.
      if (model.callAt(p)?.role === 'request') return 'local';
      n = p;
      continue;
    }
    if (isReturnStatement(p) || (isArrowFunction(p) && p.body === n)) return 'returned';
    if (isVariableDeclaration(p) && p.initializer === n) return variableDestination(model, p, fn);
    if (isPropertyDeclaration(p) || isExportAssignment(p)) return 'stored';
    if (isExpressionStatement(p)) return 'dropped';
    return 'local';
  }
  return 'local';
}

function assignmentDestination(model: FileModel, assignment: ts.BinaryExpression, fn: ts.Node | undefined): Destination {
  const left = assignment.left;
  if (isIdentifier(left)) {
    const binding = scopeAt(model, left)?.lookup(left.text);
    if (declaredOutside(binding, fn)) return 'stored';
    return binding && fn ? readsDestination(model, left.text, binding, left, fn) : 'local';
  }
  if (isPropertyAccessExpression(left) || isElementAccessExpression(left)) return objectDestination(model, left.expression, fn);
  return 'local';
}

/** Writing into an object: `this.x`, `module.exports.x`, an outer object is storage; a local options object is not. */
function objectDestination(model: FileModel, target: ts.Expression, fn: ts.Node | undefined): Destination {
  let base: ts.Expression = target;
  while (isPropertyAccessExpression(base) || isElementAccessExpression(base)) base = base.expression;
  if (base.kind === ts.SyntaxKind.ThisKeyword) return 'stored';
  if (isIdentifier(base)) {
    if (base.text === 'module' || base.text === 'exports') return 'stored';
    const binding = scopeAt(model, base)?.lookup(base.text);
    if (declaredOutside(binding, fn)) return 'stored';
    // A parameter's object belongs to the caller.
    if (binding?.kind === 'param') return 'returned';
  }
  return 'local';
}

function isWriteTarget(id: ts.Identifier): boolean {
  const p = id.parent;
  return !!p && isBinaryExpression(p) && p.left === id && p.operatorToken.kind === ts.SyntaxKind.EqualsToken;
}

/** A local variable: where its reads send the value (returned, stored) decides. */
function variableDestination(model: FileModel, decl: ts.VariableDeclaration, fn: ts.Node | undefined): Destination {
  if (!isIdentifier(decl.name)) return 'local';
  if (!fn) return 'stored';
  const binding = scopeAt(model, decl)?.lookup(decl.name.text);
  return binding ? readsDestination(model, decl.name.text, binding, decl.name, fn) : 'local';
}

/** The variables whose reads are being followed: `let b = a; a = b;` leads back to one of them. */
const following = new Set<Binding>();

/** Follows every read of a local variable inside `fn` (other than `self`, the write being traced). */
function readsDestination(model: FileModel, name: string, binding: Binding, self: ts.Node, fn: ts.Node): Destination {
  // Back at a variable already being followed: its reads are being looked at further up, and following
  // them again would never end (it ran out of stack on `let b = a; a = b;`).
  if (following.has(binding)) return 'local';
  following.add(binding);
  try {
    return readsDestinationOnce(model, name, binding, self, fn);
  } finally {
    following.delete(binding);
  }
}

function readsDestinationOnce(model: FileModel, name: string, binding: Binding, self: ts.Node, fn: ts.Node): Destination {
  let result: Destination = 'local';
  // Iterative (walkTree): long call chains in generated code nest deeper than the stack allows.
  walkTree(fn, (child) => {
    if (isIdentifier(child) && child.text === name && child !== self && !isWriteTarget(child) && scopeAt(model, child)?.lookup(name) === binding) {
      const d = destinationOf(model, child);
      if (d === 'stored' || d === 'returned') {
        result = d;
        return 'stop';
      }
      return 'skip';
    }
    return undefined;
  });
  return result;
}
