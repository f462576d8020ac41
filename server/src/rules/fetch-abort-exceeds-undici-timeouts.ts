// An abort signal is a wall-clock cap on the whole fetch; undici's per-connection timers run
// independently. With the default dispatcher, a response whose headers take longer than 300 s (or
// whose body pauses for 300 s) fails with HeadersTimeoutError / BodyTimeoutError long before a
// 10-minute signal fires.
import ts = require('typescript');
import { range } from '../analysis/fileModel';
import type { FileModel } from '../analysis/fileModel';
import { unwrapExpression } from '../analysis/resolve';
import type { Scope } from '../analysis/scope';
import { someAnchoredMatch, type Anchored } from '../analysis/textSearch';
import type { NetworkCall, TextRange } from '../analysis/types';
import { constInitializer, staticValue } from '../analysis/values';
import { createRule } from './createRule';

// The compiler's exports are getters (a call per read); bind the functions used here once.
const { isArrayLiteralExpression, isArrowFunction, isCallExpression, isFunctionExpression, isIdentifier, isPropertyAccessExpression } = ts;

type MessageIds = 'exceeds';

/** `/\bsetGlobalDispatcher\s*\(/`, searched for literal-first (a whole-file test on every edit). */
export const SETS_GLOBAL_DISPATCHER: readonly Anchored[] = [{ literal: 'setGlobalDispatcher', wordStart: true, pattern: /setGlobalDispatcher\s*\(/y }];

/** undici's default `headersTimeout` and `bodyTimeout`. */
const UNDICI_TIMEOUT_MS = 300_000;

interface AbortTimeout {
  ms: number;
  /** Where the timeout is set (`AbortSignal.timeout(…)`, the `setTimeout` that aborts). */
  node: ts.Node;
}

function isAbortSignalTimeout(e: ts.Expression): e is ts.CallExpression {
  const callee = isCallExpression(e) ? unwrapExpression(e.expression) : undefined;
  return !!callee && isPropertyAccessExpression(callee) && callee.name.text === 'timeout' && isIdentifier(callee.expression) && callee.expression.text === 'AbortSignal';
}

/** The time after which a `signal` expression aborts, when it is a constant timeout. */
function abortTimeout(model: FileModel, expr: ts.Expression, scope: Scope, depth = 0): AbortTimeout | undefined {
  if (depth > 4) return undefined;
  const e = unwrapExpression(expr);
  if (isAbortSignalTimeout(e)) {
    const v = staticValue(e.arguments[0], scope);
    return v.kind === 'number' ? { ms: v.value, node: e } : undefined;
  }
  // `AbortSignal.any([user, AbortSignal.timeout(n)])` fires at the earliest of its timeouts.
  if (isCallExpression(e)) {
    const callee = unwrapExpression(e.expression);
    if (isPropertyAccessExpression(callee) && callee.name.text === 'any' && isIdentifier(callee.expression) && callee.expression.text === 'AbortSignal') {
      const list = e.arguments[0] && unwrapExpression(e.arguments[0]);
      if (!list || !isArrayLiteralExpression(list)) return undefined;
      const timeouts = list.elements.map((x) => abortTimeout(model, x, scope, depth + 1)).filter((t): t is AbortTimeout => !!t);
      return timeouts.sort((a, b) => a.ms - b.ms)[0];
    }
  }
  if (isIdentifier(e)) {
    const init = constInitializer(e, scope);
    return init ? abortTimeout(model, init, scope, depth + 1) : undefined;
  }
  // `controller.signal` with `setTimeout(() => controller.abort(), n)`.
  if (isPropertyAccessExpression(e) && e.name.text === 'signal' && isIdentifier(e.expression)) return controllerTimeout(model, e.expression.text);
  return undefined;
}

function controllerTimeout(model: FileModel, controller: string): AbortTimeout | undefined {
  for (const site of model.callsNamed('setTimeout')) {
    const call = site.node;
    if (!isCallExpression(call) || !isIdentifier(call.expression) || call.expression.text !== 'setTimeout' || call.arguments.length < 2) continue;
    const cb = unwrapExpression(call.arguments[0]);
    if (!isArrowFunction(cb) && !isFunctionExpression(cb)) continue;
    const body = cb.body.getText();
    if (!new RegExp(`(^|[^\\w$])${controller.replace(/\$/g, '\\$')}\\.abort\\(`).test(body)) continue;
    const v = staticValue(call.arguments[1], site.scope);
    if (v.kind === 'number') return { ms: v.value, node: call };
  }
  return undefined;
}

function human(ms: number): string {
  const s = ms / 1000;
  return s >= 120 && s % 60 === 0 ? `${s / 60} min` : `${s} s`;
}

export default createRule<MessageIds>({
  meta: {
    id: 'fetch-abort-exceeds-undici-timeouts',
    lesson: 'retransmission-and-timeouts',
    severity: 'warning',
    title: 'fetch abort timeout longer than undici\'s own timeouts',
    description:
      'An abort signal caps the whole `fetch`, but Node\'s fetch runs on undici, whose default dispatcher also gives up on its own: 300 s without response headers (`headersTimeout`) or 300 s without a body chunk (`bodyTimeout`; briefly 30 s in Node 18.14.1). A signal longer than that never fires for a slow server: the request fails at about 300 s with HeadersTimeoutError or "terminated" instead. Pass a `dispatcher` (an undici `Agent` created once, with longer `headersTimeout`/`bodyTimeout`) for calls that really need more time.',
    messages: {
      exceeds: '`AbortSignal.timeout({{ms}})` allows {{human}}, but undici\'s default dispatcher ends the request after 300 s without headers (or 300 s between body chunks), with HeadersTimeoutError / "terminated". Pass a `dispatcher` with longer `headersTimeout`/`bodyTimeout`.',
    },
    fixable: false,
  },
  check(context) {
    const { model, sourceFile: sf } = context;
    // A global dispatcher set here decides the timeouts; one set in another module cannot be seen.
    if (!model.calls.some((call) => isUndiciFetch(call, context.config.nodeMajor))) return;
    if (someAnchoredMatch(context.text, SETS_GLOBAL_DISPATCHER)) return;
    for (const call of model.calls) {
      if (!isUndiciFetch(call, context.config.nodeMajor)) continue;
      if (call.optionsUnknown || call.options.some((o) => o.key === 'dispatcher')) continue;
      const signal = model.optionValue(call, 'signal');
      if (!signal) continue;
      const timeout = abortTimeout(model, signal, model.scopeOf(call));
      if (!timeout || timeout.ms <= UNDICI_TIMEOUT_MS) continue;
      // The timeout itself when it is written in the call; otherwise the `signal` option that brings it in.
      const inline = timeout.node.pos >= signal.pos && timeout.node.end <= signal.end;
      const anchor: TextRange = inline ? range(timeout.node, sf) : range(signal.parent, sf);
      context.report({
        messageId: 'exceeds',
        data: { ms: timeout.ms, human: human(timeout.ms) },
        range: anchor,
        related: inline ? [] : [{ range: range(timeout.node, sf), message: `the ${human(timeout.ms)} timeout is set here` }],
      });
    }
  },
});

function isUndiciFetch(call: NetworkCall, nodeMajor: number): boolean {
  if (call.api === 'undici.fetch') return true;
  // Global fetch is undici from Node 18 on.
  return call.library === 'fetch' && call.role === 'request' && nodeMajor >= 18;
}
