// What does this expression refer to? Follows bindings (imports, require, destructuring, aliases,
// `this.x` fields) through the library model to a typed value that remembers where it was created.
import ts = require('typescript');
import type { FileFacts } from './facts';
import { GLOBAL_TYPE, memberType, moduleModel, typeModel, type CallSpec, type TypeName } from './model';
import type { Binding, Scope } from './scope';

// The compiler's exports are getters (a call per read); bind the functions used here once.
const { SyntaxKind, isArrowFunction, isAsExpression, isBindingElement, isVariableDeclaration, isBinaryExpression, isCallExpression, isClassLike, isElementAccessExpression, isFunctionDeclaration, isFunctionExpression, isFunctionLike, isIdentifier, isNewExpression, isNonNullExpression, isObjectLiteralExpression, isParenthesizedExpression, isPropertyAccessExpression, isPropertyAssignment, isSatisfiesExpression, isShorthandPropertyAssignment, isStringLiteralLike, isTypeAssertionExpression } = ts;

export interface Value {
  type: TypeName;
  /** The call or `new` expression that created this value (an instance), when known. */
  origin?: ts.Node;
  /** A member read off the object created at `origin` (`api.get`), not that object itself. */
  viaMember?: boolean;
}

export interface ResolvedCall {
  spec: CallSpec;
  /** The object a method was called on (`api` in `api.get(...)`). */
  receiver?: Value;
}

const MAX_DEPTH = 24;

/**
 * The methods by which the listener checks (the file model's `listenedEvents`, and the rules that pick
 * listener sites by their syntax) see a listener added: `prependOnceListener` is not among them.
 */
export const LISTENER_METHODS: ReadonlySet<string> = new Set(['on', 'once', 'addListener', 'prependListener']);

export const EVENT_METHODS: ReadonlySet<string> = new Set([...LISTENER_METHODS, 'prependOnceListener']);

function eventParamType(type: TypeName, event: string, index: number): TypeName | undefined {
  for (let t = typeModel(type), depth = 0; t && depth < 4; t = t.extends ? typeModel(t.extends) : undefined, depth++) {
    const params = t.events?.[event];
    if (params) return params[index];
  }
  return undefined;
}

export function unwrapExpression(expr: ts.Expression): ts.Expression {
  for (;;) {
    if (isParenthesizedExpression(expr) || isAsExpression(expr) || isNonNullExpression(expr) || isTypeAssertionExpression(expr) || isSatisfiesExpression(expr)) {
      expr = expr.expression;
    } else if (isBinaryExpression(expr) && expr.operatorToken.kind === SyntaxKind.CommaToken) {
      // `(0, http_1.createServer)(…)`: compiled TypeScript calls imports this way.
      expr = expr.right;
    } else {
      return expr;
    }
  }
}

/**
 * The outermost expression that still evaluates to `node` (through the wrappers `unwrapExpression`
 * removes: parentheses, type assertions, `(0, x)`), so its parent is where the value goes:
 * `const f = (0, function () {})` → the function expression's is the comma expression.
 */
export function outermostWrapper(node: ts.Node): ts.Node {
  let n = node;
  for (let p = n.parent; p; n = p, p = p.parent) {
    const k = p.kind;
    const wrapper =
      k === SyntaxKind.ParenthesizedExpression || k === SyntaxKind.AsExpression || k === SyntaxKind.NonNullExpression || k === SyntaxKind.TypeAssertionExpression || k === SyntaxKind.SatisfiesExpression ||
      (k === SyntaxKind.BinaryExpression && (p as ts.BinaryExpression).operatorToken.kind === SyntaxKind.CommaToken && (p as ts.BinaryExpression).right === n);
    if (!wrapper) break;
  }
  return n;
}

/** Methods that return the object they were called on (`server.on(…).listen(…)`, `.unref()`). */
export const RETURNS_RECEIVER: ReadonlySet<string> = new Set(['on', 'once', 'addListener', 'prependListener', 'removeListener', 'off', 'setMaxListeners', 'unref', 'ref', 'setTimeout', 'setNoDelay', 'setKeepAlive', 'setEncoding']);

/** Module-interop helpers emitted by TypeScript, Babel and esbuild around `require()`. */
const INTEROP_HELPER = /^_*(interopRequireDefault|interopRequireWildcard|interopDefault\w*|importDefault|importStar|toESM|toCommonJS)$/;

/** `mod:http` and `mod:https`, `fn:http.request` and `fn:https.request`: the same API on another scheme. */
function sameKind(a: TypeName, b: TypeName): boolean {
  return a.replace(/https?|http2/g, 'H') === b.replace(/https?|http2/g, 'H');
}

function promised(type: TypeName): TypeName | undefined {
  return type.startsWith('Promise<') && type.endsWith('>') ? type.slice(8, -1) : undefined;
}

export class Resolver {
  private readonly bindingValues = new Map<Binding, Value | null>();
  private readonly inProgress = new Set<Binding>();
  private readonly registrations = new Map<ts.Node, Array<{ call: ts.CallExpression | ts.NewExpression; arg: ts.Expression; scope: Scope }>>();

  constructor(private readonly facts: FileFacts) {}

  /** The value of a module binding or `require()`. */
  private moduleValue(specifier: string, imported: 'default' | '*' | 'cjs' | string): Value | undefined {
    const model = moduleModel(specifier);
    if (!model) return undefined;
    switch (imported) {
      case '*':
        return { type: model.exports };
      case 'default':
        return { type: model.default ?? model.exports };
      case 'cjs':
        return { type: model.cjs ?? model.default ?? model.exports };
      default: {
        const t = memberType(model.exports, imported);
        return t ? { type: t } : undefined;
      }
    }
  }

  private member(value: Value | undefined, name: string): Value | undefined {
    if (!value) return undefined;
    if (value.type.startsWith('interop:')) {
      const inner = { ...value, type: value.type.slice(8) };
      return name === 'default' ? inner : this.member(inner, name);
    }
    // A namespace's `default` is the namespace itself when the module has no default export of its own.
    if (name === 'default' && value.type.startsWith('mod:') && !memberType(value.type, 'default')) return value;
    const t = memberType(value.type, name);
    return t ? { type: t, origin: value.origin, viaMember: value.origin !== undefined } : undefined;
  }

  private bindingValue(binding: Binding, depth: number): Value | undefined {
    if (binding.kind === 'local') return undefined;
    if (binding.kind === 'param') return this.paramValue(binding, depth);
    if (binding.kind === 'import') return this.moduleValue(binding.module, binding.imported);
    const cached = this.bindingValues.get(binding);
    if (cached !== undefined) return cached ?? undefined;
    if (this.inProgress.has(binding)) return undefined;
    this.inProgress.add(binding);
    let value: Value | undefined;
    const sources = binding.init ? [binding.init] : binding.assigned;
    for (const source of sources) {
      value = this.resolveIn(source, binding.scope, depth + 1);
      if (value) break;
    }
    for (const key of binding.path) value = this.member(value, key);
    this.inProgress.delete(binding);
    this.bindingValues.set(binding, value ?? null);
    return value;
  }

  /** Resolves an expression in the scope where it appears. */
  resolve(expr: ts.Expression, scope: Scope): Value | undefined {
    return this.resolveIn(expr, scope, 0);
  }

  private resolveIn(expr: ts.Expression, scope: Scope, depth: number): Value | undefined {
    if (depth > MAX_DEPTH) return undefined;
    expr = unwrapExpression(expr);
    switch (expr.kind) {
      case SyntaxKind.Identifier: {
        const name = (expr as ts.Identifier).text;
        const binding = scope.lookup(name);
        if (binding) return this.bindingValue(binding, depth);
        const t = memberType(GLOBAL_TYPE, name);
        return t ? { type: t } : undefined;
      }
      case SyntaxKind.PropertyAccessExpression: {
        const pa = expr as ts.PropertyAccessExpression;
        if (pa.expression.kind === SyntaxKind.ThisKeyword) return this.thisField(pa, pa.name.text, depth);
        return this.member(this.resolveIn(pa.expression, scope, depth + 1), pa.name.text);
      }
      case SyntaxKind.ElementAccessExpression: {
        const ea = expr as ts.ElementAccessExpression;
        if (isStringLiteralLike(ea.argumentExpression)) return this.member(this.resolveIn(ea.expression, scope, depth + 1), ea.argumentExpression.text);
        // `LIBS[protocol]` over `{ http, https }`: known when every entry is the same API.
        return this.anyEntry(ea.expression, scope, depth);
      }
      case SyntaxKind.CallExpression: {
        const call = expr as ts.CallExpression;
        const specifier = moduleSpecifierOf(call, scope);
        if (specifier !== undefined) {
          if (call.expression.kind === SyntaxKind.ImportKeyword) {
            const ns = this.moduleValue(specifier, '*');
            return ns && { type: `Promise<${ns.type}>` };
          }
          return this.moduleValue(specifier, 'cjs');
        }
        const calleeExpr = unwrapExpression(call.expression);
        if (isIdentifier(calleeExpr) && INTEROP_HELPER.test(calleeExpr.text) && call.arguments.length >= 1) {
          const inner = this.resolveIn(call.arguments[0], scope, depth + 1);
          return inner && { type: `interop:${inner.type}`, origin: inner.origin };
        }
        let callee: Value | undefined;
        if (isPropertyAccessExpression(calleeExpr) && RETURNS_RECEIVER.has(calleeExpr.name.text) && calleeExpr.expression.kind !== SyntaxKind.ThisKeyword) {
          const receiver = this.resolveIn(calleeExpr.expression, scope, depth + 1);
          if (receiver?.origin && !receiver.viaMember && !typeModel(receiver.type)?.members?.[calleeExpr.name.text]?.startsWith('fn:')) return receiver;
          // The method is a member of the receiver just resolved: resolving `call.expression` again
          // would walk the receiver twice per link, 2^n work on `x.on(…).on(…)…` chains.
          callee = this.member(receiver, calleeExpr.name.text);
        } else {
          callee = this.resolveIn(call.expression, scope, depth + 1);
        }
        const returns = callee && typeModel(callee.type)?.call?.returns;
        return returns ? { type: returns, origin: call } : undefined;
      }
      case SyntaxKind.ConditionalExpression: {
        // `cond ? http : https`: both branches must be known, and of the same kind.
        const c = expr as ts.ConditionalExpression;
        const a = this.resolveIn(c.whenTrue, scope, depth + 1);
        const b = a && this.resolveIn(c.whenFalse, scope, depth + 1);
        return a && b && sameKind(a.type, b.type) ? a : undefined;
      }
      case SyntaxKind.BinaryExpression: {
        // `options.fetch || fetch`, `client ?? new Pool()`: the fallback is what runs by default.
        const b = expr as ts.BinaryExpression;
        const op = b.operatorToken.kind;
        // `const s = (this.session = http2.connect(…))`: an assignment's value is its right side.
        if (op === SyntaxKind.EqualsToken) return this.resolveIn(b.right, scope, depth + 1);
        if (op !== SyntaxKind.BarBarToken && op !== SyntaxKind.QuestionQuestionToken) return undefined;
        const left = this.resolveIn(b.left, scope, depth + 1);
        const right = this.resolveIn(b.right, scope, depth + 1);
        if (left && right) return sameKind(left.type, right.type) ? left : undefined;
        return right ?? left;
      }
      case SyntaxKind.NewExpression: {
        const ne = expr as ts.NewExpression;
        const callee = this.resolveIn(ne.expression, scope, depth + 1);
        const returns = callee && typeModel(callee.type)?.construct?.returns;
        return returns ? { type: returns, origin: ne } : undefined;
      }
      case SyntaxKind.ThisKeyword:
        return this.thisInListener(expr);
      case SyntaxKind.AwaitExpression: {
        const inner = this.resolveIn((expr as ts.AwaitExpression).expression, scope, depth + 1);
        if (!inner) return undefined;
        const t = promised(inner.type);
        return t ? { type: t, origin: inner.origin } : inner;
      }
      default:
        return undefined;
    }
  }

  /**
   * A callback's parameter, typed by the API it is passed to: `createServer((req, res) => …)`,
   * `server.on('connection', (socket) => …)`, `fetch(url).then((res) => …)`.
   */
  private paramValue(binding: Extract<Binding, { kind: 'param' }>, depth: number): Value | undefined {
    const cached = this.bindingValues.get(binding);
    if (cached !== undefined) return cached ?? undefined;
    this.bindingValues.set(binding, null);
    // A parameter given a new value in its function (`server = http.createServer(app)`).
    const fnScope = this.facts.scopes.get(binding.fn);
    for (const source of binding.assigned) {
      const v = fnScope && this.resolveIn(source, fnScope, depth + 1);
      if (v) {
        this.bindingValues.set(binding, v);
        return v;
      }
    }
    let fnNode: ts.Node = binding.fn;
    while (fnNode.parent && isParenthesizedExpression(fnNode.parent)) fnNode = fnNode.parent;
    const call = fnNode.parent;
    const outer = this.facts.scopes.get(binding.fn)?.parent;
    let value: Value | undefined;
    if (call && outer && (isCallExpression(call) || isNewExpression(call)) && call.arguments?.includes(fnNode as ts.Expression)) {
      value = this.callbackParamValue(call, fnNode as ts.Expression, outer, binding, depth);
    } else {
      // A named function handed over by name: `server.on('connection', onConnection)`,
      // `net.createServer(handleSocket)`. Typed when every such registration agrees.
      for (const site of this.registrationsOf(binding.fn)) {
        const v = this.callbackParamValue(site.call, site.arg, site.scope, binding, depth);
        if (!v || (value && value.type !== v.type)) {
          value = undefined;
          break;
        }
        value = v;
      }
    }
    this.bindingValues.set(binding, value ?? null);
    return value;
  }

  private callbackParamValue(call: ts.CallExpression | ts.NewExpression, fnArg: ts.Expression, outer: Scope, binding: Extract<Binding, { kind: 'param' }>, depth: number): Value | undefined {
    const args = call.arguments ?? ts.factory.createNodeArray<ts.Expression>();
    const callee = unwrapExpression(call.expression);
    const method = isPropertyAccessExpression(callee) ? callee.name.text : undefined;
    const first = args[0];
    if (method && EVENT_METHODS.has(method) && first && isStringLiteralLike(first) && isPropertyAccessExpression(callee)) {
      const receiver = this.resolveIn(callee.expression, outer, depth + 1);
      const t = receiver && eventParamType(receiver.type, first.text, binding.index);
      return t ? { type: t, origin: binding.node } : undefined;
    }
    if (method === 'then' && isPropertyAccessExpression(callee) && binding.index === 0 && args[0] === fnArg) {
      const promise = this.resolveIn(callee.expression, outer, depth + 1);
      const t = promise && promised(promise.type);
      return t ? { type: t, origin: promise.origin } : undefined;
    }
    const isFn = (a: ts.Expression) => isArrowFunction(unwrapExpression(a)) || isFunctionExpression(unwrapExpression(a));
    const lastFn = isFn(fnArg) ? [...args].reverse().find(isFn) : args[args.length - 1];
    if (lastFn !== fnArg) return undefined;
    const t = this.resolveCall(call, outer)?.spec?.callbackParams?.[binding.index];
    return t ? { type: t, origin: binding.node } : undefined;
  }

  /** Calls that receive a named function (declaration or `const f = () => …`) as an argument. */
  private registrationsOf(fn: ts.SignatureDeclaration): ReadonlyArray<{ call: ts.CallExpression | ts.NewExpression; arg: ts.Expression; scope: Scope }> {
    let cached = this.registrations.get(fn);
    if (cached) return cached;
    cached = [];
    // Only the sites passing an identifier with one of the names the function could go by.
    const names = new Set<string>();
    if (isFunctionDeclaration(fn) && fn.name) names.add(fn.name.text);
    const holder = outermostWrapper(fn).parent;
    if (holder && (isVariableDeclaration(holder) || isBindingElement(holder)) && isIdentifier(holder.name)) names.add(holder.name.text);
    const passing = [...names].map((name) => this.facts.callsPassing.get(name) ?? []);
    // Walk order, each site once (a site may pass several of the names).
    const sites = passing.length === 1 ? passing[0]! : [...new Set(passing.flat())].sort((a, b) => a.index - b.index);
    for (const site of sites) {
      for (const arg of site.node.arguments ?? []) {
        if (!isIdentifier(arg) || !names.has(arg.text)) continue;
        const b = site.scope.lookup(arg.text);
        let target: ts.Node | undefined;
        if (b?.kind === 'local' && b.node.parent && isFunctionDeclaration(b.node.parent) && b.node.parent.name === b.node) target = b.node.parent;
        else if (b?.kind === 'var' && b.path.length === 0 && b.init && b.assigned.length === 0) {
          const init = unwrapExpression(b.init);
          if (isArrowFunction(init) || isFunctionExpression(init)) target = init;
        }
        if (target === fn) cached.push({ call: site.node, arg, scope: site.scope });
      }
    }
    this.registrations.set(fn, cached);
    return cached;
  }

  private anyEntry(objExpr: ts.Expression, scope: Scope, depth: number): Value | undefined {
    const e = unwrapExpression(objExpr);
    let obj: ts.Expression | undefined = e;
    if (isIdentifier(e)) {
      const b = scope.lookup(e.text);
      obj = b?.kind === 'var' && b.path.length === 0 ? b.init : undefined;
      if (b?.kind === 'var') scope = b.scope;
    }
    obj = obj && unwrapExpression(obj);
    if (!obj || !isObjectLiteralExpression(obj) || obj.properties.length === 0) return undefined;
    let first: Value | undefined;
    for (const p of obj.properties) {
      const init = isPropertyAssignment(p) ? p.initializer : isShorthandPropertyAssignment(p) ? p.name : undefined;
      const v = init && this.resolveIn(init, scope, depth + 1);
      if (!v || (first && !sameKind(first.type, v.type))) return undefined;
      first ??= v;
    }
    return first;
  }

  /** `this` in a `function` listener is the emitter: `sock.on('connect', function () { this.end(); })`. */
  private thisInListener(node: ts.Node): Value | undefined {
    let fn: ts.Node | undefined = node.parent;
    while (fn && !(isFunctionLike(fn) && !isArrowFunction(fn))) fn = fn.parent;
    if (!fn || !isFunctionExpression(fn)) return undefined;
    let arg: ts.Node = fn;
    while (arg.parent && isParenthesizedExpression(arg.parent)) arg = arg.parent;
    const call = arg.parent;
    if (!call || !isCallExpression(call) || !call.arguments.includes(arg as ts.Expression)) return undefined;
    const callee = unwrapExpression(call.expression);
    if (!isPropertyAccessExpression(callee) || !EVENT_METHODS.has(callee.name.text)) return undefined;
    const outer = this.facts.scopes.get(fn)?.parent;
    return outer && this.resolve(callee.expression, outer);
  }

  /** `this.name` inside a class: the field's initialiser or its first `this.name = …` assignment. */
  private thisField(node: ts.Node, name: string, depth: number): Value | undefined {
    let cls: ts.Node | undefined = node.parent;
    while (cls && !isClassLike(cls)) cls = cls.parent;
    if (!cls) return undefined;
    const field = this.facts.classFields.get(cls as ts.ClassLikeDeclaration)?.get(name);
    return field ? this.resolveIn(field.value, field.scope, depth + 1) : undefined;
  }

  /** What calling this site does: the model's call/construct spec and the receiver. */
  resolveCall(node: ts.CallExpression | ts.NewExpression, scope: Scope): ResolvedCall | undefined {
    const calleeExpr = unwrapExpression(node.expression);
    const callee = this.resolve(calleeExpr, scope);
    if (!callee) return undefined;
    const model = typeModel(callee.type);
    const spec = isNewExpression(node) ? model?.construct : model?.call;
    if (!spec) return undefined;
    let receiver: Value | undefined;
    if (isPropertyAccessExpression(calleeExpr) || isElementAccessExpression(calleeExpr)) {
      receiver = callee.origin ? { type: '', origin: callee.origin } : undefined;
    }
    return { spec, receiver };
  }
}

/** `require('m')` (with `require` not shadowed) or `import('m')`: the specifier, else undefined. */
export function moduleSpecifierOf(call: ts.CallExpression, scope: Scope): string | undefined {
  const arg = call.arguments[0];
  if (call.arguments.length !== 1 || !arg || !isStringLiteralLike(arg)) return undefined;
  if (call.expression.kind === SyntaxKind.ImportKeyword) return arg.text;
  if (isIdentifier(call.expression) && call.expression.text === 'require' && !scope.lookup('require')) return arg.text;
  return undefined;
}
