// Which recognised network calls a function makes, directly or through the local functions it
// calls (`hosts.map((h) => check(h))` where `check` does the `https.request`). A small call graph
// over the functions of one file, a few levels deep; functions passed elsewhere as callbacks
// (a limiter's task, a timer) are not followed because they run later, under someone else's control.
import ts = require('typescript');
import type { FileModel } from './fileModel';
import { unwrapExpression } from './resolve';
import type { StatementFacts } from './facts';
import { concatenate, mapKept, type Concatenation, type KeptMap } from './concatenation';
import type { Binding, Scope } from './scope';
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

/** Keys of this module's answers kept on the model (FileModel.memo). */
const REQUESTS_MADE = {};
const CALLEE_BINDINGS = {};
const LOCAL_CALLS = {};
const CALLS_BY_POSITION = {};

type CallSite = FileModel['facts']['calls'][number];

/** What the callee names of one top-level statement's sites are bound to, by position in its `calls`. */
export interface StatementCallees {
  /** The statement's sites (its `calls`), which `bindings` are for. */
  sites: readonly CallSite[];
  bindings: Array<Binding | undefined>;
  /** The names found in the root scope: what they mean there changes with other statements. */
  rootNames: Set<string>;
  /** `rootNames` folded into 32 bits (`nameBit`): most statements use none of an edit's changed names, which one AND shows. */
  rootNameBits: number;
  /** The statement's sites each `sitesCallingBound` test took, kept with these bindings. */
  selections: Map<(b: Binding) => boolean, CallSite[]>;
  /** The statement's local calls, found with these bindings (`localFunction` reads only the callee's binding). */
  localCalls?: { inWalkOrder: LocalCall[]; byPosition: LocalCall[] };
}

/** One of 32 bits for a name (a hash of its text). */
function nameBit(name: string): number {
  let h = name.length;
  for (let i = 0; i < name.length; i++) h = (h * 31 + name.charCodeAt(i)) | 0;
  return 1 << (h & 31);
}

/** Key of a version's StatementCallees of every statement (FileModel.memo). */
const STATEMENT_CALLEES_NOW = {};
// Keys of what an open document keeps from one version to the next (FileFacts.kept).
/** The root scope's bindings when every statement's StatementCallees was last known to be right. */
const ROOT_SNAPSHOT = {};
/** The last version's StatementCallees of every statement. */
const STATEMENT_CALLEES_KEPT = {};
/**
 * The last version's file-wide lists made of each statement's StatementCallees answers, by what they
 * list (a `sitesCallingBound` test, LOCAL_CALLS_IN_WALK_ORDER, LOCAL_CALLS_BY_POSITION): the next
 * version takes them over for the statements whose StatementCallees it kept.
 */
const CONCATENATIONS_KEPT = {};
const LOCAL_CALLS_IN_WALK_ORDER = {};
const LOCAL_CALLS_BY_POSITION = {};

function keptIn<T>(kept: Map<object, unknown>, key: object, make: () => T): T {
  let value = kept.get(key) as T | undefined;
  if (value === undefined) kept.set(key, (value = make()));
  return value;
}

/** `itemsOf` over every statement's StatementCallees, from the last version's list where they are the same. */
function concatenated<T>(kept: Map<object, unknown>, statements: readonly StatementCallees[], key: object, itemsOf: (callees: StatementCallees) => readonly T[]): readonly T[] {
  const lists = keptIn(kept, CONCATENATIONS_KEPT, () => new Map<object, Concatenation<StatementCallees, unknown>>());
  const next = concatenate(statements, itemsOf, lists.get(key) as Concatenation<StatementCallees, T> | undefined);
  lists.set(key, next);
  return next.items;
}

function calleesOf(part: StatementFacts, root: Scope): StatementCallees {
  const rootNames = new Set<string>();
  let rootNameBits = 0;
  const bindings = part.calls.map((site) => {
    const name = site.calleeName;
    if (name === undefined) return undefined;
    let s: Scope | undefined = site.scope;
    for (; s && s !== root; s = s.parent) {
      const b = s.bindings.get(name);
      if (b) return b;
    }
    // A chain that does not end at this root (never expected) does not depend on it.
    if (s !== root) return site.scope.lookup(name);
    rootNames.add(name);
    rootNameBits |= nameBit(name);
    return root.bindings.get(name);
  });
  return { sites: part.calls, bindings, rootNames, rootNameBits, selections: new Map(), localCalls: undefined };
}

function usesAny(names: ReadonlySet<string>, changed: readonly string[]): boolean {
  for (const name of changed) if (names.has(name)) return true;
  return false;
}

/** Names the root binds differently from `snapshot` (declared, redeclared or gone). */
function changedRootNames(snapshot: ReadonlyMap<string, Binding>, now: ReadonlyMap<string, Binding>): string[] {
  const changed: string[] = [];
  let same = 0;
  for (const [name, b] of now) {
    if (snapshot.get(name) === b) same++;
    else changed.push(name);
  }
  if (same !== snapshot.size) for (const name of snapshot.keys()) if (!now.has(name)) changed.push(name);
  return changed;
}

/**
 * What the name each call's callee ends in (`CallSite.calleeName`) is bound to at the call, by
 * `facts.calls` index. For a plain `name(…)` that is the callee's binding; for `a.name(…)` it is
 * whatever `name` happens to mean there, so for those it can only rule things out. Looked up from
 * the sites alone, once per file: reading each call's syntax nodes costs more than the lookups. For a
 * file analysed once; an open document keeps its statements' (`statementCallees`).
 */
function calleeBindings(model: FileModel): ReadonlyArray<Binding | undefined> {
  return model.memo(CALLEE_BINDINGS, () => model.facts.calls.map((site) => (site.calleeName === undefined ? undefined : site.scope.lookup(site.calleeName))));
}

/**
 * In an open document, each top-level statement's StatementCallees, in order, brought up to date once
 * per version (undefined for a file analysed once). Each is kept on the statement's facts (`callees`):
 * the scopes between a site and the root belong to the statement, so their answers hold while the
 * incremental parse keeps it; the root's answers hold while the root binds those names as it did when
 * the document's ROOT_SNAPSHOT was taken.
 */
function statementCallees(model: FileModel): readonly StatementCallees[] | undefined {
  const { statements, root, kept } = model.facts;
  if (!statements || !kept) return undefined;
  return model.memo(STATEMENT_CALLEES_NOW, () => {
    const snapshot = kept.get(ROOT_SNAPSHOT) as Map<string, Binding> | undefined;
    const changed = snapshot ? changedRootNames(snapshot, root.bindings) : undefined;
    if (!snapshot || changed!.length) kept.set(ROOT_SNAPSHOT, new Map(root.bindings));
    const recheck = !changed || changed.length > 0;
    let changedBits = 0;
    for (const name of changed ?? []) changedBits |= nameBit(name);
    const fresh = (part: StatementFacts): StatementCallees => {
      let callees = part.callees;
      if (callees && recheck && (!changed || ((callees.rootNameBits & changedBits) !== 0 && usesAny(callees.rootNames, changed)))) callees = undefined;
      if (!callees) part.callees = callees = calleesOf(part, root);
      return callees;
    };
    // With the root as it was, the statements kept at both ends keep their StatementCallees: the last
    // version's list has them.
    const next = mapKept(statements, fresh, recheck ? undefined : (kept.get(STATEMENT_CALLEES_KEPT) as KeptMap<StatementFacts, StatementCallees> | undefined));
    kept.set(STATEMENT_CALLEES_KEPT, next);
    return next.items;
  });
}

/**
 * The sites whose callee name is bound to a binding `accepts` takes, in walk order (`accepts`: the same
 * function each time). In an open document each statement's are kept with its StatementCallees, so an
 * edit reads the sites of the statements it changed, not every site of the file.
 */
export function sitesCallingBound(model: FileModel, accepts: (b: Binding) => boolean): readonly CallSite[] {
  const statements = statementCallees(model);
  const pick = (sites: readonly CallSite[], bindings: ReadonlyArray<Binding | undefined>) => sites.filter((_, i) => bindings[i] !== undefined && accepts(bindings[i]!));
  if (!statements) return pick(model.facts.calls, calleeBindings(model));
  return concatenated(model.facts.kept!, statements, accepts, (callees) => {
    let kept = callees.selections.get(accepts);
    if (!kept) callees.selections.set(accepts, (kept = pick(callees.sites, callees.bindings)));
    return kept;
  });
}

/** A call of a function declared in this file (`localFunction` of its callee). */
export interface LocalCall {
  site: CallSite;
  target: ts.SignatureDeclaration;
}

interface LocalCalls {
  /** In walk order, like `facts.calls`. */
  inWalkOrder: readonly LocalCall[];
  /** Sorted by start, so a function's own are found by binary search. */
  byPosition: readonly LocalCall[];
}

/** The calls in the file whose callee is a local function (an inline one, or one declared here). */
export function localCallsIn(model: FileModel): LocalCalls {
  return model.memo(LOCAL_CALLS, () => findLocalCalls(model));
}

const byStart = (a: LocalCall, b: LocalCall) => a.site.node.pos - b.site.node.pos;

function findLocalCalls(model: FileModel): LocalCalls {
  const statements = statementCallees(model);
  if (!statements) {
    const inWalkOrder = localCallsAmong(model.facts.calls, calleeBindings(model));
    return { inWalkOrder, byPosition: [...inWalkOrder].sort(byStart) };
  }
  // Statements do not overlap: the file's local calls by position are each statement's, in turn.
  const ofStatement = (callees: StatementCallees) => {
    if (!callees.localCalls) {
      const calls = localCallsAmong(callees.sites, callees.bindings);
      callees.localCalls = { inWalkOrder: calls, byPosition: [...calls].sort(byStart) };
    }
    return callees.localCalls;
  };
  const kept = model.facts.kept!;
  return {
    inWalkOrder: concatenated(kept, statements, LOCAL_CALLS_IN_WALK_ORDER, (c) => ofStatement(c).inWalkOrder),
    byPosition: concatenated(kept, statements, LOCAL_CALLS_BY_POSITION, (c) => ofStatement(c).byPosition),
  };
}

/** The local calls among `sites`, whose callee names are bound to `bindings` (same order). */
function localCallsAmong(sites: readonly CallSite[], bindings: ReadonlyArray<Binding | undefined>): LocalCall[] {
  const out: LocalCall[] = [];
  for (let i = 0; i < sites.length; i++) {
    const site = sites[i]!;
    // A callee that ends in a name is a local function only as a plain identifier bound to a
    // declaration or a variable holding one (see localFunction): the binding rules out most calls
    // without reading their syntax. A callee without a name may be an inline function.
    if (site.calleeName !== undefined) {
      const b = bindings[i];
      if (!b || !(b.kind === 'local' || (b.kind === 'var' && b.init && b.path.length === 0))) continue;
    }
    const target = localFunction(site.node.expression, site.scope);
    if (target) out.push({ site, target });
  }
  return out;
}

interface CallsByPosition {
  calls: NetworkCall[];
  callPos: number[];
}

/** Recognised calls sorted by position, so a function's own are found by binary search. */
function callsByPosition(model: FileModel): CallsByPosition {
  return model.memo(CALLS_BY_POSITION, () => {
    const calls = [...model.calls].sort((a, b) => model.nodeOf(a).pos - model.nodeOf(b).pos);
    return { calls, callPos: calls.map((c) => model.nodeOf(c).pos) };
  });
}

/** Requests and connections `fn` makes when it runs, following calls to local functions. */
export function requestsMadeBy(model: FileModel, fn: ts.Node, depth = 0, seen = new Set<ts.Node>()): NetworkCall[] {
  const memo = model.memo(REQUESTS_MADE, () => new Map<ts.Node, NetworkCall[]>());
  const hit = memo.get(fn);
  if (hit) return hit;
  if (seen.has(fn) || depth > MAX_DEPTH) return [];
  seen.add(fn);
  // Only the calls inside `fn`'s text can run in it: found by position, not by scanning the file
  // (a scan per function made large files quadratic: a 5 MB bundle took over a minute).
  const sorted = callsByPosition(model);
  const direct: NetworkCall[] = [];
  for (let i = lowerBound(sorted.calls.length, (k) => sorted.callPos[k]!, fn.pos); i < sorted.calls.length && sorted.callPos[i]! < fn.end; i++) {
    const c = sorted.calls[i]!;
    if ((c.role === 'request' || c.role === 'connect') && runsInFunction(model.nodeOf(c), fn)) direct.push(c);
  }
  direct.sort((a, b) => a.index - b.index);
  const indirect: NetworkCall[] = [];
  // Only calls of local functions can add requests: the others are not looked at.
  const local = localCallsIn(model).byPosition;
  for (let i = lowerBound(local.length, (k) => local[k]!.site.node.pos, fn.pos); i < local.length && local[i]!.site.node.pos < fn.end; i++) {
    const { site, target } = local[i]!;
    const node = site.node;
    if (node.end > fn.end) continue;
    // Functions declared inside `fn` and called from it count too (`const getBase = () => …; getBase()`).
    // (The parent walk of runsInFunction last: thousands of levels deep in a long comma sequence.)
    if (target !== fn && runsInFunction(node, fn)) indirect.push(...requestsMadeBy(model, target, depth + 1, seen));
  }
  const out = [...direct, ...indirect];
  if (depth === 0) memo.set(fn, out);
  return out;
}
