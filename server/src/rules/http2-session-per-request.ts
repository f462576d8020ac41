// HTTP/2's point is one long-lived connection carrying many concurrent streams, with header
// compression (HPACK) that gets cheaper as its table fills. A session opened for one request and
// closed after it pays TCP + TLS + the SETTINGS exchange every time and always starts with an empty
// header table: HTTP/1.1 without keep-alive, with more framing.
import ts = require('typescript');
import { enclosingFunction, isLazyInitialisation, runFrequency } from '../analysis/context';
import type { FileModel, MethodUse } from '../analysis/fileModel';
import { range } from '../analysis/fileModel';
import type { NetworkCall } from '../analysis/types';
import { flowOfValue } from '../analysis/valueFlow';
import { createRule } from './createRule';

// The compiler's exports are getters (a call per read); bind the functions used here once.
const { isClassLike, isConstructorDeclaration, isStringLiteralLike } = ts;

type MessageIds = 'perRequest' | 'perCall' | 'singleStream';

const CLOSE_METHODS = new Set(['close', 'destroy']);
const STREAM_DONE_EVENTS = new Set(['close', 'end', 'finish']);

function contains(outer: ts.Node, inner: ts.Node): boolean {
  return inner.pos >= outer.pos && inner.end <= outer.end;
}

/**
 * A close of the session inside a listener for the end of one of its own streams:
 * `req.on('end', () => session.close())` — the session lives exactly as long as one request.
 */
function closedWhenStreamEnds(model: FileModel, session: NetworkCall, closes: readonly MethodUse[]): MethodUse | undefined {
  const streams = model.calls.filter((c) => c.api === 'http2session.request' && c.createdBy === session.index);
  for (const stream of streams) {
    for (const u of model.usesOf(model.nodeOf(stream))) {
      if (u.method !== 'on' && u.method !== 'once' && u.method !== 'addListener') continue;
      const ev = u.call.arguments[0];
      const listener = u.call.arguments[1];
      if (!ev || !isStringLiteralLike(ev) || !STREAM_DONE_EVENTS.has(ev.text) || !listener) continue;
      const close = closes.find((c) => contains(listener, c.call));
      if (close) return close;
    }
  }
  return undefined;
}

function isClassMember(fn: ts.SignatureDeclaration): boolean {
  return !!fn.parent && isClassLike(fn.parent);
}

export default createRule<MessageIds>({
  meta: {
    id: 'http2-session-per-request',
    lesson: 'http2',
    severity: 'info',
    title: 'HTTP/2 session opened per request',
    description:
      'An HTTP/2 session is meant to be long-lived: one TLS connection carries many concurrent streams, and HPACK header compression improves as its dynamic table fills. Calling `http2.connect()` for each request and closing the session afterwards pays TCP, TLS and the SETTINGS exchange every time, starts every request with an empty header table, and churns connections at the server (APNs, for one, asks clients to keep connections open). Keep one session per origin, reconnect on `goaway`/`close`/`error`.',
    messages: {
      perRequest: '`{{api}}` opens a new HTTP/2 session on every request: each pays TCP + TLS + SETTINGS (2–3 round trips, ≈{{ms}} ms at {{rtt}} ms RTT) and starts with an empty HPACK table. Keep one session per origin and send many streams over it.',
      perCall: '`{{api}}` opens an HTTP/2 session for one request and closes it: every call pays TCP + TLS + SETTINGS (2–3 round trips, ≈{{ms}} ms at {{rtt}} ms RTT) and an empty HPACK table, with no multiplexing. Keep one session per origin and reuse it.',
      singleStream: '`{{api}}` opens a session that is closed when its one stream ends: every request pays TCP + TLS + SETTINGS (2–3 round trips, ≈{{ms}} ms at {{rtt}} ms RTT) and an empty HPACK table, with no multiplexing. Keep one session per origin and reuse it.',
    },
    fixable: false,
  },
  check(context) {
    const { model, config, text } = context;
    if (context.isTestFile) return;
    for (const call of model.calls) {
      if (call.api !== 'http2.connect') continue;
      const node = model.nodeOf(call);
      const fn = enclosingFunction(node);
      if (!fn || isLazyInitialisation(node)) continue;
      const frequency = runFrequency(node, model);
      const uses = model.usesOf(node);
      const closes = uses.filter((u) => CLOSE_METHODS.has(u.method));
      const data = { api: `${text.slice(call.calleeRange.start, call.calleeRange.end)}()`, ms: `${2 * config.rttMs}–${3 * config.rttMs}`, rtt: config.rttMs };

      // The session closes as soon as its single stream is done, whoever creates it.
      const singleStream = (frequency !== 'once' || isConstructorDeclaration(fn) || isClassMember(fn)) ? closedWhenStreamEnds(model, call, closes) : undefined;
      if (singleStream) {
        context.report({ messageId: 'singleStream', data, range: call.calleeRange, related: [{ range: range(singleStream.call), message: 'the session is closed when its stream ends' }] });
        continue;
      }
      if (frequency === 'once') continue;
      // Where the session goes (a walk of the whole function): asked only when the answer matters.
      const flow = flowOfValue(model, node, fn);
      if (flow.kept) continue;
      if (frequency === 'per-request' || frequency === 'per-iteration') {
        const close = closes[0];
        context.report({ messageId: 'perRequest', data, range: call.calleeRange, related: close ? [{ range: range(close.call), message: 'and closed here' }] : [] });
        continue;
      }
      // A plain function: the session is made, used for a request and closed within it.
      if (flow.returned || flow.passedOn) continue;
      const request = uses.find((u) => u.method === 'request' && contains(fn, u.call));
      const close = closes.find((u) => contains(fn, u.call));
      if (!request || !close) continue;
      context.report({
        messageId: 'perCall',
        data,
        range: call.calleeRange,
        related: [
          { range: range(request.call), message: 'one request' },
          { range: range(close.call), message: 'then the session is closed' },
        ],
      });
    }
  },
});
