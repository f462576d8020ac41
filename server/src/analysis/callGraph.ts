// Who calls a function declared in this file. `runFrequency` asks it: a helper that opens a
// database connection is per-request when a route handler calls it, even though the helper itself
// looks like any other function. Answered per function from the call sites the facts walk collected,
// indexed by the names they use: only the sites that could name the function are resolved, and
// nothing here walks the tree.
import ts = require('typescript');
import { endName, type CallSite } from './facts';
import type { FileModel } from './fileModel';
import { outermostWrapper, unwrapExpression } from './resolve';
import type { Scope } from './scope';

// The compiler's exports are getters (a call per read); bind the functions used here once.
const { escapeLeadingUnderscores, isArrowFunction, isBindingElement, isConstructorDeclaration, isBinaryExpression, isCallExpression, isClassDeclaration, isClassExpression, isClassLike, isFunctionDeclaration, isFunctionExpression, isFunctionLike, isIdentifier, isMethodDeclaration, isNewExpression, isObjectLiteralExpression, isPrivateIdentifier, isPropertyAccessExpression, isPropertyAssignment, isPropertyDeclaration, isVariableDeclaration } = ts;

const { SyntaxKind } = ts;

export type FunctionNode = ts.SignatureDeclaration | ts.ClassLikeDeclaration;

/** One place that uses a local function: calls it, or passes it to another call as a value. */
export interface FunctionUse {
  kind: 'call' | 'reference';
  /** The call (or `new`) that calls the function, or that receives it as an argument. */
  site: ts.CallExpression | ts.NewExpression;
  /** For references: the argument that names the function. */
  arg?: ts.Expression;
}



/** Keys of this module's answers kept on the model (FileModel.memo). */
const GRAPH = {};
const PROTOTYPE_TABLE = {};
const SITES_BY_NAME = {};

function isFunctionValue(node: ts.Node): node is ts.ArrowFunction | ts.FunctionExpression | ts.ClassExpression {
  return isArrowFunction(node) || isFunctionExpression(node) || isClassExpression(node);
}

/** The function or class a name refers to, when it is declared in this file. */
function localFunction(name: string, scope: Scope): FunctionNode | undefined {
  const b = scope.lookup(name);
  if (!b) return undefined;
  if (b.kind === 'local') {
    const decl = b.node.parent;
    if (decl && (isFunctionDeclaration(decl) || isClassDeclaration(decl) || isFunctionExpression(decl) || isClassExpression(decl)) && decl.name === b.node) return decl;
    return undefined;
  }
  if (b.kind === 'var' && b.path.length === 0 && b.init && (b.isConst || b.assigned.length === 0)) {
    const init = unwrapExpression(b.init);
    if (isFunctionValue(init)) return init;
  }
  return undefined;
}

/** `X.prototype.name = function () {}` and `X.prototype = { name() {} }` methods, by constructor name. */
function prototypeMethods(model: FileModel): Map<string, Map<string, ts.FunctionLikeDeclaration>> {
  const out = new Map<string, Map<string, ts.FunctionLikeDeclaration>>();
  const add = (ctor: string, name: string, fn: ts.FunctionLikeDeclaration) => {
    let m = out.get(ctor);
    if (!m) out.set(ctor, (m = new Map()));
    if (!m.has(name)) m.set(name, fn);
  };
  for (const a of model.facts.assignments) {
    const t = a.target;
    const value = unwrapExpression(a.node.right);
    if (!isPropertyAccessExpression(t)) continue;
    // X.prototype.m = function () {}
    if (isPropertyAccessExpression(t.expression) && t.expression.name.text === 'prototype' && isIdentifier(t.expression.expression) && (isFunctionExpression(value) || isArrowFunction(value))) {
      add(t.expression.expression.text, t.name.text, value);
    }
    // X.prototype = { m() {}, n: function () {} }
    if (t.name.text === 'prototype' && isIdentifier(t.expression) && isObjectLiteralExpression(value)) {
      for (const p of value.properties) {
        if (isMethodDeclaration(p) && isIdentifier(p.name)) add(t.expression.text, p.name.text, p);
        else if (isPropertyAssignment(p) && isIdentifier(p.name)) {
          const init = unwrapExpression(p.initializer);
          if (isFunctionExpression(init) || isArrowFunction(init)) add(t.expression.text, p.name.text, init);
        }
      }
    }
  }
  return out;
}

/** The constructor name `this` refers to inside a `X.prototype.m = function` method or `function X()`. */
function prototypeOwner(node: ts.Node): string | undefined {
  for (let n = node.parent; n; n = n.parent) {
    if (isArrowFunction(n)) continue;
    if (isFunctionExpression(n)) {
      const p = n.parent;
      if (p && isBinaryExpression(p) && isPropertyAccessExpression(p.left)) {
        const target = p.left;
        if (isPropertyAccessExpression(target.expression) && target.expression.name.text === 'prototype' && isIdentifier(target.expression.expression)) return target.expression.expression.text;
      }
      if (p && isPropertyAssignment(p) && p.parent && isObjectLiteralExpression(p.parent)) return objectPrototypeOwner(p.parent);
      if (p && isVariableDeclaration(p) && isIdentifier(p.name)) return p.name.text;
      return n.name?.text;
    }
    if (isMethodDeclaration(n) && n.parent && isObjectLiteralExpression(n.parent)) return objectPrototypeOwner(n.parent);
    if (isFunctionDeclaration(n)) return n.name?.text;
    if (isFunctionLike(n) || isClassLike(n)) return undefined;
  }
  return undefined;
}

function objectPrototypeOwner(obj: ts.ObjectLiteralExpression): string | undefined {
  const p = obj.parent;
  if (p && isBinaryExpression(p) && isPropertyAccessExpression(p.left) && p.left.name.text === 'prototype' && isIdentifier(p.left.expression)) return p.left.expression.text;
  return undefined;
}

/** The class whose instance `this` is at `node` (arrow functions see through to the method). */
function thisClass(node: ts.Node): ts.ClassLikeDeclaration | undefined {
  for (let n = node.parent; n; n = n.parent) {
    if (isArrowFunction(n)) continue;
    if (isClassLike(n)) return n;
    if (isFunctionLike(n) && !(n.parent && isClassLike(n.parent))) return undefined;
  }
  return undefined;
}

function classMember(cls: ts.ClassLikeDeclaration, name: string): FunctionNode | undefined {
  for (const m of cls.members) {
    if (!m.name || !(isIdentifier(m.name) || isPrivateIdentifier(m.name)) || m.name.text !== name) continue;
    if (isMethodDeclaration(m)) return m;
    if (isPropertyDeclaration(m) && m.initializer) {
      const init = unwrapExpression(m.initializer);
      if (isArrowFunction(init) || isFunctionExpression(init)) return init;
    }
  }
  return undefined;
}

/**
 * The `this` keyword an expression stands for: itself, or the initialiser of a variable that holds
 * `this` (`var self = this`), whose position decides which object it is.
 */
function thisKeywordOf(expr: ts.Expression, scope: Scope): ts.Node | undefined {
  if (expr.kind === SyntaxKind.ThisKeyword) return expr;
  if (!isIdentifier(expr)) return undefined;
  const b = scope.lookup(expr.text);
  if (b?.kind !== 'var' || b.path.length > 0 || !b.init) return undefined;
  const init = unwrapExpression(b.init);
  return init.kind === SyntaxKind.ThisKeyword ? init : undefined;
}


/**
 * The function declared in this file that an expression names: `handler`, `this.onMessage`,
 * `self.send`, `handler.bind(this)`, or an inline function itself.
 */
export function localFunctionOf(model: FileModel, expr: ts.Expression, scope: Scope): FunctionNode | undefined {
  const e = unwrapExpression(expr);
  if (isArrowFunction(e) || isFunctionExpression(e)) return e;
  return referencedFunction(model, e, scope);
}

function referencedFunction(model: FileModel, expr: ts.Expression, scope: Scope): FunctionNode | undefined {
  const e = unwrapExpression(expr);
  if (isIdentifier(e)) return localFunction(e.text, scope);
  const self = isPropertyAccessExpression(e) ? thisKeywordOf(e.expression, scope) : undefined;
  if (self && isPropertyAccessExpression(e)) {
    const name = e.name.text;
    const cls = thisClass(self);
    if (cls) return classMember(cls, name);
    const owner = prototypeOwner(self);
    if (owner) {
      return model.memo(PROTOTYPE_TABLE, () => prototypeMethods(model)).get(owner)?.get(name);
    }
  }
  // `handler.bind(this)` passes the same function on.
  if (isCallExpression(e) && isPropertyAccessExpression(e.expression) && e.expression.name.text === 'bind') return referencedFunction(model, e.expression.expression, scope);
  return undefined;
}

/**
 * The name an expression could reach a local function by, as `referencedFunction` reads it: the
 * identifier, the property name of `this.m`/`self.m`, through `.bind(…)`.
 */
function terminalName(expr: ts.Expression): string | undefined {
  const e = unwrapExpression(expr);
  if (isCallExpression(e) && isPropertyAccessExpression(e.expression) && e.expression.name.text === 'bind') return terminalName(e.expression.expression);
  return endName(e);
}

/** Call sites by the names their callee and arguments could reach a local function by (one pass, nothing resolved). */
function sitesByName(model: FileModel): Map<string, number[]> {
  return model.memo(SITES_BY_NAME, () => indexSitesByName(model));
}

function indexSitesByName(model: FileModel): Map<string, number[]> {
  const index = new Map<string, number[]>();
  const calls = model.facts.calls;
  const note = (name: string | undefined, i: number) => {
    if (name === undefined) return;
    const list = index.get(name);
    if (!list) index.set(name, [i]);
    else if (list[list.length - 1] !== i) list.push(i);
  };
  for (let i = 0; i < calls.length; i++) {
    const site = calls[i]!;
    const node = site.node;
    // The facts walk named the callee already; only `f.bind(…)(…)` needs a second look.
    note(site.calleeName === 'bind' ? terminalName(node.expression) : site.calleeName, i);
    for (const arg of node.arguments ?? []) note(terminalName(arg), i);
  }
  return index;
}

/**
 * The facts' record of a call node. `facts.calls` is in walk order, which is source order (by start,
 * the outer of two calls that start together first) except for subtrees the walk deferred, so a
 * binary search finds the site; when it lands elsewhere (a deferred subtree), a scan does.
 */
function siteOf(model: FileModel, call: ts.CallExpression | ts.NewExpression): CallSite | undefined {
  const calls = model.facts.calls;
  let lo = 0;
  let hi = calls.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const node = calls[mid]!.node;
    if (node.pos < call.pos || (node.pos === call.pos && node.end > call.end)) lo = mid + 1;
    else hi = mid;
  }
  if (calls[lo]?.node === call) return calls[lo];
  return calls.find((s) => s.node === call);
}

/**
 * The calls `sitesByName` files under `name`: those whose callee ends in it (`name(…)`, `this.name(…)`)
 * and those with an argument `terminalName` reads as it (`use(name)`, `on('x', this.name)`,
 * `f(name.bind(this))`). Found from the identifiers called `name`, outwards, rather than from every
 * call of the file: the exact inverse of `terminalName`, through the wrappers `unwrapExpression`
 * removes (`outermostWrapper`), the property of `a.name`, and the receiver of `.bind(…)`.
 */
function callsNaming(model: FileModel, name: string): Array<ts.CallExpression | ts.NewExpression> {
  const out: Array<ts.CallExpression | ts.NewExpression> = [];
  for (const id of model.facts.identifiers.get(escapeLeadingUnderscores(name) as string) ?? []) {
    const holder = id.parent;
    // `a.name` ends in the name; in `name.x` the name is only the receiver.
    let current: ts.Node = holder && isPropertyAccessExpression(holder) && holder.name === id ? holder : id;
    let throughBind = false;
    for (;;) {
      current = outermostWrapper(current);
      const p = current.parent;
      if (!p) break;
      if (isCallExpression(p) || isNewExpression(p)) {
        // A callee is filed by its own name only; `f.bind(this)(…)` is not filed under `f`.
        if (p.expression === current ? !throughBind : p.arguments?.includes(current as ts.Expression)) out.push(p);
        break;
      }
      // `name.bind(this)` passes the same function on.
      const call = p.parent;
      if (isPropertyAccessExpression(p) && p.expression === current && p.name.text === 'bind' && call && isCallExpression(call) && call.expression === p) {
        current = call;
        throughBind = true;
        continue;
      }
      break;
    }
  }
  return out;
}

/**
 * The call sites whose callee or an argument could reach a local function by one of `names`
 * (`sitesByName`'s entries for them), in walk order.
 */
function candidateSites(model: FileModel, names: readonly string[]): CallSite[] {
  // Private names (`this.#send`) are not identifiers, so the identifier index does not have them:
  // those few functions take the whole-file index.
  if (names.some((n) => n.startsWith('#'))) {
    const index = sitesByName(model);
    return [...new Set(names.flatMap((name) => index.get(name) ?? []))].sort((a, b) => a - b).map((i) => model.facts.calls[i]!);
  }
  const found = new Set<CallSite>();
  for (const name of names) {
    for (const call of callsNaming(model, name)) {
      const site = siteOf(model, call);
      if (site) found.add(site);
    }
  }
  return [...found].sort((a, b) => a.index - b.index);
}

/**
 * Every name `referencedFunction` could find `fn` by: its own name, the variable, binding, field or
 * property it is the value of, the method name; for a constructor, its class's names. A superset is
 * harmless (each candidate is resolved); a missing name would lose uses.
 */
function namesOf(fn: ts.Node): string[] {
  if (fn.kind === SyntaxKind.Constructor) return fn.parent ? namesOf(fn.parent) : [];
  const names: string[] = [];
  const own = (fn as ts.NamedDeclaration).name;
  if (own && (isIdentifier(own) || isPrivateIdentifier(own))) names.push(own.text);
  const value = outermostWrapper(fn);
  const p = value.parent;
  if (!p) return names;
  if ((isVariableDeclaration(p) || isBindingElement(p) || isPropertyDeclaration(p) || isPropertyAssignment(p)) && (isIdentifier(p.name) || isPrivateIdentifier(p.name))) names.push(p.name.text);
  if (isBinaryExpression(p) && p.operatorToken.kind === SyntaxKind.EqualsToken && p.right === value) {
    const left = unwrapExpression(p.left);
    if (isIdentifier(left)) names.push(left.text);
    else if (isPropertyAccessExpression(left)) names.push(left.name.text);
  }
  return names;
}

/** Calls of, and references to, one function: only the call sites that name it are resolved. */
function usesOf(model: FileModel, fn: ts.Node): FunctionUse[] {
  const uses: FunctionUse[] = [];
  const target = (expr: ts.Expression, scope: Scope): ts.Node | undefined => referencedFunction(model, expr, scope);
  for (const { node, scope } of candidateSites(model, namesOf(fn))) {
    const callee = target(node.expression, scope);
    if (callee) {
      // `new C()` runs C's constructor: a use of the class and of its constructor.
      if (callee === fn) uses.push({ kind: 'call', site: node });
      if (isClassLike(callee) && callee.members.find(isConstructorDeclaration) === fn) uses.push({ kind: 'call', site: node });
    }
    for (const arg of node.arguments ?? []) {
      const e = unwrapExpression(arg);
      if ((isIdentifier(e) || isPropertyAccessExpression(e) || isCallExpression(e)) && target(e, scope) === fn) uses.push({ kind: 'reference', site: node, arg });
    }
  }
  return uses;
}

/** Calls of, and references to, a function or class declared in this file. */
export function usesOfFunction(model: FileModel, fn: ts.Node): readonly FunctionUse[] {
  const perModel = model.memo(GRAPH, () => new Map<ts.Node, FunctionUse[]>());
  let uses = perModel.get(fn);
  if (!uses) perModel.set(fn, (uses = usesOf(model, fn)));
  return uses;
}
