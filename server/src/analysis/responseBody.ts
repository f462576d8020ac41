// Is this response's body consumed (read, cancelled, resumed, dumped, piped) on every path, or
// handed to someone who will? HTTP/1.1 can reuse a connection only after the whole previous
// response has been read: undici keeps a connection whose body nobody reads checked out until the
// Response is garbage-collected, and Node's http client pauses the socket forever.
//
// The analysis follows one response value through the function that receives it: a may-analysis
// over the structured control flow (if/else, switch, loops with break/continue, try/catch/finally,
// early returns and throws, `a ? b : c`, `a && b`) that records every exit where the response is
// still live and unconsumed. Whatever it cannot follow (a labelled jump, an alias, a promise kept in
// a variable) ends the analysis with `not-analysed`: rules stay silent rather than guess.
import ts = require('typescript');
import { scopeAt } from './agents';
import type { FileModel } from './fileModel';
import { localFunction } from './localCalls';
import { RequestHandoffs } from './requestHandoffs';
import { unwrapExpression } from './resolve';
import type { Binding } from './scope';
import type { NetworkCall } from './types';
import { objectLiteralOf } from './values';

// The compiler's exports are getters (a call per read); bind the functions used here once.
const { forEachChild, isArrayLiteralExpression, isArrowFunction, isAsExpression, isAwaitExpression, isBinaryExpression, isBindingElement, isBlock, isBreakOrContinueStatement, isCallExpression, isCaseClause, isClassDeclaration, isClassLike, isConditionalExpression, isDefaultClause, isDoStatement, isElementAccessExpression, isExportSpecifier, isExpressionStatement, isForInStatement, isForOfStatement, isForStatement, isFunctionDeclaration, isFunctionExpression, isFunctionLike, isGetAccessor, isIdentifier, isIfStatement, isImportSpecifier, isLabeledStatement, isMethodDeclaration, isModuleBlock, isNewExpression, isNonNullExpression, isNumericLiteral, isObjectBindingPattern, isParameter, isParenthesizedExpression, isPrefixUnaryExpression, isPropertyAccessExpression, isPropertyAssignment, isPropertyDeclaration, isQualifiedName, isReturnStatement, isSatisfiesExpression, isSetAccessor, isShorthandPropertyAssignment, isSourceFile, isSpreadElement, isStatement, isStringLiteral, isStringLiteralLike, isTemplateSpan, isTypeAssertionExpression, isTypeOfExpression, isVariableDeclaration, isVariableDeclarationList, isVariableStatement, isVoidExpression, isWhileStatement, isYieldExpression } = ts;

/** How the response reaches the code: a fetch `Response`, undici's `{ statusCode, headers, body }`, or Node's `IncomingMessage`. */
export type ResponseKind = 'fetch' | 'undici' | 'node';

export type LeakReason =
  /** A `return` while the body is unread. */
  | 'return'
  | 'throw'
  /** `continue`/`break` out of the block that holds the response. */
  | 'continue'
  | 'break'
  /** The end of the function or block that holds the response. */
  | 'end'
  /** The response is never kept (`await fetch(u);`, `(await fetch(u)).ok`, destructuring without `body`). */
  | 'dropped'
  /** The variable gets a new value while the old response is unread. */
  | 'reassigned'
  /** A response callback that takes no response parameter. */
  | 'ignored';

export interface BodyLeak {
  reason: LeakReason;
  /** The statement (or function, or block) where the response is lost. */
  node: ts.Node;
}

export interface ResponseHolder {
  /** The variable that holds the response (or its body). */
  name: string;
  /** Whether the variable holds the whole response or only its body stream. */
  holds: 'response' | 'body';
  /** The function (or source file) whose body the analysis covered. */
  fn: ts.Node;
}

export type BodyFate =
  | { state: 'consumed' }
  /** Returned, passed on or stored: the receiver owns the body now. */
  | { state: 'handed-off' }
  /** A HEAD request: no body to read. */
  | { state: 'no-body' }
  | { state: 'not-analysed' }
  | { state: 'leaks'; kind: ResponseKind; holder?: ResponseHolder; leaks: BodyLeak[] };

const FETCH_LIBRARIES = new Set(['fetch', 'node-fetch']);
const UNDICI_RESPONSE_DATA_APIS = new Set(['undici.request', 'dispatcher.request']);

export function responseKind(call: NetworkCall): ResponseKind | undefined {
  if (call.role !== 'request') return undefined;
  if (FETCH_LIBRARIES.has(call.library) || call.api === 'undici.fetch') return 'fetch';
  if (UNDICI_RESPONSE_DATA_APIS.has(call.api)) return 'undici';
  if ((call.library === 'node:http' || call.library === 'node:https') && /\.(request|get)$/.test(call.api)) return 'node';
  return undefined;
}

class Bail extends Error {}

// ------------------------------------------------------------------------------------------------
// Classifying the uses of the response variable.

type Use = 'consume' | 'inspect' | 'reassign';

const INSPECT: Record<ResponseKind, Set<string>> = {
  fetch: new Set(['ok', 'status', 'statusText', 'headers', 'url', 'redirected', 'type', 'bodyUsed', 'size', 'timeout']),
  undici: new Set(['statusCode', 'headers', 'trailers', 'opaque', 'context']),
  node: new Set(['statusCode', 'statusMessage', 'headers', 'headersDistinct', 'rawHeaders', 'httpVersion', 'httpVersionMajor', 'httpVersionMinor', 'trailers', 'rawTrailers', 'url', 'method', 'complete', 'aborted', 'readableEnded', 'destroyed']),
};
/** Listener events that do not start the flow of data. */
const PASSIVE_EVENTS = new Set(['end', 'error', 'close', 'aborted', 'pause']);
const LISTEN_METHODS = new Set(['on', 'once', 'addListener', 'prependListener', 'prependOnceListener']);
/** Stream methods that neither read nor discard data. */
const PASSIVE_STREAM_METHODS = new Set(['setEncoding', 'pause', 'isPaused', 'setTimeout', 'removeListener', 'removeAllListeners', 'off', 'listenerCount', 'listeners', 'emit', 'unpipe']);
const PASSIVE_BODY_PROPS = new Set(['locked', 'readable', 'readableEnded', 'destroyed', 'bodyUsed', 'closed']);
const RELEASE_SOCKET_METHODS = new Set(['destroy', 'end', 'resetAndDestroy']);

function skipWrappers(node: ts.Node): ts.Node {
  let n = node;
  while (n.parent && (isParenthesizedExpression(n.parent) || isNonNullExpression(n.parent) || isAsExpression(n.parent) || isSatisfiesExpression(n.parent) || isTypeAssertionExpression(n.parent))) n = n.parent;
  return n;
}

/** An expression whose value only feeds a test (`if (!res)`, `res && …` in a condition). */
function isTested(node: ts.Node): boolean {
  // Iterative over `a && b && …` chains, which generated code nests thousands deep.
  for (let n = node, steps = 0; steps < 64; steps++) {
    const verdict = testedStep(n);
    if (verdict !== 'climb') return verdict;
    n = skipWrappers(n.parent!);
  }
  return false;
}

function testedStep(node: ts.Node): boolean | 'climb' {
  const p = node.parent;
  if (!p) return false;
  if ((isIfStatement(p) || isWhileStatement(p) || isDoStatement(p)) && p.expression === node) return true;
  if (isConditionalExpression(p) && p.condition === node) return true;
  if (isForStatement(p) && p.condition === node) return true;
  if (isPrefixUnaryExpression(p) && p.operator === ts.SyntaxKind.ExclamationToken) return true;
  if (isTypeOfExpression(p) || isVoidExpression(p)) return true;
  if (isBinaryExpression(p)) {
    const op = p.operatorToken.kind;
    if (op === ts.SyntaxKind.EqualsEqualsEqualsToken || op === ts.SyntaxKind.ExclamationEqualsEqualsToken || op === ts.SyntaxKind.EqualsEqualsToken || op === ts.SyntaxKind.ExclamationEqualsToken) return true;
    if (op === ts.SyntaxKind.InstanceOfKeyword && p.left === node) return true;
    if (op === ts.SyntaxKind.AmpersandAmpersandToken && p.left === node) return true;
    if (op === ts.SyntaxKind.AmpersandAmpersandToken || op === ts.SyntaxKind.BarBarToken) return 'climb';
  }
  if (isParenthesizedExpression(p)) return 'climb';
  return false;
}

/** The name of `x.name` / `x['name']`, if `node` is the object of such an access. */
function accessedName(node: ts.Node): { access: ts.Expression; name?: string } | undefined {
  const p = node.parent;
  if (p && isPropertyAccessExpression(p) && p.expression === node) return { access: p, name: p.name.text };
  if (p && isElementAccessExpression(p) && p.expression === node) return { access: p, name: isStringLiteralLike(p.argumentExpression) ? p.argumentExpression.text : undefined };
  return undefined;
}

function calledMethod(access: ts.Expression): ts.CallExpression | undefined {
  const p = skipWrappers(access).parent;
  return p && isCallExpression(p) && skipWrappers(p.expression) === skipWrappers(access) ? p : undefined;
}

function isPassiveListener(call: ts.CallExpression): boolean {
  const ev = call.arguments[0];
  return !!ev && isStringLiteralLike(ev) && PASSIVE_EVENTS.has(ev.text);
}

/** How one occurrence of the body stream is used. */
function classifyBody(node: ts.Node): Use {
  const n = skipWrappers(node);
  if (isTested(n)) return 'inspect';
  const acc = accessedName(n);
  if (acc) {
    if (acc.name && PASSIVE_BODY_PROPS.has(acc.name)) return 'inspect';
    const call = calledMethod(acc.access);
    if (call && acc.name && LISTEN_METHODS.has(acc.name)) return isPassiveListener(call) ? 'inspect' : 'consume';
    if (call && acc.name && PASSIVE_STREAM_METHODS.has(acc.name)) return 'inspect';
  }
  return 'consume';
}

/** How one occurrence of the response variable is used. */
function classifyResponse(node: ts.Node, kind: ResponseKind): Use {
  const n = skipWrappers(node);
  if (isTested(n)) return 'inspect';
  const acc = accessedName(n);
  if (!acc) {
    const p = n.parent;
    if (p && isTemplateSpan(p)) return 'inspect';
    return 'consume';
  }
  const name = acc.name;
  if (name === undefined) return 'consume';
  if (INSPECT[kind].has(name)) return 'inspect';
  if (name === 'body' && kind !== 'node') return classifyBody(acc.access);
  if (kind === 'node') {
    if (name === 'socket' || name === 'connection' || name === 'req') {
      const inner = accessedName(skipWrappers(acc.access));
      if (inner?.name && (RELEASE_SOCKET_METHODS.has(inner.name) || inner.name === 'abort') && calledMethod(inner.access)) return 'consume';
      return 'inspect';
    }
    const call = calledMethod(acc.access);
    if (call && LISTEN_METHODS.has(name)) return isPassiveListener(call) ? 'inspect' : 'consume';
    if (call && PASSIVE_STREAM_METHODS.has(name)) return 'inspect';
  }
  return 'consume';
}

/** Identifiers that name a variable (not a property name, a declaration or a label). */
function isReference(id: ts.Identifier): boolean {
  const p = id.parent;
  if (!p) return false;
  if ((isPropertyAccessExpression(p) || isQualifiedName(p)) && (p as ts.PropertyAccessExpression).name === id) return false;
  if ((isPropertyAssignment(p) || isMethodDeclaration(p) || isPropertyDeclaration(p) || isGetAccessor(p) || isSetAccessor(p)) && p.name === id) return false;
  if (isBindingElement(p) && (p.propertyName === id || p.name === id)) return false;
  if ((isVariableDeclaration(p) || isParameter(p) || isFunctionDeclaration(p) || isFunctionExpression(p) || isClassDeclaration(p)) && p.name === id) return false;
  if ((isLabeledStatement(p) || isBreakOrContinueStatement(p)) && p.label === id) return false;
  if (isImportSpecifier(p) || isExportSpecifier(p)) return false;
  return true;
}

interface Refs {
  /** Offsets of uses that read, release or hand off the body. */
  consume: number[];
  /** Calls that receive the request, and so may release the response too (found only where asked). */
  handoffs?: RequestHandoffs;
  /** Offsets of writes that replace the response. */
  reassign: number[];
}

function collectRefs(model: FileModel, root: ts.Node, name: string, binding: Binding, classify: (id: ts.Identifier) => Use, releases?: HandlerReleases): Refs {
  const refs: Refs = { consume: [...(releases?.at ?? [])], reassign: [], handoffs: releases && new RequestHandoffs(model, releases.request, root) };
  // The facts' identifier index, not a walk of `root` (for a module-level variable, the whole file).
  for (const n of model.identifiersWithin(name, root)) {
    if (isReference(n) && scopeAt(model, n)?.lookup(name) === binding) {
      const p = skipWrappers(n).parent;
      const use: Use = p && isBinaryExpression(p) && p.left === skipWrappers(n) && p.operatorToken.kind === ts.SyntaxKind.EqualsToken ? 'reassign' : classify(n);
      if (use === 'consume') refs.consume.push(n.getStart());
      else if (use === 'reassign') refs.reassign.push(n.getStart());
    }
  }
  return refs;
}

// ------------------------------------------------------------------------------------------------
// The path walker.

interface LoopContext {
  kind: 'loop' | 'switch';
  node: ts.Node;
  breakLive: boolean;
  continueLive: boolean;
  /** The response is bound inside this loop: the next iteration replaces it. */
  bindsResponse: boolean;
}

interface TryContext {
  throwLive: boolean;
}

const MAX_NESTING = 200;
const within = (inner: number, node: ts.Node) => inner >= node.pos && inner < node.end;

class PathWalker {
  readonly leaks: BodyLeak[] = [];
  private readonly jumps: LoopContext[] = [];
  private readonly tries: TryContext[] = [];

  constructor(
    private readonly refs: Refs,
    /** The statement that binds the response (liveness starts after it), or undefined when live on entry. */
    private readonly start: ts.Statement | undefined,
    /** The variable holding the response: a branch where it is null holds no response. */
    private readonly name: string,
  ) {}

  private consumesIn(node: ts.Node): boolean {
    return this.refs.consume.some((p) => within(p, node)) || !!this.refs.handoffs?.anyStartingIn(node.pos, node.end);
  }

  private touches(node: ts.Node): boolean {
    return this.consumesIn(node) || this.refs.reassign.some((p) => within(p, node));
  }

  private containsStart(node: ts.Node): boolean {
    return !!this.start && this.start.pos >= node.pos && this.start.end <= node.end;
  }

  private leak(reason: LeakReason, node: ts.Node): void {
    if (!this.leaks.some((l) => l.node === node)) this.leaks.push({ reason, node });
  }

  private depth = 0;

  /** The liveness after evaluating an expression (`live` = the response may still be unread). */
  expr(node: ts.Node, live: boolean): boolean {
    if (!live || !this.touches(node)) return live;
    // Expressions nested deeper than people write them are generated code: give up rather than recurse.
    if (this.depth > MAX_NESTING) throw new Bail();
    this.depth++;
    try {
      return this.exprInner(node, live);
    } finally {
      this.depth--;
    }
  }

  private exprInner(node: ts.Node, live: boolean): boolean {
    if (isIdentifier(node)) {
      const at = node.getStart();
      if (this.refs.reassign.includes(at)) {
        this.leak('reassigned', statementOf(node));
        return false;
      }
      return !(this.refs.consume.includes(at) || this.refs.handoffs?.anyStartingIn(at, at + 1));
    }
    if (isFunctionLike(node) || isClassLike(node)) return !this.consumesIn(node);
    if (isConditionalExpression(node)) {
      const c = this.expr(node.condition, live);
      const a = this.expr(node.whenTrue, c);
      const b = this.expr(node.whenFalse, c);
      return a || b;
    }
    if (isBinaryExpression(node)) {
      const op = node.operatorToken.kind;
      if (op === ts.SyntaxKind.AmpersandAmpersandToken || op === ts.SyntaxKind.BarBarToken || op === ts.SyntaxKind.QuestionQuestionToken) {
        const l = this.expr(node.left, live);
        const r = this.expr(node.right, l);
        return l || r;
      }
    }
    let state: boolean = live;
    forEachChild(node, (child) => {
      state = this.expr(child, state);
    });
    return state;
  }

  list(statements: readonly ts.Statement[], live: boolean): boolean {
    for (const s of statements) live = this.statement(s, live);
    return live;
  }

  statement(s: ts.Statement, live: boolean): boolean {
    if (this.depth > MAX_NESTING) throw new Bail();
    this.depth++;
    try {
      return this.statementInner(s, live);
    } finally {
      this.depth--;
    }
  }

  private statementInner(s: ts.Statement, live: boolean): boolean {
    if (s === this.start) return !this.consumesIn(s);
    const hasStart = this.containsStart(s);
    if (!live && !hasStart) return false;
    switch (s.kind) {
      case ts.SyntaxKind.Block:
        return this.list((s as ts.Block).statements, live);
      case ts.SyntaxKind.ExpressionStatement: {
        const e = (s as ts.ExpressionStatement).expression;
        if (isProcessExit(e)) return false;
        return this.expr(e, live);
      }
      case ts.SyntaxKind.VariableStatement:
        return this.expr((s as ts.VariableStatement).declarationList, live);
      case ts.SyntaxKind.ReturnStatement: {
        const e = (s as ts.ReturnStatement).expression;
        if ((e ? this.expr(e, live) : live)) this.leak('return', s);
        return false;
      }
      case ts.SyntaxKind.ThrowStatement: {
        const after = this.expr((s as ts.ThrowStatement).expression, live);
        if (after) {
          const handler = this.tries[this.tries.length - 1];
          if (handler) handler.throwLive = true;
          else this.leak('throw', s);
        }
        return false;
      }
      case ts.SyntaxKind.IfStatement: {
        const i = s as ts.IfStatement;
        const c = this.expr(i.expression, live);
        // 204, 205 and 304 responses have no body: nothing to read on that branch.
        const empty = bodilessBranch(i.expression) ?? absentBranch(i.expression, this.name);
        const a = this.statement(i.thenStatement, empty === 'then' ? false : c);
        const b = i.elseStatement ? this.statement(i.elseStatement, empty === 'else' ? false : c) : empty === 'else' ? false : c;
        return a || b;
      }
      case ts.SyntaxKind.TryStatement:
        return this.tryStatement(s as ts.TryStatement, live);
      case ts.SyntaxKind.ForStatement:
      case ts.SyntaxKind.ForInStatement:
      case ts.SyntaxKind.ForOfStatement:
      case ts.SyntaxKind.WhileStatement:
      case ts.SyntaxKind.DoStatement:
        return this.loop(s as ts.IterationStatement, live);
      case ts.SyntaxKind.BreakStatement:
      case ts.SyntaxKind.ContinueStatement:
        return this.jump(s as ts.BreakOrContinueStatement, live);
      case ts.SyntaxKind.SwitchStatement:
        return this.switchStatement(s as ts.SwitchStatement, live);
      case ts.SyntaxKind.LabeledStatement:
      case ts.SyntaxKind.WithStatement:
        throw new Bail();
      case ts.SyntaxKind.FunctionDeclaration:
      case ts.SyntaxKind.ClassDeclaration:
        return live && !this.consumesIn(s);
      default:
        return live;
    }
  }

  private tryStatement(t: ts.TryStatement, live: boolean): boolean {
    const mark = this.leaks.length;
    const ctx: TryContext = { throwLive: false };
    if (t.catchClause) this.tries.push(ctx);
    const afterTry = this.statement(t.tryBlock, live);
    if (t.catchClause) this.tries.pop();
    // Only explicit throws are followed into the catch block; a call that fails on its own is not.
    const afterCatch = t.catchClause ? this.statement(t.catchClause.block, ctx.throwLive) : false;
    let after = afterTry || afterCatch;
    if (t.finallyBlock) {
      if (this.consumesIn(t.finallyBlock)) {
        this.leaks.length = mark;
        return false;
      }
      after = this.statement(t.finallyBlock, after);
    }
    return after;
  }

  private loop(l: ts.IterationStatement, live: boolean): boolean {
    let head = live;
    if (isForStatement(l)) {
      if (l.initializer) head = this.expr(l.initializer, head);
      if (l.condition) head = this.expr(l.condition, head);
    } else if (isForInStatement(l) || isForOfStatement(l)) {
      head = this.expr(l.expression, head);
    } else if (isWhileStatement(l)) {
      head = this.expr(l.expression, head);
    }
    const ctx: LoopContext = { kind: 'loop', node: l, breakLive: false, continueLive: false, bindsResponse: this.containsStart(l.statement) };
    this.jumps.push(ctx);
    const body = this.statement(l.statement, head);
    this.jumps.pop();
    if (ctx.bindsResponse && body) {
      // Falling through to the next iteration replaces the response.
      this.leak('end', l.statement);
      return ctx.breakLive;
    }
    if (isDoStatement(l)) return body || ctx.breakLive || ctx.continueLive;
    return head || body || ctx.breakLive || ctx.continueLive;
  }

  private jump(s: ts.BreakOrContinueStatement, live: boolean): boolean {
    if (s.label) throw new Bail();
    const isBreak = s.kind === ts.SyntaxKind.BreakStatement;
    let target: LoopContext | undefined;
    for (let i = this.jumps.length - 1; i >= 0; i--) {
      if (isBreak || this.jumps[i].kind === 'loop') {
        target = this.jumps[i];
        break;
      }
    }
    if (!live) return false;
    if (!target) {
      // Leaves the block that holds the response.
      this.leak(isBreak ? 'break' : 'continue', s);
    } else if (isBreak) {
      target.breakLive = true;
    } else if (target.bindsResponse) {
      this.leak('continue', s);
    } else {
      target.continueLive = true;
    }
    return false;
  }

  private switchStatement(s: ts.SwitchStatement, live: boolean): boolean {
    const entry = this.expr(s.expression, live);
    const ctx: LoopContext = { kind: 'switch', node: s, breakLive: false, continueLive: false, bindsResponse: false };
    this.jumps.push(ctx);
    let fallthrough = false;
    let hasDefault = false;
    for (const clause of s.caseBlock.clauses) {
      if (isDefaultClause(clause)) hasDefault = true;
      if (isCaseClause(clause)) this.expr(clause.expression, entry);
      fallthrough = this.list(clause.statements, entry || fallthrough);
    }
    this.jumps.pop();
    return fallthrough || ctx.breakLive || (!hasDefault && entry);
  }
}

/** `if (!res)`, `if (res == null)`: that branch has no response; `if (res)` / `res != null`: the other one. */
function absentBranch(cond: ts.Expression, name: string): 'then' | 'else' | undefined {
  const e = unwrapExpression(cond);
  // `if (req.destroyed) return`: the request (and the response's socket) is already gone.
  const gone = (x: ts.Expression) => {
    const u = unwrapExpression(x);
    return isPropertyAccessExpression(u) && (u.name.text === 'destroyed' || u.name.text === 'aborted');
  };
  if (gone(e)) return 'then';
  if (isPrefixUnaryExpression(e) && e.operator === ts.SyntaxKind.ExclamationToken && gone(e.operand)) return 'else';
  const isName = (x: ts.Expression) => {
    const u = unwrapExpression(x);
    return isIdentifier(u) && u.text === name;
  };
  if (isName(e)) return 'else';
  if (isPrefixUnaryExpression(e) && e.operator === ts.SyntaxKind.ExclamationToken && isName(e.operand)) return 'then';
  if (!isBinaryExpression(e)) return undefined;
  const op = e.operatorToken.kind;
  const nullish = (x: ts.Expression) => {
    const u = unwrapExpression(x);
    return u.kind === ts.SyntaxKind.NullKeyword || (isIdentifier(u) && u.text === 'undefined');
  };
  if (!((isName(e.left) && nullish(e.right)) || (isName(e.right) && nullish(e.left)))) return undefined;
  if (op === ts.SyntaxKind.EqualsEqualsEqualsToken || op === ts.SyntaxKind.EqualsEqualsToken) return 'then';
  if (op === ts.SyntaxKind.ExclamationEqualsEqualsToken || op === ts.SyntaxKind.ExclamationEqualsToken) return 'else';
  return undefined;
}

const BODILESS_STATUS = new Set([204, 205, 304]);

/** `res.status === 204` (then-branch has no body), `res.statusCode !== 304` (else-branch has none). */
function bodilessBranch(cond: ts.Expression): 'then' | 'else' | undefined {
  const e = unwrapExpression(cond);
  if (!isBinaryExpression(e)) return undefined;
  const op = e.operatorToken.kind;
  if (op === ts.SyntaxKind.BarBarToken) {
    const l = bodilessBranch(e.left);
    return l === 'then' && bodilessBranch(e.right) === 'then' ? 'then' : undefined;
  }
  if (op === ts.SyntaxKind.AmpersandAmpersandToken) {
    const l = bodilessBranch(e.left);
    return l === 'else' && bodilessBranch(e.right) === 'else' ? 'else' : undefined;
  }
  const equal = op === ts.SyntaxKind.EqualsEqualsEqualsToken || op === ts.SyntaxKind.EqualsEqualsToken;
  const notEqual = op === ts.SyntaxKind.ExclamationEqualsEqualsToken || op === ts.SyntaxKind.ExclamationEqualsToken;
  if (!equal && !notEqual) return undefined;
  const isStatus = (x: ts.Expression) => {
    const u = unwrapExpression(x);
    return isPropertyAccessExpression(u) && (u.name.text === 'status' || u.name.text === 'statusCode');
  };
  const isBodiless = (x: ts.Expression) => {
    const u = unwrapExpression(x);
    return isNumericLiteral(u) && BODILESS_STATUS.has(Number(u.text));
  };
  if (!((isStatus(e.left) && isBodiless(e.right)) || (isStatus(e.right) && isBodiless(e.left)))) return undefined;
  return equal ? 'then' : 'else';
}

function isProcessExit(e: ts.Expression): boolean {
  const x = unwrapExpression(e);
  if (!isCallExpression(x)) return false;
  const c = x.expression;
  return isPropertyAccessExpression(c) && c.name.text === 'exit' && isIdentifier(c.expression) && c.expression.text === 'process';
}

function statementOf(node: ts.Node): ts.Node {
  for (let n: ts.Node | undefined = node; n; n = n.parent) if (isStatement(n as ts.Statement) && n.parent && (isBlock(n.parent) || isSourceFile(n.parent) || isCaseClause(n.parent) || isDefaultClause(n.parent))) return n;
  return node;
}

// ------------------------------------------------------------------------------------------------
// Finding the variable that receives the response.

function isHeadRequest(call: NetworkCall): boolean {
  return call.options.some((o) => o.key === 'method' && o.value.kind === 'string' && o.value.value.toUpperCase() === 'HEAD');
}

function enclosingFunctionOrFile(node: ts.Node): ts.Node {
  for (let n = node.parent; n; n = n.parent) if (isFunctionLike(n) || isSourceFile(n)) return n;
  return node.getSourceFile();
}

/** The statements the variable can be read in: its block for `let`/`const`, its function for `var` and parameters. */
function regionOf(decl: ts.VariableDeclaration): { statements: readonly ts.Statement[]; node: ts.Node } | undefined {
  const list = decl.parent;
  if (!isVariableDeclarationList(list)) return undefined;
  const statement = list.parent;
  if (!isVariableStatement(statement)) return undefined;
  if (list.flags & ts.NodeFlags.BlockScoped) {
    const holder = statement.parent;
    if (isBlock(holder) || isSourceFile(holder) || isModuleBlock(holder)) return { statements: holder.statements, node: holder };
    if (isCaseClause(holder) || isDefaultClause(holder)) return { statements: holder.statements, node: holder };
    return undefined;
  }
  return functionRegion(enclosingFunctionOrFile(statement));
}

function functionRegion(fn: ts.Node): { statements: readonly ts.Statement[]; node: ts.Node } | undefined {
  if (isSourceFile(fn)) return { statements: fn.statements, node: fn };
  const body = (fn as ts.FunctionLikeDeclaration).body;
  if (body && isBlock(body)) return { statements: body.statements, node: body };
  return undefined;
}

function analyseVariable(model: FileModel, kind: ResponseKind, name: string, holds: 'response' | 'body', binding: Binding, region: { statements: readonly ts.Statement[]; node: ts.Node }, start: ts.Statement | undefined, releases: HandlerReleases | undefined, fn: ts.Node): BodyFate {
  const classify = holds === 'body' ? (id: ts.Identifier) => classifyBody(id) : (id: ts.Identifier) => classifyResponse(id, kind);
  const refs = collectRefs(model, region.node, name, binding, classify, releases);
  const walker = new PathWalker(refs, start, name);
  try {
    const live = walker.list(region.statements, start === undefined);
    if (live) walker.leaks.push({ reason: 'end', node: region.node });
  } catch (e) {
    if (e instanceof Bail) return { state: 'not-analysed' };
    throw e;
  }
  if (walker.leaks.length === 0) return { state: 'consumed' };
  return { state: 'leaks', kind, holder: { name, holds, fn }, leaks: walker.leaks };
}

/** What releases a Node response besides its own variable. */
interface HandlerReleases {
  /** Where the request is destroyed or aborted. */
  at: number[];
  /** The request: a call that receives it may destroy it (only calls inside the handler matter, asked as the walk needs them). */
  request: ts.Node;
}

/**
 * A handler that receives the response as its first parameter (`.then(res => …)`, `http.get(u, res => …)`).
 * `releases`: what else releases the response (destroying the request, or handing it to a call).
 */
function analyseHandler(model: FileModel, kind: ResponseKind, handler: ts.Expression, scopeNode: ts.Node, releases?: HandlerReleases): BodyFate {
  const scope = scopeAt(model, scopeNode);
  const fn = scope && localFunction(handler, scope);
  if (!fn) return { state: 'handed-off' };
  const param = fn.parameters[0];
  if (!param) return { state: 'leaks', kind, leaks: [{ reason: 'ignored', node: fn }] };
  if (!isIdentifier(param.name) || param.dotDotDotToken) return { state: 'not-analysed' };
  const name = param.name.text;
  const binding = model.facts.scopes.get(fn)?.lookup(name);
  if (!binding) return { state: 'not-analysed' };
  const body = (fn as ts.FunctionLikeDeclaration).body;
  if (!body) return { state: 'not-analysed' };
  if (isBlock(body)) return analyseVariable(model, kind, name, 'response', binding, { statements: body.statements, node: body }, undefined, releases, fn);
  // `res => expr`: one path, returning the expression.
  const refs = collectRefs(model, body, name, binding, (id) => classifyResponse(id, kind), releases);
  const walker = new PathWalker(refs, undefined, name);
  try {
    if (walker.expr(body, true)) return { state: 'leaks', kind, holder: { name, holds: 'response', fn }, leaks: [{ reason: 'return', node: body }] };
  } catch (e) {
    if (e instanceof Bail) return { state: 'not-analysed' };
    throw e;
  }
  return { state: 'consumed' };
}

/** Where the value of a `fetch(…)` / `request(…)` goes. */
function fateOfPromise(model: FileModel, call: NetworkCall, kind: ResponseKind): BodyFate {
  const node = model.nodeOf(call);
  let n: ts.Node = node;
  let awaited = false;
  for (;;) {
    const p = n.parent;
    if (!p) return { state: 'not-analysed' };
    if (isParenthesizedExpression(p) || isNonNullExpression(p) || isAsExpression(p) || isSatisfiesExpression(p)) {
      n = p;
      continue;
    }
    if (!awaited && isPropertyAccessExpression(p) && p.expression === n && p.parent && isCallExpression(p.parent) && p.parent.expression === p) {
      const method = p.name.text;
      const args = p.parent.arguments;
      if (method === 'then') return args[0] ? analyseHandler(model, kind, args[0], p.parent) : { state: 'handed-off' };
      // `.catch()`/`.finally()` pass the response through.
      if (method === 'catch' || method === 'finally') {
        n = p.parent;
        continue;
      }
      return { state: 'not-analysed' };
    }
    if (isAwaitExpression(p) && !awaited) {
      awaited = true;
      n = p;
      continue;
    }
    break;
  }
  const p = n.parent!;
  if (isExpressionStatement(p) || isVoidExpression(p)) return { state: 'leaks', kind, leaks: [{ reason: 'dropped', node: statementOf(n) }] };
  if (!awaited) return { state: isReturnStatement(p) || isArrowFunction(p) || isCallExpression(p) ? 'handed-off' : 'not-analysed' };
  if (isVariableDeclaration(p) && p.initializer === n) {
    const statement = p.parent?.parent;
    if (!statement || !isVariableStatement(statement)) return { state: 'not-analysed' };
    if (isIdentifier(p.name)) {
      const region = regionOf(p);
      const binding = scopeAt(model, p)?.lookup(p.name.text);
      if (!region || !binding) return { state: 'not-analysed' };
      return analyseVariable(model, kind, p.name.text, 'response', binding, region, statement, undefined, enclosingFunctionOrFile(statement));
    }
    if (isObjectBindingPattern(p.name)) return fateOfDestructuring(model, kind, p, p.name, statement);
    return { state: 'not-analysed' };
  }
  if (isBinaryExpression(p) && p.right === n && p.operatorToken.kind === ts.SyntaxKind.EqualsToken && isIdentifier(p.left)) {
    const statement = p.parent;
    if (!statement || !isExpressionStatement(statement)) return { state: 'not-analysed' };
    const fn = enclosingFunctionOrFile(statement);
    const binding = scopeAt(model, p)?.lookup(p.left.text);
    if (!binding || binding.kind !== 'var') return { state: 'handed-off' };
    // A variable of an outer function or the module: the response outlives this call.
    if (binding.node.pos < fn.pos || binding.node.end > fn.end) return { state: 'handed-off' };
    const region = functionRegion(fn);
    if (!region) return { state: 'not-analysed' };
    return analyseVariable(model, kind, p.left.text, 'response', binding, region, statement, undefined, fn);
  }
  // `(await fetch(u)).json()` reads it; `(await fetch(u)).ok` looks at it and lets it go.
  if (accessedName(n)) {
    const use = classifyResponse(n, kind);
    return use === 'consume' ? { state: 'consumed' } : { state: 'leaks', kind, leaks: [{ reason: 'dropped', node: statementOf(n) }] };
  }
  if (isReturnStatement(p) || isArrowFunction(p) || isCallExpression(p) || isNewExpression(p) || isArrayLiteralExpression(p) || isPropertyAssignment(p) || isShorthandPropertyAssignment(p) || isYieldExpression(p) || isSpreadElement(p)) {
    return { state: 'handed-off' };
  }
  return { state: 'not-analysed' };
}

/** `const { statusCode, body } = await request(u)`: the body variable carries the stream. */
function fateOfDestructuring(model: FileModel, kind: ResponseKind, decl: ts.VariableDeclaration, pattern: ts.ObjectBindingPattern, statement: ts.VariableStatement): BodyFate {
  let bodyElement: ts.BindingElement | undefined;
  for (const el of pattern.elements) {
    if (el.dotDotDotToken) return { state: 'not-analysed' };
    const key = el.propertyName ? (isIdentifier(el.propertyName) || isStringLiteral(el.propertyName) ? el.propertyName.text : undefined) : isIdentifier(el.name) ? el.name.text : undefined;
    if (key === undefined) return { state: 'not-analysed' };
    if (key === 'body') bodyElement = el;
    else if (!INSPECT[kind].has(key)) return { state: 'not-analysed' };
  }
  if (!bodyElement) return { state: 'leaks', kind, leaks: [{ reason: 'dropped', node: statement }] };
  if (!isIdentifier(bodyElement.name)) return { state: 'not-analysed' };
  const region = regionOf(decl);
  const binding = scopeAt(model, bodyElement)?.lookup(bodyElement.name.text);
  if (!region || !binding) return { state: 'not-analysed' };
  return analyseVariable(model, kind, bodyElement.name.text, 'body', binding, region, statement, undefined, enclosingFunctionOrFile(statement));
}

/** Node's http client: the response arrives in the callback or a `'response'` listener. */
function fateOfNodeRequest(model: FileModel, call: NetworkCall): BodyFate {
  const node = model.nodeOf(call);
  const handlers: Array<{ fn: ts.Expression; at: ts.Node }> = [];
  const args = node.arguments ?? [];
  const last = args.length > 1 ? unwrapExpression(args[args.length - 1]) : args[0] && unwrapExpression(args[0]);
  if (last && (isArrowFunction(last) || isFunctionExpression(last))) {
    handlers.push({ fn: last, at: node });
  } else if (last && args.length > 1 && isIdentifier(last)) {
    const scope = scopeAt(model, node);
    if (scope && localFunction(last, scope)) handlers.push({ fn: last, at: node });
    // `http.get(url, resolve)`: whoever receives the response consumes it.
    else if (CALLBACK_NAME.test(last.text)) return { state: 'handed-off' };
    else if (!(scope && objectLiteralOf(last, scope))) return { state: 'not-analysed' };
  }
  const uses = model.usesOf(node);
  for (const u of uses) {
    if (!LISTEN_METHODS.has(u.method)) continue;
    const ev = u.call.arguments[0];
    if (ev && isStringLiteralLike(ev) && ev.text === 'response' && u.call.arguments[1]) handlers.push({ fn: u.call.arguments[1], at: u.call });
  }
  if (handlers.length === 0) return { state: 'consumed' };
  // Destroying or aborting the request also releases the response's socket, and so may a function
  // the request is handed to (`abortHandshake(ws, req, reason)`).
  const releases: HandlerReleases = {
    at: uses.filter((u) => u.method === 'destroy' || u.method === 'abort').map((u) => u.call.getStart()),
    request: node,
  };
  const leaks: BodyLeak[] = [];
  let holder: ResponseHolder | undefined;
  for (const h of handlers) {
    const fate = analyseHandler(model, 'node', h.fn, h.at, releases);
    if (fate.state !== 'leaks') return fate;
    leaks.push(...fate.leaks);
    holder ??= fate.holder;
  }
  return { state: 'leaks', kind: 'node', holder, leaks };
}

const CALLBACK_NAME = /^(cb|callback|done|resolve|next|handler|fn|on[A-Z]\w*|handle\w*)$/;

/** Key of the body fates kept on the model (FileModel.memo). */
const BODY_FATES = {};

/** What happens to the body of the response to `call` (a fetch, undici or node:http request). */
export function bodyFate(model: FileModel, call: NetworkCall): BodyFate {
  const memo = model.memo(BODY_FATES, () => new Map<number, BodyFate>());
  const hit = memo.get(call.index);
  if (hit) return hit;
  const kind = responseKind(call);
  let fate: BodyFate;
  if (!kind) fate = { state: 'not-analysed' };
  else if (isHeadRequest(call)) fate = { state: 'no-body' };
  else if (kind === 'node') fate = fateOfNodeRequest(model, call);
  else fate = fateOfPromise(model, call, kind);
  memo.set(call.index, fate);
  return fate;
}
