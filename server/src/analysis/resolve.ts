// What does this expression refer to? Follows bindings (imports, require, destructuring, aliases,
// `this.x` fields) through the library model to a typed value that remembers where it was created.
import ts = require('typescript');
import type { FileFacts } from './facts';
import { GLOBAL_TYPE, memberType, moduleModel, typeModel, type CallSpec, type TypeName } from './model';
import type { Binding, Scope } from './scope';

// Read once: the compiler's exports are getters, too slow for the hot walk.
const { SyntaxKind } = ts;

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

const EVENT_METHODS = new Set(['on', 'once', 'addListener', 'prependListener', 'prependOnceListener']);

function eventParamType(type: TypeName, event: string, index: number): TypeName | undefined {
  for (let t = typeModel(type), depth = 0; t && depth < 4; t = t.extends ? typeModel(t.extends) : undefined, depth++) {
    const params = t.events?.[event];
    if (params) return params[index];
  }
  return undefined;
}

export function unwrapExpression(expr: ts.Expression): ts.Expression {
  for (;;) {
    if (ts.isParenthesizedExpression(expr) || ts.isAsExpression(expr) || ts.isNonNullExpression(expr) || ts.isTypeAssertionExpression(expr) || ts.isSatisfiesExpression(expr)) {
      expr = expr.expression;
    } else {
      return expr;
    }
  }
}

function promised(type: TypeName): TypeName | undefined {
  return type.startsWith('Promise<') && type.endsWith('>') ? type.slice(8, -1) : undefined;
}

export class Resolver {
  private readonly bindingValues = new Map<Binding, Value | null>();
  private readonly inProgress = new Set<Binding>();

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
        if (!ts.isStringLiteralLike(ea.argumentExpression)) return undefined;
        return this.member(this.resolveIn(ea.expression, scope, depth + 1), ea.argumentExpression.text);
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
        const callee = this.resolveIn(call.expression, scope, depth + 1);
        const returns = callee && typeModel(callee.type)?.call?.returns;
        return returns ? { type: returns, origin: call } : undefined;
      }
      case SyntaxKind.NewExpression: {
        const ne = expr as ts.NewExpression;
        const callee = this.resolveIn(ne.expression, scope, depth + 1);
        const returns = callee && typeModel(callee.type)?.construct?.returns;
        return returns ? { type: returns, origin: ne } : undefined;
      }
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
    let fnNode: ts.Node = binding.fn;
    while (fnNode.parent && ts.isParenthesizedExpression(fnNode.parent)) fnNode = fnNode.parent;
    const call = fnNode.parent;
    const outer = this.facts.scopes.get(binding.fn)?.parent;
    let value: Value | undefined;
    if (call && outer && (ts.isCallExpression(call) || ts.isNewExpression(call)) && call.arguments?.includes(fnNode as ts.Expression)) {
      const callee = unwrapExpression(call.expression);
      const method = ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
      const first = call.arguments[0];
      if (method && EVENT_METHODS.has(method) && first && ts.isStringLiteralLike(first) && ts.isPropertyAccessExpression(callee)) {
        const receiver = this.resolveIn(callee.expression, outer, depth + 1);
        const t = receiver && eventParamType(receiver.type, first.text, binding.index);
        if (t) value = { type: t, origin: binding.node };
      } else if (method === 'then' && ts.isPropertyAccessExpression(callee) && binding.index === 0 && call.arguments[0] === fnNode) {
        const promise = this.resolveIn(callee.expression, outer, depth + 1);
        const t = promise && promised(promise.type);
        if (t) value = { type: t, origin: promise.origin };
      } else {
        const lastFn = [...call.arguments].reverse().find((a) => ts.isArrowFunction(unwrapExpression(a)) || ts.isFunctionExpression(unwrapExpression(a)));
        if (lastFn === fnNode) {
          const spec = this.resolveCall(call, outer)?.spec;
          const t = spec?.callbackParams?.[binding.index];
          if (t) value = { type: t, origin: binding.node };
        }
      }
    }
    this.bindingValues.set(binding, value ?? null);
    return value;
  }

  /** `this.name` inside a class: the field's initialiser or its first `this.name = …` assignment. */
  private thisField(node: ts.Node, name: string, depth: number): Value | undefined {
    let cls: ts.Node | undefined = node.parent;
    while (cls && !ts.isClassLike(cls)) cls = cls.parent;
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
    const spec = ts.isNewExpression(node) ? model?.construct : model?.call;
    if (!spec) return undefined;
    let receiver: Value | undefined;
    if (ts.isPropertyAccessExpression(calleeExpr) || ts.isElementAccessExpression(calleeExpr)) {
      receiver = callee.origin ? { type: '', origin: callee.origin } : undefined;
    }
    return { spec, receiver };
  }
}

/** `require('m')` (with `require` not shadowed) or `import('m')`: the specifier, else undefined. */
export function moduleSpecifierOf(call: ts.CallExpression, scope: Scope): string | undefined {
  const arg = call.arguments[0];
  if (call.arguments.length !== 1 || !arg || !ts.isStringLiteralLike(arg)) return undefined;
  if (call.expression.kind === SyntaxKind.ImportKeyword) return arg.text;
  if (ts.isIdentifier(call.expression) && call.expression.text === 'require' && !scope.lookup('require')) return arg.text;
  return undefined;
}
