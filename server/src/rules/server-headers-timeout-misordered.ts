// The three server timers must nest: keepAliveTimeout < headersTimeout ≤ requestTimeout. Assigning
// the properties skips the check `createServer` makes, and the mis-ordered values either reset
// connections the load balancer still uses (old Node) or get swapped by the native code.
import ts = require('typescript');
import { range } from '../analysis/fileModel';
import { httpServers, type HttpServer } from '../analysis/servers';
import type { PropertyWrite } from '../analysis/fileModel';
import { staticValue } from '../analysis/values';
import { createRule } from './createRule';

type MessageIds = 'aboveRequest' | 'belowKeepAlive';

interface Setting {
  value: number;
  write?: PropertyWrite;
}

/** The last statically known value of a timer, from the constructor options or an assignment. */
function setting(server: HttpServer, name: string): Setting | 'unknown' | undefined {
  let out: Setting | undefined;
  const option = server.options.find((o) => o.key === name);
  if (option) {
    if (option.value.kind !== 'number') return 'unknown';
    out = { value: option.value.value };
  }
  for (const w of server.writes) {
    if (w.path.length !== 1 || w.path[0] !== name) continue;
    const v = staticValue(w.assignment.right, w.scope);
    if (v.kind !== 'number') return 'unknown';
    out = { value: v.value, write: w };
  }
  return out;
}

function formatMs(ms: number): string {
  return String(ms).replace(/\B(?=(\d{3})+(?!\d))/g, '_');
}

export default createRule<MessageIds>({
  meta: {
    id: 'server-headers-timeout-misordered',
    lesson: 'idle-timeout-alignment',
    severity: 'warning',
    title: 'Server timeouts in the wrong order',
    description:
      'An HTTP server\'s timers must nest: `keepAliveTimeout` below `headersTimeout`, and `headersTimeout` no larger than `requestTimeout` (300 s since Node 18). `http.createServer()` rejects a `headersTimeout` above `requestTimeout`, but assigning the properties afterwards skips that check, and the values are silently swapped. Before Node 12.19 the headers timer also ran while a kept-alive connection sat idle, so a `keepAliveTimeout` above `headersTimeout` reset connections the load balancer still considered open.',
    messages: {
      aboveRequest: '`headersTimeout` {{headers}} ms is above `requestTimeout` {{request}} ms: the constructor would reject this, the assignment slips past, and Node swaps the two — headers then get {{request}} ms, not what you set.',
      belowKeepAlive: 'On Node {{node}}, `headersTimeout` ({{headers}} ms) also runs while a kept-alive connection idles: with `keepAliveTimeout` {{keepAlive}} ms the server resets connections the load balancer still uses. Set `headersTimeout` above `keepAliveTimeout`.',
    },
    fixable: true,
  },
  check(context) {
    const { model, config, sourceFile: sf } = context;
    for (const server of httpServers(model)) {
      const headers = setting(server, 'headersTimeout');
      const request = setting(server, 'requestTimeout');
      const keepAlive = setting(server, 'keepAliveTimeout');
      if (headers === 'unknown' || request === 'unknown' || keepAlive === 'unknown') continue;
      const requestMs = request?.value ?? (config.nodeMajor >= 18 ? 300_000 : 0);
      if (headers && requestMs > 0 && headers.value > requestMs && (headers.write || request?.write)) {
        const culprit = (request?.write && (!headers.write || request.write.assignment.pos > headers.write.assignment.pos) ? request.write : headers.write)!;
        const right = headers.write?.assignment.right;
        context.report({
          messageId: 'aboveRequest',
          data: { headers: headers.value, request: requestMs },
          range: range(culprit.assignment, sf),
          fixes: right && culprit === headers.write ? [{ title: `Set headersTimeout to ${formatMs(requestMs)} ms`, edits: [{ start: right.getStart(sf), end: right.end, newText: formatMs(requestMs) }], preferred: true }] : [],
        });
      }
      // Node 12.19 fixed the headers timer counting idle keep-alive time (nodejs/node#32329).
      if (config.nodeMajor <= 12 && keepAlive?.write) {
        const headersMs = headers?.value ?? 40_000;
        if (keepAlive.value >= headersMs) {
          const at = headers?.write && headers.write.assignment.pos > keepAlive.write.assignment.pos ? headers.write : keepAlive.write;
          const fixes = headers?.write
            ? [{ title: `Set headersTimeout to ${formatMs(keepAlive.value + 1000)} ms`, edits: [{ start: headers.write.assignment.right.getStart(sf), end: headers.write.assignment.right.end, newText: formatMs(keepAlive.value + 1000) }], preferred: true }]
            : [{ title: `Set headersTimeout to ${formatMs(keepAlive.value + 1000)} ms`, edits: [insertAfter(keepAlive.write, `headersTimeout = ${formatMs(keepAlive.value + 1000)}`, sf)], preferred: true }];
          context.report({ messageId: 'belowKeepAlive', data: { node: config.nodeMajor, headers: headersMs, keepAlive: keepAlive.value }, range: range(at.assignment, sf), fixes });
        }
      }
    }
  },
});

/** `server.keepAliveTimeout = x;` → adds `server.<text>;` on the next line, on the same object. */
function insertAfter(w: PropertyWrite, text: string, sf: ts.SourceFile) {
  const stmt = w.assignment.parent;
  const target = w.assignment.left as ts.PropertyAccessExpression;
  const indent = /[ \t]*$/.exec(sf.text.slice(0, stmt.getStart(sf)))?.[0] ?? '';
  const semi = sf.text.slice(stmt.getStart(sf), stmt.end).trimEnd().endsWith(';') ? ';' : '';
  return { start: stmt.end, end: stmt.end, newText: `\n${indent}${target.expression.getText(sf)}.${text}${semi}` };
}
