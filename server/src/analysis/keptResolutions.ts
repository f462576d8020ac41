// When may call sites in the top-level statements an edit did not touch keep what they resolved to?
// A statement's scopes are its own; the only thing statements share is the root scope. So a kept
// site's resolution can change only through root names: a binding the edit added, removed or
// replaced, a plain assignment to a root variable in a re-created statement (`client = new Pool()`
// changes what `client` may hold), or a root function handed over by name in one (the calls a
// function is passed to type its parameters). Every lookup a kept site makes is of a name written in
// its own statement or in the initialisers and assignments of the root names it uses, so only the
// kept statements that use such a name (directly or through other root names) resolve again, with the
// sites inside a kept function handed over by name.
import ts = require('typescript');
import type { StatementFacts } from './facts';
import { unwrapExpression } from './resolve';
import type { Binding, Scope } from './scope';

const { SyntaxKind, escapeLeadingUnderscores } = ts;

export interface StatementChange {
  root: Scope;
  /** The root's declarations before the edit. */
  previousRoot: Pick<ReadonlyMap<string, Binding>, 'get'>;
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
 * Expressions the resolver gives no value whatever their contents: functions, classes, literals, calls
 * of function expressions, and binary expressions other than `=`, `||` and `??` (whose sides it follows).
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
    case SyntaxKind.CallExpression: {
      // `(function () { … })()`: a call of a function the resolver gives no value returns none either.
      const callee = unwrapExpression((e as ts.CallExpression).expression).kind;
      return callee === SyntaxKind.FunctionExpression || callee === SyntaxKind.ArrowFunction;
    }
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
 * class (nothing: the resolver gives them no value), `require('m').a.b` (the module's type, with no
 * node of its own), a variable declared without a value. Undefined when the value depends on the
 * declaring statement's nodes.
 */
function valueKey(b: Binding | undefined): string | undefined {
  if (!b) return undefined;
  if (b.kind === 'local') return 'nothing';
  if (b.kind === 'import') return `import:${b.module}:${b.imported}`;
  if (b.kind !== 'var' || b.path.length > 0) return undefined;
  // `let client;`: what the assignments give it, wherever they are (one in a re-created statement makes
  // the name a suspect of its own).
  if (!b.init) return 'assigned';
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
  // `require` loads a module only while nothing in scope declares the name (a typo can: `var a. = require(…)`
  // reads as `var a, require`). Looked up now, so a declaration the edit added counts on both sides.
  if (b.scope.lookup('require')) return undefined;
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

/** Which kept resolutions an edit may have changed (see the top of this file). */
export interface StaleResolutions {
  /** Too much to pick apart: resolve every site again. */
  all: boolean;
  /** Kept functions passed by name from a re-created statement: the sites inside them (their parameters may be typed anew). */
  within: ts.SignatureDeclaration[];
  /** Kept statements whose sites all resolve again: they use a root name whose meaning may have changed. */
  statements: StatementFacts[];
}

/** Past this share of the statements, resolving everything again is as cheap as picking out what to. */
const MOST = 0.25;

export function staleResolutions(change: StatementChange): StaleResolutions {
  const { root, previousRoot, removed, added, parts } = change;
  const stale: StaleResolutions = { all: false, within: [], statements: [] };
  if (removed.length === 0 && added.length === 0) return stale;
  const changed = [...removed, ...added];
  const changedBindings = new Set<Binding>();
  for (const part of changed) for (const [, binding] of part.rootDeclarations) changedBindings.add(binding);
  const fromKept = (b: Binding | undefined) => b !== undefined && !changedBindings.has(b);
  /** Root names whose meaning may have changed for the kept statements. */
  const suspects = new Set<string>();
  let frontier: string[] = [];
  const suspect = (name: string) => {
    if (suspects.has(name)) return;
    suspects.add(name);
    frontier.push(name);
  };
  /** Root names a statement assigns to (`client = …`: what `client` may hold). */
  const assignedAtRoot = (part: StatementFacts) => {
    for (const a of part.identifierAssignments) {
      const name = (a.target as ts.Identifier).text;
      if (declaringScope(a.scope, name) === root) suspect(name);
    }
  };
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
      suspect(name);
    }
    // An assignment to an undeclared name attaches to nothing; a removed or added declaration is above.
    assignedAtRoot(part);
    for (const site of part.calls) {
      for (const arg of site.node.arguments ?? []) {
        if (arg.kind !== SyntaxKind.Identifier) continue;
        const name = (arg as ts.Identifier).text;
        const where = declaringScope(site.scope, name);
        if (where && where !== root) continue;
        for (const b of [root.bindings.get(name), previousRoot.get(name)]) {
          const fn = fromKept(b) ? functionWithParameters(b) : undefined;
          if (fn && !stale.within.includes(fn)) stale.within.push(fn);
        }
      }
    }
  }
  // A kept statement that uses a suspect name may resolve differently, and so may what it declares or
  // assigns at the root, and the parameters of the root functions it hands over (their statements use
  // their names): those names become suspects in turn, until nothing new turns up.
  const affected = new Set<StatementFacts>(added);
  while (frontier.length) {
    // The identifier index is keyed by escaped name (`__x` is `___x` there).
    const keys = frontier.map((name) => escapeLeadingUnderscores(name) as string);
    frontier = [];
    for (const part of parts) {
      if (affected.has(part) || !keys.some((key) => part.identifiers.has(key))) continue;
      affected.add(part);
      stale.statements.push(part);
      if (stale.statements.length > parts.length * MOST) return { all: true, within: [], statements: [] };
      for (const [name] of part.rootDeclarations) suspect(name);
      assignedAtRoot(part);
      for (const site of part.calls) {
        for (const arg of site.node.arguments ?? []) {
          if (arg.kind === SyntaxKind.Identifier && declaringScope(site.scope, (arg as ts.Identifier).text) === root) suspect((arg as ts.Identifier).text);
        }
      }
    }
  }
  return stale;
}
