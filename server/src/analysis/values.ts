// Statically known values: literals, constants, simple arithmetic (`60 * 1000`), numeric
// separators, and options objects flattened into dotted keys.
import ts = require('typescript');
import { propertyKey } from './facts';
import { unwrapExpression } from './resolve';
import type { Scope } from './scope';
import type { OptionFact, StaticValue } from './types';

// The compiler's exports are getters (a call per read); bind the functions used here once.
const { SyntaxKind, isBinaryExpression, isIdentifier, isMethodDeclaration, isNewExpression, isObjectLiteralExpression, isPropertyAssignment, isShorthandPropertyAssignment, isSpreadAssignment, isStringLiteralLike, isTemplateExpression } = ts;

const UNKNOWN: StaticValue = { kind: 'unknown' };
const MAX_DEPTH = 8;

/** The initialiser of a `const` an identifier refers to, when there is exactly one. */
export function constInitializer(expr: ts.Expression, scope: Scope): ts.Expression | undefined {
  if (!isIdentifier(expr)) return undefined;
  const b = scope.lookup(expr.text);
  if (b?.kind !== 'var' || b.path.length > 0) return undefined;
  if (b.init && (b.isConst || b.assigned.length === 0)) return b.init;
  return undefined;
}

export function staticValue(expr: ts.Expression | undefined, scope: Scope, depth = 0): StaticValue {
  if (!expr || depth > MAX_DEPTH) return UNKNOWN;
  expr = unwrapExpression(expr);
  switch (expr.kind) {
    case SyntaxKind.StringLiteral:
    case SyntaxKind.NoSubstitutionTemplateLiteral:
      return { kind: 'string', value: (expr as ts.StringLiteralLike).text };
    case SyntaxKind.NumericLiteral:
      return { kind: 'number', value: Number((expr as ts.NumericLiteral).text.replace(/_/g, '')) };
    case SyntaxKind.TrueKeyword:
      return { kind: 'boolean', value: true };
    case SyntaxKind.FalseKeyword:
      return { kind: 'boolean', value: false };
    case SyntaxKind.NullKeyword:
      return { kind: 'null' };
    case SyntaxKind.ObjectLiteralExpression:
      return { kind: 'object' };
    case SyntaxKind.ArrowFunction:
    case SyntaxKind.FunctionExpression:
      return { kind: 'function' };
    case SyntaxKind.Identifier: {
      if ((expr as ts.Identifier).text === 'undefined' && !scope.lookup('undefined')) return { kind: 'undefined' };
      const init = constInitializer(expr, scope);
      return init ? staticValue(init, scope, depth + 1) : UNKNOWN;
    }
    case SyntaxKind.PrefixUnaryExpression: {
      const u = expr as ts.PrefixUnaryExpression;
      const v = staticValue(u.operand, scope, depth + 1);
      if (u.operator === SyntaxKind.MinusToken && v.kind === 'number') return { kind: 'number', value: -v.value };
      if (u.operator === SyntaxKind.ExclamationToken && v.kind === 'number') return { kind: 'boolean', value: v.value === 0 };
      if (u.operator === SyntaxKind.ExclamationToken && v.kind === 'boolean') return { kind: 'boolean', value: !v.value };
      return UNKNOWN;
    }
    case SyntaxKind.BinaryExpression: {
      const b = expr as ts.BinaryExpression;
      const l = staticValue(b.left, scope, depth + 1);
      const r = staticValue(b.right, scope, depth + 1);
      if (l.kind === 'number' && r.kind === 'number') {
        switch (b.operatorToken.kind) {
          case SyntaxKind.AsteriskToken:
            return { kind: 'number', value: l.value * r.value };
          case SyntaxKind.PlusToken:
            return { kind: 'number', value: l.value + r.value };
          case SyntaxKind.MinusToken:
            return { kind: 'number', value: l.value - r.value };
          case SyntaxKind.SlashToken:
            return r.value === 0 ? UNKNOWN : { kind: 'number', value: l.value / r.value };
        }
      }
      if (l.kind === 'string' && r.kind === 'string' && b.operatorToken.kind === SyntaxKind.PlusToken) {
        return { kind: 'string', value: l.value + r.value };
      }
      return UNKNOWN;
    }
    default:
      return UNKNOWN;
  }
}

export interface UrlText {
  /** The statically known leading text. */
  text: string;
  /** True when the text is the whole value (a literal), false when more follows at run time. */
  complete: boolean;
}

/**
 * The leading text of a URL-ish argument: the whole string for literals, the head of a template
 * (`https://${host}/x` → `https://`), concatenations as far as they are constant.
 */
export function urlPrefix(expr: ts.Expression | undefined, scope: Scope, depth = 0): UrlText | undefined {
  if (!expr || depth > MAX_DEPTH) return undefined;
  expr = unwrapExpression(expr);
  if (isStringLiteralLike(expr)) return { text: expr.text, complete: true };
  if (isTemplateExpression(expr)) {
    // `${BASE}/users`: constant substitutions extend the known text.
    let text = expr.head.text;
    for (const span of expr.templateSpans) {
      const v = staticValue(span.expression, scope, depth + 1);
      if (v.kind !== 'string' && v.kind !== 'number') return { text, complete: false };
      text += String(v.value) + span.literal.text;
    }
    return { text, complete: true };
  }
  if (isBinaryExpression(expr) && expr.operatorToken.kind === SyntaxKind.PlusToken) {
    const left = urlPrefix(expr.left, scope, depth + 1);
    if (!left || !left.complete) return left;
    const right = urlPrefix(expr.right, scope, depth + 1);
    return { text: left.text + (right?.text ?? ''), complete: right?.complete ?? false };
  }
  if (isNewExpression(expr) && isIdentifier(expr.expression) && expr.expression.text === 'URL') {
    const args = expr.arguments ?? [];
    // new URL(path, base): the base names the host.
    return urlPrefix(args.length > 1 ? args[1] : args[0], scope, depth + 1);
  }
  const init = constInitializer(expr, scope);
  return init ? urlPrefix(init, scope, depth + 1) : undefined;
}

export interface ParsedUrl {
  scheme?: string;
  host?: string;
  port?: number;
}

/** Scheme, host and port from the known text of a URL; parts that may continue at run time are left out. */
export function parseUrlPrefix(text: string, complete: boolean): ParsedUrl {
  const m = /^([a-z][a-z0-9+.-]*):\/\/(?:[^@/?#]*@)?(\[[^\]]*\]|[^:/?#\[]*)(?::(\d*))?/i.exec(text);
  if (!m) return {};
  const out: ParsedUrl = { scheme: m[1].toLowerCase() };
  const rest = text.slice(m[0].length);
  const hostEnded = m[3] !== undefined || rest.length > 0 || complete;
  if (m[2] && hostEnded) out.host = m[2].replace(/^\[|\]$/g, '');
  const portEnded = rest.length > 0 || complete;
  if (m[3] && portEnded) out.port = Number(m[3]);
  return out;
}

/** The object literal an options argument is, or refers to through a `const`. */
export function objectLiteralOf(expr: ts.Expression | undefined, scope: Scope): ts.ObjectLiteralExpression | undefined {
  if (!expr) return undefined;
  expr = unwrapExpression(expr);
  if (isObjectLiteralExpression(expr)) return expr;
  const init = constInitializer(expr, scope);
  if (init) {
    const inner = unwrapExpression(init);
    if (isObjectLiteralExpression(inner)) return inner;
  }
  return undefined;
}

/**
 * Flattens an options object into dotted keys. Nested literals are followed three levels deep
 * (`connect.timeout`, `headers.connection`); a spread adds a `...` entry so rules know that
 * unseen keys may be present.
 */
export function flattenOptions(obj: ts.ObjectLiteralExpression, scope: Scope, prefix = '', depth = 0, out: OptionFact[] = []): OptionFact[] {
  const sf = obj.getSourceFile();
  for (const p of obj.properties) {
    const range = { start: p.getStart(sf), end: p.end };
    if (isSpreadAssignment(p)) {
      const spread = objectLiteralOf(p.expression, scope);
      if (spread && depth < 3) flattenOptions(spread, scope, prefix, depth + 1, out);
      else out.push({ key: `${prefix}...`, value: UNKNOWN, range, valueRange: range });
      continue;
    }
    if (isShorthandPropertyAssignment(p)) {
      out.push({ key: prefix + p.name.text, value: staticValue(p.name, scope), range, valueRange: range });
      continue;
    }
    if (isMethodDeclaration(p)) {
      const key = propertyKey(p.name);
      if (key !== undefined) out.push({ key: prefix + key, value: { kind: 'function' }, range, valueRange: range });
      continue;
    }
    if (!isPropertyAssignment(p)) continue;
    const key = propertyKey(p.name);
    if (key === undefined) {
      out.push({ key: `${prefix}...`, value: UNKNOWN, range, valueRange: range });
      continue;
    }
    const valueRange = { start: p.initializer.getStart(sf), end: p.initializer.end };
    const fullKey = prefix + key;
    const nested = objectLiteralOf(p.initializer, scope);
    out.push({ key: fullKey, value: nested ? { kind: 'object' } : staticValue(p.initializer, scope), range, valueRange });
    if (nested && depth < 3) flattenOptions(nested, scope, `${fullKey}.`, depth + 1, out);
  }
  return out;
}
