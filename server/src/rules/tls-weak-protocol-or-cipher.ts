// TLS 1.0/1.1 have no AEAD ciphers and modern clients refuse them; RC4, DES/3DES, NULL and export
// suites are broken or lack forward secrecy. Pinning a `*_method` also switches TLS 1.3 off.
import ts = require('typescript');
import { removeProperty } from '../analysis/edits';
import { selectAssignments, type Assignment } from '../analysis/facts';
import { range } from '../analysis/fileModel';
import { unwrapExpression } from '../analysis/resolve';
import type { Fix } from '../analysis/types';
import { staticValue } from '../analysis/values';
import { createRule } from './createRule';

// The compiler's exports are getters (a call per read); bind the functions used here once.
const { isPropertyAccessExpression } = ts;

type MessageIds = 'oldProtocol' | 'pinnedMethod' | 'weakCipher';

const OLD_VERSIONS = new Set(['TLSv1', 'TLSv1.1', 'SSLv3']);
const OLD_METHOD = /^(SSLv2|SSLv3|SSLv23|TLSv1|TLSv1_1)_(server_|client_)?method$/;
const PINNED_METHOD = /^TLSv1_2_(server_|client_)?method$/;
// Cipher-string tokens naming broken suites; a leading ! or - removes them, which is fine.
const WEAK_CIPHER = /(^|[:\s,])(?![!-])[^:\s,]*(RC4|DES-CBC3|3DES|DES-CBC|(^|-)NULL|EXPORT|EXP-|MD5|aNULL|eNULL)[^:\s,]*/i;

const writesDefaultMinVersion = (a: Assignment): boolean => {
  const t = unwrapExpression(a.target);
  return isPropertyAccessExpression(t) && t.name.escapedText === 'DEFAULT_MIN_VERSION';
};

export default createRule<MessageIds>({
  meta: {
    id: 'tls-weak-protocol-or-cipher',
    lesson: 'tls-handshake',
    severity: 'warning',
    title: 'Weak TLS protocol version or cipher',
    description:
      'TLS 1.0 and 1.1 lack AEAD cipher suites and are refused by current browsers and many servers; RC4, DES/3DES, NULL, export and MD5 suites are broken or give no forward secrecy. A `secureProtocol` such as `TLSv1_2_method` pins one version and so also turns off TLS 1.3 and its one-round-trip handshake. Set `minVersion: \'TLSv1.2\'` and keep Node\'s default cipher list.',
    messages: {
      oldProtocol: '{{what}} allows {{version}}: no AEAD ciphers, refused by current clients, and open to downgrade. Use `minVersion: \'TLSv1.2\'` (TLS 1.3 handshakes take 1 round trip instead of 2).',
      pinnedMethod: '`secureProtocol: \'{{value}}\'` pins TLS 1.2 and switches TLS 1.3 off: every new connection pays 2 handshake round trips instead of 1. Use `minVersion: \'TLSv1.2\'`.',
      weakCipher: 'The cipher list enables {{suite}}: broken or without forward secrecy, so recorded traffic can be decrypted later. Drop `ciphers` and keep Node\'s default list.',
    },
    fixable: true,
  },
  check(context) {
    const { model, sourceFile: sf } = context;
    if (context.isTestFile) return;
    const root = model.facts.root;
    const replaceProp = (p: ts.PropertyAssignment, text: string, title: string): Fix[] => [{ title, edits: [{ start: p.getStart(sf), end: p.end, newText: text }], preferred: true }];
    for (const p of model.facts.propertiesByName.get('secureProtocol') ?? []) {
      const v = staticValue(p.initializer, root);
      if (v.kind !== 'string') continue;
      if (OLD_METHOD.test(v.value)) {
        context.report({ messageId: 'oldProtocol', data: { what: `\`secureProtocol: '${v.value}'\``, version: v.value.startsWith('SSLv23') ? 'SSL 3.0 and TLS 1.0' : v.value.replace(/_.*$/, '').replace('TLSv1_1', 'TLS 1.1').replace('TLSv1', 'TLS 1.0') }, range: range(p, sf), fixes: replaceProp(p, "minVersion: 'TLSv1.2'", "Use minVersion: 'TLSv1.2'") });
      } else if (PINNED_METHOD.test(v.value)) {
        context.report({ messageId: 'pinnedMethod', data: { value: v.value }, range: range(p, sf), severity: 'info', fixes: replaceProp(p, "minVersion: 'TLSv1.2'", "Use minVersion: 'TLSv1.2'") });
      }
    }
    for (const p of model.facts.propertiesByName.get('minVersion') ?? []) {
      const v = staticValue(p.initializer, root);
      if (v.kind === 'string' && OLD_VERSIONS.has(v.value)) {
        const init = p.initializer;
        context.report({ messageId: 'oldProtocol', data: { what: `\`minVersion: '${v.value}'\``, version: v.value }, range: range(p, sf), fixes: [{ title: "Raise minVersion to 'TLSv1.2'", edits: [{ start: init.getStart(sf), end: init.end, newText: "'TLSv1.2'" }], preferred: true }] });
      }
    }
    for (const p of model.facts.propertiesByName.get('ciphers') ?? []) {
      const v = staticValue(p.initializer, root);
      // 'ALL' turns on every suite OpenSSL was built with, weak ones included.
      const m = v.kind === 'string' ? WEAK_CIPHER.exec(v.value) ?? /(^|:)ALL(?=:|$)/.exec(v.value) : null;
      if (!m) continue;
      context.report({ messageId: 'weakCipher', data: { suite: m[0].replace(/^[:\s,]/, '') }, range: range(p, sf), fixes: [{ title: "Remove `ciphers` (use Node's defaults)", edits: [removeProperty(p, sf)], preferred: true }] });
    }
    // tls.DEFAULT_MIN_VERSION = 'TLSv1'
    for (const a of selectAssignments(model.facts, writesDefaultMinVersion)) {
      const t = unwrapExpression(a.target);
      if (!isPropertyAccessExpression(t) || t.name.text !== 'DEFAULT_MIN_VERSION') continue;
      const v = staticValue(a.node.right, a.scope);
      if (v.kind === 'string' && OLD_VERSIONS.has(v.value)) context.report({ messageId: 'oldProtocol', data: { what: '`tls.DEFAULT_MIN_VERSION`', version: v.value }, range: range(a.node, sf) });
    }
  },
});
