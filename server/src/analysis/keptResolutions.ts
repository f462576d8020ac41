// When may call sites in the top-level statements an edit did not touch keep what they resolved to?
// A statement's scopes are its own; the only thing statements share is the root scope. So a kept
// site's resolution can change only through root names: a binding the edit added, removed or
// replaced, a plain assignment to a root variable in a re-created statement (`client = new Pool()`
// changes what `client` may hold), or a root function handed over by name in one (the calls a
// function is passed to type its parameters). Every lookup a kept site makes is of a name written in
// its own statement, so when none of those names appears in any kept statement, every kept site
// resolves as before, but for the sites inside a kept function handed over by name. Anything else:
// every site is resolved again.
import ts = require('typescript');
import type { StatementFacts } from './facts';
import { unwrapExpression } from './resolve';
import type { Binding, Scope } from './scope';

const { SyntaxKind, escapeLeadingUnderscores } = ts;

export interface StatementChange {
  root: Scope;
  /** The root's declarations before the edit. */
  previousRoot: ReadonlyMap<string, Binding>;
  /** The statements of the last version that are gone, and those walked for this one. */
  removed: readonly StatementFacts[];
  added: readonly StatementFacts[];
  /** Every statement of this version, in order. */
  parts: readonly StatementFacts[];
}

/** The scope that declares `name` as seen from `scope`, or undefined for a global. */
function declaringScope(scope: Scope, name: string): Scope | undefined {
  for (let s: Scope | undefined = scope; s; s = s.parent) if (s.bindings.has(name)) return s;
  return undefined;
}

/**
 * Expressions the resolver gives no value whatever their contents: functions, classes, literals, and
 * binary expressions other than `=`, `||` and `??` (whose sides it follows).
 */
function isValueless(expr: ts.Expression): boolean {
  const e = unwrapExpression(expr);
  switch (e.kind) {
    case SyntaxKind.ArrowFunction:
    case SyntaxKind.FunctionExpression:
    case SyntaxKind.ClassExpression:
    case SyntaxKind.StringLiteral:
    case SyntaxKind.NumericLiteral:
    case SyntaxKind.NoSubstitutionTemplateLiteral:
    case SyntaxKind.TemplateExpression:
    case SyntaxKind.TrueKeyword:
    case SyntaxKind.FalseKeyword:
    case SyntaxKind.NullKeyword:
    case SyntaxKind.ArrayLiteralExpression:
      return true;
    case SyntaxKind.BinaryExpression: {
      const b = e as ts.BinaryExpression;
      const op = b.operatorToken.kind;
      if (op === SyntaxKind.EqualsToken) return false;
      if (op === SyntaxKind.BarBarToken || op === SyntaxKind.QuestionQuestionToken) return isValueless(b.left) && isValueless(b.right);
      return true;
    }
    default:
      return false;
  }
}

/**
 * What a binding resolves to, when that cannot depend on which statement declared it: a function or
 * class (nothing: the resolver gives them no value), or `require('m').a.b` (the module's type, with no
 * node of its own). Undefined when the value depends on the declaring statement's nodes.
 */
function valueKey(b: Binding | undefined): string | undefined {
  if (!b) return undefined;
  if (b.kind === 'local') return 'nothing';
  if (b.kind === 'import') return `import:${b.module}:${b.imported}`;
  if (b.kind !== 'var' || b.path.length > 0 || !b.init) return undefined;
  if (isValueless(b.init)) return 'nothing';
  const members: string[] = [];
  let e = unwrapExpression(b.init);
  while (e.kind === SyntaxKind.PropertyAccessExpression) {
    members.unshift((e as ts.PropertyAccessExpression).name.text);
    e = unwrapExpression((e as ts.PropertyAccessExpression).expression);
  }
  if (e.kind !== SyntaxKind.CallExpression) return undefined;
  const call = e as ts.CallExpression;
  const arg = call.arguments[0];
  if (call.expression.kind !== SyntaxKind.Identifier || (call.expression as ts.Identifier).text !== 'require' || call.arguments.length !== 1 || !arg || arg.kind !== SyntaxKind.StringLiteral) return undefined;
  return `require:${(arg as ts.StringLiteral).text}:${members.join('.')}`;
}

/** A function (declaration, or a variable holding one) with parameters: the calls it is passed to may type them. */
function functionWithParameters(b: Binding | undefined): ts.SignatureDeclaration | undefined {
  if (!b) return undefined;
  let fn: ts.Node | undefined;
  if (b.kind === 'local') fn = b.node.parent;
  else if (b.kind === 'var' && b.init) fn = unwrapExpression(b.init);
  return fn && ts.isFunctionLike(fn) && fn.parameters.length > 0 ? fn : undefined;
}

/**
 * Which resolutions of kept statements' call sites an edit may have changed: 'all', or only those of
 * the sites inside the returned functions (kept functions passed by name in a re-created statement:
 * their parameters are seen only from inside them). An empty list: every kept resolution holds.
 */
export function staleResolutions(change: StatementChange): 'all' | ts.SignatureDeclaration[] {
  const { root, previousRoot, removed, added, parts } = change;
  const within: ts.SignatureDeclaration[] = [];
  if (removed.length === 0 && added.length === 0) return within;
  const changed = [...removed, ...added];
  const changedBindings = new Set<Binding>();
  for (const part of changed) for (const [, binding] of part.rootDeclarations) changedBindings.add(binding);
  const fromKept = (b: Binding | undefined) => b !== undefined && !changedBindings.has(b);
  /** Root names whose meaning may have changed for the kept statements. */
  const suspects = new Set<string>();
  for (const part of changed) {
    for (const [name] of part.rootDeclarations) {
      const before = previousRoot.get(name);
      const after = root.bindings.get(name);
      if (before === after) continue;
      // Replaced by an equivalent declaration from the re-created statements (the same code, edited
      // inside a function body, say): kept sites resolve the name as before, and neither is a kept
      // function whose callers matter.
      const key = valueKey(before);
      if (key !== undefined && key === valueKey(after) && !fromKept(before) && !fromKept(after)) continue;
      suspects.add(name);
    }
    // An assignment to an undeclared name attaches to nothing; a removed or added declaration is above.
    for (const a of part.identifierAssignments) {
      const name = (a.target as ts.Identifier).text;
      if (declaringScope(a.scope, name) === root) suspects.add(name);
    }
    for (const site of part.calls) {
      for (const arg of site.node.arguments ?? []) {
        if (arg.kind !== SyntaxKind.Identifier) continue;
        const name = (arg as ts.Identifier).text;
        const where = declaringScope(site.scope, name);
        if (where && where !== root) continue;
        for (const b of [root.bindings.get(name), previousRoot.get(name)]) {
          const fn = fromKept(b) ? functionWithParameters(b) : undefined;
          if (fn && !within.includes(fn)) within.push(fn);
        }
      }
    }
  }
  if (suspects.size === 0) return within;
  // The identifier index is keyed by escaped name (`__x` is `___x` there).
  const keys = [...suspects].map((name) => escapeLeadingUnderscores(name) as string);
  const addedSet = new Set(added);
  for (const part of parts) {
    if (addedSet.has(part)) continue;
    for (const key of keys) if (part.identifiers.has(key)) return 'all';
  }
  return within;
}
