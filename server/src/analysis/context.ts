// Where does a node run? Inside a function that handles incoming requests, inside a loop.
// Computed from the syntax around the node and the resolved calls that register handlers.
import ts = require('typescript');

/** Parameter name pairs that mark a request handler even when its registration is not visible. */
const HANDLER_PARAMS: ReadonlyArray<readonly [RegExp, RegExp]> = [
  [/^req(uest)?$/i, /^res(ponse|p)?$/i],
  [/^request$/i, /^reply$/i],
  [/^ctx$/, /^next$/],
];

/** Methods that register a request handler on a server or router (express, koa, fastify, http). */
const REGISTRATION_METHODS = new Set(['get', 'post', 'put', 'patch', 'delete', 'del', 'all', 'use', 'head', 'options', 'route', 'handle', 'createServer']);

function paramName(p: ts.ParameterDeclaration | undefined): string | undefined {
  return p && ts.isIdentifier(p.name) ? p.name.text : undefined;
}

function looksLikeHandler(fn: ts.SignatureDeclaration): boolean {
  const a = paramName(fn.parameters[0]);
  const b = paramName(fn.parameters[1]);
  if (a && b && HANDLER_PARAMS.some(([x, y]) => x.test(a) && y.test(b))) return true;
  // A callback passed to `app.get('/x', fn)`, `router.post(...)`, `http.createServer(fn)`,
  // `server.on('request', fn)`.
  const call = fn.parent;
  if (!call || !ts.isCallExpression(call) || !call.arguments.includes(fn as unknown as ts.Expression)) return false;
  const callee = call.expression;
  const method = ts.isPropertyAccessExpression(callee) ? callee.name.text : ts.isIdentifier(callee) ? callee.text : undefined;
  if (method === 'on') {
    const ev = call.arguments[0];
    return !!ev && ts.isStringLiteralLike(ev) && ev.text === 'request';
  }
  if (method === undefined || !REGISTRATION_METHODS.has(method)) return false;
  const first = call.arguments[0];
  return method === 'createServer' || method === 'use' || (!!first && ts.isStringLiteralLike(first) && first.text.startsWith('/'));
}

export function enclosingFunction(node: ts.Node): ts.SignatureDeclaration | undefined {
  for (let n = node.parent; n; n = n.parent) {
    if (ts.isFunctionLike(n)) return n;
  }
  return undefined;
}

/** True when the node runs once per incoming request (inside a handler, at any depth). */
export function isInRequestHandler(node: ts.Node): boolean {
  for (let fn = enclosingFunction(node); fn; fn = enclosingFunction(fn)) {
    if (looksLikeHandler(fn)) return true;
  }
  return false;
}

/** The nearest loop around the node within its own function, if any. */
export function enclosingLoop(node: ts.Node): ts.IterationStatement | undefined {
  for (let n = node.parent; n && !ts.isFunctionLike(n); n = n.parent) {
    if (ts.isIterationStatement(n, false)) return n;
  }
  return undefined;
}

/**
 * Methods called on the result of `node` through a fluent chain:
 * `request.get(url).set(h).timeout(5000)` → ['set', 'timeout'].
 */
export function chainedMethods(node: ts.Expression): string[] {
  const names: string[] = [];
  let current: ts.Node = node;
  for (;;) {
    const access = current.parent;
    if (!access || !ts.isPropertyAccessExpression(access) || access.expression !== current) break;
    const call = access.parent;
    if (!call || !ts.isCallExpression(call) || call.expression !== access) break;
    names.push(access.name.text);
    current = call;
  }
  return names;
}

/** How often code at a node runs, as far as the syntax tells. */
export type RunFrequency =
  /** Module top level or a class body: once per process. */
  | 'once'
  /** Inside a request handler (at any depth). */
  | 'per-request'
  /** Inside a loop within its function. */
  | 'per-iteration'
  /** Inside a function of unknown call frequency. */
  | 'per-call';

const ONCE_FUNCTION_NAMES = /^(main|init|initiali[sz]e|setup|bootstrap|start|startServer|createApp|connect|configure|register|plugin|run|constructor)$/i;

/**
 * Where a node runs: rules about per-request clients, agents and pools ask this. A constructor or
 * a function named like an initialiser (`init`, `bootstrap`, `main` …) counts as once.
 */
export function runFrequency(node: ts.Node): RunFrequency {
  if (isInRequestHandler(node)) return 'per-request';
  if (enclosingLoop(node)) return 'per-iteration';
  const fn = enclosingFunction(node);
  if (!fn) return 'once';
  if (ts.isConstructorDeclaration(fn)) return 'once';
  const name = functionName(fn);
  if (name && ONCE_FUNCTION_NAMES.test(name)) return 'once';
  // An immediately invoked function runs once where it stands.
  if ((ts.isFunctionExpression(fn) || ts.isArrowFunction(fn)) && isImmediatelyInvoked(fn)) return runFrequency(fn);
  return 'per-call';
}

export function functionName(fn: ts.SignatureDeclaration): string | undefined {
  if (fn.name && (ts.isIdentifier(fn.name) || ts.isStringLiteral(fn.name))) return fn.name.text;
  const p = fn.parent;
  if (p && ts.isVariableDeclaration(p) && ts.isIdentifier(p.name)) return p.name.text;
  if (p && ts.isPropertyAssignment(p) && ts.isIdentifier(p.name)) return p.name.text;
  return undefined;
}

function isImmediatelyInvoked(fn: ts.Node): boolean {
  let n = fn.parent;
  while (n && ts.isParenthesizedExpression(n)) n = n.parent;
  return !!n && ts.isCallExpression(n) && (n.expression === fn || ts.isParenthesizedExpression(n.expression));
}

/**
 * Whether the value of an expression is used: assigned, returned, passed, tested or awaited into
 * something. `socket.write(x);` as a statement is not; `if (!socket.write(x))` is.
 */
export function isValueUsed(expr: ts.Expression): boolean {
  let n: ts.Node = expr;
  let p = n.parent;
  while (p && (ts.isParenthesizedExpression(p) || ts.isAwaitExpression(p) || ts.isNonNullExpression(p) || ts.isAsExpression(p))) {
    n = p;
    p = p.parent;
  }
  if (!p) return false;
  if (ts.isExpressionStatement(p)) return false;
  if (ts.isVoidExpression(p)) return false;
  // `a, b` discards `a`.
  if (ts.isBinaryExpression(p) && p.operatorToken.kind === ts.SyntaxKind.CommaToken && p.left === n) return false;
  return true;
}

/**
 * Code written for a browser page or service worker (DOM and worker globals in use). Node's
 * connection pooling (undici, http.Agent) does not apply there, so rules about Node's pools skip it.
 */
const BROWSER_API = /\bdocument\.(createElement|querySelector(All)?|getElementById|body\b|head\b|addEventListener)|\bnavigator\.serviceWorker\b|\bself\.(addEventListener|skipWaiting|clients)\b|\bwindow\.(addEventListener|location\b|localStorage)|\blocalStorage\.(getItem|setItem)/;

export function isBrowserCode(text: string): boolean {
  return BROWSER_API.test(text);
}
