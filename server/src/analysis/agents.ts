// HTTP agents (connection pools) in a file: whether an agent keeps connections alive, how long it
// keeps an idle socket, whether its options are really what the literal says (an options object
// filled in later is not), and whether the agent is used at all. Rules about keep-alive, per-request
// agents and idle-timeout alignment ask these questions.
import ts = require('typescript');
import type { FileModel } from './fileModel';
import { unwrapExpression } from './resolve';
import type { Binding, Scope } from './scope';
import type { NetworkCall, OptionFact } from './types';
import { someNode } from './walk';

// The compiler's exports are getters (a call per read); bind the functions used here once.
const { isAsExpression, isElementAccessExpression, isExpressionStatement, isIdentifier, isObjectLiteralExpression, isParenthesizedExpression, isPropertyAccessExpression, isSatisfiesExpression, isSpreadAssignment, isVariableDeclaration, isVariableStatement } = ts;

/** Node core agents and drop-in subclasses: they pool sockets per host:port. */
const NODE_AGENT_APIS = new Set(['http.Agent', 'https.Agent', 'agentkeepalive.Agent', 'agentkeepalive.HttpsAgent']);
/** Everything that owns a connection pool (and, for https, a TLS session cache). */
const POOL_APIS = new Set([...NODE_AGENT_APIS, 'undici.Agent', 'undici.Pool', 'undici.Client', 'undici.ProxyAgent', 'undici.EnvHttpProxyAgent', 'undici.RetryAgent']);

export function isNodeAgent(call: NetworkCall): boolean {
  return NODE_AGENT_APIS.has(call.api);
}

export function isConnectionPool(call: NetworkCall): boolean {
  return POOL_APIS.has(call.api);
}

/** agentkeepalive keeps connections alive unless told otherwise; `new http.Agent()` does not. */
export function keepsAliveByDefault(call: NetworkCall): boolean {
  return call.library === 'agentkeepalive';
}

export type KeepAlive =
  /** `keepAlive: true` (or the library default). */
  | { state: 'on'; option?: OptionFact }
  /** `keepAlive: false`. */
  | { state: 'off'; option: OptionFact }
  /** No `keepAlive` option and the default is off. */
  | { state: 'default-off' }
  /** Set from a value the analysis cannot see, or the options are not fully known. */
  | { state: 'unknown'; option?: OptionFact };

/** The keep-alive setting of a Node agent. */
export function keepAliveOf(model: FileModel, call: NetworkCall): KeepAlive {
  const option = call.options.find((o) => o.key === 'keepAlive');
  if (option) {
    if (option.value.kind === 'boolean') return option.value.value ? { state: 'on', option } : { state: 'off', option };
    return { state: 'unknown', option };
  }
  if (!optionsFullyKnown(model, call)) return { state: 'unknown' };
  return keepsAliveByDefault(call) ? { state: 'on' } : { state: 'default-off' };
}

/** Default free-socket timeout of agentkeepalive (v4+). */
export const AGENTKEEPALIVE_FREE_SOCKET_TIMEOUT_MS = 4000;

export type IdleTimeout =
  | { state: 'none' }
  | { state: 'ms'; ms: number; option?: OptionFact }
  | { state: 'unknown' };

/**
 * How long the agent keeps an idle (free) socket before closing it itself. Node's `http.Agent`
 * applies its `timeout` to free sockets and has none by default; agentkeepalive has
 * `freeSocketTimeout` (formerly `freeSocketKeepAliveTimeout` / `keepAliveTimeout`), 4 s by default.
 */
export function idleTimeoutOf(model: FileModel, call: NetworkCall): IdleTimeout {
  const keys = call.library === 'agentkeepalive' ? ['freeSocketTimeout', 'freeSocketKeepAliveTimeout', 'keepAliveTimeout'] : ['timeout'];
  const option = call.options.find((o) => keys.includes(o.key));
  if (option) {
    if (option.value.kind === 'number') return option.value.value > 0 ? { state: 'ms', ms: option.value.value, option } : { state: 'none' };
    return { state: 'unknown' };
  }
  if (!optionsFullyKnown(model, call)) return { state: 'unknown' };
  if (call.library === 'agentkeepalive') return { state: 'ms', ms: AGENTKEEPALIVE_FREE_SOCKET_TIMEOUT_MS };
  return { state: 'none' };
}

/**
 * True when every option the call receives is in view: the options are a literal (or a `const`
 * literal) that nothing fills in afterwards (`opts.keepAlive = …`, `Object.assign(opts, …)`), and
 * every spread in it is such a literal too.
 */
export function optionsFullyKnown(model: FileModel, call: NetworkCall): boolean {
  if (call.optionsUnknown) return false;
  const node = model.nodeOf(call);
  const scope = model.scopeOf(call);
  for (const arg of node.arguments ?? []) {
    const e = unwrapExpression(arg);
    if (isIdentifier(e) && isMutated(model, e, scope)) return false;
  }
  const obj = model.optionsObject(call);
  if (obj && hasMutatedSpread(model, obj, scope, 0)) return false;
  return true;
}

function hasMutatedSpread(model: FileModel, obj: ts.ObjectLiteralExpression, scope: Scope, depth: number): boolean {
  if (depth > 3) return true;
  for (const p of obj.properties) {
    if (!isSpreadAssignment(p)) continue;
    const e = unwrapExpression(p.expression);
    if (isIdentifier(e) && isMutated(model, e, scope)) return true;
    if (isObjectLiteralExpression(e) && hasMutatedSpread(model, e, scope, depth + 1)) return true;
  }
  return false;
}

/** The base identifier of `a.b.c` / `a['b']`. */
function baseIdentifier(expr: ts.Expression): ts.Identifier | undefined {
  let e = unwrapExpression(expr);
  while (isPropertyAccessExpression(e) || isElementAccessExpression(e)) e = unwrapExpression(e.expression);
  return isIdentifier(e) ? e : undefined;
}

/** Key of the answers kept on the model (FileModel.memo), by binding. */
const MUTATED = {};

/** Whether the object a variable holds gets properties written or merged into it anywhere in the file. */
export function isMutated(model: FileModel, id: ts.Identifier, scope: Scope): boolean {
  const binding = scope.lookup(id.text);
  if (!binding || binding.kind !== 'var') return false;
  const cache = model.memo(MUTATED, () => new Map<Binding, boolean>());
  const facts = model.facts;
  const hit = cache.get(binding);
  if (hit !== undefined) return hit;
  let mutated = binding.assigned.length > 0;
  for (const a of facts.assignments) {
    if (mutated) break;
    const base = baseIdentifier(a.target);
    if (base && base.text === id.text && a.scope.lookup(base.text) === binding) mutated = true;
  }
  for (const site of facts.calls) {
    if (mutated) break;
    const callee = unwrapExpression(site.node.expression);
    if (!isPropertyAccessExpression(callee) || callee.name.text !== 'assign' || !isIdentifier(callee.expression) || callee.expression.text !== 'Object') continue;
    const first = site.node.arguments?.[0];
    const base = first && baseIdentifier(first);
    if (base && base.text === id.text && site.scope.lookup(base.text) === binding) mutated = true;
  }
  cache.set(binding, mutated);
  return mutated;
}

/**
 * Whether the object created at `node` is used at all: kept inline in an expression (an option
 * value, an argument, a return value) or stored in a variable that is read somewhere.
 */
export function isUsed(model: FileModel, node: ts.Node): boolean {
  let n: ts.Node = node;
  while (n.parent && (isParenthesizedExpression(n.parent) || isAsExpression(n.parent) || isSatisfiesExpression(n.parent))) n = n.parent;
  const parent = n.parent;
  if (!parent) return false;
  if (isExpressionStatement(parent)) return false;
  if (!isVariableDeclaration(parent) || parent.initializer !== n || !isIdentifier(parent.name)) return true;
  const name = parent.name.text;
  const declScope = scopeAt(model, parent);
  const binding = declScope?.lookup(name);
  if (!binding) return true;
  // Exported declarations are used by other modules.
  const statement = parent.parent?.parent;
  if (statement && isVariableStatement(statement) && statement.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) return true;
  // Only the scope that holds the variable can read it. (someNode is iterative: no stack overflow on deep code.)
  let holder: Scope | undefined = declScope;
  while (holder && holder.bindings.get(name) !== binding) holder = holder.parent;
  return someNode(holder?.node ?? model.sourceFile, (child) => isIdentifier(child) && child.text === name && child !== parent.name && scopeAt(model, child)?.lookup(name) === binding);
}

/** The scope a node sits in (the nearest enclosing node that opens one). */
export function scopeAt(model: FileModel, node: ts.Node): Scope | undefined {
  for (let n: ts.Node | undefined = node; n; n = n.parent) {
    const s = model.facts.scopes.get(n);
    // A function's parameters and name live in its own scope; the function node itself opens it.
    if (s) return s;
  }
  return model.facts.root;
}
