// A UTF-8 character is 1–4 bytes and chunk boundaries fall wherever the network cut the stream
// (MSS, TLS records, read size). Decoding each chunk on its own turns a character split across two
// chunks into two U+FFFD replacement characters: invisible with ASCII tests, corrupt names in production.
import ts = require('typescript');
import { enclosingStatement, indentationAt } from '../analysis/edits';
import { emitterFacts, listenersFor, originsOf, referencesOf, scopeAt } from '../analysis/emitters';
import type { FileModel } from '../analysis/fileModel';
import { range } from '../analysis/fileModel';
import { unwrapExpression } from '../analysis/resolve';
import type { Fix } from '../analysis/types';
import { someNode } from '../analysis/walk';
import { createRule, type RuleContext } from './createRule';

// The compiler's exports are getters (a call per read); bind the functions used here once.
const { SyntaxKind, isBinaryExpression, isCallExpression, isExpressionStatement, isIdentifier, isParenthesizedExpression, isPropertyAccessExpression, isStringLiteralLike, isVariableDeclaration } = ts;

type MessageIds = 'decodedPerChunk';

/** Streams whose 'data' chunks are Buffers cut by the network (unless `setEncoding` was called). */
const BYTE_STREAM_TYPES = new Set(['net.Socket', 'http.IncomingMessage', 'http2.Stream']);
/** Untyped receivers that hold a socket or response by convention. */
const STREAM_NAMES = /^(socket|sock|tlsSocket|res|response|resp|incoming|proxyRes|upstreamRes)$/i;
/** Encodings where every byte decodes on its own: per-chunk decoding is harmless. */
const SINGLE_BYTE_ENCODINGS = /^(latin1|binary|ascii|hex)$/i;

function isByteStream(model: FileModel, receiver: ts.Expression, scope: ReturnType<typeof scopeAt>): boolean {
  const v = model.resolver.resolve(receiver, scope);
  if (v) return BYTE_STREAM_TYPES.has(v.type);
  const e = unwrapExpression(receiver);
  return isIdentifier(e) && STREAM_NAMES.test(e.text);
}

/** `setEncoding` on the stream (anywhere it is known by) makes the chunks strings already. */
function decodesItself(model: FileModel, receiver: ts.Expression): boolean {
  const origins = originsOf(model, receiver);
  if (!origins) return true;
  return origins.some((o) => emitterFacts(model, o).uses.some((u) => u.method === 'setEncoding'));
}

/** The chunk decoded on its own: `chunk` (implicit), `chunk.toString()`, `String(chunk)`; else undefined. */
function decodedChunk(ref: ts.Expression): ts.Expression | undefined {
  let e: ts.Expression = ref;
  while (isParenthesizedExpression(e.parent)) e = e.parent;
  const p = e.parent;
  if (isPropertyAccessExpression(p) && p.expression === e && p.name.text === 'toString' && isCallExpression(p.parent) && p.parent.expression === p) {
    const enc = p.parent.arguments[0];
    if (enc && isStringLiteralLike(enc) && SINGLE_BYTE_ENCODINGS.test(enc.text)) return undefined;
    return p.parent;
  }
  if (isCallExpression(p) && isIdentifier(p.expression) && p.expression.text === 'String' && p.arguments[0] === e) return p;
  return e;
}

/** The accumulating expression a decoded chunk feeds, if any: `s += chunk`, `s = s + chunk`, `parts.push(chunk.toString())`. */
function accumulation(decoded: ts.Expression, handler: ts.Node, implicit: boolean): ts.Node | undefined {
  let e: ts.Expression = decoded;
  while (isParenthesizedExpression(e.parent)) e = e.parent;
  const p = e.parent;
  if (isBinaryExpression(p) && p.right === e && p.operatorToken.kind === SyntaxKind.PlusEqualsToken) return declaredOutside(p.left, handler) ? p : undefined;
  // `s = s + chunk`
  if (isBinaryExpression(p) && p.operatorToken.kind === SyntaxKind.PlusToken && isBinaryExpression(p.parent) && p.parent.operatorToken.kind === SyntaxKind.EqualsToken && p.parent.right === p) {
    const target = p.parent.left.getText();
    if (p.left.getText() === target && declaredOutside(p.parent.left, handler)) return p.parent;
  }
  // `parts.push(chunk.toString())`: explicit decoding kept for a later join.
  if (!implicit && isCallExpression(p) && p.arguments.includes(e) && isPropertyAccessExpression(p.expression) && p.expression.name.text === 'push' && declaredOutside(p.expression.expression, handler)) return p;
  return undefined;
}

/** The accumulator lives outside the handler (a `let` around it, a property), so chunks add up. */
function declaredOutside(target: ts.Expression, handler: ts.Node): boolean {
  const t = unwrapExpression(target);
  if (!isIdentifier(t)) return true;
  for (let n: ts.Node | undefined = t.parent; n && n !== handler; n = n.parent) {
    if (isVariableDeclaration(n)) return false;
  }
  // someNode is iterative: handler bodies from generated code nest deeper than the stack allows.
  const body = (handler as ts.FunctionLikeDeclarationBase).body;
  const declared = !!body && someNode(body, (n) => isVariableDeclaration(n) && isIdentifier(n.name) && n.name.text === t.text);
  return !declared;
}

/** `res.setEncoding('utf8');` before the listener, when the chunk is used for nothing but this string. */
function setEncodingFix(context: RuleContext<MessageIds>, registration: ts.CallExpression, receiver: ts.Expression, param: ts.ParameterDeclaration, uses: number): Fix[] {
  const { sourceFile: sf, text } = context;
  if (param.type || uses !== 1 || !/^[\w$.]+$/.test(receiver.getText(sf))) return [];
  const statement = enclosingStatement(registration);
  if (!statement || !isExpressionStatement(statement)) return [];
  const at = statement.getStart(sf);
  const indent = indentationAt(text, at);
  return [{ title: "Decode with `setEncoding('utf8')` (keeps split characters whole)", edits: [{ start: at, end: at, newText: `${receiver.getText(sf)}.setEncoding('utf8');\n${indent}` }], preferred: true }];
}

export default createRule<MessageIds>({
  meta: {
    id: 'chunk-decoded-per-chunk',
    lesson: 'encapsulation-and-overhead',
    severity: 'warning',
    title: 'Buffer chunks decoded one by one',
    description:
      "UTF-8 characters take 1 to 4 bytes, and 'data' chunk boundaries fall wherever the network cut the stream (MSS-sized segments, TLS records, the read size). `body += chunk` or `chunk.toString()` decodes each chunk on its own, so a character split across two chunks becomes two U+FFFD replacement characters. ASCII-only tests never see it; names, emoji and non-Latin text are corrupted in production. Call `setEncoding('utf8')` (a StringDecoder keeps partial characters) or collect Buffers and decode once with `Buffer.concat(chunks).toString('utf8')`.",
    messages: {
      decodedPerChunk: "Each chunk is decoded to a string on its own: a UTF-8 character (2–4 bytes) split across two chunks by the network becomes two U+FFFD (�). Call `{{receiver}}.setEncoding('utf8')` or collect Buffers and decode once with `Buffer.concat()`.",
    },
    fixable: true,
  },
  check(context) {
    // Test code talks to local peers and runs briefly: the wire effects this rule is about do not occur.
    if (context.isTestFile) return;
    const { model, sourceFile: sf } = context;
    for (const { call, receiver, handler, scope } of listenersFor(model, 'data')) {
      const param = handler?.parameters[0];
      if (!handler || !param || !isIdentifier(param.name)) continue;
      if (!isByteStream(model, receiver, scope) || decodesItself(model, receiver)) continue;
      const binding = model.facts.scopes.get(handler)?.lookup(param.name.text);
      const refs = binding ? referencesOf(model, binding) : [];
      for (const ref of refs) {
        const decoded = decodedChunk(ref);
        const site = decoded && accumulation(decoded, handler, decoded === ref);
        if (!site) continue;
        context.report({
          messageId: 'decodedPerChunk',
          data: { receiver: receiver.getText(sf).length > 30 ? 'stream' : receiver.getText(sf) },
          range: range(site, sf),
          related: [{ range: range(call.expression, sf), message: "the 'data' listener receives Buffer chunks here" }],
          fixes: setEncodingFix(context, call, receiver, param, refs.length),
        });
        break;
      }
    }
  },
});
