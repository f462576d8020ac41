// The text alternative of every diagram: HTML tables a screen reader can walk (the SVG itself is one
// `role="img"`). The same labels as the arrows, plus the per-step explanations.
import { chipTexts, detailLine, mainLabel, PHASE_NAMES } from './labels';
import { layoutHeader } from './render-header';
import { overheadSentence, stackTotals } from './render-stack';
import { escapeText as esc } from './svg';
import { formatMs, formatRtts } from './time';
import { DEFAULT_RTT_MS, resolveSequence } from './timeline';
import type { Diagram, EncapsulationStack, HeaderLayout, SequenceDiagram } from './types';

/** HTML table(s) describing `diagram`; `rtt` (ms) as for renderSvg. */
export function renderTable(diagram: Diagram, rtt?: number): string {
  switch (diagram.kind) {
    case 'sequence':
      return sequenceTable(diagram, rtt ?? diagram.rtt ?? DEFAULT_RTT_MS);
    case 'header':
      return headerTable(diagram);
    case 'stack':
      return stackTable(diagram);
  }
}

function row(cells: string[], attrs = ''): string {
  return `<tr${attrs}>${cells.join('')}</tr>`;
}

function head(names: string[]): string {
  return `<thead><tr>${names.map((n) => `<th scope="col">${esc(n)}</th>`).join('')}</tr></thead>`;
}

function sequenceTable(diagram: SequenceDiagram, rttMs: number): string {
  const r = resolveSequence(diagram, rttMs);
  const hostName = new Map(diagram.hosts.map((h) => [h.id, h.label ?? h.id]));
  const rttText = r.rttScalable ? ` at RTT ${formatMs(rttMs)}` : '';
  const caption = `${diagram.title}: ${r.messages.length} packet${r.messages.length === 1 ? '' : 's'}${rttText}, total ${formatMs(r.totalMs)}${
    r.rttScalable ? ` (${formatRtts(r.totalMs, rttMs)})` : ''
  }`;
  const body = r.messages.map((m) => {
    const msg = m.message;
    const time = msg.lost ? `${formatMs(m.sendMs)} → lost` : `${formatMs(m.sendMs)} → ${formatMs(m.arriveMs)}`;
    const packet = [`<strong>${esc(mainLabel(msg))}</strong>`];
    const detail = detailLine(msg);
    if (detail) packet.push(`<br><code>${esc(detail)}</code>`);
    const chips = chipTexts(msg);
    if (chips.length > 0) packet.push(`<br>carries: ${esc(chips.join(', '))}`);
    const what = [msg.phase ? `[${PHASE_NAMES[msg.phase]}]` : '', msg.explain ?? '', msg.note ? `(${msg.note})` : '']
      .filter(Boolean)
      .join(' ');
    return row(
      [
        `<td class="wl-num">${m.step}</td>`,
        `<td class="wl-num">${esc(time)}</td>`,
        `<td>${esc(`${hostName.get(msg.from)} → ${hostName.get(msg.to)}`)}</td>`,
        `<td>${packet.join('')}</td>`,
        `<td>${esc(what)}</td>`,
      ],
      ` data-step="${m.step}"${msg.lost ? ' class="wl-lost-row"' : ''}`,
    );
  });
  let html =
    `<table class="wl-diagram-table" data-diagram-id="${esc(diagram.id)}" data-kind="sequence">` +
    `<caption>${esc(caption)}</caption>` +
    head(['Step', 'Time', 'From → To', 'Packet', 'What happens']) +
    `<tbody>${body.join('')}</tbody></table>`;

  const events = [
    ...r.spans.map((s) => ({
      at: s.fromMs,
      cells: [
        formatMs(s.fromMs),
        formatMs(s.toMs),
        s.span.host ? hostName.get(s.span.host)! : '',
        `${s.span.label} (${formatMs(s.toMs - s.fromMs)}${r.rttScalable ? `, ${formatRtts(s.toMs - s.fromMs, rttMs)}` : ''})`,
      ],
    })),
    ...r.states.map((s) => ({ at: s.tMs, cells: [formatMs(s.tMs), '', hostName.get(s.item.host)!, `state: ${s.item.state}`] })),
    ...r.notes.map((n) => ({ at: n.tMs, cells: [formatMs(n.tMs), '', hostName.get(n.item.host)!, n.item.text] })),
  ].sort((a, b) => a.at - b.at);
  if (events.length > 0) {
    html +=
      `<table class="wl-diagram-table" data-diagram-id="${esc(diagram.id)}" data-kind="intervals">` +
      `<caption>${esc(`${diagram.title}: intervals and states`)}</caption>` +
      head(['From', 'To', 'Host', 'What']) +
      `<tbody>${events
        .map((e) => row([`<td class="wl-num">${esc(e.cells[0]!)}</td>`, `<td class="wl-num">${esc(e.cells[1]!)}</td>`, `<td>${esc(e.cells[2]!)}</td>`, `<td>${esc(e.cells[3]!)}</td>`]))
        .join('')}</tbody></table>`;
  }
  return html;
}

function headerTable(header: HeaderLayout): string {
  const g = layoutHeader(header);
  const rows: string[] = [];
  let bit = 0;
  let afterVar = false;
  header.fields.forEach((f, i) => {
    const segment = g.segments.find((s) => s.fieldIndex === i)!;
    let position: string;
    if (afterVar) position = 'after the variable part';
    else if (f.bits === 'var') position = `from byte ${bit / 8}`;
    else position = f.bits === 1 ? `bit ${bit}` : `bits ${bit}–${bit + f.bits - 1}`;
    const size = f.bits === 'var' ? sizeRange(f.minBytes, f.maxBytes) : `${f.bits} bit${f.bits === 1 ? '' : 's'}`;
    const notes = [
      f.note,
      f.lengthFrom ? `length: ${f.lengthFrom}` : undefined,
      f.values ? `values: ${Object.entries(f.values).map(([k, v]) => `${k} = ${v}`).join(', ')}` : undefined,
      f.cite,
    ].filter(Boolean) as string[];
    rows.push(
      row(
        [`<td class="wl-num">${esc(position)}</td>`, `<td>${esc(f.name)}</td>`, `<td class="wl-num">${esc(size)}</td>`, `<td>${esc(notes.join('; '))}</td>`],
        ` data-row="${segment.row}"`,
      ),
    );
    if (f.bits === 'var') afterVar = true;
    else bit += f.bits;
  });
  const fixed = g.fixedBits % 8 === 0 ? `${g.fixedBits / 8} bytes fixed` : `${g.fixedBits} bits fixed`;
  return (
    `<table class="wl-diagram-table" data-diagram-id="${esc(header.id)}" data-kind="header">` +
    `<caption>${esc(`${header.title} (${fixed}, ${header.byteOrder ?? 'big'}-endian fields)`)}</caption>` +
    head(['Position', 'Field', 'Size', 'Notes']) +
    `<tbody>${rows.join('')}</tbody></table>`
  );
}

function sizeRange(min: number | undefined, max: number | undefined): string {
  if (min !== undefined && max !== undefined) return min === max ? `${min} bytes` : `${min}–${max} bytes`;
  if (max !== undefined) return `up to ${max} bytes`;
  if (min !== undefined) return `${min}+ bytes`;
  return 'variable';
}

function stackTable(stack: EncapsulationStack): string {
  const t = stackTotals(stack);
  const rows = stack.layers.map((l) =>
    row([
      `<td>${esc(l.name)}</td>`,
      `<td class="wl-num">${l.headerBytes} B</td>`,
      `<td class="wl-num">${l.trailerBytes ?? 0} B</td>`,
      `<td>${esc(l.note ?? '')}</td>`,
    ]),
  );
  rows.push(row([`<td>${esc(stack.payload.name)} (payload)</td>`, `<td class="wl-num">${t.payloadBytes} B</td>`, '<td class="wl-num"></td>', `<td>${esc(stack.payload.note ?? '')}</td>`]));
  return (
    `<table class="wl-diagram-table" data-diagram-id="${esc(stack.id)}" data-kind="stack">` +
    `<caption>${esc(`${stack.title}: ${overheadSentence(stack)}`)}</caption>` +
    head(['Layer (outermost first)', 'Header', 'Trailer', 'Notes']) +
    `<tbody>${rows.join('')}</tbody>` +
    `<tfoot>${row([`<th scope="row">On the wire</th>`, `<td class="wl-num" colspan="2">${t.wireBytes} B</td>`, `<td>${esc(`${(t.overhead * 100).toFixed(1)}% overhead`)}</td>`])}</tfoot></table>`
  );
}
