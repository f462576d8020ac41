// Before Node 19, `server.close()` stops accepting but leaves idle keep-alive connections open until
// their timeout: shutdown waits for them, past the orchestrator's grace period, and ends in SIGKILL.
import ts = require('typescript');
import { enclosingFunction } from '../analysis/context';
import { enclosingStatement, insertLinesAfter } from '../analysis/edits';
import { range } from '../analysis/fileModel';
import { httpServers } from '../analysis/servers';
import { someAnchoredMatch, type Anchored } from '../analysis/textSearch';
import type { Fix } from '../analysis/types';
import { createRule } from './createRule';

// The compiler's exports are getters (a call per read); bind the functions used here once.
const { isCallExpression, isExpressionStatement, isIdentifier, isPropertyAccessExpression, isStringLiteralLike } = ts;

type MessageIds = 'noDrain';

const SIGNALS = new Set(['SIGTERM', 'SIGINT', 'SIGHUP', 'SIGQUIT', 'beforeExit']);
const DRAINS = new Set(['closeIdleConnections', 'closeAllConnections']);

/** Inside a `process.on('SIGTERM', …)` listener, at any depth. */
function inSignalHandler(node: ts.Node): boolean {
  for (let fn = enclosingFunction(node); fn; fn = enclosingFunction(fn)) {
    const call = fn.parent;
    if (!call || !isCallExpression(call)) continue;
    const callee = call.expression;
    const first = call.arguments[0];
    const isSignal = !!first && ((isStringLiteralLike(first) && SIGNALS.has(first.text)) || (isIdentifier(first) && /^sig(nal)?(name)?$/i.test(first.text)));
    if (isPropertyAccessExpression(callee) && isIdentifier(callee.expression) && callee.expression.text === 'process' && /^(on|once|addListener)$/.test(callee.name.text) && isSignal) return true;
  }
  return false;
}

const quotedBefore = (text: string, at: number) => text[at - 1] === "'" || text[at - 1] === '"';

/**
 * A shutdown library named in quotes (`require('stoppable')`, `from "http-terminator"`): the expression
 * `/['"](stoppable|http-terminator|@godaddy\/terminus|lightship)['"]/`, searched for literal-first.
 */
export const NAMES_SHUTDOWN_LIBRARY: readonly Anchored[] = ['stoppable', 'http-terminator', '@godaddy/terminus', 'lightship'].map((name) => ({
  literal: name,
  pattern: new RegExp(`${name.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}['"]`, 'y'),
  where: quotedBefore,
}));

export default createRule<MessageIds>({
  meta: {
    id: 'server-close-without-idle-drain',
    lesson: 'closing-connections',
    severity: 'info',
    title: 'Server closed without draining idle connections',
    description:
      'On a shutdown signal, `server.close()` stops accepting connections and waits for the open ones to end. Before Node 19 it does not close idle keep-alive connections: they stay until `keepAliveTimeout` expires, which after raising it above the load balancer\'s idle timeout is more than a minute, so the orchestrator\'s grace period runs out and the process is killed mid-request. Call `server.closeIdleConnections()` (Node 18.2+) after `close()`, and close the rest after a deadline.',
    messages: {
      noDrain: 'On Node {{node}}, `server.close()` leaves idle keep-alive connections open until their timeout: shutdown stalls and the orchestrator kills the process mid-request. Call `server.closeIdleConnections()` after it.',
    },
    fixable: true,
  },
  check(context) {
    const { model, config, sourceFile: sf } = context;
    if (config.nodeMajor >= 19) return;
    // Shutdown libraries drain connections themselves.
    if (someAnchoredMatch(context.text, NAMES_SHUTDOWN_LIBRARY)) return;
    for (const server of httpServers(model)) {
      if (server.uses.some((u) => DRAINS.has(u.method))) continue;
      for (const use of server.uses) {
        if (use.method !== 'close' || !inSignalHandler(use.call)) continue;
        const statement = enclosingStatement(use.call);
        const receiver = (use.call.expression as ts.PropertyAccessExpression).expression;
        const canFix = config.nodeMajor >= 18 && statement && isExpressionStatement(statement) && isIdentifier(receiver);
        const semi = statement && sf.text.slice(statement.getStart(sf), statement.end).trimEnd().endsWith(';') ? ';' : '';
        const fixes: Fix[] = canFix ? [{ title: 'Call closeIdleConnections() after close()', edits: [insertLinesAfter(statement, [`${receiver.getText(sf)}.closeIdleConnections()${semi}`], sf)], preferred: true }] : [];
        context.report({ messageId: 'noDrain', data: { node: config.nodeMajor }, range: range(use.call.expression, sf), fixes });
      }
    }
  },
});
