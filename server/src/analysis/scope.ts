// Lexical scopes and what each name is bound to. Built in the same single walk that collects the
// other facts (see facts.ts); lookups happen afterwards, so hoisting needs no special case.
import ts = require('typescript');

// The compiler's exports are getters (a call per read); bind the functions used here once.
const { isBindingElement, isIdentifier, isObjectBindingPattern, isStringLiteral } = ts;

export type Binding =
  /** `import x from 'm'`, `import * as x`, `import { a as x }`, `import x = require('m')`. */
  | { kind: 'import'; module: string; imported: 'default' | '*' | 'cjs' | string; node: ts.Node }
  /** A variable with a known initialiser; `path` selects into it for destructuring patterns. */
  | { kind: 'var'; node: ts.Node; init?: ts.Expression; path: string[]; scope: Scope; assigned: ts.Expression[]; isConst: boolean }
  /** A plain parameter: typed when its function is a callback the library model knows. */
  | { kind: 'param'; node: ts.ParameterDeclaration; fn: ts.SignatureDeclaration; index: number; assigned: ts.Expression[] }
  /** Functions, classes, catch variables, enums, destructured parameters: a local thing of unknown network value. */
  | { kind: 'local'; node: ts.Node };

const NO_BINDINGS: ReadonlyMap<string, Binding> = new Map();

export class Scope {
  // Most blocks declare nothing: their map is made on the first declaration (fewer allocations per analysis).
  private own?: Map<string, Binding>;
  /** While set, every declaration made here is also appended (see `recordDeclarations`). */
  private declarationLog?: Array<[string, Binding]>;
  constructor(
    private scopeNode: ts.Node,
    readonly parent: Scope | undefined,
    /** Function scopes receive `var` declarations. */
    readonly isFunction: boolean,
  ) {}

  get node(): ts.Node {
    return this.scopeNode;
  }

  /**
   * Starts a file's root scope over for the next version of its tree, and returns the declarations it
   * had. Inner scopes of top-level statements the incremental parse kept point at this object, so it
   * stays the same one (see facts.ts, which then sets what it declares: `setRootBindings`).
   */
  resetRoot(sourceFile: ts.SourceFile): Map<string, Binding> {
    const before = this.own ?? new Map();
    this.scopeNode = sourceFile;
    this.own = undefined;
    return before;
  }

  /** What the root scope declares, as facts.ts worked it out from the statements' declarations. */
  setRootBindings(bindings: Map<string, Binding>): void {
    this.own = bindings;
  }

  /**
   * Appends every declaration made in this scope from now on to `log` (undefined stops): the root scope's
   * declarations per top-level statement, replayed in statement order when the statement is reused.
   */
  recordDeclarations(log: Array<[string, Binding]> | undefined): void {
    this.declarationLog = log;
  }

  /** The names declared in this scope itself. */
  get bindings(): ReadonlyMap<string, Binding> {
    return this.own ?? NO_BINDINGS;
  }

  lookup(name: string): Binding | undefined {
    for (let s: Scope | undefined = this; s; s = s.parent) {
      const b = s.own?.get(name);
      if (b) return b;
    }
    return undefined;
  }

  functionScope(): Scope {
    let s: Scope = this;
    while (!s.isFunction && s.parent) s = s.parent;
    return s;
  }

  declare(name: string, binding: Binding): void {
    this.declarationLog?.push([name, binding]);
    // The first declaration wins (a later `var x` redeclaration does not change what x held).
    const own = (this.own ??= new Map());
    if (!own.has(name)) own.set(name, binding);
  }
}

/** Binds every name in a binding pattern; `path` tracks property names for object patterns. */
export function declarePattern(
  scope: Scope,
  name: ts.BindingName,
  make: (path: string[], id: ts.Identifier) => Binding,
  path: string[] = [],
  /** For parameter patterns: `{ fetch = undiciFetch }` binds `fetch` to its default, what runs unless a caller overrides it. */
  defaultsScope?: Scope,
): void {
  if (isIdentifier(name)) {
    scope.declare(name.text, make(path, name));
    return;
  }
  if (isObjectBindingPattern(name)) {
    for (const el of name.elements) {
      if (el.dotDotDotToken) {
        declarePattern(scope, el.name, (_p, id) => ({ kind: 'local', node: id }));
        continue;
      }
      const prop = el.propertyName ?? (isIdentifier(el.name) ? el.name : undefined);
      const key = prop && (isIdentifier(prop) || isStringLiteral(prop)) ? prop.text : undefined;
      if (el.initializer && defaultsScope && isIdentifier(el.name)) {
        scope.declare(el.name.text, { kind: 'var', node: el, init: el.initializer, path: [], scope: defaultsScope, assigned: [], isConst: false });
      } else if (key === undefined || el.initializer) {
        // Computed keys and defaults make the value unknowable statically.
        declarePattern(scope, el.name, (_p, id) => ({ kind: 'local', node: id }));
      } else {
        declarePattern(scope, el.name, make, [...path, key], defaultsScope);
      }
    }
    return;
  }
  // Array patterns: positions are not tracked.
  for (const el of name.elements) {
    if (isBindingElement(el)) declarePattern(scope, el.name, (_p, id) => ({ kind: 'local', node: id }));
  }
}
