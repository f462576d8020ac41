// One walk over the syntax tree collects everything the resolver and the rules ask about:
// scopes and bindings, call and `new` sites, property writes, object-literal properties by name,
// and class fields assigned through `this`. Nothing else walks the whole tree.
import ts = require('typescript');
import { commonEnds, concatenate, type Concatenation } from './concatenation';
import { staleResolutions } from './keptResolutions';
import type { StatementCallees } from './localCalls';
import { unwrapExpression, type ResolvedCall, type Value } from './resolve';
import { Scope, declarePattern, type Binding } from './scope';

// Read once: the compiler's exports are getters, too slow for the hot walk.
const { SyntaxKind, NodeFlags, forEachChild, isComputedPropertyName, isExternalModuleReference, isIdentifier, isNamespaceImport, isNumericLiteral, isPrivateIdentifier, isStringLiteral, isStringLiteralLike } = ts;

export interface CallSite {
  node: ts.CallExpression | ts.NewExpression;
  scope: Scope;
  /** Position in `FileFacts.calls` (walk order). */
  index: number;
  /** The name the callee ends in, parentheses and `(0, …)` removed: `setTimeout`, `write` in `sock.write`. */
  calleeName?: string;
  /**
   * What the site resolved to in an open document, valid while `generation` is the facts'
   * `resolutionGeneration` (see FactsCache). Kept on the site, not the node: the incremental parse
   * also reuses nodes inside statements it re-creates, whose scopes are new.
   */
  resolution?: SiteResolution & { generation: number };
}

/** The name an expression ends in: an identifier, or the property of `a.b` (through wrappers and `(0, x)`). */
export function endName(expr: ts.Expression): string | undefined {
  const e = unwrapExpression(expr);
  if (e.kind === SyntaxKind.Identifier) return (e as ts.Identifier).text;
  if (e.kind === SyntaxKind.PropertyAccessExpression) return (e as ts.PropertyAccessExpression).name.text;
  return undefined;
}

export interface Assignment {
  node: ts.BinaryExpression;
  /** The assigned-to expression: `a.b.c`, `a['b']` or an identifier. */
  target: ts.Expression;
  scope: Scope;
  /**
   * In an open document, the created object this assignment writes a property of (FileModel's
   * `propertyWritesTo`), kept like a call site's resolution: while `generation` is current.
   */
  write?: { generation: number; origin?: ts.Node; path?: string[] };
}

export interface ClassField {
  value: ts.Expression;
  scope: Scope;
}

/** Names to the nodes that carry them, in walk order. */
export interface NameIndex<T> {
  get(name: string): readonly T[] | undefined;
}

export interface FileFacts {
  sourceFile: ts.SourceFile;
  root: Scope;
  calls: readonly CallSite[];
  assignments: readonly Assignment[];
  /** Object-literal properties by key name (`rejectUnauthorized` → every such property), in walk order. */
  propertiesByName: NameIndex<ts.PropertyAssignment>;
  /** `this.x = …` and `x = …` field initialisers per class. */
  classFields: Map<ts.ClassLikeDeclaration, Map<string, ClassField>>;
  /** Scope of every node that opens one (functions, blocks, loops, catch clauses); `keys()` in walk order. */
  scopes: ScopeIndex;
  /**
   * Every identifier node, by escaped name (`ts.escapeLeadingUnderscores`), in walk order: finding a
   * name's references is a lookup, not another walk of the tree (FileModel.identifiersWithin).
   */
  identifiers: NameIndex<ts.Identifier>;
  /** Call sites passing an identifier with this name as an argument (`server.on('x', onX)`), in walk order. */
  callsPassing: NameIndex<CallSite>;
  /** Calls (not `new`) by the name their callee ends in (`CallSite.calleeName`), in walk order. */
  callsByCallee: NameIndex<CallSite>;
  /** In an open document, the generation of call-site resolutions that still hold (see CallSite.resolution). */
  resolutionGeneration?: number;
  /** What each top-level statement contributed, in order, and what the walk set aside (see `statements`). */
  parts: readonly StatementFacts[];
  /** In an open document, what each top-level statement contributed, in order (see FactsCache). */
  statements?: readonly StatementFacts[];
  /** In an open document, the statements each selection has items in (see `select`), kept through edits. */
  selections?: Map<object, StatementsWith<object>>;
  /** In an open document, what services keep from one version to the next, by key (FactsCache.kept). */
  kept?: Map<object, unknown>;
  /** In an open document, each statement's index in `statements`. */
  statementOrder?: () => ReadonlyMap<StatementFacts, number>;
}

/**
 * What one top-level statement contributes to the facts. Everything in it is a function of the
 * statement's own subtree (the walk enters every top-level statement in the same state: root scope,
 * no class, depth 0), so it holds for as long as `ts.updateSourceFile` keeps the statement node: an
 * edit elsewhere moves the statement's positions but leaves its nodes as they are.
 */
export interface StatementFacts {
  calls: CallSite[];
  assignments: Assignment[];
  /** `x = …` with a plain identifier target, attached to x's binding once every statement has declared. */
  identifierAssignments: Assignment[];
  propertiesByName: Map<string, ts.PropertyAssignment[]>;
  classFields: Map<ts.ClassLikeDeclaration, Map<string, ClassField>>;
  scopes: Map<ts.Node, Scope>;
  identifiers: Map<string, ts.Identifier[]>;
  /** Declarations the statement made in the root scope, in order (`var` in a top-level block counts). */
  rootDeclarations: Array<[string, Binding]>;
  /** What services worked out once for this statement (see `statementMemo`). */
  memos?: Map<object, unknown>;
  /** What its sites' callee names are bound to, kept while they mean the same (localCalls.ts). */
  callees?: StatementCallees;
  /**
   * The sites FileModel found something at (a recognised call, a method called on a created object)
   * when every site's resolution was of `generation`: while they still are, the others need no visit.
   */
  sitesThatMatter?: { generation: number; sites: CallSite[] };
}

const newStatementFacts = (): StatementFacts => ({
  calls: [],
  assignments: [],
  identifierAssignments: [],
  propertiesByName: new Map(),
  classFields: new Map(),
  scopes: new Map(),
  identifiers: new Map(),
  rootDeclarations: [],
});

/**
 * Facts of an open document's top-level statements, kept between versions of its tree: after an edit
 * only the statements the incremental parse re-created are walked again (in a 10,000-line file, one
 * statement of hundreds). Keyed by statement node, so a statement the parse did not keep is forgotten.
 */
export class FactsCache {
  readonly statements = new WeakMap<ts.Statement, StatementFacts>();
  /**
   * What services keep from one version to the next (FileFacts.kept). Kept here, with the document,
   * rather than in a WeakMap keyed by something of it: a WeakMap's values (which hold syntax nodes)
   * outlive a closed document until the next full garbage collection, and raise peak memory.
   */
  readonly kept = new Map<object, unknown>();
  /** One root scope for every version: scopes inside kept statements have it as their parent. */
  root?: Scope;
  /** Bindings whose `assigned` lists the last collection filled (emptied before the next one refills them). */
  assignedBindings: Array<{ assigned: ts.Expression[] }> = [];
  /** The statements of the last collection, in order. */
  lastParts?: readonly StatementFacts[];
  /**
   * The last collection's top-level statement nodes and merged lists, one statement per `lastParts`
   * entry (none when the walk set subtrees aside): the next collection splices its lists from these.
   */
  lastSplicable?: { statements: readonly ts.Statement[]; lists: MergedLists };
  /**
   * Bumped whenever an edit may have changed what sites in kept statements resolve to (keptResolutions.ts):
   * a site's kept resolution counts only while its generation is this one.
   */
  resolutionGeneration = 0;
  /** The per-name indexes merged over statements, per name, kept while no statement with that name changes. */
  merged = noMergedNames();
  /** Every statement's scopes by node, updated by the statements each edit removes and adds. */
  scopes?: Map<ts.Node, Scope>;
  /** Per selection made (`select`), the statements with items in it, updated like `scopes`. */
  readonly selections = new Map<object, StatementsWith<object>>();
}

const SITES_BY_ARGUMENT_NAME = {};

/** Sites that pass an identifier as an argument, by its name, in walk order (a site once per name). */
function sitesByArgumentName(part: StatementFacts): Map<string, CallSite[]> {
  return statementMemo(part, SITES_BY_ARGUMENT_NAME, () => indexArgumentNames(part));
}

function indexArgumentNames(part: StatementFacts): Map<string, CallSite[]> {
  const index = new Map<string, CallSite[]>();
  for (const site of part.calls) {
    for (const arg of site.node.arguments ?? []) {
      if (arg.kind !== SyntaxKind.Identifier) continue;
      const name = (arg as ts.Identifier).text;
      const list = index.get(name);
      if (!list) index.set(name, [site]);
      else if (list[list.length - 1] !== site) list.push(site);
    }
  }
  return index;
}

const SITES_BY_CALLEE_NAME = {};

/** A statement's calls (not `new`) by the name their callee ends in, in walk order. */
function sitesByCalleeName(part: StatementFacts): Map<string, CallSite[]> {
  return statementMemo(part, SITES_BY_CALLEE_NAME, () => {
    const index = new Map<string, CallSite[]>();
    for (const site of part.calls) {
      const name = site.calleeName;
      if (name === undefined || site.node.kind !== SyntaxKind.CallExpression) continue;
      const list = index.get(name);
      if (list) list.push(site);
      else index.set(name, [site]);
    }
    return index;
  });
}

const identifiersOf = (part: StatementFacts) => part.identifiers;
const propertiesOf = (part: StatementFacts) => part.propertiesByName;

/** What FileFacts' per-name indexes (`identifiers`, `callsPassing`, `callsByCallee`) merged so far, per name. */
interface MergedNames {
  identifiers: Map<string, readonly ts.Identifier[] | undefined>;
  callsPassing: Map<string, readonly CallSite[] | undefined>;
  callsByCallee: Map<string, readonly CallSite[] | undefined>;
  propertiesByName: Map<string, readonly ts.PropertyAssignment[] | undefined>;
  /** For each index, which statements have each name (so a name is merged again from those alone). */
  holders: { identifiers: StatementsWith<string>; callsPassing: StatementsWith<string>; callsByCallee: StatementsWith<string>; propertiesByName: StatementsWith<string> };
}

function noMergedNames(): MergedNames {
  return {
    identifiers: new Map(),
    callsPassing: new Map(),
    callsByCallee: new Map(),
    propertiesByName: new Map(),
    holders: {
      identifiers: new StatementsWith((part) => identifiersOf(part).keys()),
      callsPassing: new StatementsWith((part) => sitesByArgumentName(part).keys()),
      callsByCallee: new StatementsWith((part) => sitesByCalleeName(part).keys()),
      propertiesByName: new StatementsWith((part) => propertiesOf(part).keys()),
    },
  };
}

/**
 * Which statements of an open document have each key (`keysOf`: the keys a statement has). Found over
 * every statement the first time a key is asked for, then kept up to date with the statements each
 * edit removes and adds: reading a key after an edit visits the few statements that have it, not every
 * statement of the file (a 10,000-line file has about a thousand).
 */
class StatementsWith<K> {
  private byKey: Map<K, Set<StatementFacts>> | undefined;

  constructor(private readonly keysOf: (part: StatementFacts) => Iterable<K>) {}

  /** The statements with `key`, in the order of `parts` (`order`: a statement's index there). */
  of(key: K, parts: readonly StatementFacts[], order: () => ReadonlyMap<StatementFacts, number>): readonly StatementFacts[] {
    if (!this.byKey) {
      this.byKey = new Map();
      for (const part of parts) this.add(part);
    }
    const set = this.byKey.get(key);
    if (!set || set.size === 0) return [];
    const list = [...set];
    if (list.length > 1) {
      const index = order();
      list.sort((a, b) => index.get(a)! - index.get(b)!);
    }
    return list;
  }

  /** After an edit: the statements it removed and those it added (nothing to do before the first read). */
  update(removed: readonly StatementFacts[], added: readonly StatementFacts[]): void {
    if (!this.byKey) return;
    for (const part of removed) for (const key of this.keysOf(part)) this.byKey.get(key)?.delete(part);
    for (const part of added) this.add(part);
  }

  private add(part: StatementFacts): void {
    for (const key of this.keysOf(part)) {
      const set = this.byKey!.get(key);
      if (set) set.add(part);
      else this.byKey!.set(key, new Set([part]));
    }
  }
}

/**
 * The per-name indexes over `parts`, merging into `merged` (kept between versions in an open document,
 * with the statements that have each name: `order` gives their order).
 */
function nameIndexes(parts: readonly StatementFacts[], merged: MergedNames, order: (() => ReadonlyMap<StatementFacts, number>) | undefined): Pick<FileFacts, 'identifiers' | 'callsPassing' | 'callsByCallee' | 'propertiesByName'> {
  const holders = (h: StatementsWith<string>) => (order ? (name: string) => h.of(name, parts, order) : undefined);
  return {
    identifiers: new MergedNameIndex(parts, identifiersOf, merged.identifiers, holders(merged.holders.identifiers)),
    callsPassing: new MergedNameIndex(parts, sitesByArgumentName, merged.callsPassing, holders(merged.holders.callsPassing)),
    callsByCallee: new MergedNameIndex(parts, sitesByCalleeName, merged.callsByCallee, holders(merged.holders.callsByCallee)),
    propertiesByName: new MergedNameIndex(parts, propertiesOf, merged.propertiesByName, holders(merged.holders.propertiesByName)),
  };
}

/** Drops the merged lists of every name a changed statement has: they are merged again when asked. */
function forgetNamesOf(merged: MergedNames, part: StatementFacts): void {
  for (const name of identifiersOf(part).keys()) merged.identifiers.delete(name);
  for (const name of sitesByArgumentName(part).keys()) merged.callsPassing.delete(name);
  for (const name of sitesByCalleeName(part).keys()) merged.callsByCallee.delete(name);
  for (const name of propertiesOf(part).keys()) merged.propertiesByName.delete(name);
}

/**
 * A service's answer for one top-level statement of an open document, computed on first use and kept
 * with the statement (`key`: one object per kind of answer). On the statement's facts rather than in a
 * WeakMap keyed by them: such a map keeps a closed document's trees alive until a full collection.
 */
export function statementMemo<T>(part: StatementFacts, key: object, compute: () => T): T {
  return memoIn((part.memos ??= new Map()), key, compute);
}

/** `memos`' answer for `key`, computed and kept on first use (statementMemo, FileModel.memo). */
export function memoIn<T>(memos: Map<object, unknown>, key: object, compute: () => T): T {
  if (memos.has(key)) return memos.get(key) as T;
  const value = compute();
  memos.set(key, value);
  return value;
}

/**
 * The call sites or assignments of the file that `test` accepts, in walk order. `test` must read only
 * the syntax of the site or assignment itself (and be the same function each time: it keys the kept
 * selection): then, in an open document, each top-level statement's selection is made once and kept
 * with the statement, and an edit reads only the statements it re-created instead of every site.
 */
export function selectCalls(facts: FileFacts, test: (site: CallSite) => boolean): CallSite[] {
  return select(facts, facts.calls, callsOf, test);
}

/** The same over assignments to properties and elements (`facts.assignments`). */
export function selectAssignments(facts: FileFacts, test: (a: Assignment) => boolean): Assignment[] {
  return select(facts, facts.assignments, assignmentsOf, test);
}

/**
 * The nodes that open a scope (functions, blocks, loops, catch clauses: `facts.scopes`) that `test`
 * accepts, in walk order: the same, over each statement's scopes.
 */
export function selectScopes(facts: FileFacts, test: (node: ts.Node) => boolean): ts.Node[] {
  if (!facts.statements) return [...facts.scopes.keys()].filter(test);
  const selected = select(facts, [], scopeNodesOf, test);
  return test(facts.sourceFile) ? [facts.sourceFile, ...selected] : selected;
}

/**
 * The object-literal property keys `test` accepts (`propertiesByName` gives their properties), each
 * once, in walk order of their first property: in an open document from each statement's kept selection.
 */
export function propertyKeysWhere(facts: FileFacts, test: (key: string) => boolean): string[] {
  const keys = facts.statements ? select(facts, [], propertyKeysOf, test) : facts.parts.flatMap((part) => propertyKeysOf(part).filter(test));
  return [...new Set(keys)];
}

const propertyKeysOf = (part: StatementFacts) => [...part.propertiesByName.keys()];
const callsOf = (part: StatementFacts) => part.calls;
const assignmentsOf = (part: StatementFacts) => part.assignments;
const scopeNodesOf = (part: StatementFacts) => [...part.scopes.keys()];

/** Per kind of item (`ofStatement`) and `test`, the key of each statement's kept selection. */
const selectionKeys = new WeakMap<object, WeakMap<object, object>>();

function selectionKey(ofStatement: object, test: object): object {
  let byTest = selectionKeys.get(ofStatement);
  if (!byTest) selectionKeys.set(ofStatement, (byTest = new WeakMap()));
  let key = byTest.get(test);
  if (!key) byTest.set(test, (key = {}));
  return key;
}

/** `test` keys each statement's kept selection: pass the same function each time. */
function select<T>(facts: FileFacts, all: readonly T[], ofStatement: (part: StatementFacts) => readonly T[], test: (item: T) => boolean): T[] {
  const statements = facts.statements;
  if (!statements) return all.filter(test);
  const key = selectionKey(ofStatement, test);
  const itemsOf = (part: StatementFacts) => statementMemo(part, key, () => ofStatement(part).filter(test));
  let parts: readonly StatementFacts[] = statements;
  // In an open document, the statements with items in the selection, kept through edits.
  const kept = facts.selections;
  if (kept && facts.statementOrder) {
    let withItems = kept.get(key);
    if (!withItems) kept.set(key, (withItems = new StatementsWith((part) => (itemsOf(part).length > 0 ? [key] : []))));
    parts = withItems.of(key, statements, facts.statementOrder);
  }
  const out: T[] = [];
  for (const part of parts) for (const item of itemsOf(part)) out.push(item);
  return out;
}

/** A call site's resolution, kept with the facts while nothing it could depend on changes. */
export interface SiteResolution {
  call: ResolvedCall | undefined;
  /** For `x.m(…)`: what `x` resolved to. */
  receiver: Value | undefined;
}

export interface ScopeIndex {
  get(node: ts.Node): Scope | undefined;
  keys(): IterableIterator<ts.Node>;
}

/** The scopes of every statement: looked up in one map, listed statement by statement (walk order). */
class StatementScopes implements ScopeIndex {
  constructor(
    private readonly sourceFile: ts.SourceFile,
    private readonly root: Scope,
    private readonly parts: readonly StatementFacts[],
    private readonly byNode: ReadonlyMap<ts.Node, Scope>,
  ) {}

  get(node: ts.Node): Scope | undefined {
    return node === this.sourceFile ? this.root : this.byNode.get(node);
  }

  *keys(): IterableIterator<ts.Node> {
    yield this.sourceFile;
    for (const part of this.parts) yield* part.scopes.keys();
  }
}

/** A per-statement index over every statement's own, merged name by name when a name is asked for. */
class MergedNameIndex<T> implements NameIndex<T> {
  constructor(
    private readonly parts: readonly StatementFacts[],
    private readonly ofStatement: (part: StatementFacts) => ReadonlyMap<string, T[]>,
    private readonly merged: Map<string, readonly T[] | undefined>,
    /** The statements that have a name, in order (an open document's); without it, every statement is read. */
    private readonly holders?: (name: string) => readonly StatementFacts[],
  ) {}

  get(name: string): readonly T[] | undefined {
    if (this.merged.has(name)) return this.merged.get(name);
    let found: T[] | undefined;
    let shared = true;
    for (const part of this.holders ? this.holders(name) : this.parts) {
      const list = this.ofStatement(part).get(name);
      if (!list) continue;
      if (!found) found = list;
      else {
        if (shared) found = found.slice();
        shared = false;
        for (const id of list) found.push(id);
      }
    }
    this.merged.set(name, found);
    return found;
  }
}

const local = (node: ts.Node): Binding => ({ kind: 'local', node });

/** Levels of recursion the walk allows itself (a level is ~6 stack frames) before deferring a subtree. */
const MAX_WALK_DEPTH = 500;

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export function propertyKey(name: ts.PropertyName): string | undefined {
  if (isIdentifier(name) || isStringLiteral(name) || isNumericLiteral(name) || isPrivateIdentifier(name)) return name.text;
  if (isComputedPropertyName(name) && isStringLiteralLike(name.expression)) return name.expression.text;
  return undefined;
}

/**
 * The root's declarations after an edit that re-created statements in place (as many as it removed,
 * between the same kept statements, each declaring the same names in the same order): the removed
 * statements' winning declarations are replaced by the new statements' at the same place, in `root`
 * itself, which is then what a replay of every statement's declarations gives. Returns the bindings
 * replaced (for what the root declared before), or undefined when the edit was not of that kind.
 */
function rootReplacedInPlace(root: Map<string, Binding>, removed: readonly StatementFacts[], added: readonly StatementFacts[]): Map<string, Binding | undefined> | undefined {
  if (removed.length !== added.length) return undefined;
  for (let i = 0; i < removed.length; i++) {
    const before = removed[i]!.rootDeclarations;
    const after = added[i]!.rootDeclarations;
    if (before.length !== after.length) return undefined;
    for (let j = 0; j < before.length; j++) if (before[j]![0] !== after[j]![0]) return undefined;
  }
  const replaced = new Map<string, Binding | undefined>();
  for (let i = 0; i < removed.length; i++) {
    const before = removed[i]!.rootDeclarations;
    const after = added[i]!.rootDeclarations;
    for (let j = 0; j < before.length; j++) {
      const [name, binding] = before[j]!;
      if (root.get(name) !== binding) continue;
      if (!replaced.has(name)) replaced.set(name, binding);
      root.set(name, after[j]![1]);
    }
  }
  return replaced;
}

/**
 * Walks the tree once for the facts. With a cache (an open document), top-level statements the
 * incremental parse kept since the last collection are not walked again: their facts are reused, and
 * the root's declarations and the file's lists are the last version's with the re-created statements'
 * in place of the removed ones' (or, where that cannot be told, every statement's replayed in statement
 * order), which gives exactly the facts a full walk would (same contents, same walk order).
 */
export function collectFacts(sourceFile: ts.SourceFile, cache?: FactsCache): FileFacts {
  let root: Scope;
  // The root's declarations after the last collection: set again once every statement is known (below).
  let lastRoot: Map<string, Binding> | undefined;
  if (cache?.root) {
    root = cache.root;
    lastRoot = root.resetRoot(sourceFile);
  } else {
    root = new Scope(sourceFile, undefined, true);
    if (cache) cache.root = root;
  }
  // The statement being walked: everything the walk finds goes into it.
  let part = newStatementFacts();
  let parts: StatementFacts[] = [];

  function fieldsOf(cls: ts.ClassLikeDeclaration): Map<string, ClassField> {
    // A class is inside one statement, but a subtree set aside (below) is visited in a part of its own:
    // its fields go into the same map as the rest of the class's.
    let m = part.classFields.get(cls) ?? parts.find((p) => p.classFields.has(cls))?.classFields.get(cls);
    if (!m) part.classFields.set(cls, (m = new Map()));
    return m;
  }

  function declareVariables(list: ts.VariableDeclarationList, scope: Scope): void {
    const blockScoped = (list.flags & NodeFlags.BlockScoped) !== 0;
    const isConst = (list.flags & NodeFlags.Const) !== 0;
    const target = blockScoped ? scope : scope.functionScope();
    for (const decl of list.declarations) {
      declarePattern(target, decl.name, (path) => ({
        kind: 'var',
        node: decl,
        init: decl.initializer,
        path,
        scope,
        assigned: [],
        isConst,
      }));
    }
  }

  function declareImport(node: ts.ImportDeclaration, scope: Scope): void {
    const clause = node.importClause;
    if (!clause || !isStringLiteral(node.moduleSpecifier)) return;
    const module = node.moduleSpecifier.text;
    if (clause.name) scope.declare(clause.name.text, { kind: 'import', module, imported: 'default', node: clause.name });
    const nb = clause.namedBindings;
    if (!nb) return;
    if (isNamespaceImport(nb)) {
      scope.declare(nb.name.text, { kind: 'import', module, imported: '*', node: nb.name });
    } else {
      for (const el of nb.elements) {
        const imported = (el.propertyName && propertyKey(el.propertyName as ts.PropertyName)) ?? el.name.text;
        scope.declare(el.name.text, { kind: 'import', module, imported, node: el.name });
      }
    }
  }

  // Walk state, saved and restored around the nodes that change it. Keeping it here rather than in
  // arguments lets `forEachChild` take one shared callback instead of a closure per node.
  let scope = root;
  let cls: ts.ClassLikeDeclaration | undefined;
  let parent: ts.Node = sourceFile;
  // Generated and minified code nests thousands of levels deep (`a + b + …` and `x.then().then()…`
  // chains, long comma sequences), which the parser handles but a recursive walk would not: past
  // MAX_WALK_DEPTH a subtree is set aside with the walk state it needs and visited later, from the top.
  let depth = 0;
  const deferred: Array<{ node: ts.Node; parent: ts.Node; scope: Scope; cls: ts.ClassLikeDeclaration | undefined }> = [];

  function visitChild(child: ts.Node): undefined {
    (child as Mutable<ts.Node>).parent = parent;
    if (depth >= MAX_WALK_DEPTH) {
      deferred.push({ node: child, parent, scope, cls });
      return undefined;
    }
    depth++;
    visit(child);
    depth--;
    return undefined;
  }

  function visitChildren(node: ts.Node): void {
    const saved = parent;
    parent = node;
    forEachChild(node, visitChild);
    parent = saved;
  }

  /** Visits `node`'s children inside a new scope (and class, when given). */
  function visitInScope(node: ts.Node, inner: Scope, innerClass = cls): void {
    const savedScope = scope;
    const savedClass = cls;
    scope = inner;
    cls = innerClass;
    visitChildren(node);
    scope = savedScope;
    cls = savedClass;
  }

  function visitFunction(node: ts.FunctionLikeDeclaration): void {
    const fnScope = new Scope(node, scope, true);
    part.scopes.set(node, fnScope);
    if (node.kind === SyntaxKind.FunctionExpression && node.name) fnScope.declare(node.name.text, local(node.name));
    node.parameters.forEach((p, index) => {
      if (p.name.kind === SyntaxKind.Identifier && !p.dotDotDotToken) fnScope.declare(p.name.text, { kind: 'param', node: p, fn: node, index, assigned: [] });
      else declarePattern(fnScope, p.name, (_path, id) => local(id), [], fnScope);
    });
    const body = node.body;
    if (body && body.kind === SyntaxKind.Block) {
      // The body block shares the function scope: `let` in the body shadows parameters' outer names
      // correctly and lookups stay short.
      (body as Mutable<ts.Node>).parent = node;
      const savedScope = scope;
      scope = fnScope;
      const savedParent = parent;
      parent = node;
      forEachChild(node, (child) => (child === body ? undefined : visitChild(child)));
      parent = body;
      for (const statement of (body as ts.Block).statements) visitChild(statement);
      parent = savedParent;
      scope = savedScope;
    } else {
      visitInScope(node, fnScope);
    }
  }

  function visit(node: ts.Node): void {
    switch (node.kind) {
      case SyntaxKind.Identifier: {
        // A leaf: indexed, no children to visit.
        const key = (node as ts.Identifier).escapedText as string;
        const list = part.identifiers.get(key);
        if (list) list.push(node as ts.Identifier);
        else part.identifiers.set(key, [node as ts.Identifier]);
        return;
      }
      case SyntaxKind.VariableDeclarationList:
        declareVariables(node as ts.VariableDeclarationList, scope);
        break;
      case SyntaxKind.ImportDeclaration:
        declareImport(node as ts.ImportDeclaration, scope);
        break;
      case SyntaxKind.ImportEqualsDeclaration: {
        const n = node as ts.ImportEqualsDeclaration;
        const ref = n.moduleReference;
        if (isExternalModuleReference(ref) && isStringLiteral(ref.expression)) {
          scope.declare(n.name.text, { kind: 'import', module: ref.expression.text, imported: 'cjs', node: n.name });
        } else {
          scope.declare(n.name.text, local(n.name));
        }
        break;
      }
      case SyntaxKind.EnumDeclaration:
      case SyntaxKind.ModuleDeclaration: {
        const name = (node as ts.DeclarationStatement).name;
        if (name && isIdentifier(name)) scope.declare(name.text, local(name));
        break;
      }
      case SyntaxKind.CallExpression:
      case SyntaxKind.NewExpression:
        part.calls.push({ node: node as ts.CallExpression | ts.NewExpression, scope, index: 0, calleeName: endName((node as ts.CallExpression).expression) });
        break;
      case SyntaxKind.BinaryExpression: {
        const b = node as ts.BinaryExpression;
        if (b.operatorToken.kind === SyntaxKind.EqualsToken) {
          const target = b.left;
          if (target.kind === SyntaxKind.Identifier) {
            part.identifierAssignments.push({ node: b, target, scope });
          } else if (target.kind === SyntaxKind.PropertyAccessExpression || target.kind === SyntaxKind.ElementAccessExpression) {
            part.assignments.push({ node: b, target, scope });
            const access = target as ts.PropertyAccessExpression;
            if (cls && access.expression.kind === SyntaxKind.ThisKeyword && target.kind === SyntaxKind.PropertyAccessExpression) {
              const fields = fieldsOf(cls);
              if (!fields.has(access.name.text)) fields.set(access.name.text, { value: b.right, scope });
            }
          }
        }
        break;
      }
      case SyntaxKind.PropertyAssignment: {
        const p = node as ts.PropertyAssignment;
        const key = propertyKey(p.name);
        if (key !== undefined) {
          let list = part.propertiesByName.get(key);
          if (!list) part.propertiesByName.set(key, (list = []));
          list.push(p);
        }
        break;
      }
      case SyntaxKind.PropertyDeclaration: {
        const p = node as ts.PropertyDeclaration;
        const key = propertyKey(p.name);
        if (cls && key !== undefined && p.initializer) fieldsOf(cls).set(key, { value: p.initializer, scope });
        break;
      }
      case SyntaxKind.FunctionDeclaration: {
        const name = (node as ts.FunctionDeclaration).name;
        if (name) scope.declare(name.text, local(name));
        visitFunction(node as ts.FunctionDeclaration);
        return;
      }
      case SyntaxKind.FunctionExpression:
      case SyntaxKind.ArrowFunction:
      case SyntaxKind.MethodDeclaration:
      case SyntaxKind.Constructor:
      case SyntaxKind.GetAccessor:
      case SyntaxKind.SetAccessor:
        visitFunction(node as ts.FunctionLikeDeclaration);
        return;
      case SyntaxKind.ClassDeclaration: {
        const c = node as ts.ClassDeclaration;
        if (c.name) scope.declare(c.name.text, local(c.name));
        visitInScope(node, scope, c);
        return;
      }
      case SyntaxKind.ClassExpression: {
        const c = node as ts.ClassExpression;
        if (c.name) {
          const classScope = new Scope(node, scope, false);
          classScope.declare(c.name.text, local(c.name));
          visitInScope(node, classScope, c);
        } else {
          visitInScope(node, scope, c);
        }
        return;
      }
      case SyntaxKind.Block:
      case SyntaxKind.ForStatement:
      case SyntaxKind.ForInStatement:
      case SyntaxKind.ForOfStatement:
      case SyntaxKind.CaseBlock: {
        const blockScope = new Scope(node, scope, false);
        part.scopes.set(node, blockScope);
        visitInScope(node, blockScope);
        return;
      }
      case SyntaxKind.CatchClause: {
        const c = node as ts.CatchClause;
        const catchScope = new Scope(node, scope, false);
        part.scopes.set(node, catchScope);
        if (c.variableDeclaration) declarePattern(catchScope, c.variableDeclaration.name, (_p, id) => local(id));
        // The catch block shares the clause's scope.
        const savedScope = scope;
        scope = catchScope;
        const savedParent = parent;
        parent = node;
        if (c.variableDeclaration) visitChild(c.variableDeclaration);
        (c.block as Mutable<ts.Node>).parent = node;
        parent = c.block;
        for (const statement of c.block.statements) visitChild(statement);
        parent = savedParent;
        scope = savedScope;
        return;
      }
    }
    visitChildren(node);
  }

  const walked: StatementFacts[] = [];
  const statements = sourceFile.statements;
  const lastParts = cache?.lastParts;
  const lastSplicable = cache?.lastSplicable;
  const lastStatements = lastSplicable?.statements;
  // The statements at either end that the edit did not reach are the last version's, node for node:
  // found by comparing the two lists, not looked up one by one.
  const { same, sameAtEnd } = lastParts && lastStatements ? commonEnds(statements, lastStatements) : { same: 0, sameAtEnd: 0 };
  // In between, only the last version's statements count as kept: the re-parse may also bring back, as a
  // top-level statement, a node that was nested (inside a block an edit opened and then closed again),
  // whose facts are from an older version and whose resolutions were never checked against the changes since.
  const between = new Set(lastParts?.slice(same, lastParts.length - sameAtEnd));
  let keptBetween = 0;
  // The kept statements at both ends are copied as runs (a builtin's copy, not a loop per statement,
  // which a freshly started server runs uncompiled).
  if (same > 0) parts = lastParts!.slice(0, same);
  for (let i = same; i < statements.length - sameAtEnd; i++) {
    const statement = statements[i]!;
    const known = cache?.statements.get(statement);
    if (known && between.delete(known)) {
      parts.push(known);
      keptBetween++;
      continue;
    }
    part = newStatementFacts();
    root.recordDeclarations(part.rootDeclarations);
    const deferredBefore = deferred.length;
    visitChild(statement);
    root.recordDeclarations(undefined);
    parts.push(part);
    walked.push(part);
    // A statement with subtrees set aside is finished only by the pass below, after every statement.
    if (cache && deferred.length === deferredBefore) cache.statements.set(statement, part);
  }
  if (sameAtEnd > 0) parts = parts.concat(lastParts!.slice(lastParts!.length - sameAtEnd));
  // The last version's statements in between that are not kept, in order.
  const removed = [...between];
  // The root's declarations: what the walks above declared went to a scratch map (resetRoot), since the
  // kept statements' come first in statement order; the first declaration of a name wins.
  let previousRoot: Pick<ReadonlyMap<string, Binding>, 'get'> | undefined;
  if (lastRoot) {
    const replaced = keptBetween === 0 ? rootReplacedInPlace(lastRoot, removed, walked) : undefined;
    if (replaced) {
      previousRoot = { get: (name) => (replaced.has(name) ? replaced.get(name) : lastRoot!.get(name)) };
      root.setRootBindings(lastRoot);
    } else {
      previousRoot = lastRoot;
      const bindings = new Map<string, Binding>();
      for (const p of parts) for (const [name, binding] of p.rootDeclarations) if (!bindings.has(name)) bindings.set(name, binding);
      root.setRootBindings(bindings);
    }
  }
  const anyDeferred = deferred.length > 0;
  if (anyDeferred) {
    // What the walk set aside, from the top, after every statement (as a full walk does): its facts
    // belong to no single statement and are never kept.
    part = newStatementFacts();
    parts.push(part);
    for (let next = deferred.pop(); next; next = deferred.pop()) {
      ({ parent, scope, cls } = next);
      depth = 0;
      visitChild(next.node);
    }
  }
  let scopes: Map<ts.Node, Scope> | undefined;
  if (cache?.scopes && cache.lastParts && !anyDeferred) {
    scopes = cache.scopes;
    // Removed first: the re-parse may have moved a node from a removed statement into an added one.
    for (const part of removed) for (const node of part.scopes.keys()) scopes.delete(node);
    for (const part of walked) for (const [node, scope] of part.scopes) scopes.set(node, scope);
  } else {
    scopes = new Map();
    for (const part of parts) for (const [node, scope] of part.scopes) scopes.set(node, scope);
  }
  if (cache) {
    cache.scopes = anyDeferred ? undefined : scopes;
    // Names whose merged lists include a statement that changed are merged again when asked (nothing is
    // merged yet on the first collection); after a walk that set subtrees aside, every name is.
    if (anyDeferred) {
      cache.merged = noMergedNames();
      cache.selections.clear();
    } else if (cache.lastParts) {
      for (const changed of [...removed, ...walked]) forgetNamesOf(cache.merged, changed);
      const { identifiers, callsPassing, callsByCallee, propertiesByName } = cache.merged.holders;
      for (const kept of [identifiers, callsPassing, callsByCallee, propertiesByName, ...cache.selections.values()]) kept.update(removed, walked);
    }
  }
  // The lists are the last version's, spliced, where both versions' statements match their facts one to
  // one (nothing set aside).
  const lists = mergedLists(parts, anyDeferred ? undefined : lastSplicable?.lists, removed);
  const facts = mergeStatements(sourceFile, root, parts, lists, new StatementScopes(sourceFile, root, parts, scopes), cache);
  if (cache) {
    const stale = anyDeferred || !cache.lastParts || !previousRoot ? undefined : staleResolutions({ root, previousRoot, removed, added: walked, parts });
    if (!stale || stale.all) cache.resolutionGeneration++;
    else {
      for (const fn of stale.within) forgetResolutionsWithin(fn, parts);
      for (const part of stale.statements) {
        for (const site of part.calls) site.resolution = undefined;
        for (const a of part.assignments) a.write = undefined;
        part.sitesThatMatter = undefined;
      }
    }
    cache.lastParts = parts;
    cache.lastSplicable = anyDeferred ? undefined : { statements: [...statements], lists };
    facts.resolutionGeneration = cache.resolutionGeneration;
    // Statements in source order hold their sites in source order, unless the walk set subtrees aside.
    if (!anyDeferred) {
      facts.statements = parts;
      facts.selections = cache.selections;
      facts.kept = cache.kept;
    }
  }
  return facts;
}

/** Drops the kept resolutions of the call sites and assignments inside `fn` (a kept statement's function). */
function forgetResolutionsWithin(fn: ts.Node, parts: readonly StatementFacts[]): void {
  for (const part of parts) {
    for (const site of part.calls) {
      if (site.node.pos < fn.pos || site.node.end > fn.end) continue;
      site.resolution = undefined;
      part.sitesThatMatter = undefined;
    }
    for (const a of part.assignments) if (a.node.pos >= fn.pos && a.node.end <= fn.end) a.write = undefined;
  }
}

/**
 * The file's sites and assignments, each statement's in turn (kept through an open document's edits, see
 * concatenation.ts), and its class fields.
 */
interface MergedLists {
  calls: Concatenation<StatementFacts, CallSite>;
  assignments: Concatenation<StatementFacts, Assignment>;
  classFields: Map<ts.ClassLikeDeclaration, Map<string, ClassField>>;
}

/**
 * The statements' lists merged. With `last` (the last version's), the statements both versions share at
 * either end are taken from it without being visited, and the `removed` statements' class fields go.
 */
function mergedLists(parts: readonly StatementFacts[], last?: MergedLists, removed: readonly StatementFacts[] = []): MergedLists {
  const calls = concatenate(parts, (part) => part.calls, last?.calls);
  // A site's index is its place in the file's list: the re-created statements' sites are numbered, and
  // the kept ones after them too when the edit changed how many sites come before them.
  const { items, starts, same, sameAtEnd } = calls;
  const keptFrom = starts[parts.length - sameAtEnd]!;
  const moved = !last || sameAtEnd === 0 || keptFrom !== last.calls.starts[last.calls.parts.length - sameAtEnd];
  for (let i = starts[same]!, end = moved ? items.length : keptFrom; i < end; i++) items[i]!.index = i;
  const classFields = new Map(last?.classFields);
  for (const part of removed) for (const [cls, fields] of part.classFields) if (classFields.get(cls) === fields) classFields.delete(cls);
  for (let k = same; k < parts.length - sameAtEnd; k++) for (const [cls, fields] of parts[k]!.classFields) classFields.set(cls, fields);
  return { calls, assignments: concatenate(parts, (part) => part.assignments, last?.assignments), classFields };
}

/** The file's facts from its statements', in statement order (which is walk order), with their merged `lists`. */
function mergeStatements(sourceFile: ts.SourceFile, root: Scope, parts: readonly StatementFacts[], lists: MergedLists, scopes: ScopeIndex, cache: FactsCache | undefined): FileFacts {
  let index: Map<StatementFacts, number> | undefined;
  const order = cache ? () => (index ??= new Map(parts.map((part, i) => [part, i]))) : undefined;
  // Which statements have each name pays from a document's first edit on: a document only opened (or
  // a file analysed once) merges a name from every statement, without building the holders.
  const edited = !!cache?.lastParts;
  const facts: FileFacts = {
    sourceFile,
    root,
    calls: lists.calls.items,
    assignments: lists.assignments.items,
    classFields: lists.classFields,
    scopes,
    parts,
    ...nameIndexes(parts, cache?.merged ?? noMergedNames(), edited ? order : undefined),
    statementOrder: order,
  };
  // `let x; … x = expr` — attach plain assignments to their variable once every name is declared.
  // Kept statements' bindings still hold the last collection's lists: empty them first.
  if (cache) for (const b of cache.assignedBindings) b.assigned.length = 0;
  const assignedBindings: Array<{ assigned: ts.Expression[] }> = [];
  for (const part of parts) {
    for (const a of part.identifierAssignments) {
      const b = a.scope.lookup((a.target as ts.Identifier).text);
      if (b?.kind === 'var' || b?.kind === 'param') {
        b.assigned.push(a.node.right);
        assignedBindings.push(b);
      }
    }
  }
  if (cache) cache.assignedBindings = assignedBindings;
  return facts;
}
