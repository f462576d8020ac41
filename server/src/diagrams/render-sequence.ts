// Ladder (sequence) diagram → SVG. Time runs down the page: an arrow leaves its sender at y(send) and
// reaches the receiver at y(arrive), so latency is visible as slant and a round trip as a V. Long idle
// spans become a broken axis. Colours come only from CSS classes (styles.ts), so the theme decides.
import { chipTexts, detailLine, mainLabel, PHASE_NAMES, protoAndFlags } from './labels';
import { element, escapeText, fit, monoWidth, num, overlapArea, styleElement, text, textWidth, tooltip, type Box } from './svg';
import { formatMs, formatRtts } from './time';
import { DEFAULT_RTT_MS, resolveSequence, type ResolvedMessage, type ResolvedSequence, type ResolvedSpan } from './timeline';
import type { SequenceDiagram } from './types';

export interface SequenceRenderOptions {
  /** RTT in ms (the lesson's RTT control); default the document's `rtt`. */
  rtt?: number;
  /** Step-through: 0 = before the first packet; N = message N current. Undefined: everything shown plainly. */
  step?: number;
  /** Pixels per millisecond; default fixed by the document's nominal RTT so the RTT control stretches the drawing. */
  pxPerMs?: number;
  /** Prefix for element ids (title/desc); default the document id. */
  idPrefix?: string;
  /** Put DIAGRAM_CSS inside the SVG (standalone files; not for the CSP'd webview). */
  embeddedCss?: string;
}

const LABEL_FONT = 12;
const DETAIL_FONT = 10.5;
const CHIP_FONT = 10;
const SMALL_FONT = 10.5;
const PX_PER_RTT = 180;
const MAX_BODY_PX = 1800;
const BREAK_PX = 40;
const DUPLICATE_OFFSET_PX = 10;
const HEADER_TOP = 10;
const HEADER_HEIGHT = 38;
const ARROWHEAD = 8;
const PHASE_WIDTH = 66;
const LABEL_CANDIDATES = [0.5, 0.35, 0.65, 0.22, 0.78, 0.12, 0.88];

interface Break {
  fromMs: number;
  toMs: number;
  label: string;
}

/** Piecewise-linear time → y: linear between breaks, each break squeezed into BREAK_PX. */
class TimeScale {
  constructor(readonly top: number, readonly pxPerMs: number, readonly breaks: Break[]) {}

  y(ms: number): number {
    let y = this.top;
    let cursor = 0;
    for (const b of this.breaks) {
      if (ms <= b.fromMs) break;
      y += (b.fromMs - cursor) * this.pxPerMs;
      if (ms < b.toMs) return y + ((ms - b.fromMs) / (b.toMs - b.fromMs)) * BREAK_PX;
      y += BREAK_PX;
      cursor = b.toMs;
    }
    return y + (ms - cursor) * this.pxPerMs;
  }
}

interface LabelLayout {
  lines: { content: string; font: number; cls: string }[];
  chips: string[][];
  width: number;
  height: number;
}

interface Segment {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

interface PlacedMessage extends Segment {
  r: ResolvedMessage;
  label: LabelLayout;
  box: Box;
}

type StepState = 'past' | 'current' | 'future' | undefined;

function stepState(elementStep: number, step: number | undefined): StepState {
  if (step === undefined) return undefined;
  if (elementStep < step) return 'past';
  if (elementStep === step) return 'current';
  return 'future';
}

function cls(...names: (string | false | undefined)[]): string {
  return names.filter(Boolean).join(' ');
}

export function renderSequenceSvg(diagram: SequenceDiagram, options: SequenceRenderOptions = {}): string {
  const resolved = resolveSequence(diagram, options.rtt ?? diagram.rtt ?? DEFAULT_RTT_MS);
  return new SequenceLayout(resolved, options).render();
}

class SequenceLayout {
  private readonly d: SequenceDiagram;
  private readonly step: number | undefined;
  private readonly breaks: Break[];
  private readonly scale: TimeScale;
  private readonly hostX = new Map<string, number>();
  private readonly hostBoxWidth = new Map<string, number>();
  private readonly labels: LabelLayout[];
  private phaseX = 8;
  private timeRight = 0;
  private spansX = 0;
  private width = 0;

  constructor(private readonly r: ResolvedSequence, private readonly options: SequenceRenderOptions) {
    this.d = r.diagram;
    this.step = options.step;
    this.breaks = this.findBreaks();
    this.labels = r.messages.map((m) => this.labelLayout(m));
    this.layoutColumns();
    this.scale = this.makeScale();
  }

  // ------------------------------------------------------------ layout

  /** `idle` spans longer than 4 × RTT are drawn as a broken axis instead of to scale. */
  private findBreaks(): Break[] {
    const breaks = this.r.spans
      .filter((s) => s.span.kind === 'idle' && s.toMs - s.fromMs > 4 * this.r.rttMs)
      .map((s) => ({ fromMs: s.fromMs, toMs: s.toMs, label: s.span.label }))
      .sort((a, b) => a.fromMs - b.fromMs);
    const merged: Break[] = [];
    for (const b of breaks) {
      const last = merged[merged.length - 1];
      if (last && b.fromMs <= last.toMs) {
        last.toMs = Math.max(last.toMs, b.toMs);
        last.label = `${last.label}; ${b.label}`;
      } else {
        merged.push({ ...b });
      }
    }
    return merged;
  }

  private drawnMs(): number {
    const hidden = this.breaks.reduce((sum, b) => sum + (b.toMs - b.fromMs), 0);
    return Math.max(1e-9, this.r.totalMs - hidden);
  }

  private makeScale(): TimeScale {
    let pxPerMs = this.options.pxPerMs;
    if (pxPerMs === undefined) {
      // Fixed by the nominal RTT: dragging the RTT control stretches the drawing instead of relabelling it.
      const nominal = this.d.rtt ?? DEFAULT_RTT_MS;
      pxPerMs = this.r.rttScalable
        ? PX_PER_RTT / nominal
        : Math.max(300, 52 * this.r.messages.length) / this.drawnMs();
      // Cap the height, but leave long captures room for one label row per packet.
      pxPerMs = Math.min(pxPerMs, Math.max(MAX_BODY_PX, 36 * this.r.messages.length) / this.drawnMs());
    }
    const probe = new TimeScale(0, pxPerMs, this.breaks);
    // Room above the first arrow for its label (labels sit above their arrows).
    let top = HEADER_TOP + HEADER_HEIGHT + 14;
    // Placement is greedy in step order, so the labels near the top do not depend on later packets.
    const placed = this.placeMessages(probe, 400);
    const highest = Math.min(0, ...placed.map((p) => p.box.y));
    top += Math.max(12, -highest + 6);
    return new TimeScale(top, pxPerMs, this.breaks);
  }

  private labelLayout(m: ResolvedMessage): LabelLayout {
    const lines = [{ content: mainLabel(m.message), font: LABEL_FONT, cls: 'wl-label-main' }];
    const detail = detailLine(m.message);
    if (detail) lines.push({ content: detail, font: DETAIL_FONT, cls: 'wl-detail' });
    const chips: string[][] = [];
    let row: string[] = [];
    let rowWidth = 0;
    for (const chip of chipTexts(m.message)) {
      const w = textWidth(chip, CHIP_FONT) + 10;
      if (row.length > 0 && rowWidth + w > 280) {
        chips.push(row);
        row = [];
        rowWidth = 0;
      }
      row.push(chip);
      rowWidth += w + 4;
    }
    if (row.length > 0) chips.push(row);
    const chipWidth = Math.max(0, ...chips.map((r) => r.reduce((s, c) => s + textWidth(c, CHIP_FONT) + 14, -4)));
    const width = Math.max(...lines.map((l) => (l.cls === 'wl-detail' ? monoWidth : textWidth)(l.content, l.font)), chipWidth) + 8;
    const height = 4 + lines.length * 14 + chips.length * 16;
    return { lines, chips, width, height };
  }

  private layoutColumns(): void {
    const hosts = this.d.hosts;
    for (const h of hosts) {
      // Host names are bold: about 15% wider than the regular-weight estimate.
      const w = Math.max(textWidth(h.label ?? h.id, LABEL_FONT) * 1.15, textWidth(h.addr ?? '', SMALL_FONT)) + 18;
      this.hostBoxWidth.set(h.id, Math.max(84, w));
    }
    const index = new Map(hosts.map((h, i) => [h.id, i] as const));
    const gaps = hosts.slice(1).map((h, i) => (this.hostBoxWidth.get(hosts[i]!.id)! + this.hostBoxWidth.get(h.id)!) / 2 + 24);
    this.r.messages.forEach((m, k) => {
      const a = index.get(m.message.from)!;
      const b = index.get(m.message.to)!;
      const lo = Math.min(a, b);
      const hi = Math.max(a, b);
      const need = (this.labels[k]!.width + 40) / (hi - lo);
      for (let g = lo; g < hi; g++) gaps[g] = Math.max(gaps[g]!, Math.min(460, need), 190);
    });

    const pointsOn = (host: string) => [
      ...this.r.states.filter((s) => s.item.host === host).map((s) => textWidth(s.item.state, SMALL_FONT) + 14),
      ...this.r.notes.filter((n) => n.item.host === host).map((n) => textWidth(n.item.text, SMALL_FONT) + 14),
    ];
    const first = hosts[0]!.id;
    const last = hosts[hosts.length - 1]!.id;

    const phaseWidth = this.r.phases.length > 0 ? PHASE_WIDTH + 6 : 0;
    this.phaseX = 8;
    const timeLabels = this.timeTicks(new TimeScale(0, 1, [])).map((t) => monoWidth(t.text, SMALL_FONT));
    this.timeRight = this.phaseX + phaseWidth + 6 + Math.max(40, ...timeLabels);
    let x = this.timeRight + 14 + Math.max(this.hostBoxWidth.get(first)! / 2, Math.max(0, ...pointsOn(first)) + 10);
    hosts.forEach((h, i) => {
      if (i > 0) x += gaps[i - 1]!;
      this.hostX.set(h.id, x);
    });
    const lastX = this.hostX.get(last)!;
    this.spansX = lastX + Math.max(this.hostBoxWidth.get(last)! / 2, Math.max(0, ...pointsOn(last)) + 10) + 16;
    this.width = this.spansX + this.spanColumns().width + 10;
  }

  // ------------------------------------------------------------ messages

  private placeMessages(scale: TimeScale, untilY = Infinity): PlacedMessage[] {
    const duplicates = new Map<string, number>();
    const lines = this.r.messages.map((m) => {
      const x1 = this.hostX.get(m.message.from)!;
      const receiverX = this.hostX.get(m.message.to)!;
      // A lost packet stops where it was lost (halfway), at the same slope it would have had.
      const x2 = m.message.lost ? x1 + (receiverX - x1) * ((m.endMs - m.sendMs) / (m.arriveMs - m.sendMs || 1)) : receiverX;
      // Packets that leave together on the same path would draw on top of each other: stack them.
      const key = `${m.message.from}>${m.message.to}@${num(m.sendMs)}-${num(m.endMs)}`;
      const copies = duplicates.get(key) ?? 0;
      duplicates.set(key, copies + 1);
      const offset = copies * DUPLICATE_OFFSET_PX;
      return { x1, y1: scale.y(m.sendMs) + offset, x2, y2: scale.y(m.endMs) + offset, receiverX };
    });
    const boxes = new YIndex<Box>();
    for (const b of this.pointBoxes(scale)) boxes.add(b.y, b.y + b.height, b);
    const arrows = new YIndex<Segment>();
    for (const l of lines) arrows.add(Math.min(l.y1, l.y2), Math.max(l.y1, l.y2), l);
    const count = untilY === Infinity ? lines.length : lines.findIndex((l) => Math.min(l.y1, l.y2) > untilY);
    return this.r.messages.slice(0, count === -1 ? lines.length : count).map((m, k) => {
      const line = lines[k]!;
      const label = this.labels[k]!;
      const box = this.placeLabel(line, label, boxes, arrows);
      boxes.add(box.y, box.y + box.height, box);
      return { r: m, x1: line.x1, y1: line.y1, x2: line.x2, y2: line.y2, label, box };
    });
  }

  /**
   * A label sits next to its arrow on the free side of the slant (above it, extending toward the
   * receiver; else below it, toward the sender), at the first position along the arrow that covers no
   * earlier label and crosses no arrow; failing that, at the position with the least of both.
   */
  private placeLabel(line: Segment & { receiverX: number }, label: LabelLayout, taken: YIndex<Box>, arrows: YIndex<Segment>): Box {
    const { x1, y1, x2, y2 } = line;
    // The label may use the whole gap between the two lifelines, even when a lost packet stops halfway.
    const left = Math.min(x1, line.receiverX);
    const right = Math.max(x1, line.receiverX);
    let best: Box | undefined;
    let bestCost = Infinity;
    for (const below of [false, true]) {
      for (const f of LABEL_CANDIDATES) {
        const px = x1 + (x2 - x1) * f;
        const py = y1 + (y2 - y1) * f;
        const towardReceiver = x2 >= x1 ? px + 2 : px - label.width - 2;
        const towardSender = x2 >= x1 ? px - label.width - 2 : px + 2;
        let x = below ? towardSender : towardReceiver;
        if (Math.abs(y2 - y1) < 4) x = px - label.width / 2;
        if (label.width <= right - left - 8) x = Math.min(Math.max(x, left + 4), right - 4 - label.width);
        else x = (left + right) / 2 - label.width / 2;
        const y = below ? py + 3 : py - 3 - label.height;
        const box = { x, y, width: label.width, height: label.height };
        let cost = 0;
        for (const other of taken.near(box.y, box.y + box.height)) cost += overlapArea(box, other);
        for (const arrow of arrows.near(box.y, box.y + box.height)) if (segmentCrossesBox(arrow, box)) cost += 600;
        // Prefer the middle and the upper side when costs tie.
        cost += (below ? 1 : 0) + Math.abs(f - 0.5);
        if (cost < 1) return box;
        if (cost < bestCost) {
          best = box;
          bestCost = cost;
        }
      }
    }
    return best!;
  }

  private renderMessage(p: PlacedMessage): string {
    const m = p.r.message;
    const state = stepState(p.r.step, this.step);
    const classes = cls(
      'wl-msg',
      m.phase && `wl-phase-${m.phase}`,
      m.lost && 'wl-lost',
      m.retransmitOf !== undefined && 'wl-retransmit',
      state && `wl-${state}`,
    );
    const common = { 'data-step': p.r.step };
    const parts: string[] = [];
    const tip = [
      `#${p.r.step} ${protoAndFlags(m)} ${m.from} → ${m.to}`,
      `sent ${formatMs(p.r.sendMs)}, ${m.lost ? `lost (would arrive ${formatMs(p.r.arriveMs)})` : `arrives ${formatMs(p.r.arriveMs)}`}`,
      m.explain,
      m.note,
    ].filter(Boolean);
    parts.push(tooltip(tip.join('\n')));
    parts.push(element('line', { class: 'wl-arrow', x1: p.x1, y1: p.y1, x2: p.x2, y2: p.y2, 'data-kind': 'arrow', ...common }));
    if (m.lost) {
      const s = 6;
      parts.push(
        element('path', {
          class: 'wl-loss-mark',
          d: `M${num(p.x2 - s)} ${num(p.y2 - s)}L${num(p.x2 + s)} ${num(p.y2 + s)}M${num(p.x2 - s)} ${num(p.y2 + s)}L${num(p.x2 + s)} ${num(p.y2 - s)}`,
          'data-kind': 'loss',
          ...common,
        }),
      );
    } else {
      parts.push(element('path', { class: 'wl-arrowhead', d: arrowhead(p.x1, p.y1, p.x2, p.y2), ...common }));
    }
    parts.push(this.renderLabel(p));
    return element(
      'g',
      {
        class: classes,
        'data-kind': 'message',
        'data-index': p.r.index,
        'data-from': m.from,
        'data-to': m.to,
        'data-send-ms': p.r.sendMs,
        'data-arrive-ms': p.r.arriveMs,
        'data-lost': m.lost === true ? 'true' : undefined,
        // The panel makes these clickable: they open renderBytes(message).
        'data-has-bytes': m.bytes ? 'true' : undefined,
        'data-frame': m.frame,
        ...common,
      },
      parts.join(''),
    );
  }

  private renderLabel(p: PlacedMessage): string {
    const { box, label } = p;
    const parts = [element('rect', { class: 'wl-label-bg', x: box.x, y: box.y, width: box.width, height: box.height, rx: 3 })];
    let y = box.y + 2;
    const tspans = label.lines.map((line) => {
      y += 14;
      return element('tspan', { class: line.cls, x: box.x + 4, y: y - 3 }, escapeText(line.content));
    });
    parts.push(element('text', {}, tspans.join('')));
    for (const row of label.chips) {
      y += 16;
      let x = box.x + 4;
      for (const chip of row) {
        const w = textWidth(chip, CHIP_FONT) + 10;
        parts.push(element('rect', { class: 'wl-chip', x, y: y - 13, width: w, height: 14, rx: 7 }));
        parts.push(text(x + 5, y - 3, chip, { class: 'wl-chip-text' }));
        x += w + 4;
      }
    }
    return element('g', { class: 'wl-label', 'data-kind': 'label', 'data-step': p.r.step }, parts.join(''));
  }

  // ------------------------------------------------------------ spans, states, notes, phases

  private spanColumns(): { columns: number[]; x: number[]; width: number } {
    const margin = this.r.spans.map((s, i) => ({ s, i })).filter(({ s }) => s.span.host === undefined && !this.isBreak(s.index));
    const columns: number[] = new Array(this.r.spans.length).fill(-1);
    const ends: number[] = [];
    const widths: number[] = [];
    for (const { s, i } of [...margin].sort((a, b) => a.s.fromMs - b.s.fromMs || b.s.toMs - a.s.toMs)) {
      let col = ends.findIndex((end) => end <= s.fromMs);
      if (col === -1) {
        col = ends.length;
        ends.push(s.toMs);
        widths.push(0);
      } else {
        ends[col] = s.toMs;
      }
      columns[i] = col;
      const labelWidth = Math.max(textWidth(s.span.label, SMALL_FONT), textWidth(this.spanDuration(i), SMALL_FONT - 1));
      widths[col] = Math.max(widths[col]!, 14 + labelWidth);
    }
    const x: number[] = [];
    let cursor = this.spansX;
    for (const w of widths) {
      x.push(cursor);
      cursor += w + 10;
    }
    return { columns, x, width: cursor - this.spansX };
  }

  private isBreak(spanIndex: number): boolean {
    const s = this.r.spans[spanIndex]!;
    return this.breaks.some((b) => s.fromMs >= b.fromMs && s.toMs <= b.toMs) && s.span.kind === 'idle' && s.toMs - s.fromMs > 4 * this.r.rttMs;
  }

  private spanDuration(i: number): string {
    const s = this.r.spans[i]!;
    const ms = s.toMs - s.fromMs;
    return this.r.rttScalable ? `${formatMs(ms)} = ${formatRtts(ms, this.r.rttMs)}` : formatMs(ms);
  }

  private renderSpans(scale: TimeScale): string {
    const { columns, x } = this.spanColumns();
    const out: string[] = [];
    this.r.spans.forEach((s, i) => {
      if (this.isBreak(i)) return;
      const y1 = scale.y(s.fromMs);
      const y2 = scale.y(s.toMs);
      const kind = s.span.kind ?? 'rtt';
      const state = stepState(s.step, this.step);
      const classes = cls('wl-span', `wl-span-${kind}`, state && `wl-${state}`);
      const meta = { 'data-kind': 'span', 'data-step': s.step, 'data-index': i, 'data-from-ms': s.fromMs, 'data-to-ms': s.toMs };
      const duration = this.spanDuration(i);
      const tip = tooltip(`${s.span.label} (${duration})`);
      if (s.span.host !== undefined) {
        const g = this.hostSpanGeometry(s, scale);
        const path = `M${num(g.bx - g.dir * 4)} ${num(g.y1)}H${num(g.bx)}V${num(g.y2)}H${num(g.bx - g.dir * 4)}`;
        out.push(
          element(
            'g',
            { class: classes, ...meta, 'data-host': s.span.host },
            tip +
              element('path', { class: 'wl-bracket', d: path }) +
              element('rect', { class: 'wl-label-bg', ...g.labelBox, rx: 3 }) +
              text(g.labelBox.x + 4, g.my + 2, s.span.label, { class: 'wl-span-label' }),
          ),
        );
        return;
      }
      const bx = x[columns[i]!]!;
      const path = `M${num(bx)} ${num(y1)}H${num(bx + 5)}V${num(y2)}H${num(bx)}`;
      const my = (y1 + y2) / 2;
      out.push(
        element(
          'g',
          { class: classes, ...meta },
          tip +
            element('path', { class: 'wl-bracket', d: path }) +
            text(bx + 10, my, s.span.label, { class: 'wl-span-label' }) +
            text(bx + 10, my + 12, duration, { class: 'wl-span-duration' }),
        ),
      );
    });
    return out.join('');
  }

  /** Boxes of state tags and notes, so message labels avoid them. */
  private pointBoxes(scale: TimeScale): Box[] {
    const hostSpanLabels = this.r.spans.filter((sp) => sp.span.host !== undefined).map((sp) => this.hostSpanGeometry(sp, scale).labelBox);
    return [...[...this.pointItems(scale)].map((p) => p.box), ...hostSpanLabels];
  }

  /** Bracket beside a lifeline (inner side), its label next to it at mid-height. */
  private hostSpanGeometry(s: ResolvedSpan, scale: TimeScale) {
    const hx = this.hostX.get(s.span.host!)!;
    const isLast = s.span.host === this.d.hosts[this.d.hosts.length - 1]!.id;
    const dir = isLast ? -1 : 1;
    const bx = hx + dir * 10;
    const y1 = scale.y(s.fromMs);
    const y2 = scale.y(s.toMs);
    const labelWidth = textWidth(s.span.label, SMALL_FONT) + 8;
    const lx = isLast ? bx - 4 - labelWidth : bx + 4;
    const my = (y1 + y2) / 2;
    return { bx, dir, y1, y2, my, labelBox: { x: lx, y: my - 9, width: labelWidth, height: 15 } };
  }

  /** States and notes, with boxes pushed down past earlier ones they would cover (events 1 ms apart). */
  private *pointItems(scale: TimeScale) {
    const first = this.d.hosts[0]!.id;
    const last = this.d.hosts[this.d.hosts.length - 1]!.id;
    const items = [
      ...this.r.states.map((s) => ({ kind: 'state' as const, host: s.item.host, content: s.item.state, tMs: s.tMs, step: s.step, index: s.index })),
      ...this.r.notes.map((n) => ({ kind: 'note' as const, host: n.item.host, content: n.item.text, tMs: n.tMs, step: n.step, index: n.index })),
    ].sort((a, b) => a.tMs - b.tMs);
    const placed: Box[] = [];
    for (const item of items) {
      const hx = this.hostX.get(item.host)!;
      // Notes are italic: a little wider than the estimate.
      const width = textWidth(item.content, SMALL_FONT) * (item.kind === 'note' ? 1.08 : 1) + 10;
      const anchorY = scale.y(item.tMs);
      // Tags go on the outer side of the outer lifelines (free space), centred on inner ones.
      const x = item.host === first ? hx - 6 - width : item.host === last ? hx + 6 : hx - width / 2;
      const box = { x, y: anchorY - 8, width, height: 15 };
      for (let moved = true; moved; ) {
        moved = false;
        for (const other of placed) {
          if (overlapArea(box, other) > 0) {
            box.y = other.y + other.height + 2;
            moved = true;
          }
        }
      }
      placed.push(box);
      yield { ...item, anchorY, box };
    }
  }


  private renderPoints(scale: TimeScale): string {
    const out: string[] = [];
    for (const p of this.pointItems(scale)) {
      const state = stepState(p.step, this.step);
      const body =
        p.kind === 'state'
          ? element('rect', { class: 'wl-state-bg', x: p.box.x, y: p.box.y, width: p.box.width, height: p.box.height, rx: 7 }) +
            text(p.box.x + 5, p.box.y + 11, p.content, { class: 'wl-state-text' })
          : element('circle', { class: 'wl-note-dot', cx: this.hostX.get(p.host)!, cy: p.anchorY, r: 3 }) +
            element('rect', { class: 'wl-label-bg', x: p.box.x, y: p.box.y, width: p.box.width, height: p.box.height, rx: 3 }) +
            text(p.box.x + 5, p.box.y + 11, p.content, { class: 'wl-note-text' });
      out.push(
        element(
          'g',
          { class: cls(`wl-${p.kind}`, state && `wl-${state}`), 'data-kind': p.kind, 'data-step': p.step, 'data-host': p.host, 'data-t-ms': p.tMs },
          tooltip(`${p.content} (${p.host}, ${formatMs(p.tMs)})`) + body,
        ),
      );
    }
    return out.join('');
  }

  private renderPhases(scale: TimeScale): string {
    const out: string[] = [];
    const x = this.phaseX;
    for (const run of this.r.phases) {
      const y1 = scale.y(run.fromMs);
      const y2 = Math.max(y1 + 2, scale.y(run.toMs));
      const first = run.steps[0]!;
      const state = this.step === undefined ? undefined : run.steps.includes(this.step) ? 'current' : first > this.step ? 'future' : 'past';
      const name = PHASE_NAMES[run.phase];
      const duration = formatMs(run.toMs - run.fromMs);
      let body = element('rect', { class: 'wl-phase-bar', x, y: y1, width: PHASE_WIDTH, height: y2 - y1, rx: 2 });
      if (y2 - y1 >= 13) body += text(x + PHASE_WIDTH / 2, Math.min((y1 + y2) / 2 + 4, y1 + 12), name, { class: 'wl-phase-name', 'text-anchor': 'middle' });
      if (y2 - y1 >= 28) body += text(x + PHASE_WIDTH / 2, y1 + 24, duration, { class: 'wl-phase-duration', 'text-anchor': 'middle' });
      out.push(
        element(
          'g',
          {
            class: cls('wl-phase', `wl-phase-${run.phase}`, state && `wl-${state}`),
            'data-kind': 'phase',
            'data-phase': run.phase,
            'data-step': first,
            'data-from-ms': run.fromMs,
            'data-to-ms': run.toMs,
          },
          tooltip(`${name}: ${formatMs(run.fromMs)} → ${formatMs(run.toMs)} (${duration})`) + body,
        ),
      );
    }
    return out.join('');
  }

  // ------------------------------------------------------------ axis, hosts, breaks

  /** One tick per distinct send time: "#5–6 · 60 ms". */
  private timeTicks(scale: TimeScale): { y: number; text: string; step: number }[] {
    const ticks: { y: number; steps: number[]; ms: number }[] = [];
    for (const m of this.r.messages) {
      const y = scale.y(m.sendMs);
      const last = ticks[ticks.length - 1];
      if (last && Math.abs(last.ms - m.sendMs) < 1e-9) last.steps.push(m.step);
      else ticks.push({ y, steps: [m.step], ms: m.sendMs });
    }
    return ticks.map((t) => {
      const steps = t.steps.length === 1 ? `#${t.steps[0]}` : `#${t.steps[0]}–${t.steps[t.steps.length - 1]}`;
      return { y: t.y, text: `${steps} · ${formatMs(t.ms)}`, step: t.steps[0]! };
    });
  }

  private renderAxis(scale: TimeScale): string {
    const out: string[] = [];
    let lastY = -Infinity;
    for (const tick of this.timeTicks(scale)) {
      if (tick.y - lastY < 12) continue;
      lastY = tick.y;
      const state = stepState(tick.step, this.step);
      out.push(
        text(this.timeRight, tick.y + 4, tick.text, {
          class: cls('wl-time', state && `wl-${state}`),
          'text-anchor': 'end',
          'data-kind': 'time',
          'data-step': tick.step,
        }),
      );
    }
    return out.join('');
  }

  private renderHosts(bottom: number, scale: TimeScale): string {
    const out: string[] = [];
    for (const h of this.d.hosts) {
      const x = this.hostX.get(h.id)!;
      const w = this.hostBoxWidth.get(h.id)!;
      const name = h.label ?? h.id;
      const tip = [name, h.addr, h.role].filter(Boolean).join(' · ');
      let lifeline = '';
      let from = HEADER_TOP + HEADER_HEIGHT;
      for (const b of this.breaks) {
        const y1 = scale.y(b.fromMs);
        lifeline += element('line', { class: 'wl-lifeline', x1: x, y1: from, x2: x, y2: y1 });
        lifeline += element('path', { class: 'wl-lifeline-break', d: `M${num(x - 6)} ${num(y1 + 8)}l12 -6M${num(x - 6)} ${num(y1 + BREAK_PX - 4)}l12 -6` });
        from = y1 + BREAK_PX;
      }
      lifeline += element('line', { class: 'wl-lifeline', x1: x, y1: from, x2: x, y2: bottom });
      out.push(
        element(
          'g',
          { class: cls('wl-host', h.role && `wl-role-${h.role}`), 'data-kind': 'host', 'data-host': h.id },
          tooltip(tip) +
            lifeline +
            element('rect', { class: 'wl-host-box', x: x - w / 2, y: HEADER_TOP, width: w, height: HEADER_HEIGHT, rx: 4 }) +
            text(x, HEADER_TOP + (h.addr ? 16 : 23), fit(name, (w - 8) / 1.15, LABEL_FONT), { class: 'wl-host-name', 'text-anchor': 'middle' }) +
            (h.addr ? text(x, HEADER_TOP + 31, fit(h.addr, w - 8, SMALL_FONT), { class: 'wl-host-addr', 'text-anchor': 'middle' }) : ''),
        ),
      );
    }
    return out.join('');
  }

  private renderBreaks(scale: TimeScale): string {
    const first = this.hostX.get(this.d.hosts[0]!.id)!;
    const last = this.hostX.get(this.d.hosts[this.d.hosts.length - 1]!.id)!;
    return this.breaks
      .map((b) => {
        const y = scale.y(b.fromMs);
        const content = `⋯ ${formatMs(b.toMs - b.fromMs)} ⋯ ${b.label}`;
        const width = textWidth(content, SMALL_FONT) + 12;
        const cx = (first + last) / 2;
        const step = this.r.spans.find((s) => s.fromMs >= b.fromMs && s.span.kind === 'idle')?.step ?? 0;
        const state = stepState(step, this.step);
        return element(
          'g',
          { class: cls('wl-break', state && `wl-${state}`), 'data-kind': 'break', 'data-step': step, 'data-from-ms': b.fromMs, 'data-to-ms': b.toMs },
          tooltip(`${b.label}: ${formatMs(b.toMs - b.fromMs)}, not drawn to scale`) +
            element('rect', { class: 'wl-break-band', x: first - 20, y, width: last - first + 40, height: BREAK_PX }) +
            element('rect', { class: 'wl-label-bg', x: cx - width / 2, y: y + BREAK_PX / 2 - 9, width, height: 16, rx: 3 }) +
            text(cx, y + BREAK_PX / 2 + 3, content, { class: 'wl-break-text', 'text-anchor': 'middle' }),
        );
      })
      .join('');
  }

  // ------------------------------------------------------------ assembly

  render(): string {
    const scale = this.scale;
    const placed = this.placeMessages(scale);
    const contentBottom = Math.max(
      scale.y(this.r.totalMs),
      ...placed.map((p) => Math.max(p.y1, p.y2)),
      ...[...this.pointItems(scale)].map((p) => p.box.y + p.box.height),
    );
    const lifelineBottom = contentBottom + 16;
    const totalY = lifelineBottom + 20;
    const height = totalY + 12;
    const width = Math.max(this.width, ...placed.map((p) => p.box.x + p.box.width + 8));
    const prefix = safeId(this.options.idPrefix ?? this.d.id);
    const rttText = this.r.rttScalable ? ` = ${formatRtts(this.r.totalMs, this.r.rttMs)} at RTT ${formatMs(this.r.rttMs)}` : '';
    const total = `total ${formatMs(this.r.totalMs)}${rttText}`;
    const description = this.d.description ?? describe(this.r);

    const body = [
      `<title id="${prefix}-title">${escapeText(this.d.title)}</title>`,
      `<desc id="${prefix}-desc">${escapeText(`${description} ${capitalize(total)}.`)}</desc>`,
      styleElement(this.options.embeddedCss),
      this.renderPhases(scale),
      this.renderBreaks(scale),
      this.renderHosts(lifelineBottom, scale),
      this.renderAxis(scale),
      this.renderSpans(scale),
      this.renderPoints(scale),
      placed.map((p) => this.renderMessage(p)).join(''),
      text(this.phaseX, totalY, capitalize(total), { class: 'wl-total', 'data-kind': 'total', 'data-total-ms': this.r.totalMs }),
    ].join('');

    return element(
      'svg',
      {
        xmlns: 'http://www.w3.org/2000/svg',
        class: cls('wl-diagram', 'wl-sequence', this.step !== undefined && 'wl-stepping'),
        viewBox: `0 0 ${num(width)} ${num(height)}`,
        width: Math.ceil(width),
        height: Math.ceil(height),
        role: 'img',
        'aria-labelledby': `${prefix}-title ${prefix}-desc`,
        'data-diagram-id': this.d.id,
        'data-kind': 'sequence',
        'data-rtt-ms': this.r.rttMs,
        'data-rtt-scalable': this.r.rttScalable ? 'true' : 'false',
        'data-total-ms': this.r.totalMs,
        'data-steps': this.r.messages.length,
        'data-step': this.step,
        'data-px-per-ms': scale.pxPerMs,
      },
      body,
    );
  }
}

/**
 * Items bucketed by vertical extent, so label placement looks only at what is nearby: a capture with
 * thousands of packets would otherwise cost n² box tests.
 */
class YIndex<T> {
  private static readonly BUCKET_PX = 64;
  private readonly buckets = new Map<number, T[]>();

  add(top: number, bottom: number, item: T): void {
    for (let b = Math.floor(top / YIndex.BUCKET_PX); b <= Math.floor(bottom / YIndex.BUCKET_PX); b++) {
      let bucket = this.buckets.get(b);
      if (!bucket) this.buckets.set(b, (bucket = []));
      bucket.push(item);
    }
  }

  /** Items whose extent may intersect [top, bottom], each once. */
  near(top: number, bottom: number): Set<T> {
    const out = new Set<T>();
    for (let b = Math.floor(top / YIndex.BUCKET_PX); b <= Math.floor(bottom / YIndex.BUCKET_PX); b++) {
      for (const item of this.buckets.get(b) ?? []) out.add(item);
    }
    return out;
  }
}

/** Liang–Barsky: does the segment pass through the box (shrunk by 1 px so touching does not count)? */
function segmentCrossesBox(s: Segment, box: Box): boolean {
  const dx = s.x2 - s.x1;
  const dy = s.y2 - s.y1;
  let t0 = 0;
  let t1 = 1;
  const edges: [number, number][] = [
    [-dx, s.x1 - (box.x + 1)],
    [dx, box.x + box.width - 1 - s.x1],
    [-dy, s.y1 - (box.y + 1)],
    [dy, box.y + box.height - 1 - s.y1],
  ];
  for (const [p, q] of edges) {
    if (p === 0) {
      if (q < 0) return false;
      continue;
    }
    const t = q / p;
    if (p < 0) t0 = Math.max(t0, t);
    else t1 = Math.min(t1, t);
    if (t0 > t1) return false;
  }
  return true;
}

function arrowhead(x1: number, y1: number, x2: number, y2: number): string {
  const length = Math.hypot(x2 - x1, y2 - y1) || 1;
  const ux = (x2 - x1) / length;
  const uy = (y2 - y1) / length;
  const bx = x2 - ux * ARROWHEAD;
  const by = y2 - uy * ARROWHEAD;
  const half = ARROWHEAD * 0.45;
  return `M${num(x2)} ${num(y2)}L${num(bx - uy * half)} ${num(by + ux * half)}L${num(bx + uy * half)} ${num(by - ux * half)}Z`;
}

function describe(r: ResolvedSequence): string {
  const hosts = r.diagram.hosts.map((h) => h.label ?? h.id).join(', ');
  return `Sequence diagram between ${hosts}: ${r.messages.length} packet${r.messages.length === 1 ? '' : 's'}.`;
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** Ids for aria references: document ids are already [a-z0-9-]; callers' prefixes are sanitised. */
export function safeId(value: string): string {
  const cleaned = value.replace(/[^A-Za-z0-9_-]/g, '-');
  return /^[A-Za-z]/.test(cleaned) ? cleaned : `d-${cleaned}`;
}
