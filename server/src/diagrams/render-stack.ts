// Encapsulation stack → SVG: each layer wraps the next (header in front, trailer behind), then a bar of
// the actual bytes on the wire drawn to scale with the overhead written out — the L01 picture of why a
// 1-byte write costs ~90 bytes.
import { element, escapeText, fit, styleElement, text, textWidth, tooltip } from './svg';
import { safeId } from './render-sequence';
import type { EncapsulationStack } from './types';

export interface StackRenderOptions {
  idPrefix?: string;
  embeddedCss?: string;
}

const LEFT = 12;
const TOP = 12;
const ROW_HEIGHT = 34;
const ROW_GAP = 6;
const FONT = 12;
const SMALL_FONT = 10;

export interface StackTotals {
  headerBytes: number;
  trailerBytes: number;
  payloadBytes: number;
  wireBytes: number;
  /** Share of the wire bytes that is not payload, 0–1. */
  overhead: number;
}

export function stackTotals(stack: EncapsulationStack): StackTotals {
  const headerBytes = stack.layers.reduce((sum, l) => sum + l.headerBytes, 0);
  const trailerBytes = stack.layers.reduce((sum, l) => sum + (l.trailerBytes ?? 0), 0);
  const payloadBytes = stack.payload.bytes;
  const wireBytes = headerBytes + trailerBytes + payloadBytes;
  return { headerBytes, trailerBytes, payloadBytes, wireBytes, overhead: wireBytes === 0 ? 0 : (headerBytes + trailerBytes) / wireBytes };
}

export function overheadSentence(stack: EncapsulationStack): string {
  const t = stackTotals(stack);
  return `${t.payloadBytes} byte${t.payloadBytes === 1 ? '' : 's'} of ${stack.payload.name} ${t.payloadBytes === 1 ? 'takes' : 'take'} ${t.wireBytes} bytes on the wire: ${
    t.headerBytes + t.trailerBytes
  } bytes (${(t.overhead * 100).toFixed(1)}%) are headers and trailers.`;
}

export function renderStackSvg(stack: EncapsulationStack, options: StackRenderOptions = {}): string {
  const boxWidth = (label: string) => Math.max(64, textWidth(label, FONT) + 16);
  const headerLabels = stack.layers.map((l) => `${l.name} ${l.headerBytes} B`);
  const trailerLabels = stack.layers.map((l) => (l.trailerBytes ? `${l.trailerBytes} B` : ''));
  const headerWidths = headerLabels.map(boxWidth);
  const trailerWidths = trailerLabels.map((t) => (t ? boxWidth(t) : 0));
  const payloadLabel = `${stack.payload.name} ${stack.payload.bytes} B`;
  const inner = headerWidths.reduce((a, b) => a + b, 0) + trailerWidths.reduce((a, b) => a + b, 0);
  const width = Math.max(760, inner + boxWidth(payloadLabel) + 2 * LEFT);
  const out: string[] = [];

  let left = LEFT;
  let right = width - LEFT;
  stack.layers.forEach((layer, i) => {
    const y = TOP + i * (ROW_HEIGHT + ROW_GAP);
    const hw = headerWidths[i]!;
    const tw = trailerWidths[i]!;
    const tip = [`${layer.name}: ${layer.headerBytes}-byte header${layer.trailerBytes ? `, ${layer.trailerBytes}-byte trailer` : ''}`, layer.note].filter(Boolean);
    let body = element('rect', { class: 'wl-layer-carried', x: left, y, width: right - left, height: ROW_HEIGHT, rx: 3 });
    body += element('rect', { class: 'wl-layer-header', x: left, y, width: hw, height: ROW_HEIGHT, rx: 3 });
    body += text(left + hw / 2, y + ROW_HEIGHT / 2 + 4, fit(headerLabels[i]!, hw - 6, FONT), { class: 'wl-layer-name', 'text-anchor': 'middle' });
    if (tw > 0) {
      body += element('rect', { class: 'wl-layer-trailer', x: right - tw, y, width: tw, height: ROW_HEIGHT, rx: 3 });
      body += text(right - tw / 2, y + ROW_HEIGHT / 2 + 4, trailerLabels[i]!, { class: 'wl-layer-name', 'text-anchor': 'middle' });
    }
    if (layer.note) {
      const room = right - tw - (left + hw) - 12;
      const note = fit(layer.note, room, SMALL_FONT);
      if (note) body += text(left + hw + 8, y + ROW_HEIGHT / 2 + 4, note, { class: 'wl-layer-note' });
    }
    out.push(
      element(
        'g',
        { class: `wl-layer wl-layer-${i % 6}`, 'data-kind': 'layer', 'data-index': i, 'data-name': layer.name, 'data-layout': layer.layout },
        tooltip(tip.join('\n')) + body,
      ),
    );
    left += hw;
    right -= tw;
  });

  const payloadY = TOP + stack.layers.length * (ROW_HEIGHT + ROW_GAP);
  out.push(
    element(
      'g',
      { class: 'wl-payload', 'data-kind': 'payload' },
      tooltip([payloadLabel, stack.payload.note].filter(Boolean).join('\n')) +
        element('rect', { class: 'wl-payload-box', x: left, y: payloadY, width: right - left, height: ROW_HEIGHT, rx: 3 }) +
        text((left + right) / 2, payloadY + ROW_HEIGHT / 2 + 4, fit(payloadLabel, right - left - 8, FONT), { class: 'wl-layer-name', 'text-anchor': 'middle' }),
    ),
  );

  // Bytes on the wire, to scale: every header, the payload, then the trailers innermost first.
  const totals = stackTotals(stack);
  const barY = payloadY + ROW_HEIGHT + 22;
  const barWidth = width - 2 * LEFT;
  const pieces = [
    ...stack.layers.map((l, i) => ({ name: `${l.name} header`, bytes: l.headerBytes, cls: `wl-wire-header wl-layer-${i % 6}` })),
    { name: stack.payload.name, bytes: stack.payload.bytes, cls: 'wl-wire-payload' },
    ...stack.layers
      .map((l, i) => ({ name: `${l.name} trailer`, bytes: l.trailerBytes ?? 0, cls: `wl-wire-trailer wl-layer-${i % 6}` }))
      .reverse(),
  ].filter((p) => p.bytes > 0);
  let x = LEFT;
  const bar = pieces.map((p) => {
    const w = totals.wireBytes === 0 ? 0 : (p.bytes / totals.wireBytes) * barWidth;
    const piece = element(
      'g',
      { class: 'wl-wire-piece', 'data-kind': 'wire', 'data-bytes': p.bytes, 'data-name': p.name },
      tooltip(`${p.name}: ${p.bytes} B`) +
        element('rect', { class: p.cls, x, y: barY, width: Math.max(1, w), height: 18 }) +
        (textWidth(String(p.bytes), SMALL_FONT) + 6 <= w ? text(x + w / 2, barY + 13, String(p.bytes), { class: 'wl-wire-bytes', 'text-anchor': 'middle' }) : ''),
    );
    x += w;
    return piece;
  });
  out.push(text(LEFT, barY - 6, `On the wire (to scale): ${totals.wireBytes} bytes`, { class: 'wl-wire-title' }));
  out.push(bar.join(''));
  const sentence = overheadSentence(stack);
  out.push(text(LEFT, barY + 36, sentence, { class: 'wl-wire-summary', 'data-kind': 'overhead', 'data-overhead': totals.overhead }));

  const height = barY + 48;
  const prefix = safeId(options.idPrefix ?? stack.id);
  return element(
    'svg',
    {
      xmlns: 'http://www.w3.org/2000/svg',
      class: 'wl-diagram wl-stack',
      viewBox: `0 0 ${width} ${height}`,
      width,
      height,
      role: 'img',
      'aria-labelledby': `${prefix}-title ${prefix}-desc`,
      'data-diagram-id': stack.id,
      'data-kind': 'stack',
      'data-wire-bytes': totals.wireBytes,
    },
    `<title id="${prefix}-title">${escapeText(stack.title)}</title>` +
      `<desc id="${prefix}-desc">${escapeText(`${stack.description ? `${stack.description} ` : ''}${sentence}`)}</desc>` +
      styleElement(options.embeddedCss) +
      out.join(''),
  );
}
