// Re-parsing after an edit, one top-level statement at a time. `ts.updateSourceFile` spends most of
// an edit moving every node after it through the compiler's generic visitor, and its incremental
// parser is code that runs only on edits: a freshly started server's first edit spent 40-48 ms in it
// on a 10,000-line file. The statements an edit touched parse on their own (the parser is warm from
// opening the file), and the ones after them are moved by a lean walk: that first edit takes ~7 ms,
// and later ones 2.45 instead of 2.85 ms at the median (bench/.cache/exp/ab.mts, the bench's edits).
// Inside a top-level statement too long to parse whole, the statements or class members around the
// edit parse on their own, in a wrapper that gives them their context (`reparseInside`).
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
 * Past this many characters (~250 lines) a statement is first re-parsed inside: the statements or
 * members around the edit, if they are shorter than this. Parsing every long statement whole cost
 * 8-10 ms at p95 over the bench's edits, against 5.1 ms with `ts.updateSourceFile`
 * (bench/.cache/exp/ab.mts); the whole statement is parsed only where the inside re-parse declines.
 */
export const LONGEST_FRAGMENT = 8000;

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
  // Eight at a time, their positions read before any is written: the entries are scattered over the
  // heap, nearly every one a cache miss, and independent reads let the processor wait for several at
  // once (a quarter less time per entry than one at a time, bench/edit-latency.md).
  const n = list.length;
  let k = 0;
  for (; k + 8 <= n; k += 8) {
    const e0 = list[k]!, e1 = list[k + 1]!, e2 = list[k + 2]!, e3 = list[k + 3]!, e4 = list[k + 4]!, e5 = list[k + 5]!, e6 = list[k + 6]!, e7 = list[k + 7]!;
    const p0 = e0.pos, p1 = e1.pos, p2 = e2.pos, p3 = e3.pos, p4 = e4.pos, p5 = e5.pos, p6 = e6.pos, p7 = e7.pos;
    e0.pos = p0 + by; e1.pos = p1 + by; e2.pos = p2 + by; e3.pos = p3 + by; e4.pos = p4 + by; e5.pos = p5 + by; e6.pos = p6 + by; e7.pos = p7 + by;
    e0.end += by; e1.end += by; e2.end += by; e3.end += by; e4.end += by; e5.end += by; e6.end += by; e7.end += by;
  }
  for (; k < n; k++) {
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
    // Class members with a body (a member list's elements, for re-parses inside a class).
    case SyntaxKind.MethodDeclaration:
    case SyntaxKind.Constructor:
    case SyntaxKind.GetAccessor:
    case SyntaxKind.SetAccessor:
    case SyntaxKind.ClassStaticBlockDeclaration:
      if ((node as unknown as { body?: ts.Node }).body) return text.charCodeAt(node.end - 1) === 125;
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
/** "Unknown keyword or identifier. Did you mean …?", at the expression of a statement that lacks its `;`. */
const UNKNOWN_KEYWORD = 1435;

let scanFailed = false;
const scanner = ts.createScanner(ts.ScriptTarget.Latest, /*skipTrivia*/ true, ts.LanguageVariant.Standard, undefined, () => {
  scanFailed = true;
});

interface Token {
  kind: ts.SyntaxKind;
  start: number;
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
  const token = { kind, start: scanner.getTokenStart(), end: scanner.getTokenEnd(), afterLineBreak: scanner.hasPrecedingLineBreak(), failed: scanFailed };
  scanner.setText(undefined);
  return token;
}

/** Index of the first element that ends at or after `offset` (list.length when none does). */
function firstEndingAtOrAfter(list: ts.NodeArray<ts.Node>, offset: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid]!.end >= offset) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** The elements `first..last` of a statement or member list that hold the edit between them, if they do. */
function touchedBy(list: ts.NodeArray<ts.Node>, edit: Edit): { first: number; last: number } | undefined {
  const first = firstEndingAtOrAfter(list, edit.start);
  if (first >= list.length) return undefined;
  let last = first;
  while (last + 1 < list.length && list[last + 1]!.pos <= edit.end) last++;
  return edit.start >= list[first]!.pos && edit.end <= list[last]!.end ? { first, last } : undefined;
}

/** Copies `from`'s own fields that `to` does not have (the parser's, after a constructor's own). */
function copyMissingFields(from: object, to: object): void {
  const source = from as Record<string, unknown>;
  const target = to as Record<string, unknown>;
  for (const key in source) if (Object.prototype.hasOwnProperty.call(source, key) && !Object.prototype.hasOwnProperty.call(target, key)) target[key] = source[key];
}

/**
 * The tree of `newText`, made from `previous` by parsing only the top-level statements `edit`
 * touched, or for an edit inside one long statement, only the statements or class members around
 * it; undefined when that cannot be proven to give what a fresh parse gives. Like
 * `ts.updateSourceFile`, it recycles `previous`: its statements after the edit are moved.
 */
export function reparseStatements(previousFile: ts.SourceFile, newText: string, edit: Edit, parseOptions: ts.CreateSourceFileOptions, tuning: ReparseTuning = {}): ts.SourceFile | undefined {
  if (!sourceFileConstructor || !isFileProbablyExternalModule || POSSIBLE_TOP_LEVEL_AWAIT === undefined) return undefined;
  const previous = previousFile as ParsedFile;
  const statements = previous.statements;
  // Import.meta anywhere makes module detection walk the tree; such files take the full path.
  if (previous.flags & IMPORT_META) return undefined;
  // A module with `await` outside functions: the parser reads the statements from the first such one
  // again, as if in an async function, until a statement ends where an old one began, so whether a
  // statement after the edit is read that way depends on the statements before it.
  // (The statements read again carry the await context; the file's flag of a possible one is gone by then.)
  if (previous.externalModuleIndicator && statements.some((s) => s.flags & AWAIT_CONTEXT)) return undefined;
  const touched = touchedBy(statements, edit);
  if (!touched) return undefined;
  const { first, last } = touched;
  // A long statement (an IIFE or class of hundreds of lines) re-parses around the edit, inside it.
  if (statements[last]!.end - statements[first]!.pos > (tuning.longestStatement ?? LONGEST_FRAGMENT)) {
    const inside = first === last ? reparseInside(previous, newText, edit, parseOptions, first) : undefined;
    if (inside) {
      reparseCounts.inside++;
      return inside;
    }
    // Otherwise (a keyword typed into, an edit in a parameter list) the whole statement is parsed, as
    // a short one is, rather than going to `ts.updateSourceFile`, which also mutates the previous
    // tree's nodes: through the server, the slowest of the bench's edits fell from 40-45 to 33-38 ms.
  }
  // The first statement stays with the full path: comments at the top of a file are pragmas.
  if (first === 0) return undefined;
  // The statements the edit touched, or, where their new text does not end at a boundary of its own,
  // with the statements after them: a keyword restored (`funxction` → `function`) joins again what its
  // typo had split into several statements (the name and parameters, then the body as a block). The
  // checks are the same whatever the range; it grows while it stays short.
  for (let until = last; ; until = Math.min(statements.length - 1, until + Math.max(1, until - last))) {
    if (until > last && statements[until]!.end - statements[first]!.pos > (tuning.longestStatement ?? LONGEST_FRAGMENT)) return undefined;
    const replaced = statementsReparsed(previous, newText, edit, parseOptions, first, until);
    if (replaced !== RUNS_ON || until === statements.length - 1) return replaced === RUNS_ON ? undefined : replaced;
  }
}

/** The statements' new text parsed cleanly up to its end, where it did not end as a statement does: it may go on with the next ones. */
const RUNS_ON = 'runs on';

/**
 * `reparseStatements` for the statements `first..last`: undefined when their new text cannot be proven
 * to parse as in the file, RUNS_ON when it parsed cleanly but did not end as statements do there.
 */
function statementsReparsed(previous: ParsedFile, newText: string, edit: Edit, parseOptions: ts.CreateSourceFileOptions, first: number, last: number): ts.SourceFile | typeof RUNS_ON | undefined {
  const statements = previous.statements;
  const candidate = fragmentIn(previous, statements, first, last, edit, STATEMENTS);
  if (!candidate) return undefined;
  const stay = oldErrorsStay(previous, candidate, statements[first - 1]!.pos);
  if (stay !== true) return stay || undefined;
  const parsed = parseFragment(previous, newText, candidate, parseOptions, '', '');
  if (!parsed) return undefined;
  // Typing leaves a word where the parser expected another (`returnx value;`): such errors are fine inside
  // the fragment, where the parser recovers the same way in context. Not any other kind (a string or
  // comment left open would read on past the fragment in the file), and not one at its last token or end:
  // the parser ran out of text (`function` alone, an unclosed brace), where the statements after it may go on.
  const errors = parsed.file.parseDiagnostics;
  if (errors.some((e) => !WORD_OUT_OF_PLACE.has(e.code))) return undefined;
  if (errors.some((e) => e.start >= parsed.text.length - 1)) return RUNS_ON;
  const elements = parsed.file.statements;
  if (!fitsInPlace(candidate, parsed, elements, STATEMENTS)) return RUNS_ON;
  // Module or script, as a fresh parse decides; a change of kind re-reads `await` elsewhere.
  const list = withReplaced(statements, first, last, elements);
  const indicator = isFileProbablyExternalModule!({ statements: list, flags: 0 } as unknown as ts.SourceFile);
  if (!indicator !== !previous.externalModuleIndicator) return undefined;
  for (const s of elements) move(s, candidate.start);
  return assemble(previous, newText, { statements: list, movedFrom: last + 1, indicator, delta: candidate.delta, fragment: parsed.file, fragmentOffset: candidate.start, start: candidate.start, oldEnd: candidate.oldEnd, errorsAfter: candidate.next.start });
}

/** For tests: which statements count as long (every one, to test the path inside them). */
export interface ReparseTuning {
  longestStatement?: number;
}

/** How many re-parses went inside a long statement since the process started (read by tests). */
export const reparseCounts = { inside: 0 };

/** `statements` with `first..last` replaced by `replacement`. */
function withReplaced(statements: ts.NodeArray<ts.Statement>, first: number, last: number, replacement: readonly ts.Statement[]): ts.Statement[] {
  const list: ts.Statement[] = [];
  for (let k = 0; k < first; k++) list.push(statements[k]!);
  for (const s of replacement) list.push(s);
  for (let k = last + 1; k < statements.length; k++) list.push(statements[k]!);
  return list;
}

/**
 * The old parse errors: those in the fragment go with it; the others move with the text around it,
 * unless one sits where it could belong to either side of the fragment (from `before`, the start of
 * the element before, to the fragment's first token; from its end to the token after it), or points
 * into the fragment. RUNS_ON for one between its end and the token after it, which a fragment taking in
 * the elements after it holds.
 */
function oldErrorsStay(previous: ParsedFile, fragment: Fragment, before: number): boolean | typeof RUNS_ON {
  const errors = previous.parseDiagnostics;
  if (!errors?.length) return true;
  const firstTokenStart = skipTrivia(previous.text, fragment.start);
  const inside = (start: number | undefined) => start !== undefined && start >= fragment.start && start < fragment.oldEnd;
  let after = false;
  for (const e of errors) {
    // (A misspelt keyword, `funxction f`, is reported at the statement's own first token: it is the fragment's.)
    if (e.start >= before && e.start <= firstTokenStart && !(e.code === UNKNOWN_KEYWORD && e.start === firstTokenStart)) return false;
    if (!inside(e.start) && e.relatedInformation?.some((r) => inside(r.start))) return false;
    // One at the fragment's end (`funxction f` is read as `funxction;` `f`): with the statements after it, it is inside.
    if (e.start >= fragment.oldEnd && e.start <= fragment.next.start) after = true;
  }
  return after ? RUNS_ON : true;
}

/** What a list's elements are, for the checks at their boundaries. */
interface ListKind {
  /** Class members, which take no ASI at their boundaries here (`static`, `get` on a line of their own modify the next member). */
  members: boolean;
}
const STATEMENTS: ListKind = { members: false };
const MEMBERS: ListKind = { members: true };

/** Elements `first..last` of a statement or member list, as the text an edit turns them into. */
interface Fragment {
  /** Where the elements start (their leading trivia included) and ended before the edit. */
  start: number;
  oldEnd: number;
  delta: number;
  /** Whether an element follows them in the list (else the list's end does). */
  followed: boolean;
  /** The token after them, in the old text. */
  next: Token;
}

/**
 * The elements an edit touched, when the tokens at their boundaries scan cleanly (a scanning error
 * marks the node the parser finishes next) and the element before them ends whatever they turn into.
 */
function fragmentIn(previous: ParsedFile, list: ts.NodeArray<ts.Node>, first: number, last: number, edit: Edit, kind: ListKind): Fragment | undefined {
  const oldText = previous.text;
  const start = list[first]!.pos;
  const oldEnd = list[last]!.end;
  if (edit.start < start || edit.end > oldEnd) return undefined;
  const firstToken = tokenAt(oldText, start, previous.languageVariant);
  const nextToken = tokenAt(oldText, oldEnd, previous.languageVariant);
  if (firstToken.failed || nextToken.failed) return undefined;
  if (first > 0 && !endsDefinitively(list[first - 1] as ts.Statement, oldText)) {
    // Ended by a line break (ASI) before a token that could not go on with it, which the edit leaves as it is.
    if (kind.members || !firstToken.afterLineBreak || !STARTS_ITS_OWN_STATEMENT.has(firstToken.kind) || edit.start <= firstToken.end) return undefined;
  }
  return { start, oldEnd, delta: edit.newText.length - (edit.end - edit.start), followed: last + 1 < list.length, next: nextToken };
}

interface ParsedFragment {
  file: ParsedFile;
  /** The text parsed: the fragment inside its wrapper. */
  text: string;
  /** The fragment's own text. */
  own: string;
}

function parseFragment(previous: ParsedFile, newText: string, fragment: Fragment, parseOptions: ts.CreateSourceFileOptions, prefix: string, suffix: string): ParsedFragment | undefined {
  const own = newText.slice(fragment.start, fragment.oldEnd + fragment.delta);
  // Only the first character of a file can start a shebang, and a conflict marker only a line.
  const c0 = own.charCodeAt(0);
  if (c0 === 35 /* # */ || c0 === 60 /* < */ || c0 === 61 /* = */ || c0 === 62 /* > */ || c0 === 124 /* | */) return undefined;
  if (tokenAt(own, 0, previous.languageVariant).failed) return undefined;
  const text = prefix + own + suffix;
  let file: ParsedFile;
  try {
    file = createSourceFile(previous.fileName, text, parseOptions, /*setParentNodes*/ false, previous.scriptKind) as ParsedFile;
  } catch {
    // The compiler's parser fails an assertion on a few texts (TypeScript 5.9: `@dec() await p;`);
    // parsed alone, a fragment can be one of them where the file is not.
    return undefined;
  }
  // `await` outside functions reads differently in a module, which the fragment alone may not be.
  if (file.transformFlags & POSSIBLE_TOP_LEVEL_AWAIT! || file.flags & IMPORT_META) return undefined;
  return { file, text, own };
}

/** The new elements fill the fragment's place exactly, and end whatever follows them. */
function fitsInPlace(fragment: Fragment, parsed: ParsedFragment, elements: ts.NodeArray<ts.Node>, kind: ListKind): boolean {
  if (elements.length === 0) return false;
  const newLast = elements[elements.length - 1]!;
  if (newLast.end !== elements.end || elements.end - elements.pos !== parsed.own.length) return false;
  if (openRegexFrom(elements, elements.pos + lastLineStart(parsed.own))) return false;
  if (!fragment.followed || endsDefinitively(newLast as ts.Statement, parsed.text)) return true;
  if (kind.members || !fragment.next.afterLineBreak || !STARTS_ITS_OWN_STATEMENT.has(fragment.next.kind)) return false;
  // A declaration list ending in a comma (`var a = 1,`) goes on with the next line in the file; alone,
  // or before the wrapper's `}`, the parser ends it there without an error.
  if (parsed.own.charCodeAt(parsed.own.length - 1) === 44 /* , */) return false;
  // `let` then a name on the next line is one declaration, where the fragment alone ends at `let`.
  return !/(^|[^\w$])let$/.test(parsed.own.slice(-4));
}

/** Where the last line of `text` starts. */
function lastLineStart(text: string): number {
  for (let k = text.length - 1; k >= 0; k--) {
    const c = text.charCodeAt(k);
    if (c === 10 || c === 13 || c === 0x2028 || c === 0x2029) return k + 1;
  }
  return 0;
}

/**
 * A regular expression left open on the last line (`/{};` typed into `export {};`): the parser reads
 * it without an error, to the end of the line, which in the file is past the fragment's end.
 */
function openRegexFrom(nodes: ts.NodeArray<ts.Node>, from: number): boolean {
  const visit = (node: ts.Node): true | undefined => {
    if (node.end < from) return undefined;
    if (node.kind === SyntaxKind.RegularExpressionLiteral && (node as ts.LiteralLikeNode).isUnterminated) return true;
    return forEachChild(node, visit);
  };
  for (let k = nodes.length - 1; k >= 0 && nodes[k]!.end >= from; k--) if (visit(nodes[k]!)) return true;
  return false;
}

/** Context flags a wrapper can give: `await` and `yield` read as in an async function, a generator. */
const AWAIT_CONTEXT = INTERNAL_NODE_FLAGS.AwaitContext ?? 0;
const YIELD_CONTEXT = INTERNAL_NODE_FLAGS.YieldContext ?? 0;
const CONTEXT_FLAGS = INTERNAL_NODE_FLAGS.ContextFlags ?? 0;
const LAZY_ERROR_FLAGS = (INTERNAL_NODE_FLAGS.HasAggregatedChildData ?? 0) | (INTERNAL_NODE_FLAGS.ThisNodeOrAnySubNodesHasError ?? 0);
const WRAPPABLE_CONTEXT = AWAIT_CONTEXT | YIELD_CONTEXT | (INTERNAL_NODE_FLAGS.JavaScriptFile ?? 0);

/** A statement or member list that holds an edit, and the nodes from the top-level statement down to its owner. */
interface InnerList {
  spine: ts.Node[];
  list: ts.NodeArray<ts.Node>;
  first: number;
  last: number;
  kind: ListKind;
}

/** The statement and member lists under `top` whose elements hold the edit, outermost first. */
function listsAround(top: ts.Node, edit: Edit): InnerList[] {
  const found: InnerList[] = [];
  const spine: ts.Node[] = [];
  let node: ts.Node | undefined = top;
  const holds = (n: Positioned) => n.pos <= edit.start && edit.end <= n.end;
  while (node) {
    spine.push(node);
    const list = node.kind === SyntaxKind.Block ? (node as ts.Block).statements : node.kind === SyntaxKind.ClassDeclaration || node.kind === SyntaxKind.ClassExpression ? (node as ts.ClassLikeDeclaration).members : undefined;
    const touched = list && touchedBy(list, edit);
    if (touched) found.push({ spine: [...spine], list: list!, ...touched, kind: node.kind === SyntaxKind.Block ? STATEMENTS : MEMBERS });
    let inner: ts.Node | undefined;
    forEachChild(
      node,
      (child) => (holds(child) ? (inner = child) : undefined),
      (children) => {
        if (!holds(children)) return undefined;
        for (const child of children) if (holds(child)) return (inner = child);
        return undefined;
      },
    );
    node = inner;
  }
  return found;
}

/**
 * An edit inside one long top-level statement: the statements or class members around it parse on
 * their own, wrapped in a function or class that gives them the context they were read in, and the
 * nodes from the top-level statement down to their list are copied with the new list (the previous
 * tree stays as it was, so the analysis sees a new top-level statement).
 */
function reparseInside(previous: ParsedFile, newText: string, edit: Edit, parseOptions: ts.CreateSourceFileOptions, index: number): ts.SourceFile | undefined {
  const top = previous.statements[index]!;
  const lists = listsAround(top, edit);
  for (let k = lists.length - 1; k >= 0; k--) {
    const inner = lists[k]!;
    const { list, first, last, kind } = inner;
    if (list[last]!.end - list[first]!.pos > LONGEST_FRAGMENT) return undefined;
    const context = list[first]!.flags & CONTEXT_FLAGS;
    if (context & ~WRAPPABLE_CONTEXT) continue;
    const fragment = fragmentIn(previous, list, first, last, edit, kind);
    // An old parse error in the element before (or, for a list's first elements, in the statement before
    // this one) marks the next node the parser finishes, which can be in the fragment.
    if (!fragment || oldErrorsStay(previous, fragment, first > 0 ? list[first - 1]!.pos : index > 0 ? previous.statements[index - 1]!.pos : 0) !== true) continue;
    const fn = `(${context & AWAIT_CONTEXT ? 'async ' : ''}function${context & YIELD_CONTEXT ? '*' : ''}(){`;
    const inFunction = kind === STATEMENTS || (context & (AWAIT_CONTEXT | YIELD_CONTEXT)) !== 0;
    const prefix = kind === STATEMENTS ? fn : `${inFunction ? fn : ''}(class{`;
    const suffix = kind === STATEMENTS ? '})' : inFunction ? '})})' : '})';
    const parsed = parseFragment(previous, newText, fragment, parseOptions, prefix, suffix);
    // None: the parser's recovery from an error looks at every list it is in, and the wrapper has
    // none of those around the fragment in the file (a fragment read without error reads the same).
    if (!parsed || parsed.file.parseDiagnostics.length > 0) continue;
    const elements = wrappedList(parsed.file, kind, inFunction);
    if (!elements || elements.pos !== prefix.length || !fitsInPlace(fragment, parsed, elements, kind)) continue;
    if (elements.some((e) => (e.flags & CONTEXT_FLAGS) !== context)) continue;
    const links = linksOf(inner);
    if (!links) return undefined;
    // Nothing of the previous tree has changed up to here: declining leaves it to the fallback as it was.
    const offset = fragment.start - prefix.length;
    for (const e of elements) move(e, offset);
    const replacement = copySpine(inner, links, elements, fragment.delta, parsed.file.transformFlags) as ts.Statement;
    // The copy keeps the statement's kind and modifiers, and `import.meta` declined: still a module, or a script.
    const indicator = previous.externalModuleIndicator === top ? replacement : previous.externalModuleIndicator;
    return assemble(previous, newText, { statements: withReplaced(previous.statements, index, index, [replacement]), movedFrom: index + 1, indicator, delta: fragment.delta, fragment: parsed.file, fragmentOffset: offset, start: fragment.start, oldEnd: fragment.oldEnd, errorsAfter: fragment.next.start });
  }
  return undefined;
}

/** The list the wrapper holds, if the fragment left the wrapper as it was: `(function(){…})` or `(class{…})`, maybe in a function. */
function wrappedList(file: ts.SourceFile, kind: ListKind, inFunction: boolean): ts.NodeArray<ts.Node> | undefined {
  const only = (statements: ts.NodeArray<ts.Statement>): ts.Node | undefined => {
    const s = statements.length === 1 ? statements[0]! : undefined;
    if (!s || s.kind !== SyntaxKind.ExpressionStatement) return undefined;
    const p = (s as ts.ExpressionStatement).expression;
    return p.kind === SyntaxKind.ParenthesizedExpression ? (p as ts.ParenthesizedExpression).expression : undefined;
  };
  let node = only(file.statements);
  if (inFunction) {
    if (node?.kind !== SyntaxKind.FunctionExpression) return undefined;
    const body = (node as ts.FunctionExpression).body;
    if (kind === STATEMENTS) return body.statements;
    node = only(body.statements);
  }
  return node?.kind === SyntaxKind.ClassExpression ? (node as ts.ClassExpression).members : undefined;
}

type NodeConstructor = new (kind: ts.SyntaxKind, pos: number, end: number) => ts.Node;

/** A copy of `node` with the parser's fields (the constructor's own are set by it, then overwritten where they matter). */
function copyOf(node: ts.Node): Mutable<ts.Node> & { transformFlags: number } {
  const copy = new (node.constructor as NodeConstructor)(node.kind, node.pos, node.end) as Mutable<ts.Node> & { transformFlags: number };
  copyMissingFields(node, copy);
  copy.flags = node.flags;
  copy.transformFlags = (node as unknown as { transformFlags: number }).transformFlags;
  (copy as unknown as { modifierFlagsCache: number }).modifierFlagsCache = (node as unknown as { modifierFlagsCache: number }).modifierFlagsCache;
  return copy;
}

/** A copy of `array` with `elements`, at its place. */
function arrayLike(array: ts.NodeArray<ts.Node>, elements: ts.Node[], delta: number): ts.NodeArray<ts.Node> {
  const copy = ts.factory.createNodeArray(elements, array.hasTrailingComma) as unknown as Positioned;
  copy.pos = array.pos;
  copy.end = array.end + delta;
  return copy as unknown as ts.NodeArray<ts.Node>;
}

/** Where a node of the spine holds the next one down: a field, or an element of a node array field. */
interface Link {
  key: string;
  index?: number;
}

/** The links from each node of the spine to the next one, and to the list; undefined if one is not found. */
function linksOf(inner: InnerList): Link[] | undefined {
  const { spine, list } = inner;
  const links: Link[] = [];
  for (let k = 0; k < spine.length; k++) {
    const fields = spine[k] as unknown as Record<string, unknown>;
    const target: unknown = k + 1 < spine.length ? spine[k + 1] : list;
    let link: Link | undefined;
    for (const key in fields) {
      if (key === 'parent' || !Object.prototype.hasOwnProperty.call(fields, key)) continue;
      const value = fields[key];
      if (value === target) link = { key };
      else if (k + 1 < spine.length && Array.isArray(value) && value.includes(target)) link = { key, index: value.indexOf(target) };
      if (link) break;
    }
    if (!link) return undefined;
    links.push(link);
  }
  return links;
}

/**
 * New nodes from the top-level statement down to the list's owner, the list with `elements` in place
 * of the old ones, and everything after them moved. The old nodes keep their fields (the nodes after
 * the edit, shared by both trees, move).
 */
function copySpine(inner: InnerList, links: readonly Link[], elements: ts.NodeArray<ts.Node>, delta: number, transformFlags: number): ts.Node {
  const { spine, list, first, last } = inner;
  for (let k = last + 1; k < list.length; k++) move(list[k]!, delta);
  let below: unknown = arrayLike(list, [...list.slice(0, first), ...elements, ...list.slice(last + 1)], delta);
  for (let k = spine.length - 1; k >= 0; k--) {
    const original = spine[k]!;
    const { key, index } = links[k]!;
    const copy = copyOf(original);
    const fields = copy as unknown as Record<string, unknown>;
    if (index === undefined) {
      fields[key] = below;
    } else {
      const array = fields[key] as ts.NodeArray<ts.Node>;
      for (let j = index + 1; j < array.length; j++) move(array[j]!, delta);
      fields[key] = arrayLike(array, [...array.slice(0, index), below as ts.Node, ...array.slice(index + 1)], delta);
    }
    // The owner's list is its last child; an ancestor's children after the edited one move.
    if (k + 1 < spine.length) {
      const after = spine[k + 1]!.end;
      forEachChild(
        original,
        (child) => (child.pos >= after && child !== spine[k + 1] ? move(child, delta) : undefined),
        (children) => {
          if (children.pos < after) return undefined;
          (children as unknown as Positioned).pos += delta;
          (children as unknown as Positioned).end += delta;
          for (const child of children) move(child, delta);
          return undefined;
        },
      );
    }
    copy.end += delta;
    copy.transformFlags |= transformFlags;
    // Whether anything under it has a parse error is worked out again when asked (the compiler's
    // incremental parser asks, to reuse only nodes without one).
    copy.flags &= ~LAZY_ERROR_FLAGS;
    // The children kept point to the old node, whose positions no longer hold (the compiler's
    // incremental parser checks a child's range against its parent's).
    forEachChild(copy, (child) => void ((child as Mutable<ts.Node>).parent = copy));
    below = copy;
  }
  return below as ts.Node;
}

interface Assembly {
  /** The new file's top-level statements (the new ones already at their place in the new text). */
  statements: ts.Statement[];
  /** The first of the previous file's statements after the replaced ones, which move with the edit. */
  movedFrom: number;
  /** The new file's module indicator (its first import or export). */
  indicator: ts.Node | undefined;
  delta: number;
  /** The fragment's own parse: its errors, comment directives and names, `fragmentOffset` characters off. */
  fragment: ParsedFile;
  fragmentOffset: number;
  /** The old text that was re-parsed; old errors past `errorsAfter` move with the text after it. */
  start: number;
  oldEnd: number;
  errorsAfter: number;
}

/** The new file: the previous file's fields (the parser's, in its order), with what the edit changed. */
function assemble(previous: ParsedFile, newText: string, a: Assembly): ts.SourceFile {
  const statements = previous.statements;
  const { delta, fragment, statements: list } = a;

  const next = new sourceFileConstructor!(SyntaxKind.SourceFile, 0, newText.length) as ParsedFile;
  copyMissingFields(previous, next);
  next.flags = previous.flags | (fragment.flags & DYNAMIC_IMPORT);
  next.transformFlags = previous.transformFlags | fragment.transformFlags;
  next.text = newText;
  next.lineMap = undefined;
  next.bindDiagnostics = [];
  next.externalModuleIndicator = a.indicator;

  if (delta !== 0) for (let k = a.movedFrom; k < statements.length; k++) move(statements[k]!, delta);
  const array = ts.factory.createNodeArray(list) as unknown as Positioned;
  array.pos = statements.pos;
  array.end = statements.end + delta;
  next.statements = array as unknown as ts.NodeArray<ts.Statement>;
  const eof = previous.endOfFileToken as Mutable<ts.EndOfFileToken>;
  if (delta !== 0) move(eof, delta);
  next.endOfFileToken = eof;
  for (const s of list) (s as Mutable<ts.Node>).parent = next;
  eof.parent = next;

  const oldErrors = previous.parseDiagnostics;
  const errors: ts.DiagnosticWithLocation[] = [];
  const fromOldText = (p: number) => (p < a.start ? p : p + delta);
  const fromFragment = (p: number) => p + a.fragmentOffset;
  for (const e of oldErrors ?? []) if (e.start < a.start) errors.push(moved(e, next, fromOldText));
  for (const e of fragment.parseDiagnostics) errors.push(moved(e, next, fromFragment));
  for (const e of oldErrors ?? []) if (e.start > a.errorsAfter) errors.push(moved(e, next, fromOldText));
  next.parseDiagnostics = errors;
  const directives = previous.commentDirectives;
  const fragmentDirectives = fragment.commentDirectives;
  if (directives || fragmentDirectives) {
    const all: CommentDirective[] = [];
    for (const d of directives ?? []) if (d.range.end <= a.start) all.push(d);
    for (const d of fragmentDirectives ?? []) all.push({ type: d.type, range: { pos: d.range.pos + a.fragmentOffset, end: d.range.end + a.fragmentOffset } });
    for (const d of directives ?? []) if (d.range.pos >= a.oldEnd) all.push({ type: d.type, range: { pos: d.range.pos + delta, end: d.range.end + delta } });
    next.commentDirectives = all.length ? all : undefined;
  }
  const identifiers = previous.identifiers;
  const fragmentIdentifiers = fragment.identifiers;
  // The compiler's name table (no position in it); names the edit removed stay, as after `ts.updateSourceFile`.
  if (identifiers && fragmentIdentifiers) for (const [k, v] of fragmentIdentifiers) identifiers.set(k, v);
  return next;
}

/**
 * A parse error of another tree, for `file`, with its positions mapped (the places it points to can
 * be on the other side of the edit).
 */
function moved(e: ts.DiagnosticWithLocation, file: ts.SourceFile, map: (position: number) => number): ts.DiagnosticWithLocation {
  const related = e.relatedInformation?.map((r) => ({ ...r, file, start: r.start === undefined ? undefined : map(r.start) }));
  return { ...e, file, start: map(e.start), ...(related ? { relatedInformation: related } : {}) };
}
