// Which recognised network calls a function makes, directly or through the local functions it
// calls (`hosts.map((h) => check(h))` where `check` does the `https.request`). A small call graph
// over the functions of one file, a few levels deep; functions passed elsewhere as callbacks
// (a limiter's task, a timer) are not followed because they run later, under someone else's control.
import ts = require('typescript');
import type { FileModel } from './fileModel';
import { unwrapExpression } from './resolve';
import type { Scope } from './scope';
import type { NetworkCall } from './types';
import { lowerBound } from './walk';

// The compiler's exports are getters (a call per read); bind the functions used here once.
const { isArrowFunction, isFunctionDeclaration, isFunctionExpression, isFunctionLike, isIdentifier, isNewExpression } = ts;

const MAX_DEPTH = 3;

/** The function a callee or callback names: an inline function, or one declared in this file. */
export function localFunction(expr: ts.Expression, scope: Scope): ts.SignatureDeclaration | undefined {
  const e = unwrapExpression(expr);
  if (isArrowFunction(e) || isFunctionExpression(e)) return e;
  if (!isIdentifier(e)) return undefined;
  const b = scope.lookup(e.text);
  if (b?.kind === 'local' && b.node.parent && isFunctionDeclaration(b.node.parent)) return b.node.parent;
  // The name of a named function expression, inside it: `(function poll() { …; setTimeout(poll, 1000); })()`.
  if (b?.kind === 'local' && b.node.parent && isFunctionExpression(b.node.parent) && b.node.parent.name === b.node) return b.node.parent;
  if (b?.kind === 'var' && b.init && b.path.length === 0) {
    const init = unwrapExpression(b.init);
    if (isArrowFunction(init) || isFunctionExpression(init)) return init;
  }
  return undefined;
}

/** True when `node` runs as part of `fn` itself: not inside a nested function, except a Promise executor (which runs at once). */
export function runsInFunction(node: ts.Node, fn: ts.Node): boolean {
  for (let n = node.parent; n; n = n.parent) {
    if (n === fn) return true;
    if (isFunctionLike(n)) {
      const p = n.parent;
      if (p && isNewExpression(p) && isIdentifier(p.expression) && p.expression.text === 'Promise') continue;
      // A local arrow that is called right here is followed through the call graph, not here.
      return false;
    }
  }
  return false;
}

const cache = new WeakMap<FileModel, Map<ts.Node, NetworkCall[]>>();

interface SitesByPosition {
  sites: FileModel['facts']['calls'];
  calls: NetworkCall[];
  callPos: number[];
}
const byPosition = new WeakMap<FileModel, SitesByPosition>();

/** Call sites and recognised calls sorted by position, so a function's own are found by binary search. */
function sitesByPosition(model: FileModel): SitesByPosition {
  let sorted = byPosition.get(model);
  if (!sorted) {
    const calls = [...model.calls].sort((a, b) => model.nodeOf(a).pos - model.nodeOf(b).pos);
    sorted = { sites: [...model.facts.calls].sort((a, b) => a.node.pos - b.node.pos), calls, callPos: calls.map((c) => model.nodeOf(c).pos) };
    byPosition.set(model, sorted);
  }
  return sorted;
}

/** Requests and connections `fn` makes when it runs, following calls to local functions. */
export function requestsMadeBy(model: FileModel, fn: ts.Node, depth = 0, seen = new Set<ts.Node>()): NetworkCall[] {
  let memo = cache.get(model);
  if (!memo) cache.set(model, (memo = new Map()));
  const hit = memo.get(fn);
  if (hit) return hit;
  if (seen.has(fn) || depth > MAX_DEPTH) return [];
  seen.add(fn);
  // Only the calls inside `fn`'s text can run in it: found by position, not by scanning the file
  // (a scan per function made large files quadratic: a 5 MB bundle took over a minute).
  const sorted = sitesByPosition(model);
  const direct: NetworkCall[] = [];
  for (let i = lowerBound(sorted.calls.length, (k) => sorted.callPos[k]!, fn.pos); i < sorted.calls.length && sorted.callPos[i]! < fn.end; i++) {
    const c = sorted.calls[i]!;
    if ((c.role === 'request' || c.role === 'connect') && runsInFunction(model.nodeOf(c), fn)) direct.push(c);
  }
  direct.sort((a, b) => a.index - b.index);
  const indirect: NetworkCall[] = [];
  for (let i = lowerBound(sorted.sites.length, (k) => sorted.sites[k]!.node.pos, fn.pos); i < sorted.sites.length && sorted.sites[i]!.node.pos < fn.end; i++) {
    const site = sorted.sites[i]!;
    const node = site.node;
    if (node.end > fn.end) continue;
    const target = localFunction(node.expression, site.scope);
    // Functions declared inside `fn` and called from it count too (`const getBase = () => …; getBase()`).
    // (The parent walk of runsInFunction last: thousands of levels deep in a long comma sequence.)
    if (target && target !== fn && runsInFunction(node, fn)) indirect.push(...requestsMadeBy(model, target, depth + 1, seen));
  }
  const out = [...direct, ...indirect];
  if (depth === 0) memo.set(fn, out);
  return out;
}
