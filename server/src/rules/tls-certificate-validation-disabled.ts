// Turning off certificate validation keeps the encryption but authenticates nobody: anything on
// the path can terminate TLS with its own certificate and read or change the traffic.
import ts = require('typescript');
import { enclosingStatement, removeProperty, removeStatement } from '../analysis/edits';
import { selectAssignments, type Assignment } from '../analysis/facts';
import { range } from '../analysis/fileModel';
import { unwrapExpression } from '../analysis/resolve';
import type { Severity } from '../analysis/types';
import { staticValue } from '../analysis/values';
import { createRule, type RuleContext } from './createRule';

// The compiler's exports are getters (a call per read); bind the functions used here once.
const { SyntaxKind, isArrowFunction, isBlock, isCallExpression, isElementAccessExpression, isExpressionStatement, isFunctionExpression, isIdentifier, isNewExpression, isPropertyAccessExpression, isReturnStatement, isStringLiteralLike, isVoidExpression } = ts;

type MessageIds = 'rejectUnauthorized' | 'envVariable' | 'checkServerIdentity';

const ENV_VAR = 'NODE_TLS_REJECT_UNAUTHORIZED';

/** A function that accepts every certificate: empty body, or returns undefined/null. */
function isNoOpFunction(expr: ts.Expression): boolean {
  const fn = unwrapExpression(expr);
  if (!isArrowFunction(fn) && !isFunctionExpression(fn)) return false;
  const body = fn.body;
  if (!isBlock(body)) {
    const v = unwrapExpression(body);
    return v.kind === SyntaxKind.NullKeyword || (isIdentifier(v) && v.text === 'undefined') || isVoidExpression(v);
  }
  if (body.statements.length === 0) return true;
  if (body.statements.length === 1 && isReturnStatement(body.statements[0])) {
    const r = body.statements[0].expression;
    return !r || r.kind === SyntaxKind.NullKeyword || (isIdentifier(r) && r.text === 'undefined');
  }
  return false;
}

/** Values that make `rejectUnauthorized` false: `false`, `0`, `!1`. */
function isFalsy(expr: ts.Expression, context: RuleContext<MessageIds>, scope = context.model.facts.root): boolean {
  const v = staticValue(expr, scope);
  return (v.kind === 'boolean' && !v.value) || (v.kind === 'number' && v.value === 0);
}

/** Node turns verification off only for the exact string '0' (a number 0 is stored as '0'). */
function disablesViaEnv(expr: ts.Expression, context: RuleContext<MessageIds>): boolean {
  const v = staticValue(expr, context.model.facts.root);
  return (v.kind === 'string' && v.value === '0') || (v.kind === 'number' && v.value === 0);
}

/** `rejectUnauthorized: false` given to a server only stops it from checking client certificates. */
function isServerOption(prop: ts.PropertyAssignment, context: RuleContext<MessageIds>): boolean {
  const obj = prop.parent;
  const call = obj.parent;
  if (!call || !(isCallExpression(call) || isNewExpression(call))) return false;
  const recognised = context.model.callAt(call);
  return recognised?.role === 'server';
}

function envTarget(target: ts.Expression): boolean {
  const t = unwrapExpression(target);
  const name = isPropertyAccessExpression(t) ? t.name.text : isElementAccessExpression(t) && isStringLiteralLike(t.argumentExpression) ? t.argumentExpression.text : undefined;
  if (name !== ENV_VAR || !(isPropertyAccessExpression(t) || isElementAccessExpression(t))) return false;
  const env = unwrapExpression(t.expression);
  return isPropertyAccessExpression(env) && env.name.text === 'env';
}


/**
 * Whether an assignment can be one this rule reads (its target is `….rejectUnauthorized`,
 * `….NODE_TLS_REJECT_UNAUTHORIZED` or `…['NODE_TLS_REJECT_UNAUTHORIZED']`): syntax only.
 */
function mayBeCandidate(a: Assignment): boolean {
  const t = unwrapExpression(a.target);
  if (isPropertyAccessExpression(t)) return t.name.escapedText === 'rejectUnauthorized' || t.name.escapedText === ENV_VAR;
  return isElementAccessExpression(t) && isStringLiteralLike(t.argumentExpression) && t.argumentExpression.text === ENV_VAR;
}

export default createRule<MessageIds>({
  meta: {
    id: 'tls-certificate-validation-disabled',
    lesson: 'tls-handshake',
    severity: 'warning',
    title: 'TLS certificate validation disabled',
    description:
      'With certificate validation off, TLS still encrypts but no longer proves who is on the other end: a proxy, a compromised router or anything else on the path can present its own certificate, then read and change the traffic, including tokens. `NODE_TLS_REJECT_UNAUTHORIZED=0` does this for every TLS connection in the process. Trust a private CA with the `ca` option instead.',
    messages: {
      rejectUnauthorized: '`rejectUnauthorized: false` accepts any certificate: the connection is encrypted, but to whoever answers. Anything on the path can impersonate the server. Trust your CA with `ca` instead.',
      envVariable: '`NODE_TLS_REJECT_UNAUTHORIZED = \'0\'` turns off certificate checks for every TLS connection in this process (HTTP clients, database drivers, SDKs). Trust your CA with `ca` or `NODE_EXTRA_CA_CERTS` instead.',
      checkServerIdentity: 'This `checkServerIdentity` accepts every host name: a valid certificate for any other domain is taken as this server\'s. Remove it to keep Node\'s host-name check.',
    },
    fixable: true,
  },
  check(context) {
    const { model, sourceFile: sf } = context;
    // Tests that talk to a local server with a self-signed certificate are the expected use.
    if (context.isTestFile) return;
    const severity: Severity | undefined = undefined;
    for (const prop of model.facts.propertiesByName.get('rejectUnauthorized') ?? []) {
      if (!isFalsy(prop.initializer, context) || isServerOption(prop, context)) continue;
      context.report({
        messageId: 'rejectUnauthorized',
        range: range(prop, sf),
        severity,
        fixes: [{ title: 'Remove `rejectUnauthorized: false` (verify certificates)', edits: [removeProperty(prop, sf)], preferred: true }],
      });
    }
    for (const prop of model.facts.propertiesByName.get(ENV_VAR) ?? []) {
      if (!disablesViaEnv(prop.initializer, context)) continue;
      context.report({ messageId: 'envVariable', range: range(prop, sf), severity, fixes: [{ title: `Remove ${ENV_VAR}`, edits: [removeProperty(prop, sf)], preferred: true }] });
    }
    for (const prop of model.facts.propertiesByName.get('checkServerIdentity') ?? []) {
      if (!isNoOpFunction(prop.initializer)) continue;
      context.report({ messageId: 'checkServerIdentity', range: range(prop, sf), severity, fixes: [{ title: 'Remove the no-op `checkServerIdentity`', edits: [removeProperty(prop, sf)], preferred: true }] });
    }
    for (const a of selectAssignments(model.facts, mayBeCandidate)) {
      if (envTarget(a.target) && disablesViaEnv(a.node.right, context)) {
        const statement = enclosingStatement(a.node);
        const fixes = statement && isExpressionStatement(statement) && statement.expression === a.node ? [{ title: `Remove the ${ENV_VAR} assignment`, edits: [removeStatement(statement, sf)], preferred: true }] : [];
        context.report({ messageId: 'envVariable', range: range(a.node, sf), severity, fixes });
        continue;
      }
      // `https.globalAgent.options.rejectUnauthorized = false` and similar property writes.
      const t = unwrapExpression(a.target);
      if (isPropertyAccessExpression(t) && t.name.text === 'rejectUnauthorized' && isFalsy(a.node.right, context, a.scope)) {
        context.report({ messageId: 'rejectUnauthorized', range: range(a.node, sf), severity });
      }
    }
  },
});
