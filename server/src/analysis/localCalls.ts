// Which recognised network calls a function makes, directly or through the local functions it
// calls (`hosts.map((h) => check(h))` where `check` does the `https.request`). A small call graph
// over the functions of one file, a few levels deep; functions passed elsewhere as callbacks
// (a limiter's task, a timer) are not followed because they run later, under someone else's control.
import ts = require('typescript');
import type { CallSite } from './facts';
import type { FileModel } from './fileModel';
import { unwrapExpression } from './resolve';
import type { Scope } from './scope';
import type { NetworkCall } from './types';

const MAX_DEPTH = 3;

/** The function a callee or callback names: an inline function, or one declared in this file. */
export function localFunction(expr: ts.Expression, scope: Scope): ts.SignatureDeclaration | undefined {
  const e = unwrapExpression(expr);
  if (ts.isArrowFunction(e) || ts.isFunctionExpression(e)) return e;
  if (!ts.isIdentifier(e)) return undefined;
  const b = scope.lookup(e.text);
  if (b?.kind === 'local' && b.node.parent && ts.isFunctionDeclaration(b.node.parent)) return b.node.parent;
  // The name of a named function expression, inside it: `(function poll() { …; setTimeout(poll, 1000); })()`.
  if (b?.kind === 'local' && b.node.parent && ts.isFunctionExpression(b.node.parent) && b.node.parent.name === b.node) return b.node.parent;
  if (b?.kind === 'var' && b.init && b.path.length === 0) {
    const init = unwrapExpression(b.init);
    if (ts.isArrowFunction(init) || ts.isFunctionExpression(init)) return init;
  }
  return undefined;
}

/** True when `node` runs as part of `fn` itself: not inside a nested function, except a Promise executor (which runs at once). */
export function runsInFunction(node: ts.Node, fn: ts.Node): boolean {
  for (let n = node.parent; n; n = n.parent) {
    if (n === fn) return true;
    if (ts.isFunctionLike(n)) {
      const p = n.parent;
      if (p && ts.isNewExpression(p) && ts.isIdentifier(p.expression) && p.expression.text === 'Promise') continue;
      // A local arrow that is called right here is followed through the call graph, not here.
      return false;
    }
  }
  return false;
}

const cache = new WeakMap<FileModel, Map<ts.Node, NetworkCall[]>>();

/** For each function (and the file), the requests and call sites that run as part of it (see `runsInFunction`). */
interface FunctionIndex {
  direct: Map<ts.Node, NetworkCall[]>;
  sites: Map<ts.Node, CallSite[]>;
}

const indexes = new WeakMap<FileModel, FunctionIndex>();

/** The functions `node` runs as part of: its nearest function, and outer ones through Promise executors. */
function ownersOf(node: ts.Node): ts.Node[] {
  const owners: ts.Node[] = [];
  for (let n = node.parent; n; n = n.parent) {
    if (ts.isFunctionLike(n)) {
      owners.push(n);
      const p = n.parent;
      if (p && ts.isNewExpression(p) && ts.isIdentifier(p.expression) && p.expression.text === 'Promise') continue;
      return owners;
    }
    if (ts.isSourceFile(n)) owners.push(n);
  }
  return owners;
}

/** Built once per file: finding a function's requests no longer scans every call in the file. */
function functionIndex(model: FileModel): FunctionIndex {
  let index = indexes.get(model);
  if (index) return index;
  index = { direct: new Map(), sites: new Map() };
  const push = <T>(map: Map<ts.Node, T[]>, key: ts.Node, value: T) => {
    let list = map.get(key);
    if (!list) map.set(key, (list = []));
    list.push(value);
  };
  for (const c of model.calls) {
    if (c.role !== 'request' && c.role !== 'connect') continue;
    for (const owner of ownersOf(model.nodeOf(c))) push(index.direct, owner, c);
  }
  for (const site of model.facts.calls) for (const owner of ownersOf(site.node)) push(index.sites, owner, site);
  indexes.set(model, index);
  return index;
}

/** Requests and connections `fn` makes when it runs, following calls to local functions. */
export function requestsMadeBy(model: FileModel, fn: ts.Node, depth = 0, seen = new Set<ts.Node>()): NetworkCall[] {
  let memo = cache.get(model);
  if (!memo) cache.set(model, (memo = new Map()));
  const hit = memo.get(fn);
  if (hit) return hit;
  if (seen.has(fn) || depth > MAX_DEPTH) return [];
  seen.add(fn);
  const index = functionIndex(model);
  const direct = index.direct.get(fn) ?? [];
  const indirect: NetworkCall[] = [];
  for (const site of index.sites.get(fn) ?? []) {
    const target = localFunction(site.node.expression, site.scope);
    // Functions declared inside `fn` and called from it count too (`const getBase = () => …; getBase()`).
    if (target && target !== fn) indirect.push(...requestsMadeBy(model, target, depth + 1, seen));
  }
  const out = [...direct, ...indirect];
  if (depth === 0) memo.set(fn, out);
  return out;
}
