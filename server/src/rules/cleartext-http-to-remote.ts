// Credentials sent over plain HTTP (or ws://, amqp://, redis://) can be read by every hop between
// the two hosts: a shared network, a mirrored switch port, a proxy.
import ts = require('typescript');
import { range } from '../analysis/fileModel';
import type { FileModel } from '../analysis/fileModel';
import { unwrapExpression } from '../analysis/resolve';
import type { NetworkCall } from '../analysis/types';
import { createRule } from './createRule';

// The compiler's exports are getters (a call per read); bind the functions used here once.
const { isStringLiteralLike, isTemplateExpression } = ts;

type MessageIds = 'cleartext';

const CLEARTEXT = /^(http|ws|amqp|redis|mongodb|postgres|postgresql|mysql):\/\//i;
const LOOPBACK = /^(localhost|127\.\d+\.\d+\.\d+|::1|\[::1\]|0\.0\.0\.0|host\.docker\.internal)$/i;
const CREDENTIAL_KEY = /^(headers\.(authorization|proxy-authorization|cookie|x-api-key|api-key|x-auth-token|private-token)|auth|auth\.(username|password)|password|username|user|token|apiKey|api_key)$/i;
const SECURE_SCHEME: Record<string, string> = { http: 'https', ws: 'wss', amqp: 'amqps', redis: 'rediss' };

function urlLiteral(model: FileModel, call: NetworkCall): ts.StringLiteralLike | ts.TemplateExpression | undefined {
  for (const arg of model.nodeOf(call).arguments ?? []) {
    const e = unwrapExpression(arg);
    if (isStringLiteralLike(e) && CLEARTEXT.test(e.text)) return e;
    if (isTemplateExpression(e) && CLEARTEXT.test(e.head.text)) return e;
  }
  return undefined;
}

function carriesCredentials(call: NetworkCall, url: string): boolean {
  if (/^[a-z]+:\/\/[^/@\s]+:[^/@\s]+@/i.test(url)) return true; // user:password@host
  if (/[?&](access_token|api_key|apikey|token|password|secret)=/i.test(url)) return true;
  return call.options.some((o) => CREDENTIAL_KEY.test(o.key));
}

export default createRule<MessageIds>({
  meta: {
    id: 'cleartext-http-to-remote',
    lesson: 'tls-handshake',
    severity: 'warning',
    title: 'Credentials sent in cleartext',
    description:
      'A request over `http://` (or `ws://`, `amqp://`, `redis://`, a database URL without TLS) that carries credentials — an Authorization header, a password, a token in the URL — sends them readable to every hop: shared networks, mirrored switch ports, proxies. TLS costs one extra round trip on a new connection (TLS 1.3) and nothing on a reused one. Loopback and sidecar traffic is not reported.',
    messages: {
      cleartext: 'This {{scheme}}:// request to {{host}} carries credentials in cleartext: anyone on the path can read and replay them. Use {{secure}}:// — TLS 1.3 adds one round trip to a new connection and none to a reused one.',
    },
    fixable: true,
  },
  check(context) {
    const { model, sourceFile: sf } = context;
    if (context.isTestFile) return;
    for (const call of model.calls) {
      if (call.role !== 'request' && call.role !== 'connect' && call.role !== 'client') continue;
      if (!call.host || LOOPBACK.test(call.host)) continue;
      const literal = urlLiteral(model, call);
      if (!literal) continue;
      const text = isTemplateExpression(literal) ? literal.head.text : literal.text;
      if (!carriesCredentials(call, text)) continue;
      const scheme = CLEARTEXT.exec(text)![1].toLowerCase();
      const secure = SECURE_SCHEME[scheme] ?? `${scheme} with TLS`;
      const start = literal.getStart(sf) + 1;
      context.report({
        messageId: 'cleartext',
        data: { scheme, host: call.host, secure },
        range: range(literal, sf),
        // Switching the scheme is mechanical but not always safe (the peer must speak TLS): offered, not preferred.
        fixes: SECURE_SCHEME[scheme] ? [{ title: `Use ${secure}://`, edits: [{ start, end: start + scheme.length, newText: secure }] }] : [],
      });
    }
  },
});
