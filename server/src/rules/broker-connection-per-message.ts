// A message broker connection is expensive to open and cheap to keep: Kafka needs TCP (+TLS, SASL),
// an ApiVersions and a Metadata exchange, then connections to each partition leader; AMQP needs TCP
// (+TLS), a three-round-trip handshake and a channel. Connecting and disconnecting around every
// publish pays all of it per message and makes concurrent callers race each other's disconnect.
import ts = require('typescript');
import { enclosingFunction, runFrequency } from '../analysis/context';
import type { FileModel, MethodUse } from '../analysis/fileModel';
import { range } from '../analysis/fileModel';
import { unwrapExpression } from '../analysis/resolve';
import type { NetworkCall } from '../analysis/types';
import { createRule } from './createRule';

// The compiler's exports are getters (a call per read); bind the functions used here once.
const { isArrowFunction, isCallExpression, isFunctionExpression } = ts;

type MessageIds = 'kafka' | 'amqp';

const CLOSE_METHODS = new Set(['disconnect', 'close']);
const KAFKA_SEND = new Set(['send', 'sendBatch']);
const AMQP_PUBLISH = new Set(['publish', 'sendToQueue']);
const CHANNEL_FACTORIES = new Set(['createChannel', 'createConfirmChannel']);

function contains(outer: ts.Node, inner: ts.Node): boolean {
  return inner.pos >= outer.pos && inner.end <= outer.end;
}

/** Parameter `index` of the callback passed last to `call`, as the origin the resolver gives it. */
function callbackParam(call: ts.CallExpression, index: number): ts.Node | undefined {
  const last = call.arguments[call.arguments.length - 1];
  const fn = last && unwrapExpression(last);
  if (!fn || !(isArrowFunction(fn) || isFunctionExpression(fn))) return undefined;
  return fn.parameters[index];
}

/** The objects an acquisition yields: the awaited/returned value (origin = the call) and a callback's parameter. */
function originsOf(call: ts.CallExpression): ts.Node[] {
  const param = callbackParam(call, 1);
  return param ? [call, param] : [call];
}

function usesWithin(model: FileModel, origins: ts.Node[], scope: ts.Node): MethodUse[] {
  return origins.flatMap((o) => model.usesOf(o)).filter((u) => contains(scope, u.call));
}

function roundTrips(lo: number, rtt: number): string {
  return `≈${lo * rtt} ms at ${rtt} ms RTT`;
}

export default createRule<MessageIds>({
  meta: {
    id: 'broker-connection-per-message',
    lesson: 'tcp-handshake',
    severity: 'warning',
    title: 'Broker connection opened per message',
    description:
      'Connecting a Kafka producer or an AMQP connection, publishing, and disconnecting again in the same function pays the whole connection setup for every message: for Kafka TCP (+TLS and SASL), ApiVersions and Metadata requests and a connection to each partition leader; for AMQP TCP (+TLS), the Start/Tune/Open handshake and a channel open. Concurrent callers sharing one producer also race each other\'s disconnect ("The producer is disconnected"). Connect once at startup, publish many times, disconnect on shutdown.',
    messages: {
      kafka: '`{{api}}` connects and disconnects the producer around each send: every message pays TCP (+TLS, SASL), ApiVersions, Metadata and a connection per partition leader (4+ round trips, {{cost}}), and concurrent calls race the disconnect. Connect once at startup.',
      amqp: '`{{api}}` opens a connection for each publish and closes it again: every message pays TCP (+TLS), the AMQP Start/Tune/Open handshake and a channel open (5+ round trips, {{cost}}) and churns broker connections. Connect once and reuse the connection and channel.',
    },
    fixable: false,
  },
  check(context) {
    const { model, config, text } = context;
    if (context.isTestFile) return;
    const apiText = (call: NetworkCall) => `${text.slice(call.calleeRange.start, call.calleeRange.end)}()`;
    for (const call of model.calls) {
      if (call.api !== 'producer.connect' && call.api !== 'amqp.connect') continue;
      const node = model.nodeOf(call);
      if (!isCallExpression(node)) continue;
      const fn = enclosingFunction(node);
      // Top-level code and code that runs once (a script's main, an IIFE) connect once by definition.
      if (!fn || runFrequency(node, model) === 'once') continue;
      const body = (fn as ts.FunctionLikeDeclaration).body;
      if (!body) continue;

      if (call.api === 'producer.connect') {
        const producer = model.resolver.resolveCall(node, model.scopeOf(call))?.receiver?.origin;
        if (!producer) continue;
        const uses = usesWithin(model, [producer], body);
        const close = uses.find((u) => CLOSE_METHODS.has(u.method));
        const send = uses.find((u) => KAFKA_SEND.has(u.method));
        if (!close || !send) continue;
        context.report({
          messageId: 'kafka',
          data: { api: apiText(call), cost: roundTrips(4, config.rttMs) },
          range: call.calleeRange,
          related: [
            { range: range(send.call), message: 'the message is sent here' },
            { range: range(close.call), message: 'and the producer disconnected here' },
          ],
        });
        continue;
      }

      const connection = originsOf(node);
      const uses = usesWithin(model, connection, body);
      const close = uses.find((u) => CLOSE_METHODS.has(u.method));
      if (!close) continue;
      const channels = uses.filter((u) => CHANNEL_FACTORIES.has(u.method)).flatMap((u) => originsOf(u.call));
      const publish = usesWithin(model, channels, body).find((u) => AMQP_PUBLISH.has(u.method));
      if (!publish) continue;
      context.report({
        messageId: 'amqp',
        data: { api: apiText(call), cost: roundTrips(5, config.rttMs) },
        range: call.calleeRange,
        related: [
          { range: range(publish.call), message: 'the message is published here' },
          { range: range(close.call), message: 'and the connection closed here' },
        ],
      });
    }
  },
});
