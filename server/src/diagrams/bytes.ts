// The byte view of one message (Illustrated-TLS style): its real bytes cut into labelled ranges, each
// with what it means and, where a header layout explains it, a link to that layout. HTML rather than
// SVG because it is text to read and select; the lesson panel and the capture viewer open it when an
// arrow is clicked.
import { mainLabel } from './labels';
import { escapeText as esc } from './svg';
import type { Message } from './types';

export interface BytesRenderOptions {
  /** Bytes shown per range before "… n more bytes" (certificates run to kilobytes). Default 48. */
  maxBytesPerRange?: number;
}

interface Piece {
  start: number;
  end: number;
  field?: string;
  note?: string;
  layout?: string;
  /** Index into message.bytes.ranges, absent for bytes no range covers. */
  range?: number;
}

export function hexBytes(hex: string): string[] {
  const digits = hex.replace(/\s+/g, '').toLowerCase();
  const out: string[] = [];
  for (let i = 0; i + 1 < digits.length; i += 2) out.push(digits.slice(i, i + 2));
  return out;
}

/** HTML for `message.bytes`; empty string when the message carries no bytes. */
export function renderBytes(message: Message, options: BytesRenderOptions = {}): string {
  if (!message.bytes) return '';
  const bytes = hexBytes(message.bytes.hex);
  const limit = options.maxBytesPerRange ?? 48;
  const pieces: Piece[] = [];
  let cursor = 0;
  message.bytes.ranges.forEach((r, range) => {
    // Bytes no range explains are shown too, so nothing on the wire is hidden.
    if (r.start > cursor) pieces.push({ start: cursor, end: r.start });
    pieces.push({ start: r.start, end: r.end, field: r.field, note: r.note, layout: r.layout, range });
    cursor = Math.max(cursor, r.end);
  });
  if (cursor < bytes.length) pieces.push({ start: cursor, end: bytes.length });

  const items = pieces.map((p) => {
    const run = bytes.slice(p.start, Math.min(p.end, p.start + limit)).join(' ');
    const more = p.end - p.start > limit ? ` … ${p.end - p.start - limit} more bytes` : '';
    const size = p.end - p.start === 1 ? '1 byte' : `${p.end - p.start} bytes`;
    const attrs = [
      `data-start="${p.start}"`,
      `data-end="${p.end}"`,
      p.range !== undefined ? `data-range="${p.range}"` : 'class="wl-unlabelled"',
      p.layout ? `data-layout="${esc(p.layout)}"` : '',
    ]
      .filter(Boolean)
      .join(' ');
    const layout = p.layout ? ` <span class="wl-layout-link" data-layout="${esc(p.layout)}">layout: ${esc(p.layout)}</span>` : '';
    return (
      `<li ${attrs}>` +
      `<span class="wl-offset">${p.start}</span> ` +
      `<code class="wl-hex">${esc(run)}${esc(more)}</code> ` +
      `<span class="wl-field-name">${esc(p.field ?? 'unlabelled')}</span> <span class="wl-size">(${size})</span>` +
      (p.note ? ` <span class="wl-note">${esc(p.note)}</span>` : '') +
      layout +
      `</li>`
    );
  });
  return (
    `<section class="wl-bytes" data-kind="bytes" aria-label="${esc(`Bytes of ${mainLabel(message)}`)}">` +
    `<h4>${esc(`${mainLabel(message)} — ${bytes.length} bytes`)}</h4>` +
    `<ol class="wl-byte-ranges">${items.join('')}</ol></section>`
  );
}
