// Event emitters made in a file (sockets, requests, pools, connections): every name an object is
// known by, the listeners registered on it (and removed again), whether it leaves the code that made
// it (returned, handed to code this file cannot see), and whether it is closed on a normal path.
// Rules about 'error', 'timeout', 'close' and 'data' handling ask this instead of re-deriving it.
import ts = require('typescript');
import { enclosingFunction } from './context';
import type { FileModel, MethodUse } from './fileModel';
import { EVENT_METHODS, RETURNS_RECEIVER, unwrapExpression } from './resolve';
import type { Binding, Scope } from './scope';
import { someNode } from './walk';

// The compiler's exports are getters (a call per read); bind the functions used here once.
const { escapeLeadingUnderscores, SyntaxKind, isArrowFunction, isAsExpression, isAwaitExpression, isBinaryExpression, isBindingElement, isCallExpression, isClassDeclaration, isClassExpression, isClassLike, isConditionalExpression, isElementAccessExpression, isExportAssignment, isExportSpecifier, isFunctionDeclaration, isFunctionExpression, isIdentifier, isMethodDeclaration, isNewExpression, isNonNullExpression, isParameter, isParenthesizedExpression, isPropertyAccessExpression, isPropertyAssignment, isPropertyDeclaration, isReturnStatement, isSatisfiesExpression, isShorthandPropertyAssignment, isStringLiteralLike, isTypeAssertionExpression, isVariableDeclaration, isVariableStatement, isYieldExpression } = ts;

const REMOVE_METHODS = new Set(['removeListener', 'off', 'removeAllListeners', 'removeEventListener']);
/** Listener registration methods, EventEmitter and EventTarget style. */
export const ADD_LISTENER_METHODS: ReadonlySet<string> = new Set([...EVENT_METHODS, 'addEventListener']);
/** Methods that close or free a connection-like object. */
export const CLOSE_METHODS: ReadonlySet<string> = new Set(['end', 'close', 'destroy', 'quit', 'disconnect', 'terminate', 'destroySoon', 'resetAndDestroy', 'abort', 'release']);

/** Calls that take an object without keeping it or listening on it. */
const SINK_METHODS = new Set([
  'push', 'unshift', 'set', 'add', 'delete', 'has', 'get', 'indexOf', 'includes', 'splice', 'concat', 'removeListener', 'off',
  'log', 'info', 'warn', 'error', 'debug', 'trace', 'verbose', 'silly', 'dir', 'inspect', 'format', 'stringify', 'assert', 'equal', 'ok',
  'clearTimeout', 'clearInterval', 'String', 'Boolean', 'isBuffer', 'isArray', 'pipe', 'unpipe', 'write', 'end',
]);
/** Helpers that attach their own 'error' handling to every stream they are given. */
const ERROR_HANDLING_HELPERS = new Set(['pipeline', 'finished', 'eos', 'endOfStream', 'onFinished', 'pump', 'pumpify']);

export interface Registration {
  /** `on`, `once`, `addListener`, `prependListener`, `removeListener`, `off`, `removeAllListeners`. */
  method: string;
  /** The event name when it is a literal (`removeAllListeners()` has none). */
  event?: string;
  /** The listener argument. */
  handler?: ts.Expression;
  call: ts.CallExpression;
}

export interface Escape {
  kind: 'returned' | 'passed' | 'stored' | 'exported';
  node: ts.Node;
}

export interface EmitterFacts {
  /** The call, `new` expression or callback parameter that made the object. */
  origin: ts.Node;
  /** Method calls on the object through any name it is known by (variables, aliases, `this.x`, helper parameters). */
  uses: MethodUse[];
  /** Listener registrations and removals among `uses`. */
  registrations: Registration[];
  /** Places where the object leaves the code this file shows (listeners may be attached there). */
  escapes: Escape[];
  /** Handed to `stream.pipeline`/`finished`/`pump`, which listen for 'error' themselves. */
  errorHandledByHelper: boolean;
}

/** Keys of this module's answers kept on the model (FileModel.memo). */
const EMITTER_FACTS = {};

/** The innermost scope around a node (the facts walk recorded one per scope-opening node). */
const SCOPES = {};

export function scopeAt(model: FileModel, node: ts.Node): Scope {
  // Memoised for every ancestor walked through: a chain of n calls (`x.on(…).on(…)…`, generated
  // code) would otherwise cost n² parent steps.
  const memo = model.memo(SCOPES, () => new Map<ts.Node, Scope>());
  const walked: ts.Node[] = [];
  let found: Scope = model.facts.root;
  for (let n: ts.Node | undefined = node.parent; n; n = n.parent) {
    const s = model.facts.scopes.get(n) ?? memo.get(n);
    if (s) {
      found = s;
      break;
    }
    walked.push(n);
  }
  for (const n of walked) memo.set(n, found);
  return found;
}

/** `this.sock`, `self.sock` (with `self = this`) → `this.sock`; other roots keep their name. */
export function accessPath(model: FileModel, expr: ts.Expression): string | undefined {
  const e = unwrapExpression(expr);
  if (e.kind === SyntaxKind.ThisKeyword) return 'this';
  if (isIdentifier(e)) {
    const b = scopeAt(model, e).lookup(e.text);
    if (b?.kind === 'var' && b.init && unwrapExpression(b.init).kind === SyntaxKind.ThisKeyword) return 'this';
    return e.text;
  }
  if (isPropertyAccessExpression(e)) {
    const base = accessPath(model, e.expression);
    return base === undefined ? undefined : `${base}.${e.name.text}`;
  }
  return undefined;
}

function bindingName(b: Binding): string | undefined {
  if (b.kind === 'param') return isIdentifier(b.node.name) ? b.node.name.text : undefined;
  if (b.kind === 'var') return b.path.length === 0 && isVariableDeclaration(b.node) && isIdentifier(b.node.name) ? b.node.name.text : undefined;
  return undefined;
}

function isDeclarationName(id: ts.Identifier): boolean {
  const p = id.parent;
  if (!p) return false;
  if ((isPropertyAccessExpression(p) && p.name === id) || (isPropertyAssignment(p) && p.name === id)) return true;
  if ((isVariableDeclaration(p) || isParameter(p) || isBindingElement(p) || isFunctionDeclaration(p) || isFunctionExpression(p) || isClassLike(p) || isMethodDeclaration(p) || isPropertyDeclaration(p)) && (p as ts.NamedDeclaration).name === id) return true;
  if (isBindingElement(p) && p.propertyName === id) return true;
  return false;
}

/** Every reference to a variable or parameter in the code that can see it. */
export function referencesOf(model: FileModel, binding: Binding): readonly ts.Identifier[] {
  const name = bindingName(binding);
  if (!name) return [];
  const region = binding.kind === 'param' ? binding.fn : binding.kind === 'var' ? binding.scope.functionScope().node : undefined;
  if (!region) return [];
  // In an open document, the file's identifiers with this name: the same list object from version to
  // version while no statement that has the name changes. Then every candidate is in a statement the
  // edit kept, inside the same scopes, and what the name means at the root is what it meant (a change
  // there declares or removes the name, in a statement that has it): the answer stands.
  const candidates = model.facts.statements ? model.facts.identifiers.get(escapeLeadingUnderscores(name) as string) : undefined;
  const kept = candidates && keptReferences.get(binding);
  if (kept && kept.candidates === candidates) return kept.references;
  // Descendants of the region only (not the region itself), and names in reference position.
  const references = model.identifiersWithin(name, region).filter((id) => id !== region && (!isDeclarationName(id) || (isShorthandPropertyAssignment(id.parent) && id.parent.name === id)) && scopeAt(model, id).lookup(name) === binding);
  if (candidates) keptReferences.set(binding, { candidates, references });
  return references;
}

/** Each binding's references in an open document, with the identifier list they were found in (see referencesOf). */
const keptReferences = new WeakMap<Binding, { candidates: readonly ts.Identifier[]; references: readonly ts.Identifier[] }>();

/** Base classes whose code never touches a subclass's fields. */
const BUILTIN_BASES = /^(EventEmitter|Readable|Writable|Duplex|Transform|PassThrough|Stream|Error|Object)$/;

/**
 * The instance (`this`) of the code around `node` is visible to code this file does not show: a
 * base class from elsewhere, `Base.call(this, …)`, `util.inherits`, or `this` passed to a function.
 */
function instanceSharedWithUnseenCode(model: FileModel, node: ts.Node): boolean {
  let cls: ts.Node | undefined = node.parent;
  while (cls && !isClassLike(cls)) cls = cls.parent;
  if (cls) {
    const heritage = (cls as ts.ClassLikeDeclaration).heritageClauses?.find((h) => h.token === SyntaxKind.ExtendsKeyword);
    const base = heritage?.types[0]?.expression;
    if (base) {
      const name = isIdentifier(base) ? base.text : isPropertyAccessExpression(base) ? base.name.text : '';
      if (!BUILTIN_BASES.test(name) && !localFunction(model, base)) return true;
    }
  }
  const region = cls ?? enclosingFunction(node);
  if (!region) return false;
  // someNode is iterative: a class or function of generated code nests deeper than the stack allows.
  return someNode(region, (n) => {
    if ((isCallExpression(n) || isNewExpression(n)) && n.arguments?.some((a) => unwrapExpression(a).kind === SyntaxKind.ThisKeyword)) {
      const name = calleeName(n);
      if (name !== 'bind' && !(name && /^(log|debug|info|warn|error|trace)$/.test(name))) return true;
    }
    return isCallExpression(n) && calleeName(n) === 'inherits';
  });
}

/** The function a callee refers to when it is declared in this file (`helper(x)`, `this.helper(x)`, `new Helper(x)`). */
export function localFunction(model: FileModel, callee: ts.Expression): ts.SignatureDeclaration | undefined {
  const e = unwrapExpression(callee);
  if (isIdentifier(e)) {
    const b = scopeAt(model, e).lookup(e.text);
    if (b?.kind === 'local' && b.node.parent) {
      const p = b.node.parent;
      if (isFunctionDeclaration(p)) return p;
      if (isClassDeclaration(p)) return p.members.find(ts.isConstructorDeclaration);
    }
    if (b?.kind === 'var' && b.path.length === 0 && b.init) {
      const init = unwrapExpression(b.init);
      if (isArrowFunction(init) || isFunctionExpression(init)) return init;
      if (isClassExpression(init)) return init.members.find(ts.isConstructorDeclaration);
    }
    return undefined;
  }
  if (isPropertyAccessExpression(e) && e.expression.kind === SyntaxKind.ThisKeyword) {
    let cls: ts.Node | undefined = e.parent;
    while (cls && !isClassLike(cls)) cls = cls.parent;
    if (!cls) return undefined;
    for (const m of (cls as ts.ClassLikeDeclaration).members) {
      if (!m.name || !isIdentifier(m.name) || m.name.text !== e.name.text) continue;
      if (isMethodDeclaration(m)) return m;
      if (isPropertyDeclaration(m) && m.initializer) {
        const init = unwrapExpression(m.initializer);
        if (isArrowFunction(init) || isFunctionExpression(init)) return init;
      }
    }
  }
  return undefined;
}

/** The name of what is called: `pipeline` in `stream.pipeline(…)` or `pipeline(…)`. */
export function calleeName(call: ts.CallExpression | ts.NewExpression): string | undefined {
  const c = unwrapExpression(call.expression);
  if (isIdentifier(c)) return c.text;
  if (isPropertyAccessExpression(c)) return c.name.text;
  return undefined;
}

function isLoggerReceiver(call: ts.CallExpression | ts.NewExpression): boolean {
  const c = unwrapExpression(call.expression);
  if (!isPropertyAccessExpression(c)) return /^(debug|log|logger|trace)$/i.test(isIdentifier(c) ? c.text : '');
  const recv = unwrapExpression(c.expression);
  const name = isIdentifier(recv) ? recv.text : isPropertyAccessExpression(recv) ? recv.name.text : '';
  return /^(console|log|logger|_?logger|debug|util|assert|JSON|Object|Array|Buffer)$/i.test(name);
}

const MAX_HELPER_DEPTH = 2;

class Collector {
  readonly uses = new Map<ts.CallExpression, MethodUse>();
  readonly escapes: Escape[] = [];
  readonly paths = new Set<string>();
  errorHandledByHelper = false;
  private readonly seenBindings = new Set<Binding>();

  constructor(
    private readonly model: FileModel,
    readonly origins: Set<ts.Node>,
  ) {}

  addUse(method: string, call: ts.CallExpression): void {
    if (!this.uses.has(call)) this.uses.set(call, { method, call, scope: scopeAt(this.model, call) });
  }

  /** Follows a variable or parameter that holds the object: its method calls and where it goes. */
  binding(b: Binding | undefined, depth: number): void {
    if (!b || this.seenBindings.has(b)) return;
    this.seenBindings.add(b);
    for (const ref of referencesOf(this.model, b)) this.expression(ref, depth);
  }

  /** Where an expression that evaluates to the object ends up. */
  expression(start: ts.Expression, depth: number): void {
    let e: ts.Expression = start;
    for (;;) {
      const p: ts.Node = e.parent;
      if (!p) return;
      if (isParenthesizedExpression(p) || isAwaitExpression(p) || isAsExpression(p) || isNonNullExpression(p) || isSatisfiesExpression(p) || isTypeAssertionExpression(p)) {
        e = p;
        continue;
      }
      if (isConditionalExpression(p) && p.condition !== e) {
        e = p;
        continue;
      }
      if (isBinaryExpression(p) && (p.operatorToken.kind === SyntaxKind.BarBarToken || p.operatorToken.kind === SyntaxKind.QuestionQuestionToken)) {
        e = p;
        continue;
      }
      if (isPropertyAccessExpression(p) && p.expression === e) {
        const call = p.parent;
        if (call && isCallExpression(call) && call.expression === p) {
          this.addUse(p.name.text, call);
          // `sock.on(…).on(…)`, `sock.setTimeout(…)` return the socket itself.
          if (RETURNS_RECEIVER.has(p.name.text)) {
            e = call;
            continue;
          }
        }
        return;
      }
      break;
    }
    this.context(e, depth);
  }

  private context(e: ts.Expression, depth: number): void {
    const model = this.model;
    const p = e.parent;
    if (isReturnStatement(p) || (isArrowFunction(p) && p.body === e) || isYieldExpression(p)) {
      this.escapes.push({ kind: 'returned', node: e });
      return;
    }
    if (isVariableDeclaration(p) && p.initializer === e) {
      const statement = p.parent?.parent;
      if (statement && isVariableStatement(statement) && statement.modifiers?.some((m) => m.kind === SyntaxKind.ExportKeyword)) this.escapes.push({ kind: 'exported', node: e });
      if (isIdentifier(p.name)) {
        const b = scopeAt(model, p.name).lookup(p.name.text);
        const v = model.resolver.resolve(p.name, scopeAt(model, p.name));
        if (v?.origin && !v.viaMember) this.origins.add(v.origin);
        this.binding(b, depth);
      } else {
        // Destructuring takes parts of it, not the object.
      }
      return;
    }
    if (isBinaryExpression(p) && p.operatorToken.kind === SyntaxKind.EqualsToken && p.right === e) {
      this.assignedTo(p.left, e, depth);
      return;
    }
    if ((isCallExpression(p) || isNewExpression(p)) && p.arguments?.includes(e)) {
      this.passed(p, p.arguments.indexOf(e), e, depth);
      return;
    }
    if (isPropertyAssignment(p) || isShorthandPropertyAssignment(p)) {
      this.escapes.push({ kind: 'stored', node: e });
      return;
    }
    if (isExportAssignment(p) || isExportSpecifier(p)) {
      this.escapes.push({ kind: 'exported', node: e });
      return;
    }
  }

  private assignedTo(target: ts.Expression, value: ts.Expression, depth: number): void {
    const model = this.model;
    const t = unwrapExpression(target);
    const v = model.resolver.resolve(t, scopeAt(model, t));
    if (v?.origin && !v.viaMember) this.origins.add(v.origin);
    if (isIdentifier(t)) {
      this.binding(scopeAt(model, t).lookup(t.text), depth);
      return;
    }
    // `clients[id] = sock`: kept in a collection, nobody listens there.
    if (isElementAccessExpression(t)) return;
    const path = accessPath(model, t);
    if (path && /^(module\.)?exports(\.|$)/.test(path)) {
      this.escapes.push({ kind: 'exported', node: value });
    } else if (path && path.startsWith('this.') && path.split('.').length === 2) {
      // Kept on the instance: other methods reach it as `this.x`, and so does inherited code when
      // the instance is handed to a base constructor or class out of sight.
      this.paths.add(path);
      if (instanceSharedWithUnseenCode(this.model, t)) this.escapes.push({ kind: 'stored', node: value });
    } else {
      this.escapes.push({ kind: 'stored', node: value });
    }
  }

  private passed(call: ts.CallExpression | ts.NewExpression, index: number, arg: ts.Expression, depth: number): void {
    const name = calleeName(call);
    if (name && ERROR_HANDLING_HELPERS.has(name)) {
      this.errorHandledByHelper = true;
      return;
    }
    if ((name && SINK_METHODS.has(name)) || isLoggerReceiver(call)) return;
    const fn = depth < MAX_HELPER_DEPTH ? localFunction(this.model, call.expression) : undefined;
    const param = fn?.parameters[index];
    if (!fn || !param || param.dotDotDotToken || !isIdentifier(param.name)) {
      this.escapes.push({ kind: 'passed', node: arg });
      return;
    }
    // A helper in this file: follow the object into its parameter.
    const b = this.model.facts.scopes.get(fn)?.lookup(param.name.text);
    this.binding(b, depth + 1);
  }

  /** `this.sock.on(…)` where `this.sock` resolves to nothing the resolver knows (prototype-style classes). */
  pathUses(): void {
    if (this.paths.size === 0) return;
    for (const site of this.model.facts.calls) {
      const callee = unwrapExpression(site.node.expression);
      if (isCallExpression(site.node) && isPropertyAccessExpression(callee)) {
        const path = accessPath(this.model, callee.expression);
        if (path && this.paths.has(path)) this.addUse(callee.name.text, site.node);
      }
      for (const arg of site.node.arguments ?? []) {
        const path = (isPropertyAccessExpression(arg) || isIdentifier(arg)) && accessPath(this.model, arg);
        if (path && this.paths.has(path)) this.passed(site.node, site.node.arguments!.indexOf(arg), arg, 0);
      }
    }
  }
}

/**
 * The facts about the object made at `origin`: a call or `new` expression, a callback parameter,
 * or a variable declaration (for values the resolver cannot type, followed by name).
 */
export function emitterFacts(model: FileModel, origin: ts.Node): EmitterFacts {
  const perModel = model.memo(EMITTER_FACTS, () => new Map<ts.Node, EmitterFacts>());
  const cached = perModel.get(origin);
  if (cached) return cached;

  const collector = new Collector(model, new Set([origin]));
  if (isParameter(origin)) {
    const fnScope = model.facts.scopes.get(origin.parent);
    if (isIdentifier(origin.name)) collector.binding(fnScope?.lookup(origin.name.text), 0);
  } else if (isVariableDeclaration(origin)) {
    // A variable whose value the resolver does not know (`const s = getStream()`): follow the name.
    if (isIdentifier(origin.name)) collector.binding(scopeAt(model, origin.name).lookup(origin.name.text), 0);
  } else if (isCallExpression(origin) || isNewExpression(origin)) {
    collector.expression(origin, 0);
  }
  collector.pathUses();
  for (const o of collector.origins) for (const u of model.usesOf(o)) collector.addUse(u.method, u.call);

  const uses = [...collector.uses.values()].sort((a, b) => a.call.pos - b.call.pos);
  const registrations: Registration[] = [];
  for (const u of uses) {
    if (!ADD_LISTENER_METHODS.has(u.method) && !REMOVE_METHODS.has(u.method)) continue;
    const ev = u.call.arguments[0];
    registrations.push({ method: u.method, event: ev && isStringLiteralLike(ev) ? ev.text : undefined, handler: u.call.arguments[1], call: u.call });
  }
  const facts: EmitterFacts = { origin, uses, registrations, escapes: collector.escapes, errorHandledByHelper: collector.errorHandledByHelper };
  perModel.set(origin, facts);
  return facts;
}

/** Whether an event has a listener that stays: 'removed' when every listener added is removed again. */
export function listenerState(facts: EmitterFacts, event: string): 'listened' | 'removed' | 'none' {
  const added = facts.registrations.filter((r) => ADD_LISTENER_METHODS.has(r.method) && r.event === event);
  if (added.length === 0) return 'none';
  const removals = facts.registrations.filter((r) => REMOVE_METHODS.has(r.method) && (r.event === event || (r.method === 'removeAllListeners' && r.call.arguments.length === 0)));
  if (removals.length === 0) return 'listened';
  const stays = added.some((a) => {
    const h = a.handler && unwrapExpression(a.handler);
    if (!h || !isIdentifier(h)) return true;
    return !removals.some((r) => {
      // A listener that removes itself while handling the event does not leave the object unguarded.
      if (enclosingFunctionIs(r.call, h)) return false;
      if (r.method === 'removeAllListeners') return true;
      const rh = r.handler && unwrapExpression(r.handler);
      return !!rh && isIdentifier(rh) && rh.text === h.text;
    });
  });
  return stays ? 'listened' : 'removed';
}

function enclosingFunctionIs(node: ts.Node, fnName: ts.Identifier): boolean {
  const fn = enclosingFunction(node);
  if (!fn) return false;
  if (fn.name && isIdentifier(fn.name) && fn.name.text === fnName.text) return true;
  const p = fn.parent;
  return !!p && isVariableDeclaration(p) && isIdentifier(p.name) && p.name.text === fnName.text;
}

/** The event a function is registered for, when it is passed straight to `x.on('event', fn)`. */
export function listenerEventOf(fn: ts.Node): { event: string; call: ts.CallExpression } | undefined {
  let n: ts.Node = fn;
  while (n.parent && isParenthesizedExpression(n.parent)) n = n.parent;
  const call = n.parent;
  if (!call || !isCallExpression(call) || !call.arguments.includes(n as ts.Expression)) return undefined;
  const callee = unwrapExpression(call.expression);
  if (!isPropertyAccessExpression(callee) || !EVENT_METHODS.has(callee.name.text)) return undefined;
  const ev = call.arguments[0];
  return ev && isStringLiteralLike(ev) ? { event: ev.text, call } : undefined;
}

/**
 * True when a method in `methods` (default: closing ones) is called on a normal path: not only from
 * inside event listeners (`process.on('SIGINT', …)`, `sock.on('error', …)`), which run when
 * something else happens.
 */
export function calledOnNormalPath(facts: EmitterFacts, methods: ReadonlySet<string> = CLOSE_METHODS): boolean {
  // Listeners around the object's own birthplace (a 'connection' handler) do not count.
  const home = isParameter(facts.origin) ? facts.origin.parent : enclosingFunction(facts.origin);
  return facts.uses.some((u) => {
    if (!methods.has(u.method)) return false;
    for (let fn = enclosingFunction(u.call); fn && fn !== home; fn = enclosingFunction(fn)) {
      if (listenerEventOf(fn)) return false;
    }
    return true;
  });
}

/**
 * The objects an expression may evaluate to, as origins `emitterFacts` takes: resolved creations,
 * else the parameter or variable it names. `a || b` and `c ? a : b` give both; `x.pipe(y)` gives `y`
 * (pipe returns its destination). `undefined` when some part is unknowable (a call result, a member).
 */
export function originsOf(model: FileModel, expr: ts.Expression): ts.Node[] | undefined {
  const e = unwrapExpression(expr);
  if (isConditionalExpression(e)) return both(originsOf(model, e.whenTrue), originsOf(model, e.whenFalse));
  if (isBinaryExpression(e) && (e.operatorToken.kind === SyntaxKind.BarBarToken || e.operatorToken.kind === SyntaxKind.QuestionQuestionToken)) {
    return both(originsOf(model, e.left), originsOf(model, e.right));
  }
  if (isCallExpression(e) && isPropertyAccessExpression(e.expression) && e.expression.name.text === 'pipe' && e.arguments[0]) return originsOf(model, e.arguments[0]);
  const v = model.resolver.resolve(e, scopeAt(model, e));
  if (v?.origin && !v.viaMember) return [v.origin];
  if (isIdentifier(e)) {
    const b = scopeAt(model, e).lookup(e.text);
    if (b?.kind === 'param') return [b.node];
    if (b?.kind === 'var' && b.path.length === 0 && isVariableDeclaration(b.node)) return [b.node];
  }
  if (isCallExpression(e) || isNewExpression(e)) return [e];
  return undefined;
}

function both(a: ts.Node[] | undefined, b: ts.Node[] | undefined): ts.Node[] | undefined {
  return a && b ? [...a, ...b] : undefined;
}

export interface ListenerSite {
  /** The `x.on('event', handler)` call. */
  call: ts.CallExpression;
  /** `x`. */
  receiver: ts.Expression;
  /** The listener function: inline, or a function of this file passed by name. */
  handler?: ts.SignatureDeclaration;
  scope: Scope;
}

/** Every `x.on/once/addListener/prependListener(event, fn)` in the file for one event name. */
export function listenersFor(model: FileModel, event: string): ListenerSite[] {
  const out: ListenerSite[] = [];
  for (const site of model.callsNamed(...EVENT_METHODS)) {
    const call = site.node;
    if (!isCallExpression(call)) continue;
    const callee = unwrapExpression(call.expression);
    if (!isPropertyAccessExpression(callee) || !EVENT_METHODS.has(callee.name.text)) continue;
    const ev = call.arguments[0];
    if (!ev || !isStringLiteralLike(ev) || ev.text !== event) continue;
    const arg = call.arguments[1] && unwrapExpression(call.arguments[1]);
    const handler = arg && (isArrowFunction(arg) || isFunctionExpression(arg) ? arg : localFunction(model, arg));
    out.push({ call, receiver: callee.expression, handler, scope: site.scope });
  }
  return out;
}
