// Hand-written retries of network operations, and how long they wait between attempts.
//
// Three shapes: a loop that tries again until an attempt succeeds (`while (true) { try { return
// await call() } catch {} }`), a timer re-armed on the error path (`.catch(() => setTimeout(poll,
// 1000))`, `socket.on('close', () => setTimeout(reconnect, 1000))`), and a function that calls
// itself from its catch block. For each, the delay between attempts is classified: none, a
// constant, one that grows (a counter, `**`, a backoff helper, jitter), or unknown.
import ts = require('typescript');
import { scopeAt } from './agents';
import { enclosingFunction } from './context';
import { selectScopes } from './facts';
import type { FileModel } from './fileModel';
import { usesOfFunction } from './callGraph';
import { localCallsIn, localFunction, requestsMadeBy, runsInFunction } from './localCalls';
import { unwrapExpression } from './resolve';
import type { NetworkCall } from './types';
import { staticValue } from './values';
import { lowerBound, someNode, walkTree } from './walk';

// The compiler's exports are getters (a call per read); bind the functions used here once.
const { isArrowFunction, isAwaitExpression, isBinaryExpression, isBlock, isBreakStatement, isCallExpression, isCatchClause, isDoStatement, isElementAccessExpression, isForStatement, isFunctionExpression, isFunctionLike, isIdentifier, isIfStatement, isIterationStatement, isLiteralExpression, isNewExpression, isNumericLiteral, isParenthesizedExpression, isPostfixUnaryExpression, isPrefixUnaryExpression, isPropertyAccessExpression, isReturnStatement, isStringLiteralLike, isSwitchStatement, isThrowStatement, isTryStatement, isVariableDeclarationList, isWhileStatement } = ts;

export type Delay =
  | { kind: 'none' }
  | { kind: 'constant'; ms: number; node: ts.Node }
  | { kind: 'growing' }
  | { kind: 'unknown' };

export interface Retry {
  shape: 'loop' | 'timer' | 'recursion';
  /** The loop statement, the `setTimeout(…)` call, or the recursive call. */
  anchor: ts.Node;
  /** Recognised requests or connections that are tried again. */
  requests: NetworkCall[];
  /** A reconnect through a method the model does not know (`self.reconnectBroker(s)`). */
  reconnect?: string;
  delay: Delay;
  /** Retried after an exception or an error/close event (not only after a status check). */
  afterFailure: boolean;
  /** A counter limits the attempts (`attempt < max`, `if (++n > 5) throw e`). */
  bounded: boolean;
}

const DELAY_NAME = /^(sleep|delay|wait|pause|setTimeout|timeout|waitFor|snooze)$/i;
const GROWING_NAME = /backoff|exponential|jitter|retryDelay|nextDelay|getRetry/i;
const RECONNECT_NAME = /^(re)?connect\w*$|reconnect/i;
const FAILURE_EVENTS = new Set(['error', 'close', 'end', 'disconnect', 'timeout']);

function calleeName(call: ts.CallExpression | ts.NewExpression): string | undefined {
  const c = unwrapExpression(call.expression);
  if (isIdentifier(c)) return c.text;
  if (isPropertyAccessExpression(c)) return c.name.text;
  return undefined;
}

const within = (node: ts.Node, outer: ts.Node) => node.pos >= outer.pos && node.end <= outer.end;

interface NetworkSite {
  node: ts.CallExpression | ts.NewExpression;
  /** The requests this call makes: itself when recognised, else those of the local function it calls. */
  requests: NetworkCall[];
  /** The local function called, when the requests are made through one. */
  via?: ts.Node;
}

/** Keys of this module's answers kept on the model (FileModel.memo). */
const NETWORK_SITES = {};
const RETRIES = {};

/** Call sites that make a request or connection, directly or through a local function. Once per file. */
function networkSites(model: FileModel): NetworkSite[] {
  return model.memo(NETWORK_SITES, () => findNetworkSites(model));
}

function findNetworkSites(model: FileModel): NetworkSite[] {
  // Each with its `facts.calls` index: sorted by start, then walk order (what a stable sort of the
  // sites in walk order by start gives).
  const found: Array<{ site: NetworkSite; order: number }> = [];
  for (const call of model.calls) {
    if (call.role === 'request' || call.role === 'connect') found.push({ site: { node: model.nodeOf(call), requests: [call] }, order: model.callSites[call.index]!.index });
  }
  // Only calls of local functions can make requests through one. In walk order: requestsMadeBy
  // remembers each function's answer, and later answers build on earlier ones.
  for (const { site, target } of localCallsIn(model).inWalkOrder) {
    const call = model.callAt(site.node);
    if (call && (call.role === 'request' || call.role === 'connect')) continue;
    const requests = requestsMadeBy(model, target);
    if (requests.length) found.push({ site: { node: site.node, requests, via: target }, order: site.index });
  }
  // Sorted by start so the sites inside a region are found by binary search (sitesWithin).
  return found.sort((a, b) => a.site.node.pos - b.site.node.pos || a.order - b.order).map((f) => f.site);
}

/** The network sites inside `region`, in source order. */
function sitesWithin(model: FileModel, region: ts.Node): NetworkSite[] {
  const sites = networkSites(model);
  const out: NetworkSite[] = [];
  for (let i = lowerBound(sites.length, (k) => sites[k]!.node.pos, region.pos); i < sites.length && sites[i]!.node.pos <= region.end; i++) if (within(sites[i]!.node, region)) out.push(sites[i]!);
  return out;
}

/** Requests made in `region` itself (not in callbacks), directly or through local functions it calls. */
function requestsIn(model: FileModel, region: ts.Node, fn: ts.Node): NetworkCall[] {
  const out: NetworkCall[] = [];
  for (const site of sitesWithin(model, region)) {
    if (site.via === fn || !runsInFunction(site.node, fn)) continue;
    out.push(...site.requests);
  }
  return out;
}

// ------------------------------------------------------------------------------------------------
// Delays

/** Names whose value changes as attempts go by (`attempt++`, `delay *= 2`, `i += 1`). */
function changingNames(region: ts.Node): Set<string> {
  const names = new Set<string>();
  // Iterative walks throughout (walkTree, someNode): generated code nests deeper than the stack allows.
  walkTree(region, (n) => {
    if ((isPostfixUnaryExpression(n) || isPrefixUnaryExpression(n)) && isIdentifier(n.operand) && (n.operator === ts.SyntaxKind.PlusPlusToken || n.operator === ts.SyntaxKind.MinusMinusToken)) names.add(n.operand.text);
    if (isBinaryExpression(n) && isIdentifier(n.left) && n.operatorToken.kind >= ts.SyntaxKind.FirstCompoundAssignment && n.operatorToken.kind <= ts.SyntaxKind.LastCompoundAssignment) names.add(n.left.text);
    if (isBinaryExpression(n) && isIdentifier(n.left) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken && !isLiteralExpression(unwrapExpression(n.right))) names.add(n.left.text);
  });
  return names;
}

/** The name a counter is known by: `n` for `n++`, `retries` for `this.retries += 1`. */
function counterName(e: ts.Expression): string | undefined {
  const u = unwrapExpression(e);
  if (isIdentifier(u)) return u.text;
  if (isPropertyAccessExpression(u)) return u.name.text;
  return undefined;
}

/** Whether `region` compares a counter that something increments or decrements (`i < 3`, `retries-- > 0`). */
const counterCache = new WeakMap<ts.Node, Set<string>>();

function hasAttemptLimit(region: ts.Node, counterScope: ts.Node): boolean {
  const counters = countersIn(counterScope);
  if (counters.size === 0) return false;
  const isCounter = (y: ts.Node) => (isIdentifier(y) && counters.has(y.text)) || (isPropertyAccessExpression(y) && counters.has(y.name.text));
  return someNode(region, (n) => {
    if (!isBinaryExpression(n)) return false;
    const op = n.operatorToken.kind;
    const compares = op === ts.SyntaxKind.LessThanToken || op === ts.SyntaxKind.LessThanEqualsToken || op === ts.SyntaxKind.GreaterThanToken || op === ts.SyntaxKind.GreaterThanEqualsToken || op === ts.SyntaxKind.EqualsEqualsEqualsToken || op === ts.SyntaxKind.EqualsEqualsToken;
    return compares && (someNode(n.left, isCounter) || someNode(n.right, isCounter));
  });
}

/** Names incremented or decremented in a region (memoised: timers ask about the whole file). */
function countersIn(counterScope: ts.Node): Set<string> {
  const hit = counterCache.get(counterScope);
  if (hit) return hit;
  const counters = new Set<string>();
  counterCache.set(counterScope, counters);
  walkTree(counterScope, (n) => {
    if ((isPostfixUnaryExpression(n) || isPrefixUnaryExpression(n)) && (n.operator === ts.SyntaxKind.PlusPlusToken || n.operator === ts.SyntaxKind.MinusMinusToken)) {
      const name = counterName(n.operand);
      if (name) counters.add(name);
    }
    if (isBinaryExpression(n) && (n.operatorToken.kind === ts.SyntaxKind.PlusEqualsToken || n.operatorToken.kind === ts.SyntaxKind.MinusEqualsToken)) {
      const name = counterName(n.left);
      if (name) counters.add(name);
    }
    // `count + 1` passed on to the next attempt (a recursive retry's counter parameter).
    if (isBinaryExpression(n) && (n.operatorToken.kind === ts.SyntaxKind.PlusToken || n.operatorToken.kind === ts.SyntaxKind.MinusToken) && isNumericLiteral(unwrapExpression(n.right))) {
      const name = counterName(n.left);
      if (name) counters.add(name);
    }
  });
  return counters;
}

/** Whether a delay expression grows with the attempts or is randomised. */
function classifyDelayExpression(model: FileModel, expr: ts.Expression | undefined, changing: Set<string>, node: ts.Node): Delay {
  if (!expr) return { kind: 'none' };
  const scope = scopeAt(model, expr);
  const v = scope ? staticValue(expr, scope) : { kind: 'unknown' as const };
  if (v.kind === 'number') return { kind: 'constant', ms: v.value, node };
  const growing = someNode(expr, (n) => {
    if (isIdentifier(n) && changing.has(n.text)) return true;
    if (isBinaryExpression(n) && (n.operatorToken.kind === ts.SyntaxKind.AsteriskAsteriskToken || n.operatorToken.kind === ts.SyntaxKind.LessThanLessThanToken)) return true;
    if (!isCallExpression(n)) return false;
    const name = calleeName(n);
    return !!name && (GROWING_NAME.test(name) || name === 'pow' || name === 'random');
  });
  return growing ? { kind: 'growing' } : { kind: 'unknown' };
}

/** The delays awaited or scheduled in `region`, other than inside the retried calls themselves. */
function delayIn(model: FileModel, region: ts.Node, retried: readonly ts.Node[], changing: Set<string>): Delay {
  const delays: Delay[] = [];
  let otherAwait = false;
  walkTree(region, (n) => {
    if (retried.some((r) => within(n, r))) return 'skip';
    if (isCallExpression(n) || isNewExpression(n)) {
      const name = calleeName(n);
      if (name && GROWING_NAME.test(name)) {
        delays.push({ kind: 'growing' });
        return 'skip';
      }
      if (name && DELAY_NAME.test(name) && isCallExpression(n)) {
        // `setTimeout(cb, ms)` takes the delay second; `sleep(ms)` / timers/promises `setTimeout(ms)` first.
        const first = n.arguments[0] && unwrapExpression(n.arguments[0]);
        const isCallback = !!first && (isArrowFunction(first) || isFunctionExpression(first) || (isIdentifier(first) && n.arguments.length > 1));
        delays.push(classifyDelayExpression(model, isCallback ? n.arguments[1] : n.arguments[0], changing, n));
        return 'skip';
      }
    }
    if (isAwaitExpression(n)) {
      const inner = unwrapExpression(n.expression);
      const isDelay = (isCallExpression(inner) || isNewExpression(inner)) && (DELAY_NAME.test(calleeName(inner) ?? '') || GROWING_NAME.test(calleeName(inner) ?? '') || calleeName(inner) === 'Promise');
      if (!isDelay && !retried.some((r) => within(r, n))) otherAwait = true;
    }
    return undefined;
  });
  if (delays.some((d) => d.kind === 'growing')) return { kind: 'growing' };
  if (delays.some((d) => d.kind === 'unknown')) return { kind: 'unknown' };
  const constants = delays.filter((d): d is Extract<Delay, { kind: 'constant' }> => d.kind === 'constant');
  if (constants.length) return constants.sort((a, b) => b.ms - a.ms)[0];
  // Something else awaited between attempts (a token refresh, a helper) may well wait: unknown.
  return otherAwait ? { kind: 'unknown' } : { kind: 'none' };
}

// ------------------------------------------------------------------------------------------------
// Loops

function statementsExit(statements: readonly ts.Statement[]): boolean {
  const last = statements[statements.length - 1];
  return !!last && statementExits(last);
}

function statementExits(s: ts.Statement): boolean {
  if (isThrowStatement(s) || isReturnStatement(s) || isBreakStatement(s)) return true;
  if (isBlock(s)) return statementsExit(s.statements);
  if (isIfStatement(s)) return !!s.elseStatement && statementExits(s.thenStatement) && statementExits(s.elseStatement);
  return false;
}

/** A `return` or `break` for this loop inside `region` (a successful attempt leaves the loop). */
function leavesLoop(region: ts.Node, loop: ts.Node): boolean {
  return someNode(
    region,
    (n) => {
      if (isReturnStatement(n)) return true;
      if (!isBreakStatement(n) || n.label) return false;
      // A break inside a nested loop or switch leaves that one instead.
      let p = n.parent;
      while (p && p !== loop && !isIterationStatement(p, false) && !isSwitchStatement(p)) p = p.parent;
      return p === loop;
    },
    (n) => isFunctionLike(n),
  );
}

/** `if (res.ok) return res` / `if (res.status !== 503) break`: the exit depends on the response's status. */
function exitsOnResponse(region: ts.Node, loop: ts.Node): boolean {
  const readsStatus = (x: ts.Node) => isPropertyAccessExpression(x) && /^(ok|status|statusCode)$/.test(x.name.text);
  return someNode(region, (n) => isIfStatement(n) && leavesLoop(n.thenStatement, loop) && someNode(n.expression, readsStatus), (n) => isFunctionLike(n));
}

/** `for (let i = 0; i < n; i++) { … items[i] … }` walks a list; it does not retry. */
function iteratesIndex(loop: ts.ForStatement): boolean {
  const init = loop.initializer;
  if (!init || !isVariableDeclarationList(init)) return false;
  const names = new Set(init.declarations.flatMap((d) => (isIdentifier(d.name) ? [d.name.text] : [])));
  return someNode(loop.statement, (n) => {
    if (!isElementAccessExpression(n)) return false;
    const index = unwrapExpression(n.argumentExpression);
    return isIdentifier(index) && names.has(index.text);
  });
}

/** A `for` loop, or the block of a `while` or `do` loop (the scopes that stand for a loop). */
const opensLoopScope = (node: ts.Node) => isForStatement(node) || (isBlock(node) && !!node.parent && (isWhileStatement(node.parent) || isDoStatement(node.parent)));

function loopRetries(model: FileModel): Retry[] {
  const loops = new Set<ts.IterationStatement>();
  for (const node of selectScopes(model.facts, opensLoopScope)) loops.add(isForStatement(node) ? node : (node.parent as ts.WhileStatement | ts.DoStatement));
  const out: Retry[] = [];
  for (const loop of loops) {
    // Cheap gate first: a network call somewhere inside the loop.
    if (sitesWithin(model, loop.statement).length === 0) continue;
    if (isForStatement(loop) && iteratesIndex(loop)) continue;
    // `for (;;) switch (state)`: a compiled generator's state machine, not a retry.
    if (isSwitchStatement(loop.statement) || (isBlock(loop.statement) && loop.statement.statements.length === 1 && isSwitchStatement(loop.statement.statements[0]))) continue;
    const fn = enclosingFunction(loop) ?? loop.getSourceFile();
    const body = loop.statement;
    // Attempts made in a try block whose catch lets the loop go round again.
    let tried: ts.TryStatement | undefined;
    walkTree(body, (n) => {
      if (isFunctionLike(n)) return 'skip';
      if (isTryStatement(n) && n.catchClause && !statementsExit(n.catchClause.block.statements) && requestsIn(model, n.tryBlock, fn).length > 0) {
        tried = n;
        return 'stop';
      }
      return undefined;
    });
    const region = tried ? tried.tryBlock : body;
    const requests = requestsIn(model, region, fn);
    if (requests.length === 0) continue;
    if (!leavesLoop(region, loop)) continue;
    // Without a try, the loop retries on the response: it must leave when the response says so.
    if (!tried && !exitsOnResponse(region, loop)) continue;
    const changing = changingNames(loop);
    const delay = delayIn(model, body, requests.map((r) => model.nodeOf(r)), changing);
    out.push({ shape: 'loop', anchor: loop, requests, delay, afterFailure: !!tried, bounded: hasAttemptLimit(loop, loop) });
  }
  return out;
}

// ------------------------------------------------------------------------------------------------
// Timers re-armed on the failure path

/** Whether `node` runs on a failure path: a catch block, a `.catch()`/rejection handler, an error or close listener. */
function onFailurePath(model: FileModel, node: ts.Node, depth = 0): { network: boolean } | undefined {
  for (let n: ts.Node | undefined = node.parent; n; n = n.parent) {
    if (isCatchClause(n)) return { network: true };
    if (!isFunctionLike(n)) continue;
    let fnNode: ts.Node = n;
    while (fnNode.parent && isParenthesizedExpression(fnNode.parent)) fnNode = fnNode.parent;
    const call = fnNode.parent;
    if (call && isCallExpression(call) && call.arguments.includes(fnNode as ts.Expression)) {
      const callee = unwrapExpression(call.expression);
      const method = isPropertyAccessExpression(callee) ? callee.name.text : undefined;
      if (method === 'catch' && call.arguments[0] === fnNode) return { network: true };
      if (method === 'then' && call.arguments[1] === fnNode) return { network: true };
      if (method && /^(on|once|addListener)$/.test(method) && isPropertyAccessExpression(callee)) {
        const ev = call.arguments[0];
        if (ev && isStringLiteralLike(ev) && FAILURE_EVENTS.has(ev.text)) {
          const emitter = model.resolver.resolve(callee.expression, scopeAt(model, call) ?? model.facts.root);
          const recognised = !!emitter?.origin && !!model.callAt(emitter.origin);
          return { network: recognised };
        }
      }
      // Some other callback: keep looking outwards only through promise executors.
      continue;
    }
    // A local function: on the failure path when every call of it is.
    if (depth === 0) {
      const callers = callersOf(model, n);
      if (callers.length === 0) return undefined;
      const paths = callers.map((c) => onFailurePath(model, c, depth + 1));
      if (paths.every((p) => p)) return { network: paths.some((p) => p!.network) };
    }
    return undefined;
  }
  return undefined;
}

function callersOf(model: FileModel, fn: ts.Node): Array<ts.CallExpression | ts.NewExpression> {
  return usesOfFunction(model, fn).filter((u) => u.kind === 'call').map((u) => u.site);
}

function timerRetries(model: FileModel): Retry[] {
  const out: Retry[] = [];
  for (const site of model.callsNamed('setTimeout')) {
    const call = site.node;
    if (!isCallExpression(call) || call.arguments.length < 2 || !isIdentifier(call.expression) || call.expression.text !== 'setTimeout') continue;
    const cb = call.arguments[0];
    const target = localFunction(cb, site.scope);
    if (!target) continue;
    // The cheap questions first: what the callback does (indexed per file), then whether the timer
    // is on a failure path (which may need every caller of the enclosing function).
    const requests = requestsMadeBy(model, target);
    // `setTimeout(() => self.reconnectBroker(s), 1000)` after a recognised socket closed.
    const reconnect = requests.length === 0 ? reconnectCall(target) : undefined;
    if (requests.length === 0 && !reconnect) continue;
    const path = onFailurePath(model, call);
    if (!path || (requests.length === 0 && !path.network)) continue;
    const fn = enclosingFunction(call) ?? call.getSourceFile();
    const outer = enclosingFunction(fn) ?? call.getSourceFile();
    const delay = classifyDelayExpression(model, call.arguments[1], changingNames(fn), call);
    out.push({ shape: 'timer', anchor: call, requests, reconnect, delay, afterFailure: true, bounded: hasAttemptLimit(outer, call.getSourceFile()) });
  }
  return out;
}

function reconnectCall(fn: ts.SignatureDeclaration): string | undefined {
  let found: string | undefined;
  const body = (fn as ts.FunctionLikeDeclaration).body;
  if (body) {
    walkTree(body, (n) => {
      if (!isCallExpression(n)) return undefined;
      const name = calleeName(n);
      if (!name || !RECONNECT_NAME.test(name)) return undefined;
      found = name;
      return 'stop';
    });
  }
  return found;
}

// ------------------------------------------------------------------------------------------------
// Recursion from the catch block

/**
 * A quick test for "may be inside a catch block": catch clause ranges sorted by start, with the
 * furthest end so far. Most call sites are in no catch clause, and skipping them before the parent
 * walks below keeps long call chains (`x.then().then()…`, thousands of links) linear.
 */
function insideSomeCatch(model: FileModel): (pos: number) => boolean {
  const ranges = selectScopes(model.facts, ts.isCatchClause).map((c) => [c.pos, c.end] as const).sort((a, b) => a[0] - b[0]);
  const furthestEnd: number[] = [];
  for (const [i, r] of ranges.entries()) furthestEnd.push(Math.max(r[1], i > 0 ? furthestEnd[i - 1]! : -1));
  return (pos) => {
    // The clauses starting at or before `pos` (integer positions: those starting before pos + 1).
    const starting = lowerBound(ranges.length, (k) => ranges[k]![0], pos + 1);
    return starting > 0 && furthestEnd[starting - 1]! > pos;
  };
}

function recursiveRetries(model: FileModel): Retry[] {
  const out: Retry[] = [];
  // Only a call to a local function can be the function calling itself: those few, not every call
  // (and a cheap test before any parent walk: thousands of `socket.write()` in a catch block stay linear).
  const local = localCallsIn(model).inWalkOrder;
  if (local.length === 0) return out;
  const mayBeInCatch = insideSomeCatch(model);
  for (const { site, target } of local) {
    const call = site.node;
    if (!isCallExpression(call) || !mayBeInCatch(call.pos)) continue;
    const fn = enclosingFunction(call);
    if (!fn || target !== fn) continue;
    let catchClause: ts.CatchClause | undefined;
    for (let n = call.parent; n && n !== fn; n = n.parent) {
      if (isFunctionLike(n)) break;
      if (isCatchClause(n)) {
        catchClause = n;
        break;
      }
    }
    if (!catchClause) continue;
    const tryStatement = catchClause.parent as ts.TryStatement;
    const requests = requestsIn(model, tryStatement.tryBlock, fn);
    if (requests.length === 0) continue;
    const delay = delayIn(model, catchClause.block, [call], new Set());
    out.push({ shape: 'recursion', anchor: call, requests, delay, afterFailure: true, bounded: hasAttemptLimit(fn, fn) });
  }
  return out;
}

/** Every hand-written retry of a network operation in the file. */
export function retriesIn(model: FileModel): Retry[] {
  return model.memo(RETRIES, () =>
    // No request or connection in the file: nothing to retry.
    model.calls.some((c) => c.role === 'request' || c.role === 'connect') ? [...loopRetries(model), ...timerRetries(model), ...recursiveRetries(model)] : [],
  );
}
