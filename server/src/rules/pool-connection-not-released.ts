// A client checked out of a pool is a live server connection reserved for this code until it is
// released. A path that returns or throws without `release()` keeps it checked out for good; after
// `max` such paths (10 by default) every query waits for a connection that never comes back.
import ts = require('typescript');
import { indentUnit, indentationAt, lineStartOf, removeStatement } from '../analysis/edits';
import type { FileModel } from '../analysis/fileModel';
import { range } from '../analysis/fileModel';
import { releaseOnEveryPath, type LeakPath, type ReleaseSpec, type ReleaseVerdict } from '../analysis/release';
import { unwrapExpression } from '../analysis/resolve';
import type { Fix, NetworkCall, RelatedLocation } from '../analysis/types';
import { walkTree } from '../analysis/walk';
import { createRule, type RuleContext } from './createRule';

// The compiler's exports are getters (a call per read); bind the functions used here once.
const { isArrowFunction, isBlock, isCallExpression, isClassDeclaration, isExpressionStatement, isFunctionDeclaration, isFunctionExpression, isFunctionLike, isIdentifier, isNoSubstitutionTemplateLiteral, isPropertyAccessExpression, isTemplateExpression, isVariableDeclaration, isVariableStatement } = ts;

type MessageIds = 'return' | 'throw' | 'exception' | 'rejection' | 'end' | 'discarded';

const PG_SPEC: ReleaseSpec = { releaseMethods: new Set(['release']), resourceParam: 1, releaseParam: 2, errorParam: 0 };
// mysql/mysql2: `destroy()` also frees the pool slot (the connection is closed and replaced).
const MYSQL_SPEC: ReleaseSpec = { releaseMethods: new Set(['release', 'destroy']), resourceParam: 1, errorParam: 0 };

const POOL_NAME = /pool$/i;
/**
 * Text gate for checkouts by name: `…pool.connect(` or `getConnection(` written somewhere in the file.
 * Two expressions that each start with a literal (the engine skips ahead to it) instead of one
 * alternation, which steps through the whole text character by character.
 */
const POOL_CONNECT_TEXT = /ool\s*\??\.\s*connect\s*\(/;
const GET_CONNECTION_TEXT = /getConnection\s*\(/;
const hasCheckoutText = (text: string): boolean => POOL_CONNECT_TEXT.test(text) || GET_CONNECTION_TEXT.test(text);

// Read once: the compiler's exports are getters, too slow for loops over every call.
const { SyntaxKind } = ts;

interface Checkout {
  node: ts.CallExpression;
  spec: ReleaseSpec;
  /** The pool's creation in this file, when known. */
  pool?: NetworkCall;
  /** Recognised through the library model (true) or by the shape of the code (false). */
  known: boolean;
  library: 'pg' | 'mysql';
}

/** The name a receiver is known by: `pool` in `pool.connect()`, `this.pool.connect()`, `db.pgPool.connect()`. */
function receiverName(callee: ts.Expression): string | undefined {
  if (!isPropertyAccessExpression(callee)) return undefined;
  const r = unwrapExpression(callee.expression);
  if (isIdentifier(r)) return r.text;
  if (isPropertyAccessExpression(r)) return r.name.text;
  return undefined;
}

/** Checkouts the library model recognises, plus `somePool.connect()` / `x.getConnection()` on pools from other modules. */
function checkouts(model: FileModel): Checkout[] {
  const out: Checkout[] = [];
  const seen = new Set<ts.Node>();
  for (const call of model.calls) {
    if (call.api !== 'pg.Pool#connect' && call.api !== 'mysql.Pool#getConnection') continue;
    const node = model.nodeOf(call);
    if (!isCallExpression(node)) continue;
    seen.add(node);
    const pool = call.createdBy !== undefined ? model.calls[call.createdBy] : undefined;
    const isPg = call.library === 'pg';
    out.push({ node, spec: isPg ? PG_SPEC : MYSQL_SPEC, pool, known: true, library: isPg ? 'pg' : 'mysql' });
  }
  // A pool imported from the app's own db module is invisible to the model; the method name and the
  // receiver's name say what it is. Such checkouts only count when the code releases them somewhere
  // (see `looksLikeCheckout`), which rules out `mssql`'s `pool.connect()` (it returns the pool).
  // The name index hands over the calls ending in those names (in walk order); the text gate is
  // only read when one of them looks like a checkout.
  let gate: boolean | undefined;
  for (const { node, scope } of model.callsNamed('connect', 'getConnection')) {
    if (node.kind !== SyntaxKind.CallExpression || seen.has(node) || model.callAt(node)) continue;
    const callee = unwrapExpression(node.expression);
    if (callee.kind !== SyntaxKind.PropertyAccessExpression || !isPropertyAccessExpression(callee)) continue;
    const method = callee.name.text;
    if (method !== 'connect' && method !== 'getConnection') continue;
    const name = receiverName(callee);
    if (!name) continue;
    const isPg = method === 'connect' && POOL_NAME.test(name);
    const isMysql = method === 'getConnection' && /pool|db|mysql|database/i.test(name);
    if (!isPg && !isMysql) continue;
    if (!(gate ??= hasCheckoutText(model.sourceFile.text))) return out;
    if (model.resolver.resolve(callee.expression, scope)) continue; // something the model knows: not a pool of ours
    out.push(isPg ? { node, spec: PG_SPEC, known: false, library: 'pg' } : { node, spec: MYSQL_SPEC, known: false, library: 'mysql' });
  }
  return out;
}

/** For checkouts recognised by name only: the code must treat the result as a checkout (it releases it somewhere). */
function looksLikeCheckout(checkout: Checkout, verdict: ReleaseVerdict, text: string): boolean {
  if (checkout.known) return true;
  if (verdict.kind !== 'leaks' || verdict.form === 'discarded') return false;
  // The callback form with a third `done` parameter is pg-pool's signature.
  const last = checkout.node.arguments[checkout.node.arguments.length - 1];
  const cb = last && unwrapExpression(last);
  if (cb && (isArrowFunction(cb) || isFunctionExpression(cb))) {
    if (checkout.library === 'pg' && cb.parameters.length >= 3) return true;
    const p = cb.parameters[1];
    return !!p && isIdentifier(p.name) && new RegExp(`\\b${p.name.text}\\s*\\??\\.\\s*release\\s*\\(`).test(text.slice(cb.pos, cb.end));
  }
  if (verdict.variable) {
    const name = isVariableDeclaration(verdict.variable) ? verdict.variable.name : verdict.variable.left;
    const fn = enclosingBody(checkout.node);
    return isIdentifier(name) && !!fn && new RegExp(`\\b${name.text}\\s*\\??\\.\\s*release\\s*\\(`).test(text.slice(fn.pos, fn.end));
  }
  return true;
}

function enclosingBody(node: ts.Node): ts.Node | undefined {
  for (let n = node.parent; n; n = n.parent) if (isFunctionLike(n)) return (n as ts.FunctionLikeDeclaration).body;
  return undefined;
}

function poolFacts(pool: NetworkCall | undefined, library: 'pg' | 'mysql'): { max: number | string; wait: string } {
  const maxKey = library === 'pg' ? 'max' : 'connectionLimit';
  const max = pool?.options.find((o) => o.key === maxKey);
  const timeout = pool?.options.find((o) => o.key === (library === 'pg' ? 'connectionTimeoutMillis' : 'acquireTimeout'));
  const maxValue = max?.value.kind === 'number' ? max.value.value : max ? `\`${maxKey}\`` : 10;
  const timeoutSet = timeout && !(timeout.value.kind === 'number' && timeout.value.value === 0);
  const wait = timeoutSet ? ' until the acquire timeout' : library === 'pg' ? ' forever (`connectionTimeoutMillis` defaults to 0)' : ' forever (unbounded queue)';
  return { max: maxValue, wait };
}

function lineOf(sf: ts.SourceFile, node: ts.Node): number {
  return sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1;
}

function describeExit(context: RuleContext<MessageIds>, path: LeakPath): string {
  const sf = context.sourceFile;
  switch (path.reason) {
    case 'return':
      return 'returns here without releasing it';
    case 'throw':
      return 'throws here without releasing it';
    case 'exception':
      return `if this rejects, the client is never released`;
    case 'rejection':
      return 'releases only when this promise fulfils';
    case 'end':
      return `reaches the end of the function (line ${sf.getLineAndCharacterOfPosition(path.node.end).line + 1}) without releasing it`;
    default:
      return 'never released';
  }
}

/**
 * `const c = await pool.connect(); …rest…` → `const c = await pool.connect(); try { …rest… } finally { c.release(); }`,
 * removing the release statements the rest already has. Offered only when every release is a plain
 * `c.release();` statement inside the moved code, so none can run twice.
 */
function tryFinallyFix(context: RuleContext<MessageIds>, verdict: Extract<ReleaseVerdict, { kind: 'leaks' }>): Fix[] {
  const { sourceFile: sf, text } = context;
  const decl = verdict.variable;
  if (!decl || !isVariableDeclaration(decl) || !isIdentifier(decl.name)) return [];
  const statement = decl.parent?.parent;
  if (!statement || !isVariableStatement(statement) || !statement.parent || !isBlock(statement.parent)) return [];
  const siblings = statement.parent.statements;
  const rest = siblings.slice(siblings.indexOf(statement) + 1);
  // Moving a hoisted declaration into a block would change where it can be used.
  if (rest.length === 0 || rest.some((st) => isFunctionDeclaration(st) || isClassDeclaration(st))) return [];
  const name = decl.name.text;
  const start = lineStartOf(text, rest[0].getStart(sf));
  const end = rest[rest.length - 1].end;
  // Every `name.release(…)` in the function must be a statement of its own inside the moved range.
  const fnBody = enclosingBody(statement);
  const releases: ts.Statement[] = [];
  let safe = true;
  const visit = (n: ts.Node): 'stop' | undefined => {
    if (!safe) return 'stop';
    if (isTemplateExpression(n) || isNoSubstitutionTemplateLiteral(n)) {
      if (n.pos >= start && n.end <= end && text.slice(n.getStart(sf), n.end).includes('\n')) safe = false; // re-indenting would change it
    }
    if (isCallExpression(n)) {
      const callee = unwrapExpression(n.expression);
      if (isPropertyAccessExpression(callee) && callee.name.text === 'release' && isIdentifier(unwrapExpression(callee.expression)) && (unwrapExpression(callee.expression) as ts.Identifier).text === name) {
        const st = n.parent;
        // `client.release(err)` / `release(true)` destroy a broken client: not the same as a plain release.
        if (n.arguments.length > 0 || !st || !isExpressionStatement(st) || st.expression !== n || !st.parent || !isBlock(st.parent) || st.pos < start || st.end > end) safe = false;
        else releases.push(st);
      }
    }
    return undefined;
  };
  if (fnBody) walkTree(fnBody, visit);
  if (!safe) return [];
  // Cut the release statements out of the moved text, then indent it one level.
  const cuts = releases.map((st) => removeStatement(st, sf)).sort((a, b) => b.start - a.start);
  let moved = text.slice(start, end);
  for (const c of cuts) {
    // Leave nothing but the line break behind a statement that shared its line (`a(); c.release();`).
    let from = c.start - start;
    while (from > 0 && (moved[from - 1] === ' ' || moved[from - 1] === '\t') && c.start !== lineStartOf(text, c.start)) from--;
    moved = moved.slice(0, from) + moved.slice(c.end - start);
  }
  const indent = indentationAt(text, statement.getStart(sf));
  const unit = indentUnit(text);
  const reindented = moved
    .split('\n')
    .map((line) => (line.trim() ? unit + line : line.trimEnd()))
    .join('\n')
    .replace(/\n+$/, '');
  const semi = text.slice(statement.getStart(sf), statement.end).trimEnd().endsWith(';') ? ';' : '';
  const newText = `${indent}try {\n${reindented}\n${indent}} finally {\n${indent}${unit}${name}.release()${semi}\n${indent}}`;
  return [{ title: `Release \`${name}\` in a \`finally\` block`, edits: [{ start, end, newText }], preferred: true }];
}

export default createRule<MessageIds>({
  meta: {
    id: 'pool-connection-not-released',
    lesson: 'database-clients',
    severity: 'warning',
    title: 'Pool connection not released on every path',
    description:
      'A client checked out with `pool.connect()` (pg) or `pool.getConnection()` (mysql/mysql2) keeps a live server connection reserved until `release()` is called. A path that returns early, throws, or lets an awaited query reject without releasing it leaks that connection for good (and any open transaction with its row locks). After `max` leaks (10 by default) every query waits for a free connection — forever with pg\'s default `connectionTimeoutMillis: 0` — while the process looks healthy. Release in a `finally` block, or use `pool.query()` for single statements.',
    messages: {
      return: 'The client checked out here is not released on the return at line {{line}}: each such call keeps one of the pool\'s {{max}} connections for good, and then every query waits{{wait}}. Release it in `finally`.',
      throw: 'The client checked out here is not released when line {{line}} throws: each such call keeps one of the pool\'s {{max}} connections for good, and then every query waits{{wait}}. Release it in `finally`.',
      exception: 'If the awaited call at line {{line}} rejects, the client checked out here is never released: each failure keeps one of the pool\'s {{max}} connections for good, and then every query waits{{wait}}. Release it in `finally`.',
      rejection: 'The client checked out here is released only when the promise at line {{line}} fulfils; a failed query keeps one of the pool\'s {{max}} connections for good, and then every query waits{{wait}}. Release it in `.finally()`.',
      end: 'The client checked out here is not released on every path through this function: each such call keeps one of the pool\'s {{max}} connections for good, and then every query waits{{wait}}.',
      discarded: '`{{api}}` checks out a client and drops it: it is never released, so each call keeps one of the pool\'s {{max}} connections for good, and then every query waits{{wait}}. Use `pool.query()` or release the client.',
    },
    fixable: true,
  },
  check(context) {
    const { model, sourceFile: sf, text } = context;
    for (const checkout of checkouts(model)) {
      const verdict = releaseOnEveryPath(model, checkout.node, checkout.spec);
      if (verdict.kind !== 'leaks' || !looksLikeCheckout(checkout, verdict, text)) continue;
      const first = verdict.paths[0];
      const { max, wait } = poolFacts(checkout.pool, checkout.library);
      const related: RelatedLocation[] = verdict.form === 'discarded' ? [] : verdict.paths.slice(0, 5).map((p) => ({ range: p.reason === 'end' ? { start: p.node.end - 1, end: p.node.end } : range(p.node, sf), message: describeExit(context, p) }));
      if (checkout.pool) related.push({ range: checkout.pool.range, message: `${checkout.pool.api} creates the pool here` });
      const callee = checkout.node.expression;
      const messageId: MessageIds = first.reason;
      context.report({
        messageId,
        data: { line: lineOf(sf, first.node), max, wait, api: `${text.slice(callee.getStart(sf), callee.end)}()` },
        range: range(callee, sf),
        related,
        fixes: verdict.form === 'variable' ? tryFinallyFix(context, verdict) : [],
      });
    }
  },
});
