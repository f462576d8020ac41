// gRPC servers police keepalive pings: by default they accept at most one ping per 5 minutes on a
// connection that carries no data, count every earlier one as a strike, and after 2 strikes answer
// with GOAWAY ENHANCE_YOUR_CALM "too_many_pings" — which fails every call on that connection. A
// client keepalive below the server's minimum looks like liveness insurance and works like a fuse.
import ts = require('typescript');
import type { FileModel } from '../analysis/fileModel';
import { range } from '../analysis/fileModel';
import { unwrapExpression } from '../analysis/resolve';
import type { Scope } from '../analysis/scope';
import { staticValue } from '../analysis/values';
import { createRule } from './createRule';

// The compiler's exports are getters (a call per read); bind the functions used here once.
const { isCallExpression, isIdentifier, isNewExpression, isObjectLiteralExpression, isVariableDeclaration } = ts;

type MessageIds = 'tooAggressive';

const KEY = 'grpc.keepalive_time_ms';
/** Servers' default `grpc.http2.min_ping_interval_without_data_ms` (gRPC core, grpc-go, grpc-js). */
const SERVER_MIN_MS = 300_000;
const SUGGESTED = '360_000';
/** Server-side settings that say this team also runs a server that accepts faster pings. */
const SERVER_POLICY_KEYS = ['grpc.http2.min_ping_interval_without_data_ms', 'grpc.http2.min_time_between_pings_ms'];

function scopeAt(model: FileModel, node: ts.Node): Scope {
  for (let n: ts.Node | undefined = node; n; n = n.parent) {
    const s = model.facts.scopes.get(n);
    if (s) return s;
  }
  return model.facts.root;
}

/** The options object goes to a `grpc.Server` (server-side pings of clients are not policed the same way). */
function isServerOptions(model: FileModel, obj: ts.ObjectLiteralExpression): boolean {
  let consumers: Array<{ call: ts.CallExpression | ts.NewExpression; scope: Scope }> = [];
  const p = obj.parent;
  if (p && (isNewExpression(p) || isCallExpression(p))) consumers = [{ call: p, scope: scopeAt(model, p) }];
  else if (p && isVariableDeclaration(p) && isIdentifier(p.name)) {
    const name = p.name.text;
    consumers = model.facts.calls.filter((c) => (c.node.arguments ?? []).some((a) => isIdentifier(unwrapExpression(a)) && (unwrapExpression(a) as ts.Identifier).text === name)).map((c) => ({ call: c.node, scope: c.scope }));
  }
  return consumers.some(({ call, scope }) => {
    const callee = model.resolver.resolve(call.expression, scope);
    return callee?.type === 'class:grpc.Server' || (isNewExpression(call) && /\bServer$/.test(call.expression.getText()));
  });
}

/** The fastest ping interval a server configured in this file accepts without data. */
function serverAllows(model: FileModel): number | undefined {
  let allowed: number | undefined;
  for (const key of SERVER_POLICY_KEYS) {
    for (const p of model.facts.propertiesByName.get(key) ?? []) {
      const v = staticValue(p.initializer, scopeAt(model, p));
      if (v.kind === 'number') allowed = Math.max(allowed ?? 0, v.value);
    }
  }
  return allowed;
}

export default createRule<MessageIds>({
  meta: {
    id: 'grpc-keepalive-too-aggressive',
    lesson: 'keepalive-and-heartbeats',
    severity: 'warning',
    title: 'gRPC keepalive more frequent than servers allow',
    description:
      'gRPC servers enforce a minimum interval between keepalive pings on connections without data: 5 minutes by default in gRPC core, grpc-go and grpc-js. Each earlier ping is a strike; after 2 the server sends GOAWAY with ENHANCE_YOUR_CALM ("too_many_pings") and all calls on the connection fail, after which clients back off by doubling their interval. A client `grpc.keepalive_time_ms` below 300 000 only works against a server configured to accept it.',
    messages: {
      tooAggressive: '`grpc.keepalive_time_ms: {{value}}` pings every {{interval}}, under the 5-min minimum gRPC servers enforce by default: after 2 such pings without data the server sends GOAWAY too_many_pings and every call on the connection fails. Use ≥ 300 000 ms unless the server allows faster pings.',
    },
    fixable: true,
  },
  check(context) {
    const { model, sourceFile: sf } = context;
    const props = model.facts.propertiesByName.get(KEY);
    if (!props) return;
    const allowed = serverAllows(model);
    for (const p of props) {
      const v = staticValue(p.initializer, scopeAt(model, p));
      if (v.kind !== 'number' || v.value >= SERVER_MIN_MS || v.value <= 0) continue;
      if (allowed !== undefined && allowed <= v.value) continue; // coordinated with a server policy in this file
      if (isObjectLiteralExpression(p.parent) && isServerOptions(model, p.parent)) continue;
      const seconds = v.value / 1000;
      const interval = seconds >= 60 ? `${+(seconds / 60).toFixed(1)} min` : `${+seconds.toFixed(1)} s`;
      context.report({
        messageId: 'tooAggressive',
        data: { value: p.initializer.getText(sf), interval },
        range: range(p, sf),
        fixes: [{ title: `Raise to ${SUGGESTED} ms (6 min, above the servers' 5-min minimum)`, edits: [{ start: p.initializer.getStart(sf), end: p.initializer.end, newText: SUGGESTED }], preferred: true }],
      });
    }
  },
});
