// HTTP/1.1 can reuse a connection only after the whole previous response has been read. A
// response dropped unread (typically on `!res.ok`) pins its connection: undici until GC collects
// it, Node's http client forever (the socket stays paused and 'end' never fires).
import ts = require('typescript');
import { isBrowserCode } from '../analysis/context';
import { indentationAt } from '../analysis/edits';
import { lineIndexAt } from '../analysis/suppress';
import { bodyFate, type BodyLeak, type ResponseHolder, type ResponseKind } from '../analysis/responseBody';
import type { Fix, NetworkCall, TextEdit } from '../analysis/types';
import { createRule, type RuleContext } from './createRule';

// The compiler's exports are getters (a call per read); bind the functions used here once.
const { getCombinedModifierFlags, isBlock, isCaseClause, isDefaultClause, isFunctionLike, isModuleBlock, isSourceFile, isStatement } = ts;

type MessageIds = 'fetch' | 'undici' | 'node';

const MESSAGE_BY_KIND: Record<ResponseKind, MessageIds> = { fetch: 'fetch', undici: 'undici', node: 'node' };

/** 1-based line of an offset ('\n' line ends, as suppression comments count them). */
function lineOf(text: string, offset: number): number {
  return lineIndexAt(text, offset) + 1;
}

function describeLeak(leak: BodyLeak, sf: ts.SourceFile): string {
  const at = (n: ts.Node) => lineOf(sf.text, n.getStart(sf));
  switch (leak.reason) {
    case 'return':
      return ` on the return at line ${at(leak.node)}`;
    case 'throw':
      return ` on the throw at line ${at(leak.node)}`;
    case 'continue':
    case 'break':
      return ` on the \`${leak.reason}\` at line ${at(leak.node)}`;
    case 'end':
      return ` by the end of its block (line ${lineOf(sf.text, leak.node.end)})`;
    case 'reassigned':
      return ` before the variable is reassigned (line ${at(leak.node)})`;
    case 'ignored':
      return ' (the callback ignores the response)';
    case 'dropped':
      return ' (the response is discarded unread)';
  }
}

function isAsync(fn: ts.Node): boolean {
  return (isFunctionLike(fn) && (getCombinedModifierFlags(fn as ts.Declaration) & ts.ModifierFlags.Async) !== 0);
}

/** The statement that releases the body, in the style the library wants. */
function releaseStatement(call: NetworkCall, kind: ResponseKind, holder: ResponseHolder): string {
  const awaitable = isAsync(holder.fn);
  const v = holder.name;
  if (kind === 'node') return `${v}.resume();`;
  if (kind === 'undici') {
    const body = holder.holds === 'body' ? v : `${v}.body`;
    return awaitable ? `await ${body}.dump();` : `${body}.dump().catch(() => {});`;
  }
  // node-fetch bodies are Node streams; fetch and undici.fetch bodies are web streams.
  const body = holder.holds === 'body' ? v : `${v}.body`;
  if (call.library === 'node-fetch') return `${body}?.resume();`;
  return awaitable ? `await ${body}?.cancel();` : `${body}?.cancel().catch(() => {});`;
}

function isInStatementList(node: ts.Node): boolean {
  const p = node.parent;
  return !!p && (isBlock(p) || isSourceFile(p) || isCaseClause(p) || isDefaultClause(p) || isModuleBlock(p));
}

function editFor(leak: BodyLeak, release: string, sf: ts.SourceFile): TextEdit | undefined {
  const text = sf.text;
  const node = leak.node;
  if (leak.reason === 'return' || leak.reason === 'throw' || leak.reason === 'continue' || leak.reason === 'break') {
    if (!isStatement(node as ts.Statement)) return undefined;
    const start = node.getStart(sf);
    if (isInStatementList(node)) return { start, end: start, newText: `${release}\n${indentationAt(text, start)}` };
    return { start, end: node.end, newText: `{ ${release} ${text.slice(start, node.end)} }` };
  }
  if (leak.reason === 'end' && (isBlock(node) || isCaseClause(node) || isDefaultClause(node))) {
    const statements = node.statements;
    const last = statements[statements.length - 1];
    if (!last) return undefined;
    return { start: last.end, end: last.end, newText: `\n${indentationAt(text, last.getStart(sf))}${release}` };
  }
  return undefined;
}

function fixFor(context: RuleContext<MessageIds>, call: NetworkCall, kind: ResponseKind, holder: ResponseHolder | undefined, leaks: BodyLeak[]): Fix[] {
  if (!holder) return [];
  const sf = context.sourceFile;
  const release = releaseStatement(call, kind, holder);
  const edits: TextEdit[] = [];
  for (const leak of leaks) {
    const edit = editFor(leak, release, sf);
    if (!edit) return [];
    edits.push(edit);
  }
  const what = kind === 'node' ? `\`${holder.name}.resume()\`` : release.replace(/;$/, '').replace(/^await /, '');
  return [{ title: `Release the body (${what.startsWith('`') ? what : `\`${what}\``}) before the response is dropped`, edits, preferred: true }];
}

export default createRule<MessageIds>({
  meta: {
    id: 'response-body-not-consumed',
    lesson: 'keep-alive-and-pools',
    severity: 'warning',
    title: 'Response body not consumed',
    description:
      'HTTP/1.1 can send the next request on a connection only after the previous response has been read to its end. A `fetch`/undici response whose body is neither read nor cancelled keeps its connection checked out until the garbage collector finalises the body (undici\'s README: excessive connection usage, stalls, deadlocks); a Node `http` response nobody reads leaves the socket paused, `\'end\'` never fires and the socket never returns to the agent. Once the server gives up, the socket sits in CLOSE_WAIT (one incident: 10 749 of them, growing by 460 an hour). The usual culprit is an early return or throw on `!res.ok`. Read the body, or cancel it (`res.body?.cancel()`), dump it (`body.dump()`) or discard it (`res.resume()`) on every path.',
    messages: {
      fetch: 'The {{api}} response body is not read or cancelled{{where}}: undici keeps the connection checked out until GC, and HTTP/1.1 cannot reuse it before the body is read (one incident: 10 749 sockets stuck in CLOSE_WAIT). Cancel it: `res.body?.cancel()`.',
      undici: 'The {{api}} body is not read or dumped{{where}}: undici keeps the connection checked out until GC, and HTTP/1.1 cannot reuse it before the body is read (one incident: 10 749 sockets stuck in CLOSE_WAIT). Call `body.dump()`.',
      node: 'The {{api}} response is not consumed{{where}}: Node keeps the socket paused, so it never returns to the agent and \'end\' never fires; once the server closes it sits in CLOSE_WAIT (one incident: 10 749 such sockets). Call `res.resume()`.',
    },
    fixable: true,
  },
  check(context) {
    const { model, sourceFile: sf, text } = context;
    // Tests read a status and move on; the connection dies with the test server.
    if (context.isTestFile) return;
    // Browsers manage their own connections; undici's and Node's pinning is what this rule is about.
    const browser = isBrowserCode(text);
    for (const call of model.calls) {
      if (browser && call.library === 'fetch') continue;
      const fate = bodyFate(model, call);
      if (fate.state !== 'leaks') continue;
      const first = fate.leaks[0];
      context.report({
        messageId: MESSAGE_BY_KIND[fate.kind],
        data: { api: call.api, where: describeLeak(first, sf) },
        range: call.calleeRange,
        related: fate.leaks.map((l) => ({
          range: l.reason === 'end' ? { start: l.node.end - 1, end: l.node.end } : { start: l.node.getStart(sf), end: l.node.end },
          message: `the response is dropped here without reading or releasing its body`,
        })),
        fixes: fixFor(context, call, fate.kind, fate.holder, fate.leaks),
      });
    }
  },
});
