// The packet pane: the protocol layers with their fields (a tree, as in Wireshark) above the frame's
// bytes (offset, hex, ASCII). Pointing at a field, or focusing it with the keyboard, highlights the
// bytes it occupies; pointing at a byte highlights the innermost field that covers it. Everything is
// inserted as text.
import type { DetailFieldView, PacketDetailsView } from '../../capture/protocol';

const BYTES_PER_LINE = 16;

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function printable(byte: number): string {
  return byte >= 0x20 && byte < 0x7f ? String.fromCharCode(byte) : '·';
}

interface FieldRange {
  element: HTMLElement;
  start: number;
  end: number;
}

export class PacketDetailsPane {
  private hexCells: HTMLElement[] = [];
  private asciiCells: HTMLElement[] = [];
  private ranges: FieldRange[] = [];
  private lit: FieldRange | undefined;

  constructor(private readonly host: HTMLElement) {
    this.showMessage('Select a packet to see its layers and bytes.');
  }

  showMessage(text: string): void {
    this.host.replaceChildren(el('p', 'wl-cap-hint', text));
    this.hexCells = [];
    this.asciiCells = [];
    this.ranges = [];
  }

  show(details: PacketDetailsView): void {
    this.ranges = [];
    const tree = el('div', 'wl-layers');
    tree.setAttribute('aria-label', `Layers of packet ${details.number}`);
    for (const layer of details.layers) {
      const box = el('details', 'wl-layer');
      box.open = true;
      const summary = el('summary', 'wl-layer-name', layer.name);
      box.append(summary);
      if (layer.end > layer.start) this.track(summary, layer.start, layer.end);
      const list = el('ul', 'wl-fields');
      for (const field of layer.fields) list.append(this.fieldItem(field));
      box.append(list);
      tree.append(box);
    }
    const parts: HTMLElement[] = [el('h3', 'wl-cap-subhead', `Packet ${details.number}`)];
    if (details.error) parts.push(el('p', 'wl-cap-error', details.error));
    parts.push(tree, this.hexDump(details));
    this.host.replaceChildren(...parts);
  }

  private fieldItem(field: DetailFieldView): HTMLElement {
    const item = el('li', 'wl-field');
    item.append(el('span', 'wl-field-name', `${field.name}: `), el('span', 'wl-field-value', field.value));
    if (field.start !== undefined && field.end !== undefined && field.end > field.start) {
      item.tabIndex = 0;
      item.classList.add('wl-has-bytes');
      item.title = `bytes ${field.start}–${field.end - 1}`;
      this.track(item, field.start, field.end);
    }
    return item;
  }

  private track(element: HTMLElement, start: number, end: number): void {
    const range = { element, start, end };
    this.ranges.push(range);
    const on = () => this.highlight(range);
    const off = () => this.highlight(undefined);
    element.addEventListener('mouseenter', on);
    element.addEventListener('focus', on);
    element.addEventListener('mouseleave', off);
    element.addEventListener('blur', off);
  }

  private hexDump(details: PacketDetailsView): HTMLElement {
    const bytes: number[] = [];
    for (let i = 0; i + 1 < details.hex.length; i += 2) bytes.push(parseInt(details.hex.slice(i, i + 2), 16));
    const dump = el('div', 'wl-hex');
    dump.setAttribute('aria-label', `Bytes of packet ${details.number}`);
    this.hexCells = [];
    this.asciiCells = [];
    for (let line = 0; line < bytes.length; line += BYTES_PER_LINE) {
      const row = el('div', 'wl-hex-line');
      row.append(el('span', 'wl-hex-offset', line.toString(16).padStart(4, '0')));
      const hexPart = el('span', 'wl-hex-bytes');
      const asciiPart = el('span', 'wl-hex-ascii');
      for (let i = line; i < Math.min(bytes.length, line + BYTES_PER_LINE); i++) {
        const h = el('span', 'wl-byte', bytes[i]!.toString(16).padStart(2, '0'));
        h.dataset.byte = String(i);
        const a = el('span', 'wl-char', printable(bytes[i]!));
        a.dataset.byte = String(i);
        hexPart.append(h);
        asciiPart.append(a);
        this.hexCells.push(h);
        this.asciiCells.push(a);
      }
      row.append(hexPart, asciiPart);
      dump.append(row);
    }
    if (details.capturedLength > bytes.length) dump.append(el('p', 'wl-cap-hint', `… ${details.capturedLength - bytes.length} more bytes not shown`));
    dump.addEventListener('mouseover', (e) => {
      const index = Number((e.target as HTMLElement).dataset?.byte);
      if (!Number.isInteger(index)) return;
      // The innermost (shortest) range holding the byte: a field rather than its layer.
      const holder = this.ranges.filter((r) => index >= r.start && index < r.end).sort((a, b) => a.end - a.start - (b.end - b.start))[0];
      this.highlight(holder);
    });
    dump.addEventListener('mouseleave', () => this.highlight(undefined));
    return dump;
  }

  private highlight(range: FieldRange | undefined): void {
    if (this.lit === range) return;
    if (this.lit) {
      this.lit.element.classList.remove('wl-lit');
      for (let i = this.lit.start; i < this.lit.end && i < this.hexCells.length; i++) {
        this.hexCells[i]!.classList.remove('wl-lit');
        this.asciiCells[i]!.classList.remove('wl-lit');
      }
    }
    this.lit = range;
    if (!range) return;
    range.element.classList.add('wl-lit');
    for (let i = range.start; i < range.end && i < this.hexCells.length; i++) {
      this.hexCells[i]!.classList.add('wl-lit');
      this.asciiCells[i]!.classList.add('wl-lit');
    }
  }
}
