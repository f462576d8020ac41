// Text edits that fixes share: adding a property to an object literal, an argument to a call,
// a statement after a statement, all in the style of the surrounding code (indentation, commas).
import ts = require('typescript');
import type { TextEdit } from './types';

// The compiler's exports are getters (a call per read); bind the functions used here once.
const { isAwaitExpression, isBinaryExpression, isBlock, isCaseClause, isDefaultClause, isExpressionStatement, isIdentifier, isModuleBlock, isParameter, isParenthesizedExpression, isSourceFile, isStatement, isVariableDeclaration, isVariableStatement } = ts;

export function lineStartOf(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

export function indentationAt(text: string, offset: number): string {
  const start = lineStartOf(text, offset);
  return /^[ \t]*/.exec(text.slice(start, offset + 1))?.[0] ?? '';
}

/** The unit of indentation the file uses (two spaces when nothing says otherwise). */
export function indentUnit(text: string): string {
  const m = /\n(\t+|[ ]{2,8})\S/.exec(text);
  if (!m) return '  ';
  return m[1].startsWith('\t') ? '\t' : m[1].length >= 4 && m[1].length % 4 === 0 ? '    ' : '  ';
}

/** Adds `prop` (e.g. `timeout: 10_000`) to an object literal, keeping its one-line or multi-line layout. */
export function addProperty(obj: ts.ObjectLiteralExpression, prop: string, sf: ts.SourceFile): TextEdit {
  const text = sf.text;
  const props = obj.properties;
  // Code being typed may not have its `}` yet: then the object ends where the parser stopped.
  const closeBrace = text[obj.end - 1] === '}' ? obj.end - 1 : obj.end;
  if (props.length === 0) {
    const open = obj.getStart(sf) + 1;
    return { start: open, end: Math.max(open, closeBrace), newText: ` ${prop} ` };
  }
  const last = props[props.length - 1];
  const hasTrailingComma = props.hasTrailingComma;
  const multiline = text.slice(obj.getStart(sf), obj.end).includes('\n');
  if (multiline) {
    const indent = indentationAt(text, last.getStart(sf));
    if (hasTrailingComma) {
      const after = text.indexOf(',', last.end) + 1;
      return { start: after, end: after, newText: `\n${indent}${prop},` };
    }
    return { start: last.end, end: last.end, newText: `,\n${indent}${prop}` };
  }
  if (hasTrailingComma) {
    const comma = text.indexOf(',', last.end);
    return { start: comma + 1, end: comma + 1, newText: ` ${prop},` };
  }
  return { start: last.end, end: last.end, newText: `, ${prop}` };
}

/** Appends an argument to a call: `f(a)` → `f(a, arg)`, `f()` → `f(arg)`. */
export function appendArgument(call: ts.CallExpression | ts.NewExpression, arg: string): TextEdit {
  const args = call.arguments;
  if (!args || args.length === 0) {
    // `f()` → before the `)`; an unclosed `f(` being typed → at its end.
    const close = call.getSourceFile().text[call.end - 1] === ')' ? call.end - 1 : call.end;
    return { start: close, end: close, newText: arg };
  }
  const last = args[args.length - 1];
  return { start: last.end, end: last.end, newText: `, ${arg}` };
}

/** Inserts an argument before the argument at `index`: `f(a, cb)` → `f(a, arg, cb)`. */
export function insertArgumentBefore(call: ts.CallExpression, index: number, arg: string, sf: ts.SourceFile): TextEdit {
  const at = call.arguments[index].getStart(sf);
  return { start: at, end: at, newText: `${arg}, ` };
}

export function enclosingStatement(node: ts.Node): ts.Statement | undefined {
  for (let n: ts.Node | undefined = node; n; n = n.parent) {
    if (isStatement(n) && n.parent && (isBlock(n.parent) || isSourceFile(n.parent) || isModuleBlock(n.parent) || isCaseClause(n.parent) || isDefaultClause(n.parent))) return n;
  }
  return undefined;
}

/** Inserts lines after a statement, at the statement's indentation. */
export function insertLinesAfter(statement: ts.Statement, lines: string[], sf: ts.SourceFile): TextEdit {
  const indent = indentationAt(sf.text, statement.getStart(sf));
  return { start: statement.end, end: statement.end, newText: lines.map((l) => `\n${indent}${l}`).join('') };
}

/** Deletes a property of an object literal together with its separating comma. */
export function removeProperty(prop: ts.ObjectLiteralElementLike, sf: ts.SourceFile): TextEdit {
  const obj = prop.parent as ts.ObjectLiteralExpression;
  const props = obj.properties;
  const i = props.indexOf(prop);
  const text = sf.text;
  if (props.length === 1) return { start: obj.getStart(sf) + 1, end: obj.end - 1, newText: '' };
  if (i < props.length - 1) {
    // Remove from this property's start to the next property's start (its comma and spacing).
    const lineStart = lineStartOf(text, prop.getStart(sf));
    const onOwnLine = text.slice(lineStart, prop.getStart(sf)).trim() === '';
    const start = onOwnLine ? lineStart : prop.getStart(sf);
    const nextStart = props[i + 1].getStart(sf);
    const end = onOwnLine ? lineStartOf(text, nextStart) : nextStart;
    return { start, end: Math.max(end, prop.end), newText: '' };
  }
  // Last property: remove from the end of the previous one.
  const prev = props[i - 1];
  let end = prop.end;
  if (props.hasTrailingComma) end = text.indexOf(',', prop.end) + 1;
  return { start: prev.end, end, newText: '' };
}

/** Deletes a whole statement and its line. */
export function removeStatement(statement: ts.Statement, sf: ts.SourceFile): TextEdit {
  const text = sf.text;
  const start = lineStartOf(text, statement.getStart(sf));
  const before = text.slice(start, statement.getStart(sf)).trim() === '';
  let end = statement.end;
  if (before && text[end] === '\n') end += 1;
  else if (before && text.slice(end, end + 2) === '\r\n') end += 2;
  return { start: before ? start : statement.getStart(sf), end, newText: '' };
}

/**
 * A line that uses an object, placed right after the statement that creates it: after
 * `const sock = net.connect(…);` or `this.sock = …;` (named by its variable or property), or as the
 * first statement of a callback that receives it as a parameter (`(sock) => { … }`).
 */
export function insertAfterCreation(origin: ts.Node, line: (name: string) => string, sf: ts.SourceFile): TextEdit | undefined {
  const text = sf.text;
  if (isParameter(origin)) {
    if (!isIdentifier(origin.name)) return undefined;
    const body = (origin.parent as ts.FunctionLikeDeclarationBase).body;
    if (!body || !isBlock(body)) return undefined;
    const first = body.statements[0];
    const indent = first ? indentationAt(text, first.getStart(sf)) : indentationAt(text, origin.parent.getStart(sf)) + indentUnit(text);
    // A body being typed may lack its `{` (the parser made one up): no place to insert after.
    if (text[body.getStart(sf)] !== '{') return undefined;
    const at = body.getStart(sf) + 1;
    return { start: at, end: at, newText: `\n${indent}${line(origin.name.text)}` };
  }
  let e: ts.Node = origin;
  while (e.parent && (isAwaitExpression(e.parent) || isParenthesizedExpression(e.parent))) e = e.parent;
  const p = e.parent;
  let holder: string | undefined;
  if (p && isVariableDeclaration(p) && p.initializer === e && isIdentifier(p.name)) holder = p.name.text;
  else if (p && isBinaryExpression(p) && p.operatorToken.kind === ts.SyntaxKind.EqualsToken && p.right === e && /^[\w$.]+$/.test(p.left.getText(sf))) holder = p.left.getText(sf);
  const statement = enclosingStatement(e);
  if (!holder || !statement || !(isVariableStatement(statement) || isExpressionStatement(statement))) return undefined;
  return insertLinesAfter(statement, [line(holder)], sf);
}
