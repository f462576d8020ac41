// Re-parsing after an edit, one top-level statement at a time. `ts.updateSourceFile` spends most of
// an edit moving every node after it through the compiler's generic visitor, and its incremental
// parser is code that runs only on edits: a freshly started server's first edit spent 40-48 ms in it
// on a 10,000-line file. The statements an edit touched parse on their own (the parser is warm from
// opening the file), and the ones after them are moved by a lean walk: that first edit takes ~7 ms,
// and later ones 2.45 instead of 2.85 ms at the median (bench/.cache/exp/ab.mts, the bench's edits).
// The result is the tree a fresh parse of the new text gives, or nothing when the edit's
// surroundings could make a fresh parse read it differently; the caller then falls back to
// `ts.updateSourceFile`. `test/analysis/statementReparse.test.ts` compares every node and parse
// error with a fresh parse over random edits to real code.
import ts = require('typescript');

// The compiler's exports are getters (a call per read); bind what runs per edit once.
const { SyntaxKind, createSourceFile, forEachChild, skipTrivia } = ts as typeof ts & { skipTrivia(text: string, pos: number): number };
/** Internal to the compiler but exported: how the parser decides that a file is an ES module. */
const isFileProbablyExternalModule = (ts as unknown as { isFileProbablyExternalModule?: (sf: ts.SourceFile) => ts.Node | undefined }).isFileProbablyExternalModule;
const sourceFileConstructor = (ts as unknown as { objectAllocator?: { getSourceFileConstructor(): new (kind: ts.SyntaxKind, pos: number, end: number) => ts.SourceFile } }).objectAllocator?.getSourceFileConstructor();
/** `TransformFlags.ContainsPossibleTopLevelAwait` (internal): the parser re-reads such statements in a module. */
const POSSIBLE_TOP_LEVEL_AWAIT = (ts as unknown as { TransformFlags?: Record<string, number> }).TransformFlags?.ContainsPossibleTopLevelAwait;
const INTERNAL_NODE_FLAGS = ts.NodeFlags as unknown as Record<string, number>;
const IMPORT_META = INTERNAL_NODE_FLAGS.PossiblyContainsImportMeta ?? 0;
const DYNAMIC_IMPORT = INTERNAL_NODE_FLAGS.PossiblyContainsDynamicImport ?? 0;

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
type Positioned = { pos: number; end: number };
type CommentDirective = { range: ts.TextRange; type: number };

/** The parser's fields of a source file that the public typings leave out. */
interface ParsedFile extends Mutable<ts.SourceFile> {
  scriptKind: ts.ScriptKind;
  transformFlags: number;
  parseDiagnostics: ts.DiagnosticWithLocation[];
  bindDiagnostics: ts.DiagnosticWithLocation[];
  externalModuleIndicator?: ts.Node;
  commentDirectives?: CommentDirective[];
  identifiers?: Map<string, string>;
  lineMap?: readonly number[];
}

interface Edit {
  start: number;
  end: number;
  newText: string;
}

/**
 * Past this many characters (~250 lines) the statements an edit touched re-parse faster with
 * `ts.updateSourceFile`: at p95, 5.1 ms against 8-10 ms over the bench's edits (bench/.cache/exp/ab.mts).
 */
const LONGEST_FRAGMENT = 8000;

/**
 * Everything that holds a position under a statement (its nodes and node arrays), listed by the first
 * walk that moves it: a statement kept through many edits is moved by every edit before it, and a
 * flat loop over the list costs a fraction of a walk (most of it in a freshly started server, where
 * the walk's many small functions are not compiled yet).
 */
const positionedUnder = new WeakMap<ts.Node, Positioned[]>();

let collected: Positioned[] = [];

function collectArray(nodes: ts.NodeArray<ts.Node>): undefined {
  collected.push(nodes as unknown as Positioned);
  for (let k = 0; k < nodes.length; k++) collectNode(nodes[k]!);
  return undefined;
}

function collectNode(node: ts.Node): undefined {
  collected.push(node as unknown as Positioned);
  forEachChild(node, collectNode, collectArray);
  return undefined;
}

/** Moves `node` and everything under it by `by` characters (JSDoc is not parsed, so nothing else holds a position). */
function move(node: ts.Node, by: number): void {
  let list = positionedUnder.get(node);
  if (!list) {
    collected = [];
    collectNode(node);
    list = collected;
    collected = [];
    positionedUnder.set(node, list);
  }
  for (let k = 0; k < list.length; k++) {
    const entry = list[k]!;
    entry.pos += by;
    entry.end += by;
  }
}

/**
 * The statement ends where it ends whatever follows it: with a `;` of its own, or with the closing
 * brace of a declaration or block. Not an `if` without `else` (an `else` after it would join it),
 * not a `try` without `finally`, nor an expression (`}` then `(` is a call).
 */
function endsDefinitively(node: ts.Statement, text: string): boolean {
  switch (node.kind) {
    case SyntaxKind.IfStatement: {
      const s = node as ts.IfStatement;
      return !!s.elseStatement && endsDefinitively(s.elseStatement, text);
    }
    case SyntaxKind.TryStatement:
      return !!(node as ts.TryStatement).finallyBlock;
    case SyntaxKind.ForStatement:
    case SyntaxKind.ForInStatement:
    case SyntaxKind.ForOfStatement:
    case SyntaxKind.WhileStatement:
    case SyntaxKind.WithStatement:
    case SyntaxKind.LabeledStatement:
      return endsDefinitively((node as ts.IterationStatement | ts.WithStatement | ts.LabeledStatement).statement, text);
    case SyntaxKind.Block:
    case SyntaxKind.SwitchStatement:
    case SyntaxKind.ClassDeclaration:
    case SyntaxKind.EnumDeclaration:
    case SyntaxKind.InterfaceDeclaration:
      return text.charCodeAt(node.end - 1) === 125 /* } */;
    case SyntaxKind.FunctionDeclaration:
    case SyntaxKind.ModuleDeclaration:
      if ((node as ts.FunctionDeclaration | ts.ModuleDeclaration).body) return text.charCodeAt(node.end - 1) === 125;
      break;
  }
  // A semicolon token of the statement itself: after its last child (a string left open, `'a;`, ends in one too).
  if (text.charCodeAt(node.end - 1) !== 59 /* ; */) return false;
  let lastChildEnd = -1;
  forEachChild(
    node,
    (child) => void (lastChildEnd = Math.max(lastChildEnd, child.end)),
    (children) => void (lastChildEnd = Math.max(lastChildEnd, children.end)),
  );
  return lastChildEnd < node.end;
}

/**
 * Tokens that cannot go on with the statement before them (on a line of its own after it, ASI ends
 * that statement): names, string and number literals, and the keywords that start statements. Not
 * `else`, `catch`, `finally`, `in`, `instanceof`, nor contextual words (`from`, `as`, `extends`, …),
 * which the scanner reads as keywords of their own.
 */
const STARTS_ITS_OWN_STATEMENT = new Set<ts.SyntaxKind>([
  SyntaxKind.Identifier,
  SyntaxKind.StringLiteral,
  SyntaxKind.NumericLiteral,
  SyntaxKind.ConstKeyword,
  SyntaxKind.VarKeyword,
  SyntaxKind.LetKeyword,
  SyntaxKind.FunctionKeyword,
  SyntaxKind.ClassKeyword,
  SyntaxKind.IfKeyword,
  SyntaxKind.ForKeyword,
  SyntaxKind.WhileKeyword,
  SyntaxKind.DoKeyword,
  SyntaxKind.ReturnKeyword,
  SyntaxKind.ThrowKeyword,
  SyntaxKind.TryKeyword,
  SyntaxKind.SwitchKeyword,
  SyntaxKind.BreakKeyword,
  SyntaxKind.ContinueKeyword,
  SyntaxKind.NewKeyword,
  SyntaxKind.ThisKeyword,
  SyntaxKind.TypeOfKeyword,
  SyntaxKind.VoidKeyword,
  SyntaxKind.DeleteKeyword,
  SyntaxKind.TrueKeyword,
  SyntaxKind.FalseKeyword,
  SyntaxKind.NullKeyword,
  SyntaxKind.ExportKeyword,
  SyntaxKind.ImportKeyword,
]);

/**
 * Errors of a token where another was expected: identifier expected (1003), `{0}` expected (1005),
 * expression expected (1109), declaration or statement expected (1128), unexpected keyword or
 * identifier (1434), unknown keyword or identifier (1435).
 */
const WORD_OUT_OF_PLACE = new Set([1003, 1005, 1109, 1128, 1434, 1435]);

let scanFailed = false;
const scanner = ts.createScanner(ts.ScriptTarget.Latest, /*skipTrivia*/ true, ts.LanguageVariant.Standard, undefined, () => {
  scanFailed = true;
});

interface Token {
  kind: ts.SyntaxKind;
  end: number;
  afterLineBreak: boolean;
  /** Scanning it (or the trivia before it) reported an error, which marks the node the parser finishes next. */
  failed: boolean;
}

/** The token at `start`, trivia skipped. */
function tokenAt(text: string, start: number, variant: ts.LanguageVariant): Token {
  scanner.setLanguageVariant(variant);
  scanner.setText(text, start);
  scanFailed = false;
  const kind = scanner.scan();
  const token = { kind, end: scanner.getTokenEnd(), afterLineBreak: scanner.hasPrecedingLineBreak(), failed: scanFailed };
  scanner.setText(undefined);
  return token;
}

/** Index of the first statement that ends at or after `offset` (statements.length when none does). */
function firstEndingAtOrAfter(statements: ts.NodeArray<ts.Statement>, offset: number): number {
  let lo = 0;
  let hi = statements.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (statements[mid]!.end >= offset) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * The tree of `newText`, made from `previous` by parsing only the top-level statements `edit`
 * touched; undefined when that cannot be proven to give what a fresh parse gives. Like
 * `ts.updateSourceFile`, it recycles `previous`: its statements after the edit are moved.
 */
export function reparseStatements(previousFile: ts.SourceFile, newText: string, edit: Edit, parseOptions: ts.CreateSourceFileOptions): ts.SourceFile | undefined {
  if (!sourceFileConstructor || !isFileProbablyExternalModule || POSSIBLE_TOP_LEVEL_AWAIT === undefined) return undefined;
  const previous = previousFile as ParsedFile;
  const statements = previous.statements;
  const oldText = previous.text;
  // The first statement stays with the full path: comments at the top of a file are pragmas.
  const first = firstEndingAtOrAfter(statements, edit.start);
  if (first === 0 || first >= statements.length) return undefined;
  let last = first;
  while (last + 1 < statements.length && statements[last + 1]!.pos <= edit.end) last++;
  const before = statements[first - 1]!;
  const fragmentStart = statements[first]!.pos;
  const fragmentOldEnd = statements[last]!.end;
  if (edit.end > fragmentOldEnd) return undefined;
  // The parser scans the token after a statement before it finishes the statement's last node, which a
  // scanning error (an unterminated string, say) marks: the first token of the fragment, before and after
  // the edit, and the token after it must scan cleanly.
  const firstToken = tokenAt(oldText, fragmentStart, previous.languageVariant);
  const nextToken = tokenAt(oldText, fragmentOldEnd, previous.languageVariant);
  if (firstToken.failed || nextToken.failed) return undefined;
  if (!endsDefinitively(before, oldText)) {
    // Ended by a line break (ASI) before a token that could not go on with it, which the edit leaves as it is.
    if (!firstToken.afterLineBreak || !STARTS_ITS_OWN_STATEMENT.has(firstToken.kind) || edit.start <= firstToken.end) return undefined;
  }
  // Import.meta anywhere makes module detection walk the tree; such files take the full path.
  if (previous.flags & IMPORT_META) return undefined;

  // The old parse errors: those of the statements re-parsed go; the others move with their statements,
  // unless one sits where it could belong to either side of the fragment.
  const oldErrors = previous.parseDiagnostics;
  const nextTokenStart = last + 1 < statements.length ? skipTrivia(oldText, statements[last + 1]!.pos) : previous.endOfFileToken.getStart(previous);
  if (oldErrors?.length) {
    const firstTokenStart = skipTrivia(oldText, fragmentStart);
    for (const e of oldErrors) {
      if (e.start >= before.pos && e.start <= firstTokenStart) return undefined;
      if (e.start >= fragmentOldEnd && e.start <= nextTokenStart) return undefined;
    }
  }

  // A long statement (an IIFE or class of hundreds of lines) re-parses faster in place: the compiler's
  // incremental parser reuses the functions inside it that the edit left alone.
  if (fragmentOldEnd - fragmentStart > LONGEST_FRAGMENT) return undefined;
  const delta = edit.newText.length - (edit.end - edit.start);
  const fragmentText = newText.slice(fragmentStart, fragmentOldEnd + delta);
  // Only the first character of a file can start a shebang, and a conflict marker only a line.
  const c0 = fragmentText.charCodeAt(0);
  if (c0 === 35 /* # */ || c0 === 60 /* < */ || c0 === 61 /* = */ || c0 === 62 /* > */ || c0 === 124 /* | */) return undefined;
  const fragment = createSourceFile(previous.fileName, fragmentText, parseOptions, /*setParentNodes*/ false, previous.scriptKind) as ParsedFile;
  if (fragment.statements.length === 0) return undefined;
  // Typing leaves a word where the parser expected another (`returnx value;`): such errors are fine inside
  // the fragment, where the parser recovers the same way in context. Not one at its last token or end
  // (the parser ran out of text: an unclosed brace, where the rest of the file would go on), nor any
  // other kind (a string or comment left open would read on past the fragment in the file).
  for (const e of fragment.parseDiagnostics) if (e.start >= fragmentText.length - 1 || !WORD_OUT_OF_PLACE.has(e.code)) return undefined;
  // `await` outside functions reads differently in a module, which the fragment alone may not be.
  if (fragment.transformFlags & POSSIBLE_TOP_LEVEL_AWAIT || fragment.flags & IMPORT_META) return undefined;
  const newLast = fragment.statements[fragment.statements.length - 1]!;
  if (newLast.end !== fragmentText.length) return undefined;
  if (tokenAt(fragmentText, 0, previous.languageVariant).failed) return undefined;
  if (!endsDefinitively(newLast, fragmentText) && last + 1 < statements.length) {
    if (!nextToken.afterLineBreak || !STARTS_ITS_OWN_STATEMENT.has(nextToken.kind)) return undefined;
    // `let` then a name on the next line is one declaration, where the fragment alone ends at `let`.
    if (/(^|[^\w$])let$/.test(fragmentText.slice(-4))) return undefined;
  }

  const list: ts.Statement[] = [];
  for (let k = 0; k < first; k++) list.push(statements[k]!);
  for (const s of fragment.statements) list.push(s);
  for (let k = last + 1; k < statements.length; k++) list.push(statements[k]!);
  // Module or script, as a fresh parse decides; a change of kind re-reads `await` elsewhere.
  const indicator = isFileProbablyExternalModule({ statements: list, flags: 0 } as unknown as ts.SourceFile);
  if (!indicator !== !previous.externalModuleIndicator) return undefined;

  // The new tree: the previous file's fields (the parser's, in its order), with what the edit changed.
  const next = new sourceFileConstructor(SyntaxKind.SourceFile, 0, newText.length) as ParsedFile;
  for (const key in previous) {
    if (Object.prototype.hasOwnProperty.call(previous, key) && !Object.prototype.hasOwnProperty.call(next, key)) (next as unknown as Record<string, unknown>)[key] = (previous as unknown as Record<string, unknown>)[key];
  }
  next.flags = previous.flags | (fragment.flags & DYNAMIC_IMPORT);
  next.transformFlags = previous.transformFlags | fragment.transformFlags;
  next.text = newText;
  next.lineMap = undefined;
  next.bindDiagnostics = [];
  next.externalModuleIndicator = indicator;

  for (const s of fragment.statements) move(s, fragmentStart);
  if (delta !== 0) for (let k = last + 1; k < statements.length; k++) move(statements[k]!, delta);
  const array = ts.factory.createNodeArray(list) as unknown as Positioned;
  array.pos = statements.pos;
  array.end = statements.end + delta;
  next.statements = array as unknown as ts.NodeArray<ts.Statement>;
  const eof = previous.endOfFileToken as Mutable<ts.EndOfFileToken>;
  if (delta !== 0) move(eof, delta);
  next.endOfFileToken = eof;
  for (const s of list) (s as Mutable<ts.Node>).parent = next;
  eof.parent = next;

  const errors: ts.DiagnosticWithLocation[] = [];
  for (const e of oldErrors ?? []) if (e.start < fragmentStart) errors.push(moved(e, next, 0));
  for (const e of fragment.parseDiagnostics) errors.push(moved(e, next, fragmentStart));
  for (const e of oldErrors ?? []) if (e.start > nextTokenStart) errors.push(moved(e, next, delta));
  next.parseDiagnostics = errors;
  const directives = previous.commentDirectives;
  const fragmentDirectives = fragment.commentDirectives;
  if (directives || fragmentDirectives) {
    const all: CommentDirective[] = [];
    for (const d of directives ?? []) if (d.range.end <= fragmentStart) all.push(d);
    for (const d of fragmentDirectives ?? []) all.push({ type: d.type, range: { pos: d.range.pos + fragmentStart, end: d.range.end + fragmentStart } });
    for (const d of directives ?? []) if (d.range.pos >= fragmentOldEnd) all.push({ type: d.type, range: { pos: d.range.pos + delta, end: d.range.end + delta } });
    next.commentDirectives = all.length ? all : undefined;
  }
  const identifiers = previous.identifiers;
  const fragmentIdentifiers = fragment.identifiers;
  // The compiler's name table (no position in it); names the edit removed stay, as after `ts.updateSourceFile`.
  if (identifiers && fragmentIdentifiers) for (const [k, v] of fragmentIdentifiers) identifiers.set(k, v);
  return next;
}

/** A parse error of another tree, for `file`, `by` characters further (with the places it points to). */
function moved(e: ts.DiagnosticWithLocation, file: ts.SourceFile, by: number): ts.DiagnosticWithLocation {
  const related = e.relatedInformation?.map((r) => ({ ...r, file, start: r.start === undefined ? undefined : r.start + by }));
  return { ...e, file, start: e.start + by, ...(related ? { relatedInformation: related } : {}) };
}
