// Where does a node run? Inside a function that handles incoming requests, inside a loop.
// Computed from the syntax around the node and the resolved calls that register handlers.
import ts = require('typescript');
import { anchoredMatches, atLineStart, standaloneOccurrences, type Anchored } from './textSearch';
import { usesOfFunction } from './callGraph';
import type { FileModel } from './fileModel';

// The compiler's exports are getters (a call per read); bind the functions used here once.
const { canHaveModifiers, getModifiers, isArrowFunction, isAsExpression, isAwaitExpression, isBinaryExpression, isCallExpression, isConstructorDeclaration, isExpressionStatement, isFunctionDeclaration, isFunctionExpression, isFunctionLike, isIdentifier, isIfStatement, isIterationStatement, isMethodDeclaration, isNewExpression, isNonNullExpression, isParenthesizedExpression, isPrefixUnaryExpression, isPropertyAccessExpression, isPropertyAssignment, isStringLiteral, isStringLiteralLike, isVariableDeclaration, isVoidExpression } = ts;

/** Parameter name pairs that mark a request handler even when its registration is not visible. */
const HANDLER_PARAMS: ReadonlyArray<readonly [RegExp, RegExp]> = [
  [/^req(uest)?$/i, /^res(ponse|p)?$/i],
  [/^request$/i, /^reply$/i],
  [/^ctx$/, /^next$/],
];

/** Methods that register a request handler on a server or router (express, koa, fastify, http). */
const REGISTRATION_METHODS = new Set(['get', 'post', 'put', 'patch', 'delete', 'del', 'all', 'use', 'head', 'options', 'route', 'handle', 'createServer']);

function paramName(p: ts.ParameterDeclaration | undefined): string | undefined {
  return p && isIdentifier(p.name) ? p.name.text : undefined;
}

/** Events whose listener runs once per incoming request or message. */
const PER_MESSAGE_EVENTS = new Set(['request', 'stream', 'message']);

/** Properties whose function runs once per consumed message (kafkajs `consumer.run({ eachMessage })`). */
const PER_MESSAGE_PROPERTIES = new Set(['eachMessage', 'eachBatch']);

/**
 * True when `call` registers `fn` as something that runs per incoming request or message:
 * `app.get('/x', fn)`, `router.use(fn)`, `http.createServer(fn)`, `server.on('request', fn)`,
 * `ws.on('message', fn)`, `channel.consume(queue, fn)`.
 */
export function registersHandler(call: ts.CallExpression | ts.NewExpression, fn: ts.Expression): boolean {
  const args: readonly ts.Expression[] = call.arguments ?? [];
  if (!args.includes(fn)) return false;
  const callee = call.expression;
  const method = isPropertyAccessExpression(callee) ? callee.name.text : isIdentifier(callee) ? callee.text : undefined;
  const first = args[0];
  if (method === 'on' || method === 'once' || method === 'addListener') {
    return !!first && isStringLiteralLike(first) && PER_MESSAGE_EVENTS.has(first.text) && fn !== first;
  }
  if (method === 'consume') return args.indexOf(fn) === 1;
  if (method === undefined || !REGISTRATION_METHODS.has(method)) return false;
  return method === 'createServer' || method === 'use' || (!!first && isStringLiteralLike(first) && first.text.startsWith('/'));
}

/**
 * A serverless function's entry point (AWS Lambda, Netlify, Vercel): `exports.handler = async (event) => …`,
 * `export const handler = …`, `export async function handler(…)`. It runs once per invocation.
 */
function isServerlessHandler(fn: ts.SignatureDeclaration): boolean {
  const p = fn.parent;
  if (!p) return false;
  if (isBinaryExpression(p) && p.right === fn && p.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
    // The text is read only for a `….handler` target: most assigned functions are not one.
    if (!isPropertyAccessExpression(p.left) || p.left.name.text !== 'handler') return false;
    const target = p.left.getText().replace(/\s+/g, '');
    return target === 'exports.handler' || target === 'module.exports.handler';
  }
  const exported = (node: ts.Node | undefined) => !!node && canHaveModifiers(node) && !!getModifiers(node)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
  if (isVariableDeclaration(p) && p.initializer === fn && isIdentifier(p.name) && p.name.text === 'handler') return exported(p.parent?.parent);
  if (isFunctionDeclaration(fn) && fn.name?.text === 'handler') return exported(fn);
  return false;
}

/**
 * What `looksLikeHandler` said of a function, with the nodes above it the answer read. The answer reads
 * the function, its parent and the two nodes above that (an exported declaration's statement), and
 * nothing else: while those four are the same nodes, it stands, through edits elsewhere in the file.
 * (A node that survives a re-parse has the same text below it; the nodes above it may be new.)
 */
interface HandlerAnswer {
  answer: boolean;
  parent: ts.Node | undefined;
  grandparent: ts.Node | undefined;
  above: ts.Node | undefined;
}

const handlerAnswers = new WeakMap<ts.SignatureDeclaration, HandlerAnswer>();

function looksLikeHandler(fn: ts.SignatureDeclaration): boolean {
  const parent = fn.parent as ts.Node | undefined;
  const grandparent = parent?.parent;
  const above = grandparent?.parent;
  const known = handlerAnswers.get(fn);
  if (known && known.parent === parent && known.grandparent === grandparent && known.above === above) return known.answer;
  const answer = looksLikeHandlerNow(fn);
  handlerAnswers.set(fn, { answer, parent, grandparent, above });
  return answer;
}

function looksLikeHandlerNow(fn: ts.SignatureDeclaration): boolean {
  const a = paramName(fn.parameters[0]);
  const b = paramName(fn.parameters[1]);
  if (a && b && HANDLER_PARAMS.some(([x, y]) => x.test(a) && y.test(b))) return true;
  if (isServerlessHandler(fn)) return true;
  // `consumer.run({ eachMessage: async ({ message }) => … })` and the method shorthand.
  const named = isMethodDeclaration(fn) ? fn.name : fn.parent && isPropertyAssignment(fn.parent) ? fn.parent.name : undefined;
  if (named && isIdentifier(named) && PER_MESSAGE_PROPERTIES.has(named.text)) return true;
  // A callback passed to `app.get('/x', fn)`, `router.post(...)`, `http.createServer(fn)`,
  // `server.on('request', fn)`.
  const call = fn.parent;
  if (!call || !(isCallExpression(call) || isNewExpression(call))) return false;
  return registersHandler(call, fn as unknown as ts.Expression);
}

export function enclosingFunction(node: ts.Node): ts.SignatureDeclaration | undefined {
  for (let n = node.parent; n; n = n.parent) {
    if (isFunctionLike(n)) return n;
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
  for (let n = node.parent; n && !isFunctionLike(n); n = n.parent) {
    if (isIterationStatement(n, false)) return n;
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
    if (!access || !isPropertyAccessExpression(access) || access.expression !== current) break;
    const call = access.parent;
    if (!call || !isCallExpression(call) || call.expression !== access) break;
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
 *
 * With the file model, calls within the file count too: a helper that a route handler calls (or
 * that is registered as one by name, `app.get('/', getUser)`) runs per request, and one called in
 * a loop runs per iteration. A lazily initialised result (`client ??= connect()`,
 * `if (!client) client = connect()`) does not make its callee per-request.
 */
export function runFrequency(node: ts.Node, model?: FileModel): RunFrequency {
  return frequencyAt(node, model, new Set());
}

const MAX_CALL_DEPTH = 6;

function frequencyAt(node: ts.Node, model: FileModel | undefined, seen: Set<ts.Node>): RunFrequency {
  if (isInRequestHandler(node)) return 'per-request';
  if (enclosingLoop(node)) return 'per-iteration';
  const fn = enclosingFunction(node);
  if (!fn) return 'once';
  // An immediately invoked function runs once where it stands.
  if ((isFunctionExpression(fn) || isArrowFunction(fn)) && isImmediatelyInvoked(fn)) return frequencyAt(fn, model, seen);
  if (model && seen.size < MAX_CALL_DEPTH && !seen.has(fn)) {
    seen.add(fn);
    const fromCallers = frequencyFromCallers(model, fn, seen);
    seen.delete(fn);
    if (fromCallers) return fromCallers;
  }
  if (isConstructorDeclaration(fn)) return 'once';
  const name = functionName(fn);
  if (name && ONCE_FUNCTION_NAMES.test(name)) return 'once';
  return 'per-call';
}

/**
 * The most frequent way the function's in-file callers run it, when that is per-request or
 * per-iteration; `once` when its only uses are calls from code that runs once and its name appears
 * nowhere else (not exported, not passed around): the `async function send() {…} send();` script.
 */
function frequencyFromCallers(model: FileModel, fn: ts.SignatureDeclaration, seen: Set<ts.Node>): RunFrequency | undefined {
  let result: RunFrequency | undefined;
  const uses = usesOfFunction(model, fn);
  let allOnce = uses.length > 0;
  for (const use of uses) {
    if (use.kind === 'reference') {
      if (use.arg && registersHandler(use.site, use.arg)) return 'per-request';
      allOnce = false;
      continue;
    }
    if (isLazyInitialisation(use.site)) continue;
    const f = frequencyAt(use.site, model, seen);
    if (f === 'per-request') return f;
    if (f === 'per-iteration') result = f;
    if (f !== 'once') allOnce = false;
  }
  if (!result && allOnce && onlyNamedByItsCalls(model, fn, uses.length)) return 'once';
  return result;
}

/** The function's name occurs in the file only at its declaration and its `count` calls. */
function onlyNamedByItsCalls(model: FileModel, fn: ts.SignatureDeclaration, count: number): boolean {
  const name = functionName(fn);
  if (!name || !/^[A-Za-z_$][\w$]*$/.test(name)) return false;
  const declaration = fn.parent && isVariableDeclaration(fn.parent) ? fn.parent.parent?.parent : fn;
  if (declaration && canHaveModifiers(declaration) && getModifiers(declaration)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) return false;
  return nameOccurrences(model, name) === count + 1;
}

/** Key of the name counts kept on the model (FileModel.memo). */
const OCCURRENCES = {};

/** How often a name occurs in the file's text as a standalone identifier (not as `.name`). */
function nameOccurrences(model: FileModel, name: string): number {
  const cache = model.memo(OCCURRENCES, () => new Map<string, number>());
  let n = cache.get(name);
  if (n === undefined) {
    n = standaloneOccurrences(model.sourceFile.text, name);
    cache.set(name, n);
  }
  return n;
}

/**
 * `x ??= f()`, `x ||= f()`, `x = x || f()`, `if (!x) x = f()`, `if (x == null) { x = await f() }`:
 * the value is made once and kept, however often this code runs.
 */
export function isLazyInitialisation(expr: ts.Node): boolean {
  let n: ts.Node = expr;
  while (n.parent && (isParenthesizedExpression(n.parent) || isAwaitExpression(n.parent) || isAsExpression(n.parent) || isNonNullExpression(n.parent))) n = n.parent;
  let p = n.parent;
  if (!p) return false;
  if (isBinaryExpression(p) && p.right === n) {
    const op = p.operatorToken.kind;
    if (op === ts.SyntaxKind.QuestionQuestionEqualsToken || op === ts.SyntaxKind.BarBarEqualsToken) return true;
    // x || (x = f())
    if (op === ts.SyntaxKind.EqualsToken) {
      const target = p.left.getText();
      const outer = p.parent && isParenthesizedExpression(p.parent) ? p.parent.parent : p.parent;
      if (outer && isBinaryExpression(outer) && (outer.operatorToken.kind === ts.SyntaxKind.BarBarToken || outer.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken) && outer.left.getText() === target) return true;
      return guardedByAbsence(p, target);
    }
    if ((op === ts.SyntaxKind.BarBarToken || op === ts.SyntaxKind.QuestionQuestionToken) && p.parent && isBinaryExpression(p.parent) && p.parent.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
      return p.parent.left.getText() === p.left.getText();
    }
    return false;
  }
  return false;
}

/** The assignment sits in `if (!target)` / `if (target == null)` / `if (!this.target)`. */
function guardedByAbsence(assignment: ts.Node, target: string): boolean {
  for (let n: ts.Node | undefined = assignment.parent; n && !isFunctionLike(n); n = n.parent) {
    if (!isIfStatement(n)) continue;
    const c = n.expression;
    if (isPrefixUnaryExpression(c) && c.operator === ts.SyntaxKind.ExclamationToken && c.operand.getText() === target) return true;
    if (isBinaryExpression(c) && (c.left.getText() === target || c.right.getText() === target)) {
      const op = c.operatorToken.kind;
      const other = c.left.getText() === target ? c.right : c.left;
      const nullish = other.kind === ts.SyntaxKind.NullKeyword || (isIdentifier(other) && other.text === 'undefined');
      if (nullish && (op === ts.SyntaxKind.EqualsEqualsToken || op === ts.SyntaxKind.EqualsEqualsEqualsToken)) return true;
    }
  }
  return false;
}

export function functionName(fn: ts.SignatureDeclaration): string | undefined {
  if (fn.name && (isIdentifier(fn.name) || isStringLiteral(fn.name))) return fn.name.text;
  const p = fn.parent;
  if (p && isVariableDeclaration(p) && isIdentifier(p.name)) return p.name.text;
  if (p && isPropertyAssignment(p) && isIdentifier(p.name)) return p.name.text;
  return undefined;
}

function isImmediatelyInvoked(fn: ts.Node): boolean {
  let n = fn.parent;
  while (n && isParenthesizedExpression(n)) n = n.parent;
  return !!n && isCallExpression(n) && (n.expression === fn || isParenthesizedExpression(n.expression));
}

/**
 * Whether the value of an expression is used: assigned, returned, passed, tested or awaited into
 * something. `socket.write(x);` as a statement is not; `if (!socket.write(x))` is.
 */
export function isValueUsed(expr: ts.Expression): boolean {
  let n: ts.Node = expr;
  let p = n.parent;
  while (p && (isParenthesizedExpression(p) || isAwaitExpression(p) || isNonNullExpression(p) || isAsExpression(p))) {
    n = p;
    p = p.parent;
  }
  if (!p) return false;
  if (isExpressionStatement(p)) return false;
  // `setInterval(() => res.write(x))`, `items.forEach((i) => sock.write(i))`: the arrow's result
  // goes to a caller that drops it.
  if (isArrowFunction(p) && p.body === n && isResultDropped(p)) return false;
  if (isVoidExpression(p)) return false;
  // `a, b` discards `a`.
  if (isBinaryExpression(p) && p.operatorToken.kind === ts.SyntaxKind.CommaToken && p.left === n) return false;
  return true;
}

/**
 * Code written for a browser page or service worker (DOM and worker globals in use). Node's
 * connection pooling (undici, http.Agent) does not apply there, so rules about Node's pools skip it.
 */
export const BROWSER_API: readonly Anchored[] = [
  { literal: 'document.', wordStart: true, pattern: /document\.(createElement|querySelector(All)?|getElementById|body\b|head\b|addEventListener)/y },
  // Anchored on `navigator.` like PAGE_CODE's alternative: one search finds both.
  { literal: 'navigator.', wordStart: true, pattern: /navigator\.serviceWorker\b/y },
  { literal: 'self.', wordStart: true, pattern: /self\.(addEventListener|skipWaiting|clients)\b/y },
  { literal: 'window.', wordStart: true, pattern: /window\.(addEventListener|location\b|localStorage)/y },
  { literal: 'localStorage.', wordStart: true, pattern: /localStorage\.(getItem|setItem)/y },
];

/**
 * Code that runs in a page: browser globals, a React server-components boundary, UI framework imports.
 * There an unhandled rejection is only logged, not the end of a process.
 */
export const PAGE_CODE: readonly Anchored[] = [
  { literal: 'document.', wordStart: true, pattern: /document\.(createElement|querySelector|getElementById|body)/y },
  { literal: 'window.', wordStart: true, pattern: /window\.(location|addEventListener|document)/y },
  { literal: 'navigator.', wordStart: true, pattern: /navigator\./y },
  { literal: 'localStorage.', wordStart: true, pattern: /localStorage\./y },
  // `'use client'` on a line of its own (a React server-components boundary).
  // (one alternative per quote: the search starts from the quote, less common than the letters)
  { literal: "'use client", pattern: /'use client['"]/y, where: atLineStart },
  { literal: '"use client', pattern: /"use client['"]/y, where: atLineStart },
  { literal: 'from', wordStart: true, pattern: /from\s+['"](react|react-dom|preact|vue|svelte|solid-js)(\/[^'"]*)?['"]/y },
  { literal: 'require(', wordStart: true, pattern: /require\(\s*['"](react|vue)['"]\s*\)/y },
];

const BROWSER_SETS = [BROWSER_API, PAGE_CODE] as const;
let lastBrowserText: string | undefined;
let lastBrowserAnswers: boolean[] = [false, false];
/** Both browser tests, answered by one pass over a text (several rules ask about the same text). */
function browserAnswers(text: string): boolean[] {
  if (text !== lastBrowserText) {
    lastBrowserAnswers = anchoredMatches(text, BROWSER_SETS);
    lastBrowserText = text;
  }
  return lastBrowserAnswers;
}

export function isBrowserCode(text: string): boolean {
  return browserAnswers(text)[0]!;
}

/** The text looks like code that runs in a page (PAGE_CODE). */
export function runsInPage(text: string): boolean {
  return browserAnswers(text)[1]!;
}

/** Callers that ignore what their callback returns. */
const RESULT_DROPPING_CALLERS = new Set(['setInterval', 'setTimeout', 'setImmediate', 'nextTick', 'queueMicrotask', 'forEach', 'on', 'once', 'addListener', 'prependListener', 'prependOnceListener', 'addEventListener']);

/** True when the arrow is handed to a caller that ignores what it returns (a timer, `forEach`, an event listener). */
export function isResultDropped(fn: ts.ArrowFunction): boolean {
  let n: ts.Node = fn;
  while (n.parent && isParenthesizedExpression(n.parent)) n = n.parent;
  const call = n.parent;
  if (!call || !isCallExpression(call) || !call.arguments.includes(n as ts.Expression)) return false;
  const callee = call.expression;
  const name = isIdentifier(callee) ? callee.text : isPropertyAccessExpression(callee) ? callee.name.text : undefined;
  return !!name && RESULT_DROPPING_CALLERS.has(name);
}
