// The mirror image of a server whose keep-alive timeout is below its load balancer's: a client pool
// that keeps idle sockets longer than the server does reuses a socket the server is closing. The
// server's FIN and the client's next request cross on the wire, and the request fails with
// ECONNRESET / "socket hang up" before the server read a byte of it.
import { idleTimeoutOf, isNodeAgent, isUsed, keepAliveOf } from '../analysis/agents';
import { addProperty } from '../analysis/edits';
import { someAnchoredMatch, type Anchored } from '../analysis/textSearch';
import type { Fix } from '../analysis/types';
import { createRule } from './createRule';

/** `/\breusedSocket\b/`, searched for literal-first (a whole-file test on every edit). */
export const MENTIONS_REUSED_SOCKET: readonly Anchored[] = [{ literal: 'reusedSocket', wordStart: true, pattern: /reusedSocket\b/y }];

type MessageIds = 'noIdleTimeout' | 'idleTooLong';

/** Node's default `server.keepAliveTimeout`: 5 s up to Node 25, 65 s from Node 26. */
function serverKeepAliveMs(nodeMajor: number): number {
  return nodeMajor >= 26 ? 65_000 : 5_000;
}

export default createRule<MessageIds>({
  meta: {
    id: 'client-keepalive-outlives-server',
    lesson: 'idle-timeout-alignment',
    severity: 'info',
    title: 'Client keeps idle connections longer than the server',
    description:
      'A keep-alive agent without an idle timeout (or with one longer than the server\'s) keeps a pooled socket until the server closes it. Node servers close idle connections after 5 s (65 s from Node 26); when the server\'s FIN and the client\'s next request cross on the wire, the request fails with ECONNRESET or "socket hang up" before the server saw it — safe to retry only if idempotent. Keep the client\'s idle timeout a margin below the server\'s (undici does this from the `Keep-Alive: timeout=` hint; Node\'s `http.Agent` does not), or retry idempotent requests when `req.reusedSocket` is true.',
    messages: {
      noIdleTimeout: '{{api}} keeps idle sockets until the server closes them (a Node server after {{server}} s): a request sent as the server\'s FIN arrives fails with ECONNRESET / "socket hang up". Set `timeout` below the server\'s keep-alive timeout.',
      idleTooLong: '{{api}} keeps idle sockets for {{ms}} ms, longer than a Node server\'s {{server}} s keep-alive: a request sent as the server\'s FIN arrives fails with ECONNRESET / "socket hang up". Keep the idle timeout below the server\'s.',
    },
    fixable: true,
  },
  check(context) {
    const { model, sourceFile: sf } = context;
    if (context.isTestFile) return;
    // Only Node agents are reported: without one the file need not be searched.
    if (!model.calls.some(isNodeAgent)) return;
    // Retrying on a reused socket is the other correct answer to the race.
    if (someAnchoredMatch(context.text, MENTIONS_REUSED_SOCKET)) return;
    const serverMs = serverKeepAliveMs(context.config.nodeMajor);
    for (const call of model.calls) {
      if (!isNodeAgent(call)) continue;
      const keepAlive = keepAliveOf(model, call);
      // A `keepAlive` option fed from configuration counts as on: that is what it is there for.
      if (keepAlive.state !== 'on' && !(keepAlive.state === 'unknown' && keepAlive.option)) continue;
      const node = model.nodeOf(call);
      if (!isUsed(model, node)) continue;
      const idle = idleTimeoutOf(model, call);
      const data = { api: call.api, server: serverMs / 1000 };
      if (idle.state === 'none') {
        const obj = model.optionsObject(call);
        const hasTimeoutKey = call.options.some((o) => /^(timeout|freeSocketTimeout)$/.test(o.key));
        const key = call.library === 'agentkeepalive' ? 'freeSocketTimeout' : 'timeout';
        const fixes: Fix[] = obj && !hasTimeoutKey ? [{ title: `Add \`${key}: ${serverMs - 1000}\` (below the server's ${serverMs / 1000} s)`, edits: [addProperty(obj, `${key}: ${serverMs - 1000}`, sf)], preferred: true }] : [];
        context.report({ messageId: 'noIdleTimeout', data, range: call.calleeRange, fixes });
      } else if (idle.state === 'ms' && idle.ms >= serverMs) {
        context.report({ messageId: 'idleTooLong', data: { ...data, ms: idle.ms }, range: call.calleeRange });
      }
    }
  },
});
