// A reset or a timeout does not tell the client whether the server executed the request: replaying
// a POST can run it twice. And retries that do not wait longer each time (with jitter) turn a short
// outage into a retry storm: every client hits the recovering server again at the same moment.
import ts = require('typescript');
import { propertyKey } from '../analysis/facts';
import { mergeInWalkOrder, range } from '../analysis/fileModel';
import type { FileModel } from '../analysis/fileModel';
import { unwrapExpression } from '../analysis/resolve';
import { sitesCallingBound } from '../analysis/localCalls';
import type { Binding } from '../analysis/scope';
import { literalTest, someAnchoredMatch } from '../analysis/textSearch';
import { retriesIn, type Retry } from '../analysis/retries';
import type { NetworkCall } from '../analysis/types';
import { constInitializer } from '../analysis/values';
import { createRule, type RuleContext } from './createRule';

// The compiler's exports are getters (a call per read); bind the functions used here once.
const { isArrayLiteralExpression, isArrowFunction, isBinaryExpression, isCallExpression, isDoStatement, isExpression, isFunctionExpression, isIdentifier, isIterationStatement, isNewExpression, isNumericLiteral, isObjectLiteralExpression, isPropertyAccessExpression, isPropertyAssignment, isSpreadAssignment, isStringLiteralLike } = ts;

type MessageIds = 'noDelay' | 'fixedDelay' | 'nonIdempotentRetry' | 'nonIdempotentConfig' | 'axiosRetryNoDelay';

const NON_IDEMPOTENT = new Set(['POST', 'PATCH', 'CONNECT']);
const IDEMPOTENCY_KEY = /idempotency[-_]?key|x-request-id/i;
/** axios-retry conditions that retry regardless of the method. */
const METHOD_BLIND_CONDITIONS = new Set(['isNetworkError', 'isRetryableError']);

function describe(retry: Retry): string {
  if (retry.requests.length) return retry.requests[0].api;
  return retry.reconnect ? `${retry.reconnect}()` : 'the call';
}

/** POST/PATCH by the API name (`axios.post`) or a `method` option. */
function nonIdempotentMethod(call: NetworkCall): string | undefined {
  const m = /\.(post|patch)(Form)?$/i.exec(call.api);
  if (m) return m[1].toUpperCase();
  const o = call.options.find((x) => x.key === 'method' && x.value.kind === 'string');
  if (o && o.value.kind === 'string' && NON_IDEMPOTENT.has(o.value.value.toUpperCase())) return o.value.value.toUpperCase();
  return undefined;
}

function carriesIdempotencyKey(model: FileModel, call: NetworkCall, text: string): boolean {
  if (call.options.some((o) => IDEMPOTENCY_KEY.test(o.key))) return true;
  const node = model.nodeOf(call);
  return IDEMPOTENCY_KEY.test(text.slice(node.pos, node.end));
}

const LOOPBACK = /^(localhost|127\.\d+\.\d+\.\d+|::1|\[::1\])$/i;

/**
 * A connection to this machine (`localhost`, or a host that falls back to it: `opt.host || 'localhost'`):
 * one client retrying its own local server is no storm against a shared one.
 */
function targetsLoopback(model: FileModel, call: NetworkCall): boolean {
  if (call.host !== undefined) return LOOPBACK.test(call.host);
  const host = model.optionValue(call, 'host') ?? model.optionValue(call, 'hostname');
  if (!host) return false;
  let e = unwrapExpression(host);
  if (isIdentifier(e)) e = unwrapExpression(constInitializer(e, model.scopeOf(call)) ?? e);
  if (isBinaryExpression(e) && (e.operatorToken.kind === ts.SyntaxKind.BarBarToken || e.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken)) {
    const fallback = unwrapExpression(e.right);
    return isStringLiteralLike(fallback) && LOOPBACK.test(fallback.text);
  }
  return false;
}

function anchorRange(node: ts.Node, sf: ts.SourceFile) {
  // A loop is underlined on its keyword line, not its whole body.
  if (isIterationStatement(node, false)) {
    const start = node.getStart(sf);
    const firstBrace = isDoStatement(node) ? start + 2 : node.statement.getStart(sf);
    return { start, end: Math.max(start + 1, firstBrace) };
  }
  return range(node, sf);
}

function checkHandWritten(context: RuleContext<MessageIds>): void {
  const { model, sourceFile: sf, text } = context;
  const reported = new Set<ts.Node>();
  for (const retry of retriesIn(model)) {
    if (reported.has(retry.anchor)) continue;
    if (retry.requests.length > 0 && retry.requests.every((c) => targetsLoopback(model, c))) continue;
    const where = anchorRange(retry.anchor, sf);
    const related = retry.requests.length ? [{ range: retry.requests[0].calleeRange, message: `${retry.requests[0].api} is tried again` }] : [];
    const replayed = retry.afterFailure ? retry.requests.find((c) => nonIdempotentMethod(c) && !carriesIdempotencyKey(model, c, text)) : undefined;
    if (replayed) {
      reported.add(retry.anchor);
      context.report({ messageId: 'nonIdempotentRetry', data: { api: replayed.api, method: nonIdempotentMethod(replayed)! }, range: where, related });
      continue;
    }
    if (retry.delay.kind === 'none') {
      reported.add(retry.anchor);
      context.report({ messageId: 'noDelay', data: { api: describe(retry) }, range: where, related });
    } else if (retry.delay.kind === 'constant' && !retry.bounded) {
      reported.add(retry.anchor);
      context.report({ messageId: 'fixedDelay', data: { api: describe(retry), ms: retry.delay.ms }, range: where, related });
    }
  }
}

function stringElements(arr: ts.ArrayLiteralExpression): string[] {
  return arr.elements.flatMap((e) => {
    const u = unwrapExpression(e);
    return isStringLiteralLike(u) ? [u.text.toUpperCase()] : [];
  });
}

/** `retry: { methods: ['GET', 'POST'] }` (got, ky), `new RetryAgent(d, { methods })` (undici). */
function checkRetryConfigs(context: RuleContext<MessageIds>): void {
  const { model, sourceFile: sf, text } = context;
  for (const p of model.facts.propertiesByName.get('methods') ?? []) {
    const arr = unwrapExpression(p.initializer);
    if (!isArrayLiteralExpression(arr)) continue;
    const replayed = stringElements(arr).filter((m) => NON_IDEMPOTENT.has(m));
    if (replayed.length === 0) continue;
    const config = p.parent;
    if (!isObjectLiteralExpression(config)) continue;
    const holder = config.parent;
    const isRetryConfig =
      (isPropertyAssignment(holder) && /^retry(Options)?$/.test(propertyKey(holder.name) ?? '')) ||
      ((isCallExpression(holder) || isNewExpression(holder)) && /retry/i.test(holder.expression.getText(sf)));
    if (!isRetryConfig) continue;
    // The client that uses this config sends an idempotency key with its requests.
    const owner = isPropertyAssignment(holder) ? holder.parent : holder;
    if (IDEMPOTENCY_KEY.test(text.slice(owner.pos, owner.end))) continue;
    context.report({ messageId: 'nonIdempotentConfig', data: { methods: replayed.join('/') }, range: range(p, sf) });
  }
}

/** A callee bound to an axios-retry import, or to a variable with an initialiser (which may require it). */
const isAxiosRetryImport = (b: Binding) => b.kind === 'import' && b.module === 'axios-retry';
/** The text names the module somewhere. */
const NAMES_AXIOS_RETRY = literalTest('axios-retry');
const mayBeAxiosRetry = (b: Binding) => isAxiosRetryImport(b) || (b.kind === 'var' && !!b.init);

/** axios-retry: no delay between retries by default; some conditions retry any method. */
function checkAxiosRetry(context: RuleContext<MessageIds>): void {
  const { model, sourceFile: sf } = context;
  // A plain `axiosRetry(…)` is only worth reading when its name comes from axios-retry (an import, or
  // a variable whose initialiser names the module in the text); `x.default(…)` is read whatever
  // `default` means. Both lists are in walk order, merged by index as one pass over the sites would.
  // (A `default` call is among the calls named `default`; one that is no CallExpression, `new x.default(…)`, is passed over anyway.)
  const bound = sitesCallingBound(model, someAnchoredMatch(sf.text, NAMES_AXIOS_RETRY) ? mayBeAxiosRetry : isAxiosRetryImport).filter((site) => site.calleeName !== 'default');
  for (const site of mergeInWalkOrder([model.callsNamed('default'), bound])) {
    const call = site.node;
    if (!isCallExpression(call)) continue;
    const callee = unwrapExpression(call.expression);
    const id = isIdentifier(callee) ? callee : isPropertyAccessExpression(callee) && callee.name.text === 'default' && isIdentifier(callee.expression) ? callee.expression : undefined;
    if (!id) continue;
    const b = site.scope.lookup(id.text);
    const fromAxiosRetry = b?.kind === 'import' ? b.module === 'axios-retry' : b?.kind === 'var' && !!b.init && /require\(\s*['"]axios-retry['"]\s*\)/.test(b.init.getText(sf));
    if (!fromAxiosRetry) continue;
    const optsArg = call.arguments[1] && unwrapExpression(call.arguments[1]);
    if (!optsArg || !isObjectLiteralExpression(optsArg)) continue;
    if (optsArg.properties.some((p) => isSpreadAssignment(p))) continue;
    const prop = (key: string) => optsArg.properties.find((p) => p.name && propertyKey(p.name as ts.PropertyName) === key);
    const condition = prop('retryCondition');
    if (condition && isPropertyAssignment(condition)) {
      const v = unwrapExpression(condition.initializer);
      const name = isIdentifier(v) ? v.text : isPropertyAccessExpression(v) ? v.name.text : undefined;
      const alwaysTrue = (isArrowFunction(v) || isFunctionExpression(v)) && isExpression(v.body) && unwrapExpression(v.body).kind === ts.SyntaxKind.TrueKeyword;
      if ((name && METHOD_BLIND_CONDITIONS.has(name)) || alwaysTrue) {
        context.report({ messageId: 'nonIdempotentConfig', data: { methods: 'every method (POST included)' }, range: range(condition, sf) });
        continue;
      }
    }
    const retries = prop('retries');
    const count = retries && isPropertyAssignment(retries) ? unwrapExpression(retries.initializer) : undefined;
    if (count && isNumericLiteral(count) && Number(count.text) === 0) continue;
    if (!prop('retryDelay')) context.report({ messageId: 'axiosRetryNoDelay', data: { retries: count && isNumericLiteral(count) ? count.text : '3' }, range: range(call, sf) });
  }
}

export default createRule<MessageIds>({
  meta: {
    id: 'retry-without-backoff-or-idempotency',
    lesson: 'retransmission-and-timeouts',
    severity: 'warning',
    title: 'Retry without backoff, or retry of a non-idempotent request',
    description:
      'A connection reset or a timeout does not tell the client whether the server executed the request, so replaying a POST or PATCH can run it twice (a double charge, a duplicate message) unless it carries an idempotency key; safe retries are idempotent methods, or a request that failed on a reused keep-alive socket before any response byte. Retries that do not wait longer each time turn a short outage into a retry storm: clients that failed together retry together, at full rate, exactly when the server is recovering. Back off exponentially with random jitter and a cap.',
    messages: {
      noDelay: 'This retries {{api}} immediately after a failure: no delay, no backoff, no jitter. During an outage every client retries at full rate at once (a retry storm) just as the server tries to recover. Wait between attempts, growing exponentially with jitter.',
      fixedDelay: '{{api}} is retried every {{ms}} ms with no limit: a fixed delay without growth or jitter keeps every client retrying in lock-step during an outage. Back off exponentially (e.g. 2^n × 100 ms, capped) with random jitter.',
      nonIdempotentRetry: '{{api}} ({{method}}) is retried after a failure: a reset or timeout does not tell whether the server already executed it, so the retry can run it twice. Retry only idempotent requests, or send an Idempotency-Key the server deduplicates.',
      nonIdempotentConfig: 'This retry config replays {{methods}} after resets and timeouts: the server may already have executed the request, so a retry can run it twice (a double charge). Retry only idempotent methods, or send an Idempotency-Key.',
      axiosRetryNoDelay: 'axios-retry retries up to {{retries}} times with no delay unless `retryDelay` is set: a failing server gets every retry at once, from every client (a retry storm). Set `retryDelay: axiosRetry.exponentialDelay` (exponential with jitter).',
    },
    fixable: false,
  },
  check(context) {
    if (context.isTestFile) return;
    checkHandWritten(context);
    checkRetryConfigs(context);
    checkAxiosRetry(context);
  },
});
