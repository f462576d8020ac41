// A load balancer reuses idle connections to its targets for its own idle timeout (ALB: 60 s).
// If Node closes an idle connection first (5 s by default before Node 26), the balancer can send
// a request into a socket that is already closing and answers the client with a 502.
import ts = require('typescript');
import { enclosingStatement, insertLinesAfter } from '../analysis/edits';
import { range, type FileModel, type PropertyWrite } from '../analysis/fileModel';
import { unwrapExpression } from '../analysis/resolve';
import type { Fix, NetworkCall, Severity, TextEdit } from '../analysis/types';
import { staticValue } from '../analysis/values';
import { createRule, type RuleContext } from './createRule';

type MessageIds = 'default' | 'tooLow' | 'wrongObject';

const LOOPBACK = /^(localhost|127\.\d+\.\d+\.\d+|::1)$/;
const HTTP_SERVERS = new Set(['node:http', 'node:https', 'express', 'koa']);

/** `65000` → `65_000`. */
function formatMs(ms: number): string {
  return String(ms).replace(/\B(?=(\d{3})+(?!\d))/g, '_');
}

function isTestServer(call: NetworkCall): boolean {
  return call.port === 0 || (call.host !== undefined && LOOPBACK.test(call.host));
}

/** Nodes whose value is the listening http.Server: the listen call itself and the server it was called on. */
function serverOrigins(model: FileModel, listen: NetworkCall): ts.Node[] {
  const origins: ts.Node[] = [model.nodeOf(listen)];
  const creator = listen.createdBy !== undefined ? model.calls[listen.createdBy] : undefined;
  if (creator && (creator.library === 'node:http' || creator.library === 'node:https')) origins.push(model.nodeOf(creator));
  return origins;
}

function isUpgradeOnly(model: FileModel, creator: NetworkCall | undefined): boolean {
  if (!creator || creator.library === 'express' || creator.library === 'koa') return false;
  const node = model.nodeOf(creator);
  const hasHandler = (node.arguments ?? []).some((a) => ts.isArrowFunction(a) || ts.isFunctionExpression(a) || ts.isIdentifier(a));
  if (hasHandler) return false;
  const events = model.usesOf(node).filter((u) => u.method === 'on' || u.method === 'addListener').map((u) => u.call.arguments[0]).filter((a): a is ts.StringLiteral => !!a && ts.isStringLiteral(a)).map((a) => a.text);
  return events.includes('upgrade') && !events.includes('request');
}

function keepAliveWrites(model: FileModel, origins: ts.Node[]): PropertyWrite[] {
  return origins.flatMap((o) => model.propertyWritesTo(o)).filter((w) => w.path.length === 1 && w.path[0] === 'keepAliveTimeout');
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
  if (ts.isVariableStatement(statement)) {
    const decl = statement.declarationList.declarations.find((d) => d.initializer && unwrapExpression(d.initializer) === node);
    if (decl && ts.isIdentifier(decl.name)) return fix([insertLinesAfter(statement, lines(decl.name.text), sf)]);
    return [];
  }
  if (!ts.isExpressionStatement(statement) || unwrapExpression(statement.expression) !== node || !ts.isCallExpression(node)) return [];
  // server.listen(…) on a variable holding the server
  const callee = unwrapExpression(node.expression);
  if (ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) && listen.createdBy !== undefined && (listen.library === 'node:http' || listen.library === 'node:https')) {
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

    for (const listen of model.calls) {
      if (listen.role !== 'listen' || !HTTP_SERVERS.has(listen.library) || isTestServer(listen)) continue;
      const creator = listen.createdBy !== undefined ? model.calls[listen.createdBy] : undefined;
      if (isUpgradeOnly(model, creator)) continue;
      const related = creator ? [{ range: creator.range, message: `${creator.api} creates the server here` }] : [];

      // Constructed with the option: http.createServer({ keepAliveTimeout }).
      const option = creator?.options.find((o) => o.key === 'keepAliveTimeout');
      const writes = keepAliveWrites(model, serverOrigins(model, listen));
      const values = [...(option ? [option.value] : []), ...writes.map((w) => staticValue(w.assignment.right, w.scope))];
      if (values.some((v) => v.kind !== 'number') || creator?.optionsUnknown) continue; // set from config: trust it

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
      if (option && option.value.kind === 'number' && option.value.value >= threshold) continue;
      if (defaultIsSafe) continue;

      // Express/Koa: a write on the app object is the classic mistake.
      const appWrite = creator && (creator.library === 'express' || creator.library === 'koa') ? keepAliveWrites(model, [model.nodeOf(creator)])[0] : undefined;
      if (appWrite) {
        context.report({ messageId: 'wrongObject', data: { framework: creator!.library === 'koa' ? 'Koa' : 'Express', seconds: defaultMs / 1000 }, range: range(appWrite.assignment, sf), severity, related: [{ range: listen.range, message: 'the http.Server is returned here' }] });
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
