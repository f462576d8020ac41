// A load balancer reuses idle connections to its targets for its own idle timeout (ALB: 60 s).
// If Node closes an idle connection first (5 s by default before Node 26), the balancer can send
// a request into a socket that is already closing and answers the client with a 502.
import ts = require('typescript');
import { enclosingStatement, insertLinesAfter } from '../analysis/edits';
import { range, type FileModel } from '../analysis/fileModel';
import { httpServers, writesOf, type HttpServer } from '../analysis/servers';
import { unwrapExpression } from '../analysis/resolve';
import type { Fix, NetworkCall, Severity, TextEdit } from '../analysis/types';
import { staticValue } from '../analysis/values';
import { createRule, type RuleContext } from './createRule';

// The compiler's exports are getters (a call per read); bind the functions used here once.
const { isArrowFunction, isCallExpression, isExpressionStatement, isFunctionExpression, isIdentifier, isPropertyAccessExpression, isStringLiteral, isVariableStatement } = ts;

type MessageIds = 'default' | 'tooLow' | 'wrongObject';

const LOOPBACK = /^(localhost|127\.\d+\.\d+\.\d+|::1)$/;

/** `65000` → `65_000`. */
function formatMs(ms: number): string {
  return String(ms).replace(/\B(?=(\d{3})+(?!\d))/g, '_');
}

function isTestServer(call: NetworkCall): boolean {
  return call.port === 0 || (call.host !== undefined && LOOPBACK.test(call.host));
}

function isUpgradeOnly(model: FileModel, server: HttpServer): boolean {
  if (server.framework !== 'node' || !server.creator) return false;
  const node = model.nodeOf(server.creator);
  const hasHandler = (node.arguments ?? []).some((a) => isArrowFunction(a) || isFunctionExpression(a) || isIdentifier(a));
  if (hasHandler) return false;
  const events = server.uses.filter((u) => u.method === 'on' || u.method === 'addListener').map((u) => u.call.arguments[0]).filter((a): a is ts.StringLiteral => !!a && isStringLiteral(a)).map((a) => a.text);
  return events.includes('upgrade') && !events.includes('request');
}

function addTimeoutsFix(context: RuleContext<MessageIds>, listen: NetworkCall, keepAliveMs: number): Fix[] {
  const { model, sourceFile: sf, text } = context;
  const node = model.nodeOf(listen);
  const statement = enclosingStatement(node);
  if (!statement) return [];
  const semi = text.slice(statement.getStart(sf), statement.end).trimEnd().endsWith(';') ? ';' : '';
  const lines = (name: string) => [`${name}.keepAliveTimeout = ${formatMs(keepAliveMs)}${semi}`, `${name}.headersTimeout = ${formatMs(keepAliveMs + 1000)}${semi}`];
  const title = `Set keepAliveTimeout to ${formatMs(keepAliveMs)} ms (above the load balancer's ${formatMs(context.config.loadBalancerIdleTimeoutMs)} ms)`;
  const fix = (edits: TextEdit[]): Fix[] => [{ title, edits, preferred: true }];

  // const server = app.listen(…)
  if (isVariableStatement(statement)) {
    const decl = statement.declarationList.declarations.find((d) => d.initializer && unwrapExpression(d.initializer) === node);
    if (decl && isIdentifier(decl.name)) return fix([insertLinesAfter(statement, lines(decl.name.text), sf)]);
    return [];
  }
  if (!isExpressionStatement(statement) || unwrapExpression(statement.expression) !== node || !isCallExpression(node)) return [];
  // server.listen(…) on a variable holding the server
  const callee = unwrapExpression(node.expression);
  if (isPropertyAccessExpression(callee) && isIdentifier(callee.expression) && listen.createdBy !== undefined && (listen.library === 'node:http' || listen.library === 'node:https')) {
    return fix([insertLinesAfter(statement, lines(callee.expression.text), sf)]);
  }
  // app.listen(…) whose server is dropped: keep it in a variable.
  const scope = model.scopeOf(listen);
  const name = scope.lookup('server') ? 'httpServer' : 'server';
  const start = statement.getStart(sf);
  return fix([
    { start, end: start, newText: `const ${name} = ` },
    insertLinesAfter(statement, lines(name), sf),
  ]);
}

export default createRule<MessageIds>({
  meta: {
    id: 'server-keepalive-timeout-below-lb-idle',
    lesson: 'idle-timeout-alignment',
    severity: 'info',
    title: 'Server keep-alive timeout below the load balancer idle timeout',
    description:
      'Node closes idle keep-alive connections after `server.keepAliveTimeout`: 5 s from Node 8 through 25 (65 s from Node 26). Load balancers keep idle connections to their targets much longer (AWS ALB 60 s, nginx upstream keepalive, GCP 600 s) and reuse them. When Node closes first, the balancer can write a request into a closing socket and return 502 without the request reaching your code. Set `keepAliveTimeout` above the balancer\'s idle timeout, and `headersTimeout` above that.',
    messages: {
      default: 'This server keeps idle connections for Node {{node}}\'s default {{seconds}} s; a load balancer that keeps them {{lbSeconds}} s sends requests into closed sockets, and clients see 502s. Set `server.keepAliveTimeout` above {{lbSeconds}} s.',
      tooLow: '`keepAliveTimeout` {{value}} ms is not above the load balancer\'s idle timeout ({{lb}} ms): requests it reuses a connection for can meet Node\'s FIN and come back as 502s.',
      wrongObject: 'This sets `keepAliveTimeout` on the {{framework}} app, not on the `http.Server` that `listen()` returns, so Node keeps its {{seconds}} s default. Set it on the server: `const server = app.listen(…); server.keepAliveTimeout = …`.',
    },
    fixable: true,
  },
  check(context) {
    const { model, config, sourceFile: sf } = context;
    const lb = config.loadBalancerIdleTimeoutMs;
    const threshold = lb + 1000;
    const wanted = lb + 5000;
    const severity: Severity = config.loadBalancerIdleTimeoutConfigured ? 'warning' : 'info';
    const defaultMs = config.nodeMajor >= 26 ? 65_000 : 5_000;
    const defaultIsSafe = defaultMs >= threshold;

    for (const server of httpServers(model)) {
      const listen = server.listens.find((l) => !isTestServer(l));
      if (!listen || isUpgradeOnly(model, server)) continue;
      const creator = server.creator;
      const related = creator ? [{ range: creator.range, message: `${creator.api} creates the server here` }] : [];

      // Constructed with the option: http.createServer({ keepAliveTimeout }).
      const option = server.options.find((o) => o.key === 'keepAliveTimeout');
      const writes = writesOf(server, 'keepAliveTimeout');
      const values = [...(option ? [option.value] : []), ...writes.map((w) => staticValue(w.assignment.right, w.scope))];
      if (values.some((v) => v.kind !== 'number') || server.optionsUnknown) continue; // set from config: trust it

      const low = writes.find((w) => {
        const v = staticValue(w.assignment.right, w.scope);
        return v.kind === 'number' && v.value < threshold;
      });
      if (low) {
        const value = staticValue(low.assignment.right, low.scope);
        const right = low.assignment.right;
        context.report({
          messageId: 'tooLow',
          data: { value: value.kind === 'number' ? value.value : '?', lb },
          range: range(low.assignment, sf),
          severity,
          related,
          fixes: [{ title: `Raise keepAliveTimeout to ${formatMs(wanted)} ms`, edits: [{ start: right.getStart(sf), end: right.end, newText: formatMs(wanted) }], preferred: true }],
        });
        continue;
      }
      if (values.length > 0) continue; // set high enough
      if (defaultIsSafe) continue;

      // Express/Koa: a write on the app object is the classic mistake.
      const appWrite = server.appWrites.find((w) => w.path.length === 1 && w.path[0] === 'keepAliveTimeout');
      if (appWrite) {
        context.report({ messageId: 'wrongObject', data: { framework: server.framework === 'koa' ? 'Koa' : 'Express', seconds: defaultMs / 1000 }, range: range(appWrite.assignment, sf), severity, related: [{ range: listen.range, message: 'the http.Server is returned here' }] });
        continue;
      }
      context.report({
        messageId: 'default',
        data: { node: config.nodeMajor, seconds: defaultMs / 1000, lbSeconds: lb / 1000 },
        range: listen.calleeRange,
        severity,
        related,
        fixes: addTimeoutsFix(context, listen, wanted),
      });
    }
  },
});
