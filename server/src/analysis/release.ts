// Is an acquired resource given back on every path? A pool checkout (`await pool.connect()`,
// `pool.getConnection(cb)`) holds a live server connection until `release()`; a path that returns,
// throws or falls off the end without it leaks one pool slot for good.
//
// The check walks only the function that acquires the resource (and the callbacks it passes on),
// statement by statement, tracking one bit per path: "still held". It understands blocks, `if`
// (including guards such as `if (err)` / `if (client)` that say the resource does not exist),
// `try`/`catch`/`finally`, loops, `switch`, labels, `return`/`throw`, `await` (which can throw),
// `process.exit()`, `using` declarations, callbacks that release (`client.query(q, () => done())`),
// promise chains (`.then(release)` without `.catch`/`.finally` leaks on rejection) and local helper
// functions that release. When the resource is handed to code this file cannot see (returned,
// stored, passed to another function), the verdict is `handed-off` and rules stay silent.
import ts = require('typescript');
import type { FileModel } from './fileModel';
import { unwrapExpression } from './resolve';
import type { Binding, Scope } from './scope';
import { someNode, walkTree } from './walk';

// The compiler's exports are getters (a call per read); bind the functions used here once.
const { forEachChild, isArrayLiteralExpression, isArrowFunction, isAsExpression, isAwaitExpression, isBinaryExpression, isBlock, isCallExpression, isClassLike, isConditionalExpression, isDefaultClause, isDoStatement, isExpression, isExpressionStatement, isForInStatement, isForOfStatement, isForStatement, isFunctionDeclaration, isFunctionExpression, isFunctionLike, isIdentifier, isLabeledStatement, isNewExpression, isNonNullExpression, isParenthesizedExpression, isPrefixUnaryExpression, isPropertyAccessExpression, isPropertyAssignment, isReturnStatement, isSatisfiesExpression, isShorthandPropertyAssignment, isSpreadAssignment, isSpreadElement, isStringLiteralLike, isVariableDeclaration, isVariableDeclarationList, isVariableStatement, isVoidExpression, isWhileStatement, isYieldExpression } = ts;

const { SyntaxKind } = ts;

export interface ReleaseSpec {
  /** Methods on the resource that give it back (`release`, `destroy` …). */
  releaseMethods: ReadonlySet<string>;
  /** Callback form: the parameter that receives the resource (`(err, client, done)` → 1). */
  resourceParam: number;
  /** Callback form: the parameter that is a release function (`done` → 2). */
  releaseParam?: number;
  /** Callback form: the error parameter; when it is set, nothing was acquired (→ 0). */
  errorParam?: number;
}

export type LeakReason =
  /** A `return` while the resource is held. */
  | 'return'
  /** An explicit `throw` while held. */
  | 'throw'
  /** An awaited call that can reject while held, with nothing that releases on that path. */
  | 'exception'
  /** A promise chain that releases only when it fulfils. */
  | 'rejection'
  /** The function ends while held. */
  | 'end'
  /** The acquired resource is not kept at all. */
  | 'discarded';

export interface LeakPath {
  reason: LeakReason;
  /** Where the path leaves: the return/throw statement, the await, the function's end. */
  node: ts.Node;
}

export type AcquisitionForm = 'variable' | 'callback' | 'then' | 'discarded';

export type ReleaseVerdict =
  | { kind: 'released'; form: AcquisitionForm }
  | { kind: 'leaks'; form: AcquisitionForm; paths: LeakPath[]; variable?: ts.VariableDeclaration | ts.BinaryExpression }
  /** Returned, stored or passed on: whoever receives it is responsible (needs cross-file knowledge). */
  | { kind: 'handed-off'; node: ts.Node }
  | { kind: 'unknown' };

type Held = boolean;

/** Expressions and statements nested deeper than this are not followed (generated code). */
const MAX_NESTING = 300;

interface Exit {
  kind: 'return' | 'throw' | 'break' | 'continue';
  held: Held;
  node: ts.Node;
  label?: string;
  /** A throw the code does not write: a rejected await or promise chain. */
  implicit?: 'exception' | 'rejection';
}

interface Flow {
  /** The state when control falls through; `null` when it never does. */
  normal: Held | null;
  exits: Exit[];
}

type ReleaseKind = 'always' | 'maybe' | 'never';

const join = (...xs: Array<Held | null>): Held | null => {
  let out: Held | null = null;
  for (const x of xs) if (x !== null) out = (out ?? false) || x;
  return out;
};

/** Climbs through `(…)`, `await`, `!`, `as` around an expression. */
function outerOf(node: ts.Node): ts.Node {
  let n = node;
  while (n.parent && (isParenthesizedExpression(n.parent) || isAwaitExpression(n.parent) || isNonNullExpression(n.parent) || isAsExpression(n.parent) || isSatisfiesExpression(n.parent))) n = n.parent;
  return n;
}

function isFunctionNode(n: ts.Node): n is ts.ArrowFunction | ts.FunctionExpression {
  return isArrowFunction(n) || isFunctionExpression(n);
}

/** `using x = …` / `await using x = …`: disposed on every way out of the block. */
function isUsingDeclaration(list: ts.VariableDeclarationList): boolean {
  const kind = list.flags & ts.NodeFlags.BlockScoped;
  return kind === ts.NodeFlags.Using || kind === ts.NodeFlags.AwaitUsing;
}

class Analysis {
  readonly leaks: LeakPath[] = [];
  /** Set when the code nests deeper than the walk follows: the verdict is then unknown. */
  tooDeep = false;
  private nesting = 0;
  handedOff?: ts.Node;
  private readonly helperVerdicts = new Map<ts.Node, ReleaseKind>();
  private depth = 0;

  constructor(
    private readonly model: FileModel,
    private readonly spec: ReleaseSpec,
    /** Bindings that hold the resource. */
    private readonly resources: Set<Binding>,
    /** Bindings that are release functions (`done`). */
    private readonly releasers: Set<Binding>,
    /** Error parameters whose truthiness means nothing was acquired. */
    private readonly errors: Set<Binding>,
    /** The statement whose completion acquires the resource (variable form). */
    private readonly acquireStatement?: ts.Statement,
  ) {}

  // -- names ------------------------------------------------------------------------------------

  private scopeAt(node: ts.Node): Scope | undefined {
    for (let n: ts.Node | undefined = node; n; n = n.parent) {
      const s = this.model.facts.scopes.get(n);
      if (s) return s;
    }
    return undefined;
  }

  private bindingOf(expr: ts.Node): Binding | undefined {
    const e = isExpression(expr) ? unwrapExpression(expr) : expr;
    if (!isIdentifier(e)) return undefined;
    return this.scopeAt(e)?.lookup(e.text);
  }

  private isResource(expr: ts.Node): boolean {
    const b = this.bindingOf(expr);
    return !!b && this.resources.has(b);
  }

  private isReleaser(expr: ts.Node): boolean {
    const b = this.bindingOf(expr);
    return !!b && this.releasers.has(b);
  }

  private isError(expr: ts.Node): boolean {
    const b = this.bindingOf(expr);
    return !!b && this.errors.has(b);
  }

  /** `client.release()`, `client?.release()`, `done()`, `pool.release(client)`. */
  private isReleaseCall(call: ts.CallExpression): boolean {
    const callee = unwrapExpression(call.expression);
    if (this.isReleaser(callee)) return true;
    if (isPropertyAccessExpression(callee)) {
      if (this.spec.releaseMethods.has(callee.name.text) && this.isResource(callee.expression)) return true;
      // generic-pool style: pool.release(resource)
      if (callee.name.text === 'release' && call.arguments.length >= 1 && this.isResource(call.arguments[0])) return true;
    }
    return false;
  }

  // -- guards -----------------------------------------------------------------------------------

  /** What a true condition says about the resource: it does not exist, or it does. */
  private guard(cond: ts.Expression): 'absent' | 'present' | undefined {
    const e = unwrapExpression(cond);
    if (this.isError(e)) return 'absent';
    if (this.isResource(e)) return 'present';
    if (isPrefixUnaryExpression(e) && e.operator === SyntaxKind.ExclamationToken) {
      const g = this.guard(e.operand);
      return g === 'absent' ? 'present' : g === 'present' ? 'absent' : undefined;
    }
    if (isBinaryExpression(e)) {
      const op = e.operatorToken.kind;
      if (op === SyntaxKind.AmpersandAmpersandToken) {
        const l = this.guard(e.left);
        const r = this.guard(e.right);
        return l === 'absent' || r === 'absent' ? 'absent' : l === 'present' || r === 'present' ? 'present' : undefined;
      }
      if (op === SyntaxKind.BarBarToken) {
        const l = this.guard(e.left);
        const r = this.guard(e.right);
        return l === r ? l : undefined;
      }
      if (op === SyntaxKind.InstanceOfKeyword && this.isError(e.left)) return 'absent';
      const eq = op === SyntaxKind.EqualsEqualsToken || op === SyntaxKind.EqualsEqualsEqualsToken;
      const ne = op === SyntaxKind.ExclamationEqualsToken || op === SyntaxKind.ExclamationEqualsEqualsToken;
      if (!eq && !ne) return undefined;
      const [subject, other] = isNullish(e.right) ? [e.left, e.right] : isNullish(e.left) ? [e.right, e.left] : [undefined, undefined];
      if (!subject || !other) return undefined;
      // `client == null` → absent; `err != null` → absent.
      if (this.isResource(subject)) return eq ? 'absent' : 'present';
      if (this.isError(subject)) return eq ? 'present' : 'absent';
    }
    return undefined;
  }

  // -- expressions ------------------------------------------------------------------------------

  /**
   * Whether evaluating `e` releases the resource (always / on some paths / never). Records
   * escapes, and the first place that can throw while the resource is held.
   */
  private expr(e: ts.Node | undefined, held: Held, throws: ts.Node[]): ReleaseKind {
    if (this.nesting > MAX_NESTING) {
      this.tooDeep = true;
      return 'never';
    }
    this.nesting++;
    try {
      return this.exprAt(e, held, throws);
    } finally {
      this.nesting--;
    }
  }

  private exprAt(e: ts.Node | undefined, held: Held, throws: ts.Node[]): ReleaseKind {
    if (!e) return 'never';
    if (isFunctionLike(e) || isClassLike(e)) return 'never';
    this.checkEscape(e);
    if (isAwaitExpression(e)) {
      const inner = this.expr(e.expression, held, throws);
      // Awaiting the release itself cannot leak; anything else may reject.
      if (inner !== 'always') throws.push(e);
      return inner;
    }
    if (isCallExpression(e)) return this.call(e, held, throws);
    if (isNewExpression(e)) {
      // `new Promise((resolve) => …)`: the executor runs right away.
      let kind = this.expr(e.expression, held, throws);
      for (const arg of e.arguments ?? []) {
        const a = unwrapExpression(arg);
        const k = isFunctionNode(a) ? this.callback(a) : this.expr(arg, held, throws);
        if (k === 'always') kind = 'always';
        else if (k === 'maybe' && kind === 'never') kind = 'maybe';
      }
      return kind;
    }
    if (isConditionalExpression(e)) {
      const c = this.expr(e.condition, held, throws);
      if (c === 'always') return 'always';
      const g = this.guard(e.condition);
      const t = g === 'absent' ? 'always' : this.expr(e.whenTrue, held, throws);
      const f = g === 'present' ? 'always' : this.expr(e.whenFalse, held, throws);
      return t === 'always' && f === 'always' ? 'always' : t !== 'never' || f !== 'never' ? 'maybe' : 'never';
    }
    if (isBinaryExpression(e)) {
      const op = e.operatorToken.kind;
      const l = this.expr(e.left, held, throws);
      if (l === 'always') return 'always';
      const r = this.expr(e.right, held, throws);
      if (op === SyntaxKind.AmpersandAmpersandToken || op === SyntaxKind.BarBarToken || op === SyntaxKind.QuestionQuestionToken) {
        // `client && client.release()`: when the right side is skipped, there is no client.
        const g = this.guard(e.left);
        if (r === 'always' && ((op === SyntaxKind.AmpersandAmpersandToken && g === 'present') || (op === SyntaxKind.BarBarToken && g === 'absent'))) return 'always';
        return r !== 'never' || l !== 'never' ? 'maybe' : 'never';
      }
      return r === 'always' ? 'always' : r !== 'never' || l !== 'never' ? 'maybe' : 'never';
    }
    let kind: ReleaseKind = 'never';
    forEachChild(e, (child) => {
      const k = this.expr(child, held, throws);
      if (k === 'always') kind = 'always';
      else if (k === 'maybe' && kind === 'never') kind = 'maybe';
    });
    return kind;
  }

  private call(call: ts.CallExpression, held: Held, throws: ts.Node[]): ReleaseKind {
    if (this.isReleaseCall(call)) {
      for (const a of call.arguments) this.expr(a, held, throws);
      return 'always';
    }
    let kind: ReleaseKind = this.expr(call.expression, held, throws);
    const callee = unwrapExpression(call.expression);
    const method = isPropertyAccessExpression(callee) ? callee.name.text : undefined;
    const onResource = isPropertyAccessExpression(callee) && this.isResource(callee.expression);
    for (const arg of call.arguments) {
      const a = unwrapExpression(arg);
      // `client.query(sql, done)`: the query's callback releases.
      if (onResource && this.isReleaser(a)) {
        kind = 'always';
        continue;
      }
      if (isFunctionNode(a)) {
        const k = this.callback(a);
        if (k === 'always') {
          if (method === 'then' && !this.chainReleasesOnRejection(call, arg)) throws.push(call);
          kind = 'always';
        } else if (k === 'maybe' && kind === 'never') {
          kind = 'maybe';
        }
        continue;
      }
      const k = this.expr(arg, held, throws);
      if (k === 'always') kind = 'always';
      else if (k === 'maybe' && kind === 'never') kind = 'maybe';
    }
    // A local helper that releases: `cleanup()`.
    if (kind !== 'always' && isIdentifier(callee)) {
      const helper = this.localFunction(callee);
      if (helper && this.helper(helper) === 'always') kind = 'always';
    }
    if (isProcessExit(callee)) kind = 'always';
    return kind;
  }

  /** `p.then(onFulfilled)` releases on rejection too: `.then(a, b)`, `.catch(b)` or `.finally(c)` that release. */
  private chainReleasesOnRejection(thenCall: ts.CallExpression, fulfilled: ts.Expression): boolean {
    const rejected = thenCall.arguments[1];
    if (rejected && rejected !== fulfilled && isFunctionNode(unwrapExpression(rejected)) && this.callback(unwrapExpression(rejected) as ts.ArrowFunction) === 'always') return true;
    let n: ts.Node = thenCall;
    while (n.parent && isPropertyAccessExpression(n.parent) && n.parent.parent && isCallExpression(n.parent.parent)) {
      const next = n.parent.parent;
      const name = n.parent.name.text;
      if (name === 'catch' || name === 'finally') {
        const fn = next.arguments[0] && unwrapExpression(next.arguments[0]);
        if (fn && ((isFunctionNode(fn) && this.callback(fn) === 'always') || this.isReleaser(fn))) return true;
      }
      n = next;
    }
    return false;
  }

  private localFunction(id: ts.Identifier): ts.FunctionLikeDeclaration | undefined {
    const b = this.bindingOf(id);
    if (!b) return undefined;
    if (b.kind === 'local' && b.node.parent && isFunctionDeclaration(b.node.parent)) return b.node.parent;
    if (b.kind === 'var' && b.path.length === 0 && b.init) {
      const init = unwrapExpression(b.init);
      if (isFunctionNode(init)) return init;
    }
    return undefined;
  }

  /** A local helper releases when every path through it does. */
  private helper(fn: ts.FunctionLikeDeclaration): ReleaseKind {
    const cached = this.helperVerdicts.get(fn);
    if (cached) return cached;
    this.helperVerdicts.set(fn, 'never');
    const kind = this.callback(fn, true);
    this.helperVerdicts.set(fn, kind);
    return kind;
  }

  /**
   * A function passed on (or a local helper): does every path through its body release? Paths
   * that do not are leaks of their own when the body releases somewhere.
   */
  private callback(fn: ts.FunctionLikeDeclaration, quiet = false): ReleaseKind {
    const body = fn.body;
    if (!body || this.depth > 6 || !this.mentions(body)) {
      if (body) this.scanEscapes(body);
      return 'never';
    }
    this.depth++;
    const flow = isBlock(body) ? this.block(body.statements, true) : this.returnFlow(body, true);
    this.depth--;
    const open = this.openPaths(flow, body);
    if (open.length === 0) return 'always';
    const releasedSomewhere = this.releasesSomewhere(body);
    if (!releasedSomewhere) return 'never';
    if (!quiet) this.leaks.push(...open);
    return quiet ? 'maybe' : 'always';
  }

  /** Paths that leave a function body still holding the resource. */
  openPaths(flow: Flow, body: ts.Node): LeakPath[] {
    const out: LeakPath[] = [];
    for (const x of flow.exits) {
      if (!x.held) continue;
      if (x.kind === 'return') out.push({ reason: 'return', node: x.node });
      else if (x.kind === 'throw') out.push({ reason: x.implicit ?? 'throw', node: x.node });
    }
    if (flow.normal) out.push({ reason: 'end', node: body });
    return out;
  }

  private mentions(node: ts.Node): boolean {
    return someNode(node, (n) => isIdentifier(n) && (this.isResource(n) || this.isReleaser(n)));
  }

  private releasesSomewhere(node: ts.Node): boolean {
    return someNode(node, (n) => isCallExpression(n) && this.isReleaseCall(n));
  }

  private scanEscapes(node: ts.Node): void {
    walkTree(node, (n) => {
      if (isIdentifier(n)) this.checkEscape(n);
    });
  }

  /** Records a hand-off when `e` is the resource (or its release function) in a position that passes it on. */
  private checkEscape(e: ts.Node): void {
    if (!isIdentifier(e)) return;
    const isRes = this.isResource(e);
    const isRel = !isRes && this.isReleaser(e);
    if (!isRes && !isRel) return;
    const n = outerOf(e);
    const p = n.parent;
    if (!p) return;
    if (isRes && isPropertyAccessExpression(p) && p.expression === n) {
      // `client.on('notification', …)`: a long-lived subscriber, not a checkout used and returned.
      const call = p.parent;
      if (call && isCallExpression(call) && call.expression === p && (p.name.text === 'on' || p.name.text === 'once')) {
        const ev = call.arguments[0];
        if (!ev || !isStringLiteralLike(ev) || (ev.text !== 'error' && ev.text !== 'end')) this.handedOff ??= call;
      }
      return;
    }
    if (isCallExpression(p) && p.expression === n) return; // done()
    if (isCallExpression(p) || isNewExpression(p)) {
      if (isCallExpression(p) && this.isReleaseCall(p)) return;
      const callee = unwrapExpression(p.expression);
      if (isRel && isPropertyAccessExpression(callee) && this.isResource(callee.expression)) return;
      this.handedOff ??= p;
      return;
    }
    if (isReturnStatement(p) || (isArrowFunction(p) && p.body === n)) {
      this.handedOff ??= p;
      return;
    }
    if (isVariableDeclaration(p) && p.initializer === n) {
      this.handedOff ??= p;
      return;
    }
    if (isBinaryExpression(p) && p.right === n && isAssignment(p.operatorToken.kind)) {
      this.handedOff ??= p;
      return;
    }
    if (isPropertyAssignment(p) || isShorthandPropertyAssignment(p) || isArrayLiteralExpression(p) || isSpreadElement(p) || isSpreadAssignment(p) || isYieldExpression(p)) {
      this.handedOff ??= p;
    }
  }

  // -- statements -------------------------------------------------------------------------------

  block(statements: readonly ts.Statement[], held: Held): Flow {
    let cur: Held | null = held;
    const exits: Exit[] = [];
    for (const s of statements) {
      if (cur === null) break;
      const f = this.stmt(s, cur);
      exits.push(...f.exits);
      cur = f.normal;
    }
    return { normal: cur, exits };
  }

  /** An expression body (`=> expr`) behaves as `return expr`. */
  returnFlow(expr: ts.Expression, held: Held): Flow {
    const throws: ts.Node[] = [];
    const k = this.expr(expr, held, throws);
    const exits: Exit[] = this.implicitThrows(throws, held);
    exits.push({ kind: 'return', held: held && k !== 'always', node: expr });
    return { normal: null, exits };
  }

  private implicitThrows(throws: ts.Node[], held: Held): Exit[] {
    return throws.map((node) => ({ kind: 'throw' as const, held: held || isCallExpression(node), node, implicit: isCallExpression(node) ? ('rejection' as const) : ('exception' as const) }));
  }

  /** Evaluates an expression statement-like part: the state after it and its implicit throws. */
  private effect(e: ts.Node | undefined, held: Held): { after: Held | null; exits: Exit[] } {
    const throws: ts.Node[] = [];
    const k = this.expr(e, held, throws);
    const exits = this.implicitThrows(throws, held);
    const terminates = !!e && containsProcessExit(e);
    return { after: terminates ? null : held && k !== 'always', exits };
  }

  private stmt(s: ts.Statement, held: Held): Flow {
    if (this.nesting > MAX_NESTING) {
      this.tooDeep = true;
      return { normal: held, exits: [] };
    }
    this.nesting++;
    try {
      return this.stmtAt(s, held);
    } finally {
      this.nesting--;
    }
  }

  private stmtAt(s: ts.Statement, held: Held): Flow {
    switch (s.kind) {
      case SyntaxKind.Block:
        return this.block((s as ts.Block).statements, held);
      case SyntaxKind.VariableStatement:
      case SyntaxKind.ExpressionStatement: {
        const e = isVariableStatement(s) ? s.declarationList : (s as ts.ExpressionStatement).expression;
        const r = this.effect(e, held);
        if (s === this.acquireStatement) {
          const using = isVariableStatement(s) && isUsingDeclaration(s.declarationList);
          // A failed acquisition throws before there is anything to release.
          return { normal: using ? false : true, exits: r.exits.map((x) => ({ ...x, held: false })) };
        }
        return { normal: r.after, exits: r.exits };
      }
      case SyntaxKind.ReturnStatement: {
        const r = this.effect((s as ts.ReturnStatement).expression, held);
        const exits = [...r.exits];
        if (r.after !== null) exits.push({ kind: 'return', held: r.after, node: s });
        return { normal: null, exits };
      }
      case SyntaxKind.ThrowStatement: {
        const r = this.effect((s as ts.ThrowStatement).expression, held);
        return { normal: null, exits: [...r.exits, ...(r.after !== null ? [{ kind: 'throw' as const, held: r.after, node: s }] : [])] };
      }
      case SyntaxKind.IfStatement: {
        const i = s as ts.IfStatement;
        const c = this.effect(i.expression, held);
        if (c.after === null) return { normal: null, exits: c.exits };
        const g = this.guard(i.expression);
        const t = this.stmt(i.thenStatement, g === 'absent' ? false : c.after);
        const f = i.elseStatement ? this.stmt(i.elseStatement, g === 'present' ? false : c.after) : { normal: g === 'present' ? false : c.after, exits: [] };
        return { normal: join(t.normal, f.normal), exits: [...c.exits, ...t.exits, ...f.exits] };
      }
      case SyntaxKind.TryStatement:
        return this.tryStatement(s as ts.TryStatement, held);
      case SyntaxKind.ForStatement:
      case SyntaxKind.ForInStatement:
      case SyntaxKind.ForOfStatement:
      case SyntaxKind.WhileStatement:
      case SyntaxKind.DoStatement:
        return this.loop(s as ts.IterationStatement, held);
      case SyntaxKind.SwitchStatement:
        return this.switchStatement(s as ts.SwitchStatement, held);
      case SyntaxKind.LabeledStatement: {
        const l = s as ts.LabeledStatement;
        const inner = this.stmt(l.statement, held);
        const mine = inner.exits.filter((x) => x.kind === 'break' && x.label === l.label.text);
        return { normal: join(inner.normal, ...mine.map((x) => x.held)), exits: inner.exits.filter((x) => !mine.includes(x)) };
      }
      case SyntaxKind.BreakStatement:
      case SyntaxKind.ContinueStatement: {
        const b = s as ts.BreakOrContinueStatement;
        return { normal: null, exits: [{ kind: s.kind === SyntaxKind.BreakStatement ? 'break' : 'continue', held, node: s, label: b.label?.text }] };
      }
      case SyntaxKind.FunctionDeclaration:
      case SyntaxKind.ClassDeclaration:
        return { normal: held, exits: [] };
      default: {
        // Anything else (with, debugger, empty …): its expressions still count.
        const r = this.effect(s, held);
        return { normal: r.after, exits: r.exits };
      }
    }
  }

  private tryStatement(t: ts.TryStatement, held: Held): Flow {
    const body = this.block(t.tryBlock.statements, held);
    let normal = body.normal;
    let exits = body.exits;
    if (t.catchClause) {
      const thrown = exits.filter((x) => x.kind === 'throw');
      exits = exits.filter((x) => x.kind !== 'throw');
      const entry = join(...thrown.map((x) => x.held));
      if (entry !== null) {
        const c = this.block(t.catchClause.block.statements, entry);
        normal = join(normal, c.normal);
        exits = [...exits, ...c.exits];
      }
    }
    if (!t.finallyBlock) return { normal, exits };
    // The finally block runs on every way out; what it does to a held resource decides for all of them.
    const whenHeld = this.block(t.finallyBlock.statements, true);
    const whenFree = this.block(t.finallyBlock.statements, false);
    if (whenHeld.normal === null || whenFree.normal === null) return { normal: null, exits: [...whenHeld.exits] };
    const after = (h: Held): Held => (h ? whenHeld.normal! : whenFree.normal!);
    return {
      normal: normal === null ? null : after(normal),
      exits: [...exits.map((x) => ({ ...x, held: after(x.held) })), ...whenHeld.exits],
    };
  }

  private loop(l: ts.IterationStatement, held: Held): Flow {
    const label = l.parent && isLabeledStatement(l.parent) ? l.parent.label.text : undefined;
    const pre: Exit[] = [];
    let entry: Held | null = held;
    let infinite = false;
    if (isForStatement(l)) {
      const init = this.effect(l.initializer, held);
      pre.push(...init.exits);
      entry = init.after;
      infinite = !l.condition || l.condition.kind === SyntaxKind.TrueKeyword;
    } else if (isWhileStatement(l)) {
      infinite = l.expression.kind === SyntaxKind.TrueKeyword;
    } else if (isForOfStatement(l) || isForInStatement(l)) {
      const r = this.effect(l.expression, held);
      pre.push(...r.exits);
      if (isForOfStatement(l) && l.awaitModifier) pre.push({ kind: 'throw', held, node: l, implicit: 'exception' });
    }
    if (entry === null) return { normal: null, exits: pre };
    const mine = (x: Exit) => (x.kind === 'break' || x.kind === 'continue') && (x.label === undefined || x.label === label);
    let body = this.stmt(l.statement, entry);
    let head = join(entry, body.normal, ...body.exits.filter((x) => mine(x) && x.kind === 'continue').map((x) => x.held));
    if (head !== null && head !== entry) {
      body = this.stmt(l.statement, head);
      head = join(head, body.normal, ...body.exits.filter((x) => mine(x) && x.kind === 'continue').map((x) => x.held));
    }
    const breaks = body.exits.filter((x) => mine(x) && x.kind === 'break').map((x) => x.held);
    const isDo = isDoStatement(l);
    const normal = infinite ? join(...breaks) : isDo ? join(body.normal, ...breaks) : join(head, ...breaks);
    return { normal, exits: [...pre, ...body.exits.filter((x) => !mine(x))] };
  }

  private switchStatement(s: ts.SwitchStatement, held: Held): Flow {
    const r = this.effect(s.expression, held);
    if (r.after === null) return { normal: null, exits: r.exits };
    const exits: Exit[] = [...r.exits];
    const breaks: Array<Held | null> = [];
    let fall: Held | null = null;
    let hasDefault = false;
    for (const clause of s.caseBlock.clauses) {
      if (isDefaultClause(clause)) hasDefault = true;
      const f = this.block(clause.statements, join(r.after, fall) ?? r.after);
      for (const x of f.exits) {
        if (x.kind === 'break' && x.label === undefined) breaks.push(x.held);
        else exits.push(x);
      }
      fall = f.normal;
    }
    return { normal: join(fall, ...breaks, hasDefault ? null : r.after), exits };
  }
}

function isNullish(e: ts.Expression): boolean {
  const u = unwrapExpression(e);
  return u.kind === SyntaxKind.NullKeyword || (isIdentifier(u) && u.text === 'undefined') || isVoidExpression(u);
}

function isAssignment(kind: ts.SyntaxKind): boolean {
  return kind >= SyntaxKind.FirstAssignment && kind <= SyntaxKind.LastAssignment;
}

function isProcessExit(callee: ts.Expression): boolean {
  return isPropertyAccessExpression(callee) && callee.name.text === 'exit' && isIdentifier(callee.expression) && callee.expression.text === 'process';
}

function containsProcessExit(node: ts.Node): boolean {
  return someNode(node, (n) => isCallExpression(n) && isProcessExit(unwrapExpression(n.expression)), (n) => isFunctionLike(n));
}

function bindingFor(model: FileModel, id: ts.Identifier): Binding | undefined {
  for (let n: ts.Node | undefined = id; n; n = n.parent) {
    const s = model.facts.scopes.get(n);
    if (s) return s.lookup(id.text);
  }
  return undefined;
}

function enclosingFunctionOf(node: ts.Node): ts.FunctionLikeDeclaration | undefined {
  for (let n = node.parent; n; n = n.parent) if (isFunctionLike(n) && 'body' in n) return n as ts.FunctionLikeDeclaration;
  return undefined;
}

function statementOf(node: ts.Node): ts.Statement | undefined {
  const p = node.parent;
  if (!p) return undefined;
  if (isExpressionStatement(p)) return p;
  if (isVariableDeclaration(p) && p.parent && isVariableDeclarationList(p.parent) && p.parent.parent && isVariableStatement(p.parent.parent)) return p.parent.parent;
  if (isBinaryExpression(p) && p.parent && isExpressionStatement(p.parent)) return p.parent;
  return undefined;
}

/**
 * Follows the resource acquired by `acquire` (a call such as `pool.connect()`) through the code
 * that holds it and says whether every path gives it back.
 */
export function releaseOnEveryPath(model: FileModel, acquire: ts.CallExpression, spec: ReleaseSpec): ReleaseVerdict {
  // Callback form: pool.connect((err, client, done) => …)
  const lastArg = acquire.arguments[acquire.arguments.length - 1];
  const cb = lastArg && unwrapExpression(lastArg);
  if (cb && isFunctionNode(cb)) return callbackVerdict(model, cb, spec, 'callback', { resourceParam: spec.resourceParam, releaseParam: spec.releaseParam, errorParam: spec.errorParam });

  const outer = outerOf(acquire);
  const parent = outer.parent;
  if (!parent) return { kind: 'unknown' };

  // Promise form: pool.connect().then((client) => …)
  if (outer === acquire && isPropertyAccessExpression(parent) && parent.name.text === 'then' && parent.parent && isCallExpression(parent.parent)) {
    const fn = parent.parent.arguments[0] && unwrapExpression(parent.parent.arguments[0]);
    // `pool.connect().then(() => log('connected'))`: the checked-out client is never even named.
    if (fn && isFunctionNode(fn) && fn.parameters.length === 0) return { kind: 'leaks', form: 'discarded', paths: [{ reason: 'discarded', node: acquire }] };
    if (fn && isFunctionNode(fn)) return callbackVerdict(model, fn, spec, 'then', { resourceParam: 0 });
    return { kind: 'handed-off', node: parent.parent };
  }

  // Discarded: `pool.connect();` / `await pool.connect();`
  if (isExpressionStatement(parent)) return { kind: 'leaks', form: 'discarded', paths: [{ reason: 'discarded', node: acquire }] };

  // Variable form: const client = await pool.connect(); / client = await pool.connect();
  let name: ts.Identifier | undefined;
  let variable: ts.VariableDeclaration | ts.BinaryExpression | undefined;
  if (isVariableDeclaration(parent) && parent.initializer === outer && isIdentifier(parent.name)) {
    name = parent.name;
    variable = parent;
  } else if (isBinaryExpression(parent) && parent.right === outer && parent.operatorToken.kind === SyntaxKind.EqualsToken) {
    if (!isIdentifier(parent.left)) return { kind: 'handed-off', node: parent };
    name = parent.left;
    variable = parent;
  } else {
    // Returned, passed on, stored in an object: somebody else's to release.
    return { kind: 'handed-off', node: parent };
  }
  const binding = bindingFor(model, name);
  const statement = statementOf(outer);
  const fn = enclosingFunctionOf(acquire);
  if (!binding || !statement) return { kind: 'unknown' };
  if (isVariableStatement(statement) && isUsingDeclaration(statement.declarationList)) return { kind: 'released', form: 'variable' };
  // A module-level checkout (a script, or a long-lived LISTEN client) is not a per-call leak.
  if (!fn || !fn.body) return { kind: 'handed-off', node: statement };
  const analysis = new Analysis(model, spec, new Set([binding]), new Set(), new Set(), statement);
  const flow = isBlock(fn.body) ? analysis.block(fn.body.statements, false) : analysis.returnFlow(fn.body, false);
  if (analysis.tooDeep) return { kind: 'unknown' };
  if (analysis.handedOff) return { kind: 'handed-off', node: analysis.handedOff };
  const paths = [...analysis.leaks, ...analysis.openPaths(flow, fn.body)];
  return paths.length ? { kind: 'leaks', form: 'variable', paths, variable } : { kind: 'released', form: 'variable' };
}

function callbackVerdict(
  model: FileModel,
  fn: ts.ArrowFunction | ts.FunctionExpression,
  spec: ReleaseSpec,
  form: AcquisitionForm,
  params: { resourceParam: number; releaseParam?: number; errorParam?: number },
): ReleaseVerdict {
  const scope = model.facts.scopes.get(fn);
  const paramBinding = (i: number | undefined): Binding | undefined => {
    if (i === undefined) return undefined;
    const p = fn.parameters[i];
    return p && isIdentifier(p.name) ? scope?.bindings.get(p.name.text) : undefined;
  };
  const resource = paramBinding(params.resourceParam);
  const releaser = paramBinding(params.releaseParam);
  const error = paramBinding(params.errorParam);
  if (!resource && !releaser) return { kind: 'unknown' };
  const analysis = new Analysis(model, spec, new Set(resource ? [resource] : []), new Set(releaser ? [releaser] : []), new Set(error ? [error] : []));
  const flow = isBlock(fn.body) ? analysis.block(fn.body.statements, true) : analysis.returnFlow(fn.body, true);
  if (analysis.tooDeep) return { kind: 'unknown' };
  if (analysis.handedOff) return { kind: 'handed-off', node: analysis.handedOff };
  const paths = [...analysis.leaks, ...analysis.openPaths(flow, fn.body)];
  return paths.length ? { kind: 'leaks', form, paths } : { kind: 'released', form };
}
