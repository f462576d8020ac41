// One walk over the syntax tree collects everything the resolver and the rules ask about:
// scopes and bindings, call and `new` sites, property writes, object-literal properties by name,
// and class fields assigned through `this`. Nothing else walks the whole tree.
import * as ts from 'typescript';
import { Scope, declarePattern, type Binding } from './scope';

export interface CallSite {
  node: ts.CallExpression | ts.NewExpression;
  scope: Scope;
}

export interface Assignment {
  node: ts.BinaryExpression;
  /** The assigned-to expression: `a.b.c`, `a['b']` or an identifier. */
  target: ts.Expression;
  scope: Scope;
}

export interface ClassField {
  value: ts.Expression;
  scope: Scope;
}

export interface FileFacts {
  sourceFile: ts.SourceFile;
  root: Scope;
  calls: CallSite[];
  assignments: Assignment[];
  /** Object-literal properties by key name (`rejectUnauthorized` → every such property). */
  propertiesByName: Map<string, ts.PropertyAssignment[]>;
  /** `this.x = …` and `x = …` field initialisers per class. */
  classFields: Map<ts.ClassLikeDeclaration, Map<string, ClassField>>;
  /** Scope of every node that opens one (functions, blocks, loops, catch clauses). */
  scopes: Map<ts.Node, Scope>;
}

function isFunctionLike(node: ts.Node): node is ts.FunctionLikeDeclaration {
  switch (node.kind) {
    case ts.SyntaxKind.FunctionDeclaration:
    case ts.SyntaxKind.FunctionExpression:
    case ts.SyntaxKind.ArrowFunction:
    case ts.SyntaxKind.MethodDeclaration:
    case ts.SyntaxKind.Constructor:
    case ts.SyntaxKind.GetAccessor:
    case ts.SyntaxKind.SetAccessor:
      return true;
    default:
      return false;
  }
}

const local = (node: ts.Node): Binding => ({ kind: 'local', node });

export function propertyKey(name: ts.PropertyName): string | undefined {
  if (ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name) || ts.isPrivateIdentifier(name)) return name.text;
  if (ts.isComputedPropertyName(name) && ts.isStringLiteralLike(name.expression)) return name.expression.text;
  return undefined;
}

function isAssignmentOperator(kind: ts.SyntaxKind): boolean {
  return kind === ts.SyntaxKind.EqualsToken;
}

export function collectFacts(sourceFile: ts.SourceFile): FileFacts {
  const root = new Scope(sourceFile, undefined, true);
  const facts: FileFacts = {
    sourceFile,
    root,
    calls: [],
    assignments: [],
    propertiesByName: new Map(),
    classFields: new Map(),
    scopes: new Map([[sourceFile, root]]),
  };
  const identifierAssignments: Assignment[] = [];

  function fieldsOf(cls: ts.ClassLikeDeclaration): Map<string, ClassField> {
    let m = facts.classFields.get(cls);
    if (!m) facts.classFields.set(cls, (m = new Map()));
    return m;
  }

  function declareVariables(list: ts.VariableDeclarationList, scope: Scope): void {
    const blockScoped = (list.flags & ts.NodeFlags.BlockScoped) !== 0;
    const isConst = (list.flags & ts.NodeFlags.Const) !== 0;
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
    if (!clause || !ts.isStringLiteral(node.moduleSpecifier)) return;
    const module = node.moduleSpecifier.text;
    if (clause.name) scope.declare(clause.name.text, { kind: 'import', module, imported: 'default', node: clause.name });
    const nb = clause.namedBindings;
    if (!nb) return;
    if (ts.isNamespaceImport(nb)) {
      scope.declare(nb.name.text, { kind: 'import', module, imported: '*', node: nb.name });
    } else {
      for (const el of nb.elements) {
        const imported = (el.propertyName && propertyKey(el.propertyName as ts.PropertyName)) ?? el.name.text;
        scope.declare(el.name.text, { kind: 'import', module, imported, node: el.name });
      }
    }
  }

  function visit(node: ts.Node, scope: Scope, cls: ts.ClassLikeDeclaration | undefined): void {
    switch (node.kind) {
      case ts.SyntaxKind.VariableDeclarationList:
        declareVariables(node as ts.VariableDeclarationList, scope);
        break;
      case ts.SyntaxKind.ImportDeclaration:
        declareImport(node as ts.ImportDeclaration, scope);
        return;
      case ts.SyntaxKind.ImportEqualsDeclaration: {
        const n = node as ts.ImportEqualsDeclaration;
        const ref = n.moduleReference;
        if (ts.isExternalModuleReference(ref) && ts.isStringLiteral(ref.expression)) {
          scope.declare(n.name.text, { kind: 'import', module: ref.expression.text, imported: 'cjs', node: n.name });
        } else {
          scope.declare(n.name.text, local(n.name));
        }
        return;
      }
      case ts.SyntaxKind.FunctionDeclaration:
      case ts.SyntaxKind.ClassDeclaration:
      case ts.SyntaxKind.EnumDeclaration:
      case ts.SyntaxKind.ModuleDeclaration: {
        const name = (node as ts.DeclarationStatement).name;
        if (name && ts.isIdentifier(name)) scope.declare(name.text, local(name));
        break;
      }
      case ts.SyntaxKind.CallExpression:
      case ts.SyntaxKind.NewExpression:
        facts.calls.push({ node: node as ts.CallExpression | ts.NewExpression, scope });
        break;
      case ts.SyntaxKind.BinaryExpression: {
        const b = node as ts.BinaryExpression;
        if (isAssignmentOperator(b.operatorToken.kind)) {
          const target = b.left;
          if (ts.isIdentifier(target)) {
            identifierAssignments.push({ node: b, target, scope });
          } else if (ts.isPropertyAccessExpression(target) || ts.isElementAccessExpression(target)) {
            facts.assignments.push({ node: b, target, scope });
            if (cls && target.expression.kind === ts.SyntaxKind.ThisKeyword && ts.isPropertyAccessExpression(target)) {
              const fields = fieldsOf(cls);
              if (!fields.has(target.name.text)) fields.set(target.name.text, { value: b.right, scope });
            }
          }
        }
        break;
      }
      case ts.SyntaxKind.PropertyAssignment: {
        const p = node as ts.PropertyAssignment;
        const key = propertyKey(p.name);
        if (key !== undefined) {
          let list = facts.propertiesByName.get(key);
          if (!list) facts.propertiesByName.set(key, (list = []));
          list.push(p);
        }
        break;
      }
      case ts.SyntaxKind.PropertyDeclaration: {
        const p = node as ts.PropertyDeclaration;
        const key = propertyKey(p.name);
        if (cls && key !== undefined && p.initializer) fieldsOf(cls).set(key, { value: p.initializer, scope });
        break;
      }
    }

    // Nodes that open a scope.
    if (isFunctionLike(node)) {
      const fnScope = new Scope(node, scope, true);
      facts.scopes.set(node, fnScope);
      if (ts.isFunctionExpression(node) && node.name) fnScope.declare(node.name.text, local(node.name));
      for (const p of node.parameters) declarePattern(fnScope, p.name, (_path, id) => local(id));
      // Parameters' defaults, decorators and the body share the function scope; the body block is
      // not a separate scope so `let` in the body shadows correctly and lookups stay short.
      for (const p of node.parameters) visitChildren(p, fnScope, cls);
      const body = node.body;
      if (body) {
        if (ts.isBlock(body)) for (const s of body.statements) visit(s, fnScope, cls);
        else visit(body, fnScope, cls);
      }
      return;
    }
    if (ts.isClassLike(node)) {
      if (ts.isClassExpression(node) && node.name) {
        const classScope = new Scope(node, scope, false);
        classScope.declare(node.name.text, local(node.name));
        visitChildren(node, classScope, node);
        return;
      }
      visitChildren(node, scope, node);
      return;
    }
    if (
      ts.isBlock(node) ||
      ts.isForStatement(node) ||
      ts.isForInStatement(node) ||
      ts.isForOfStatement(node) ||
      ts.isCaseBlock(node)
    ) {
      const blockScope = new Scope(node, scope, false);
      facts.scopes.set(node, blockScope);
      visitChildren(node, blockScope, cls);
      return;
    }
    if (ts.isCatchClause(node)) {
      const catchScope = new Scope(node, scope, false);
      facts.scopes.set(node, catchScope);
      if (node.variableDeclaration) declarePattern(catchScope, node.variableDeclaration.name, (_p, id) => local(id));
      visitChildren(node.block, catchScope, cls);
      return;
    }
    visitChildren(node, scope, cls);
  }

  function visitChildren(node: ts.Node, scope: Scope, cls: ts.ClassLikeDeclaration | undefined): void {
    ts.forEachChild(node, (child) => visit(child, scope, cls));
  }

  for (const s of sourceFile.statements) visit(s, root, undefined);

  // `let x; … x = expr` — attach plain assignments to their variable once every name is declared.
  for (const a of identifierAssignments) {
    const b = a.scope.lookup((a.target as ts.Identifier).text);
    if (b?.kind === 'var') b.assigned.push(a.node.right);
  }
  return facts;
}
