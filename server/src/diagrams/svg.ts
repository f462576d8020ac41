// Small SVG/HTML string helpers. Everything that comes from a document goes through `escapeText` /
// `attrs`; no element or attribute name is ever built from document content.

/** Characters XML 1.0 forbids (C0 controls except tab/LF/CR, lone surrogates, U+FFFE/U+FFFF). */
const INVALID_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export function escapeText(text: string): string {
  return text
    .replace(INVALID_XML, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

export type AttrValue = string | number | boolean | undefined;

/** ` name="value"` pairs; undefined/false values are left out, numbers are rounded to 0.01. */
export function attrs(values: Record<string, AttrValue>): string {
  let out = '';
  for (const [name, value] of Object.entries(values)) {
    if (value === undefined || value === false) continue;
    if (!/^[a-zA-Z_:][\w:.-]*$/.test(name)) throw new Error(`bad attribute name ${name}`);
    out += ` ${name}="${value === true ? '' : typeof value === 'number' ? num(value) : escapeText(value)}"`;
  }
  return out;
}

export function num(value: number): string {
  return String(Math.round(value * 100) / 100);
}

export function element(name: string, values: Record<string, AttrValue>, children?: string): string {
  return children === undefined ? `<${name}${attrs(values)}/>` : `<${name}${attrs(values)}>${children}</${name}>`;
}

export function text(x: number, y: number, content: string, values: Record<string, AttrValue> = {}): string {
  return element('text', { x, y, ...values }, escapeText(content));
}

/** `<title>` for a native tooltip on the enclosing group. */
export function tooltip(content: string): string {
  return `<title>${escapeText(content)}</title>`;
}

/**
 * Estimated rendered width of `content` at `fontSize` px in a proportional UI font. Layout only needs
 * a conservative estimate (no DOM to measure with in Node); wide scripts count as a full em.
 */
export function textWidth(content: string, fontSize: number): number {
  let ems = 0;
  for (const ch of content) {
    const code = ch.codePointAt(0)!;
    if (code >= 0x1100) ems += 1;
    else if ('il.,:;|!\'`ft()[]{} '.includes(ch)) ems += 0.32;
    else if ('mwMW@%'.includes(ch)) ems += 0.86;
    else if (ch >= 'A' && ch <= 'Z') ems += 0.66;
    else ems += 0.56;
  }
  return ems * fontSize;
}

/** Width in a monospace font (details, times, offsets use the editor font): 0.6 em per character. */
export function monoWidth(content: string, fontSize: number): number {
  let ems = 0;
  for (const ch of content) ems += ch.codePointAt(0)! >= 0x1100 ? 1.2 : 0.62;
  return ems * fontSize;
}

/** Shortens `content` with an ellipsis so that it fits `width` px. */
export function fit(content: string, width: number, fontSize: number): string {
  if (textWidth(content, fontSize) <= width) return content;
  const chars = [...content];
  while (chars.length > 1 && textWidth(chars.join('') + '…', fontSize) > width) chars.pop();
  return chars.length <= 1 ? '' : chars.join('') + '…';
}

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export function overlapArea(a: Box, b: Box): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return w > 0 && h > 0 ? w * h : 0;
}

/** Our own stylesheet inside an SVG (standalone files only; the webview's CSP forbids inline styles). */
export function styleElement(css: string | undefined): string {
  if (!css) return '';
  if (css.includes(']]>') || css.includes('<')) throw new Error('stylesheet must not contain "<" or "]]>"');
  return `<style><![CDATA[${css}]]></style>`;
}
