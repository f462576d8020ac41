// Header layout → SVG in the RFC figure style: a bit ruler across the top, byte offsets down the left,
// one row per 32 bits (bitsPerRow). Fields that cross a row boundary are split into one box per row,
// as Mermaid `packet` does; a variable-length part is drawn open-ended with its size range.
import { element, escapeText, fit, styleElement, text, textWidth, tooltip } from './svg';
import { safeId } from './render-sequence';
import type { HeaderField, HeaderLayout } from './types';

export interface HeaderRenderOptions {
  idPrefix?: string;
  embeddedCss?: string;
}

const ROW_WIDTH = 768;
const ROW_HEIGHT = 44;
const LEFT = 64;
const TOP = 38;
const NAME_FONT = 12;
const SMALL_FONT = 10;

export interface FieldSegment {
  fieldIndex: number;
  field: HeaderField;
  row: number;
  col: number;
  bits: number;
  /** 0 for the first box of a field, 1… for its continuations on later rows. */
  part: number;
  variable: boolean;
}

export interface HeaderGeometry {
  bitsPerRow: number;
  segments: FieldSegment[];
  rows: number;
  /** Fixed bits before the first variable part (e.g. 160 for TCP). */
  fixedBits: number;
  /** Byte offset written left of each row; "+n" counts from the end of the last variable part. */
  rowOffsets: string[];
}

/** Splits fields into per-row boxes. After a variable part the next field starts on a fresh row. */
export function layoutHeader(header: HeaderLayout): HeaderGeometry {
  const bitsPerRow = header.bitsPerRow ?? 32;
  const segments: FieldSegment[] = [];
  let row = 0;
  let col = 0;
  let fixedBits = 0;
  let seenVar = false;
  const rowOffsets: string[] = [];
  let varRows = 0;
  const noteRow = (r: number) => {
    if (rowOffsets[r] !== undefined) return;
    rowOffsets[r] = seenVar ? `+${((r - varRows) * bitsPerRow) / 8}` : String((r * bitsPerRow) / 8);
  };
  header.fields.forEach((field, fieldIndex) => {
    if (field.bits === 'var') {
      noteRow(row);
      segments.push({ fieldIndex, field, row, col, bits: bitsPerRow - col, part: 0, variable: true });
      seenVar = true;
      row += 1;
      col = 0;
      varRows = row;
      return;
    }
    if (!seenVar) fixedBits += field.bits;
    let remaining = field.bits;
    let part = 0;
    while (remaining > 0) {
      noteRow(row);
      const take = Math.min(remaining, bitsPerRow - col);
      segments.push({ fieldIndex, field, row, col, bits: take, part, variable: false });
      remaining -= take;
      part += 1;
      col += take;
      if (col === bitsPerRow) {
        row += 1;
        col = 0;
      }
    }
  });
  const rows = col === 0 ? row : row + 1;
  return { bitsPerRow, segments, rows, fixedBits, rowOffsets };
}

function sizeText(field: HeaderField): string {
  if (field.bits !== 'var') return `${field.bits} bit${field.bits === 1 ? '' : 's'}`;
  const min = field.minBytes;
  const max = field.maxBytes;
  if (min !== undefined && max !== undefined) return min === max ? `${min} bytes` : `${min}–${max} bytes`;
  if (max !== undefined) return `up to ${max} bytes`;
  if (min !== undefined) return `${min}+ bytes`;
  return 'variable length';
}

export function renderHeaderSvg(header: HeaderLayout, options: HeaderRenderOptions = {}): string {
  const g = layoutHeader(header);
  const bitWidth = ROW_WIDTH / g.bitsPerRow;
  const width = LEFT + ROW_WIDTH + 16;
  const height = TOP + g.rows * ROW_HEIGHT + 14;
  const prefix = safeId(options.idPrefix ?? header.id);
  const out: string[] = [];

  // Bit ruler: every bit ticked, numbered where there is room.
  const ruler: string[] = [];
  const numberEvery = bitWidth >= 16 ? 1 : bitWidth >= 8 ? 4 : 8;
  for (let bit = 0; bit < g.bitsPerRow; bit++) {
    const x = LEFT + bit * bitWidth;
    if (bit % numberEvery === 0) ruler.push(text(x + bitWidth / 2, TOP - 14, String(bit), { class: 'wl-bit-number', 'text-anchor': 'middle' }));
    ruler.push(element('line', { class: bit % 8 === 0 ? 'wl-tick wl-tick-byte' : 'wl-tick', x1: x, y1: TOP - (bit % 8 === 0 ? 9 : 5), x2: x, y2: TOP }));
  }
  ruler.push(element('line', { class: 'wl-tick wl-tick-byte', x1: LEFT + ROW_WIDTH, y1: TOP - 9, x2: LEFT + ROW_WIDTH, y2: TOP }));
  out.push(element('g', { class: 'wl-ruler', 'data-kind': 'ruler', 'aria-hidden': 'true' }, ruler.join('')));

  for (let row = 0; row < g.rows; row++) {
    const offset = g.rowOffsets[row] ?? '';
    out.push(text(LEFT - 8, TOP + row * ROW_HEIGHT + ROW_HEIGHT / 2 + 4, offset, { class: 'wl-offset', 'text-anchor': 'end', 'data-kind': 'offset', 'data-row': row }));
  }

  for (const s of g.segments) {
    const x = LEFT + s.col * bitWidth;
    const y = TOP + s.row * ROW_HEIGHT;
    const w = s.bits * bitWidth;
    const f = s.field;
    const room = w - 6;
    let name = f.name;
    if (textWidth(name, NAME_FONT) > room && f.short !== undefined) name = f.short;
    name = fit(name, room, NAME_FONT);
    const size = sizeText(f);
    const showSize = s.part === 0 && textWidth(size, SMALL_FONT) <= room && w >= 48;
    const tip = [
      `${f.name} — ${size}`,
      f.lengthFrom ? `length: ${f.lengthFrom}` : undefined,
      f.note,
      f.values ? Object.entries(f.values).map(([k, v]) => `${k} = ${v}`).join(', ') : undefined,
      f.cite,
    ].filter(Boolean);
    const shape = s.variable
      ? element('path', {
          class: 'wl-field-box wl-field-var',
          // Open right/bottom edge drawn as a zig-zag: the part continues for a variable number of bytes.
          d: `M${x} ${y}H${x + w}${zigzagDown(x + w, y, ROW_HEIGHT)}H${x}Z`,
        })
      : element('rect', { class: 'wl-field-box', x, y, width: w, height: ROW_HEIGHT });
    const cx = x + w / 2;
    const labelY = showSize ? y + ROW_HEIGHT / 2 - 1 : y + ROW_HEIGHT / 2 + 4;
    out.push(
      element(
        'g',
        {
          class: `wl-field${s.variable ? ' wl-variable' : ''}${s.part > 0 ? ' wl-continued' : ''}`,
          'data-kind': 'field',
          'data-field-index': s.fieldIndex,
          'data-name': f.name,
          'data-row': s.row,
          'data-col': s.col,
          'data-bits': s.bits,
          'data-variable': s.variable ? 'true' : undefined,
        },
        tooltip(tip.join('\n')) +
          shape +
          (name ? text(cx, labelY, name, { class: 'wl-field-name', 'text-anchor': 'middle' }) : '') +
          (showSize ? text(cx, y + ROW_HEIGHT / 2 + 12, size, { class: 'wl-field-size', 'text-anchor': 'middle' }) : ''),
      ),
    );
  }

  const fixedBytes = g.fixedBits / 8;
  const variable = header.fields.filter((f) => f.bits === 'var').map((f) => `${f.name} (${sizeText(f)})`);
  const summary = `${header.fields.length} fields in rows of ${g.bitsPerRow} bits; ${
    Number.isInteger(fixedBytes) ? `${fixedBytes} bytes` : `${g.fixedBits} bits`
  } fixed${variable.length ? `, then ${variable.join(', ')}` : ''}.`;

  return element(
    'svg',
    {
      xmlns: 'http://www.w3.org/2000/svg',
      class: 'wl-diagram wl-header',
      viewBox: `0 0 ${width} ${height}`,
      width,
      height,
      role: 'img',
      'aria-labelledby': `${prefix}-title ${prefix}-desc`,
      'data-diagram-id': header.id,
      'data-kind': 'header',
      'data-rows': g.rows,
      'data-bits-per-row': g.bitsPerRow,
    },
    `<title id="${prefix}-title">${escapeText(header.title)}</title>` +
      `<desc id="${prefix}-desc">${escapeText(header.description ? `${header.description} ${summary}` : summary)}</desc>` +
      styleElement(options.embeddedCss) +
      out.join(''),
  );
}

function zigzagDown(x: number, y: number, height: number): string {
  const teeth = 4;
  const step = height / teeth;
  let d = '';
  for (let i = 1; i <= teeth; i++) d += `L${x + (i % 2 === 1 ? 5 : 0)} ${y + step * i}`;
  return d;
}
