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
