// Where a network call's promise goes, and whether anything handles its rejection: `.catch()`, a
// two-argument `.then()`, `await` inside try/catch. An unhandled rejection exits the process since
// Node 15; a promise handed to a caller (returned, stored, passed on) is that caller's business.
import ts = require('typescript');
import { enclosingFunction, isResultDropped } from './context';
import type { FileModel } from './fileModel';
import { localFunction } from './localCalls';
import { unwrapExpression } from './resolve';
import { typeModel } from './model';
import type { NetworkCall } from './types';

// The compiler's exports are getters (a call per read); bind the functions used here once.
const { getModifiers, isArrowFunction, isAsExpression, isAwaitExpression, isBinaryExpression, isCallExpression, isExpressionStatement, isFunctionExpression, isFunctionLike, isIdentifier, isNewExpression, isNonNullExpression, isParenthesizedExpression, isPropertyAccessExpression, isReturnStatement, isSatisfiesExpression, isTryStatement, isTypeAssertionExpression, isVoidExpression } = ts;

export interface PromiseFate {
  call: NetworkCall;
  node: ts.CallExpression | ts.NewExpression;
  /** A `.catch`, a rejection handler in `.then` or a try/catch sees the rejection. */
  handled: boolean;
  /**
   * Where an unhandled rejection goes: `dropped` (nothing holds the promise), `async-function`
   * (awaited in an async function whose own promise is dropped: an IIFE, a timer or event
   * callback), `caller` (returned, stored or passed on: handled or not elsewhere).
   */
  settledBy: 'dropped' | 'async-function' | 'caller';
}

/** Calls that return a promise when no callback is given, beyond those the model types as `Promise<…>`. */
const PROMISE_WITHOUT_CALLBACK = new Set(['amqp.connect', 'pg.query', 'pg.Client#connect', 'pg.Pool#connect', 'redis.connect']);

/** Functions that call their callback and drop whatever it returns. */
const CALLBACK_DROPPERS = new Set(['setTimeout', 'setInterval', 'setImmediate', 'nextTick', 'queueMicrotask', 'on', 'once', 'addListener', 'prependListener', 'prependOnceListener', 'addEventListener', 'forEach']);

function returnsPromise(model: FileModel, call: NetworkCall): boolean {
  const node = model.nodeOf(call);
  const args = node.arguments ?? [];
  const last = args[args.length - 1];
  if (last && (isArrowFunction(last) || isFunctionExpression(last))) return false;
  if (PROMISE_WITHOUT_CALLBACK.has(call.api)) return true;
  const spec = model.resolver.resolveCall(node, model.scopeOf(call))?.spec;
  return !!spec?.returns?.startsWith('Promise<') || (!!spec?.returns && !!typeModel(spec.returns)?.members?.then);
}

function skipParens(node: ts.Node): ts.Node {
  let n = node;
  while (n.parent && (isParenthesizedExpression(n.parent) || isAsExpression(n.parent) || isNonNullExpression(n.parent))) n = n.parent;
  return n;
}

/** True when `node` sits in the try block of a try statement with a catch, within its own function. */
function insideTryCatch(node: ts.Node): boolean {
  for (let n: ts.Node = node; n.parent && !isFunctionLike(n); n = n.parent) {
    const p = n.parent;
    if (isTryStatement(p) && p.tryBlock === n && p.catchClause) return true;
  }
  return false;
}

type Fate = Pick<PromiseFate, 'handled' | 'settledBy'>;

/** The fate of a promise-valued expression, following `.then`/`.finally` chains. */
function fateOf(expr: ts.Node, depth: number): Fate {
  let e = skipParens(expr);
  for (;;) {
    const access = e.parent;
    if (!access || !isPropertyAccessExpression(access) || access.expression !== e) break;
    const call = access.parent;
    if (!call || !isCallExpression(call) || call.expression !== access) return { handled: false, settledBy: 'caller' };
    const m = access.name.text;
    if (m === 'catch' || (m === 'then' && call.arguments.length >= 2)) return { handled: true, settledBy: 'caller' };
    if (m !== 'then' && m !== 'finally') return { handled: false, settledBy: 'caller' };
    e = skipParens(call);
  }
  const p = e.parent;
  if (!p) return { handled: false, settledBy: 'caller' };
  if (isExpressionStatement(p) || isVoidExpression(p)) return { handled: false, settledBy: 'dropped' };
  // `setTimeout(() => fetch(url), 1000)`: the arrow returns the promise to a caller that drops it.
  if (isArrowFunction(p) && p.body === e && isResultDropped(p)) return { handled: false, settledBy: 'dropped' };
  if (isAwaitExpression(p)) {
    if (insideTryCatch(p)) return { handled: true, settledBy: 'caller' };
    const fn = enclosingFunction(p);
    if (!fn || depth > 3) return { handled: false, settledBy: 'caller' };
    const outer = functionFate(fn, depth + 1);
    return outer.settledBy === 'caller' ? outer : { handled: outer.handled, settledBy: outer.handled ? 'caller' : 'async-function' };
  }
  return { handled: false, settledBy: 'caller' };
}

/** What happens to the promise an async function returns. */
function functionFate(fn: ts.SignatureDeclaration, depth: number): Fate {
  const node = skipParens(fn);
  const p = node.parent;
  if (!p) return { handled: false, settledBy: 'caller' };
  // `(async () => { … })()`
  if (isCallExpression(p) && p.expression === node) return fateOf(p, depth);
  if ((isCallExpression(p) || isNewExpression(p)) && p.arguments?.includes(node as ts.Expression)) {
    const callee = p.expression;
    const name = isIdentifier(callee) ? callee.text : isPropertyAccessExpression(callee) ? callee.name.text : undefined;
    if (name && CALLBACK_DROPPERS.has(name)) return { handled: false, settledBy: 'dropped' };
  }
  return { handled: false, settledBy: 'caller' };
}

/** True when a rejection of the promise made at `node` becomes the rejection of what `fn` returns. */
function rejectsFunction(node: ts.Node, fn: ts.SignatureDeclaration): boolean {
  let e = skipParens(node);
  for (;;) {
    const access = e.parent;
    if (!access || !isPropertyAccessExpression(access) || access.expression !== e) break;
    const call = access.parent;
    if (!call || !isCallExpression(call) || call.expression !== access) return false;
    const m = access.name.text;
    if (m !== 'then' && m !== 'finally') return false;
    if (m === 'then' && call.arguments.length >= 2) return false;
    e = skipParens(call);
  }
  const p = e.parent;
  if (!p || enclosingFunction(e) !== fn) return false;
  if (isReturnStatement(p) || (isArrowFunction(p) && p.body === e)) return true;
  // The cheap syntax test first: reading a function's modifiers allocates a filtered copy of them.
  return isAwaitExpression(p) && isAsyncFunction(fn) && !insideTryCatch(p);
}

const ASYNC_KEYWORD = ts.SyntaxKind.AsyncKeyword;
const isAsyncModifier = (m: ts.ModifierLike) => m.kind === ASYNC_KEYWORD;
const isAsyncFunction = (fn: ts.SignatureDeclaration) => !!getModifiers(fn as ts.HasModifiers)?.some(isAsyncModifier);

/**
 * The names a call can reach `fn` by: its own name (a declaration, or a named function expression
 * calling itself) and the variable it initialises, through the wrappers `unwrapExpression` removes.
 */
function namesOf(fn: ts.Node): string[] {
  const names: string[] = [];
  const own = (fn as ts.NamedDeclaration).name;
  if (own && isIdentifier(own)) names.push(own.text);
  let n: ts.Node = fn;
  for (let p = n.parent; p; p = n.parent) {
    const wraps = isParenthesizedExpression(p) || isAsExpression(p) || isNonNullExpression(p) || isTypeAssertionExpression(p) || isSatisfiesExpression(p) ? p.expression === n : isBinaryExpression(p) && p.operatorToken.kind === ts.SyntaxKind.CommaToken && p.right === n;
    if (!wraps) break;
    n = p;
  }
  const holder = n.parent && (n.parent as ts.NamedDeclaration).name;
  if (holder && isIdentifier(holder)) names.push(holder.text);
  return names;
}

/** Every recognised network call that returns a promise, with where its rejection goes. */
export function networkPromises(model: FileModel): PromiseFate[] {
  const out: PromiseFate[] = [];
  const viaHelpers = new Map<ts.Node, NetworkCall>();
  for (const call of model.calls) {
    if (call.role !== 'request' && call.role !== 'connect') continue;
    if (!returnsPromise(model, call)) continue;
    const node = model.nodeOf(call);
    out.push({ call, node, ...fateOf(node, 0) });
    // A helper of this file that hands the rejection to its caller (`return fetch(…)`, an
    // uncaught `await` in an async function) makes its own calls network promises too.
    const fn = enclosingFunction(node);
    if (fn && !viaHelpers.has(fn) && rejectsFunction(node, fn)) viaHelpers.set(fn, call);
  }
  if (viaHelpers.size === 0) return out;
  // Only a call by one of the helpers' names can reach one (localFunction resolves identifiers):
  // the name index hands over those sites, in walk order, instead of a pass over every call.
  const names = new Set<string>();
  for (const fn of viaHelpers.keys()) for (const name of namesOf(fn)) names.add(name);
  if (names.size === 0) return out;
  for (const site of model.callsNamed(...names)) {
    if (!isCallExpression(site.node) || model.callAt(site.node)) continue;
    const callee = unwrapExpression(site.node.expression);
    // An immediately invoked function is judged through its own awaits (fateOf follows it).
    if (isArrowFunction(callee) || isFunctionExpression(callee)) continue;
    const fn = localFunction(callee, site.scope);
    const inner = fn && viaHelpers.get(fn);
    if (!inner) continue;
    const name = isIdentifier(site.node.expression) ? site.node.expression.text : 'helper';
    out.push({ call: { ...inner, api: `${name}()`, range: { start: site.node.getStart(), end: site.node.end }, calleeRange: { start: site.node.expression.getStart(), end: site.node.expression.end } }, node: site.node, ...fateOf(site.node, 0) });
  }
  return out;
}
