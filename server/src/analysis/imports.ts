// Edits that bring a named export of a module into a file: `import { x } from 'm'` in ES modules,
// `const { x } = require('m')` in CommonJS, after the imports already there. Fixes that introduce a
// helper (`pipeline`, `StringDecoder`) use this instead of assuming the name exists.
import ts = require('typescript');
import type { FileModel } from './fileModel';
import type { TextEdit } from './types';

// The compiler's exports are getters (a call per read); bind the functions used here once.
const { isCallExpression, isExportAssignment, isExportDeclaration, isExpressionStatement, isIdentifier, isImportDeclaration, isStringLiteral, isStringLiteralLike, isVariableStatement } = ts;

export interface NamedImport {
  /** The name to use in the fixed code. */
  name: string;
  /** The edit that adds the import, when the name is not bound yet. */
  edit?: TextEdit;
}

function isRequireOf(expr: ts.Expression | undefined, modules: readonly string[]): boolean {
  if (!expr || !isCallExpression(expr) || !isIdentifier(expr.expression) || expr.expression.text !== 'require') return false;
  const arg = expr.arguments[0];
  return !!arg && isStringLiteralLike(arg) && modules.includes(arg.text);
}

/**
 * How to refer to `exported` from `module` (e.g. `pipeline` from `stream`): the existing binding
 * when the file already imports it, else the name plus an edit that adds the import. `undefined`
 * when the name is taken by something else (the fix would have to rename; better none).
 */
export function namedImport(model: FileModel, module: string, exported: string): NamedImport | undefined {
  const sf = model.sourceFile;
  const modules = [module, `node:${module}`];
  const existing = model.facts.root.lookup(exported);
  if (existing) {
    if (existing.kind === 'import' && modules.includes(existing.module) && existing.imported === exported) return { name: exported };
    if (existing.kind === 'var' && existing.path.length === 1 && existing.path[0] === exported && isRequireOf(existing.init, modules)) return { name: exported };
    return undefined;
  }
  const esm = sf.statements.some((s) => isImportDeclaration(s) || isExportDeclaration(s) || isExportAssignment(s)) || /\.m[jt]s$/.test(sf.fileName);
  const text = sf.text;
  let after: ts.Statement | undefined;
  for (const s of sf.statements) {
    if (esm && isImportDeclaration(s)) after = s;
    if (!esm && isVariableStatement(s) && s.declarationList.declarations.some((d) => d.initializer && /\brequire\s*\(/.test(d.initializer.getText(sf)))) after = s;
    if (!esm && isExpressionStatement(s) && isStringLiteral(s.expression)) after ??= s; // 'use strict'
  }
  const line = esm ? `import { ${exported} } from '${module}';` : `const { ${exported} } = require('${module}');`;
  if (after) return { name: exported, edit: { start: after.end, end: after.end, newText: `\n${line}` } };
  const first = sf.statements[0];
  const at = first ? first.getFullStart() + (text.slice(first.getFullStart(), first.getStart(sf)).lastIndexOf('\n') + 1) : 0;
  return { name: exported, edit: { start: at, end: at, newText: `${line}\n` } };
}
