// TCP delivers bytes, not messages: one `write()` can arrive as several 'data' chunks and several
// writes as one. A 'data' handler that parses each chunk as a whole message works on loopback and
// breaks once real round trips, MSS-sized segments or TLS records cut the stream differently.
import ts = require('typescript');
import { listenersFor, localFunction, referencesOf, scopeAt } from '../analysis/emitters';
import type { FileModel } from '../analysis/fileModel';
import { range } from '../analysis/fileModel';
import { unwrapExpression } from '../analysis/resolve';
import type { Binding } from '../analysis/scope';
import { createRule } from './createRule';

// The compiler's exports are getters (a call per read); bind the functions used here once.
const { SyntaxKind, isArrayLiteralExpression, isAsExpression, isBinaryExpression, isCallExpression, isIdentifier, isNewExpression, isNonNullExpression, isParenthesizedExpression, isPropertyAccessExpression, isPropertyAssignment, isRegularExpressionLiteral, isReturnStatement, isShorthandPropertyAssignment, isStringLiteralLike, isSwitchStatement, isTemplateSpan, isVariableDeclaration } = ts;

type MessageIds = 'parsedPerChunk';

/** Streams whose 'data' chunks are cut by the network, not by the sender. */
const BYTE_STREAM_TYPES = new Set(['net.Socket', 'http.IncomingMessage', 'http2.Stream']);

/** Conversions that keep "this is the chunk" (`chunk.toString().trim()`). */
const CONVERSIONS = new Set(['toString', 'trim', 'trimEnd', 'trimStart', 'toLowerCase', 'toUpperCase', 'valueOf']);
/** Methods that treat their receiver as a complete message. */
const PARSING_METHODS = new Set(['split', 'match', 'matchAll', 'startsWith', 'readUInt8', 'readUInt16BE', 'readUInt16LE', 'readUInt32BE', 'readUInt32LE', 'readInt8', 'readInt16BE', 'readInt16LE', 'readInt32BE', 'readInt32LE', 'readBigUInt64BE', 'readBigUInt64LE']);
/** Methods that keep the chunk for later (a buffer, a streaming parser or decoder). */
const KEEPING_METHODS = new Set(['push', 'unshift', 'append', 'concat', 'write', 'execute', 'feed', 'add', 'set', 'copy', 'end', 'emit']);

interface Flow {
  parsed?: ts.Node;
  kept: boolean;
  /** Handed to code this rule cannot see (which may frame it). */
  unknown: boolean;
}

/** Follows the chunk (and strings made from it) through the handler. */
function follow(model: FileModel, binding: Binding | undefined, handler: ts.Node, flow: Flow, depth: number): void {
  if (!binding || depth > 3) return;
  for (const ref of referencesOf(model, binding)) follow1(model, ref, handler, flow, depth);
}

function follow1(model: FileModel, ref: ts.Expression, handler: ts.Node, flow: Flow, depth: number): void {
  let e: ts.Expression = ref;
  for (;;) {
    const p: ts.Node = e.parent;
    if (isParenthesizedExpression(p) || isAsExpression(p) || isNonNullExpression(p)) {
      e = p;
      continue;
    }
    // `chunk.toString()`, `chunk.toString('utf8').trim()`
    if (isPropertyAccessExpression(p) && p.expression === e && CONVERSIONS.has(p.name.text) && isCallExpression(p.parent) && p.parent.expression === p) {
      e = p.parent;
      continue;
    }
    // `String(chunk)`, `'' + chunk`, `${chunk}`
    if (isCallExpression(p) && isIdentifier(p.expression) && p.expression.text === 'String' && p.arguments[0] === e) {
      e = p;
      continue;
    }
    if (isBinaryExpression(p) && p.operatorToken.kind === SyntaxKind.PlusToken) {
      e = p;
      continue;
    }
    if (isTemplateSpan(p)) {
      e = p.parent as ts.TemplateExpression;
      continue;
    }
    break;
  }
  const p = e.parent;
  if (isPropertyAccessExpression(p) && p.expression === e) {
    const call = p.parent;
    if (isCallExpression(call) && call.expression === p) {
      if (PARSING_METHODS.has(p.name.text)) flow.parsed ??= call;
      else if (KEEPING_METHODS.has(p.name.text)) flow.kept = true;
    }
    return;
  }
  if (isCallExpression(p) && p.arguments.includes(e)) {
    const callee = unwrapExpression(p.expression);
    const name = isPropertyAccessExpression(callee) ? callee.name.text : isIdentifier(callee) ? callee.text : '';
    if (isPropertyAccessExpression(callee) && name === 'parse' && isIdentifier(callee.expression) && callee.expression.text === 'JSON') flow.parsed ??= p;
    else if (isPropertyAccessExpression(callee) && (name === 'test' || name === 'exec') && isRegularExpressionLiteral(unwrapExpression(callee.expression))) flow.parsed ??= p;
    else if (KEEPING_METHODS.has(name) || name === 'from') flow.kept = true;
    else if (/^(log|info|warn|error|debug|trace|verbose)$/.test(name)) {
      // Logging reads the chunk without framing anything.
    } else {
      const fn = localFunction(model, callee);
      const param = fn?.parameters[p.arguments.indexOf(e)];
      if (fn && param && isIdentifier(param.name) && depth < 2) follow(model, model.facts.scopes.get(fn)?.lookup(param.name.text), fn, flow, depth + 1);
      else flow.unknown = true;
    }
    return;
  }
  if (isBinaryExpression(p) && p.right === e) {
    const op = p.operatorToken.kind;
    // `buf += chunk`, `buf = buf + chunk` (caught above as +), `buf = Buffer.concat(…)`.
    if (op === SyntaxKind.PlusEqualsToken) flow.kept = true;
    else if (op === SyntaxKind.EqualsToken) {
      const t = unwrapExpression(p.left);
      if (isIdentifier(t)) follow(model, scopeAt(model, t).lookup(t.text), handler, flow, depth + 1);
      else flow.kept = true;
    } else if (op === SyntaxKind.EqualsEqualsEqualsToken || op === SyntaxKind.EqualsEqualsToken) {
      if (isStringLiteralLike(unwrapExpression(p.left))) flow.parsed ??= p;
    }
    return;
  }
  if (isBinaryExpression(p) && p.left === e) {
    const op = p.operatorToken.kind;
    if ((op === SyntaxKind.EqualsEqualsEqualsToken || op === SyntaxKind.EqualsEqualsToken) && isStringLiteralLike(unwrapExpression(p.right))) flow.parsed ??= p;
    return;
  }
  if (isSwitchStatement(p) && p.expression === e) {
    flow.parsed ??= p;
    return;
  }
  if (isVariableDeclaration(p) && p.initializer === e && isIdentifier(p.name)) {
    follow(model, scopeAt(model, p.name).lookup(p.name.text), handler, flow, depth + 1);
    return;
  }
  if (isArrayLiteralExpression(p) || isPropertyAssignment(p) || isShorthandPropertyAssignment(p) || isReturnStatement(p) || isNewExpression(p)) {
    flow.unknown = true;
  }
}

export default createRule<MessageIds>({
  meta: {
    id: 'stream-chunk-treated-as-message',
    lesson: 'encapsulation-and-overhead',
    severity: 'warning',
    title: "A 'data' chunk parsed as one message",
    description:
      "TCP is a byte stream. One `write()` of 64 KB reaches the reader as many chunks sized by the MSS (1460 B on Ethernet), the receive window and the read buffer, and several small writes can arrive as one chunk (Nagle, delayed reads). Parsing each 'data' chunk as a whole message works on loopback in development and breaks with real round trips or TLS record boundaries. The same holds for HTTP bodies: the first chunk is not the body. Buffer the bytes and split on a delimiter or a length prefix.",
    messages: {
      parsedPerChunk: "This 'data' handler parses each chunk as a whole message, but TCP delivers a byte stream: a message can arrive split across chunks (at MSS, ~1460 B, or read-buffer boundaries) or several in one. Buffer and split on a delimiter or length prefix.",
    },
    fixable: false,
  },
  check(context) {
    // Test code talks to local peers and runs briefly: the wire effects this rule is about do not occur.
    if (context.isTestFile) return;
    const { model, sourceFile: sf } = context;
    for (const { call, receiver: recv, handler, scope } of listenersFor(model, 'data')) {
      const receiver = model.resolver.resolve(recv, scope);
      if (!receiver || !BYTE_STREAM_TYPES.has(receiver.type)) continue;
      const param = handler?.parameters[0];
      if (!handler || !param || !isIdentifier(param.name)) continue;
      const flow: Flow = { kept: false, unknown: false };
      follow(model, model.facts.scopes.get(handler)?.lookup(param.name.text), handler, flow, 0);
      // A chunk that is also buffered, or handed to code that may frame it, is not judged.
      if (!flow.parsed || flow.kept || flow.unknown) continue;
      context.report({ messageId: 'parsedPerChunk', range: range(call.expression, sf), related: [{ range: range(flow.parsed, sf), message: 'the chunk is parsed here as if it were a whole message' }] });
    }
  },
});
