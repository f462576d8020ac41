// One conversation as a time-scaled ladder, drawn by the lessons' diagram renderer from the diagram the
// host built (conversationLadder). Long conversations come a page of packets at a time. The selected
// packet is the diagram's current step (earlier packets solid, later ones dimmed), so ←/→ on the
// focused diagram walk through the capture like a lesson's step-through; Escape shows all packets.
// A click on an arrow selects its packet. The renderer escapes every string it draws.
import { renderSvg, renderTable } from '../../../../server/src/diagrams/index';
import type { ConversationView, ViewerConversation } from '../../capture/protocol';

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

export interface LadderViewEvents {
  /** A packet was chosen in the diagram (click or keys). */
  onPacket(packet: number): void;
  /** Another page of the conversation was asked for. */
  onPage(fromRow: number): void;
}

export class LadderView {
  private view: ConversationView | undefined;
  /** 1-based step of the selected packet on this page, or 0 for none. */
  private step = 0;
  private readonly heading: HTMLElement;
  private readonly facts: HTMLElement;
  private readonly controls: HTMLElement;
  private readonly status: HTMLElement;
  private readonly earlier: HTMLButtonElement;
  private readonly later: HTMLButtonElement;
  private readonly drawing: HTMLElement;
  private readonly table: HTMLDetailsElement;

  constructor(
    private readonly host: HTMLElement,
    private readonly events: LadderViewEvents,
  ) {
    this.heading = el('p', 'wl-cap-ladder-title');
    this.facts = el('dl', 'wl-facts');
    this.controls = el('div', 'wl-controls');
    this.controls.setAttribute('role', 'group');
    this.controls.setAttribute('aria-label', 'Pages of this conversation');
    this.earlier = el('button', 'wl-button', '◀ Earlier packets');
    this.later = el('button', 'wl-button', 'Later packets ▶');
    for (const b of [this.earlier, this.later]) b.type = 'button';
    this.status = el('span', 'wl-step-status');
    this.status.setAttribute('aria-live', 'polite');
    this.controls.append(this.earlier, this.later, this.status);
    this.drawing = el('div', 'wl-ladder');
    this.drawing.tabIndex = 0;
    this.drawing.setAttribute('role', 'group');
    this.drawing.setAttribute('aria-label', 'Ladder diagram of the conversation: ← and → step through its packets, Escape shows all');
    this.table = el('details', 'wl-ladder-table');
    this.earlier.addEventListener('click', () => this.view && this.events.onPage(Math.max(0, this.view.fromRow - this.view.pageRows)));
    this.later.addEventListener('click', () => this.view && this.events.onPage(this.view.fromRow + this.view.pageRows));
    this.drawing.addEventListener('click', (e) => {
      const message = (e.target as Element).closest('[data-kind="message"]');
      const step = Number(message?.getAttribute('data-step'));
      const frame = this.view?.ladder?.messages[step - 1]?.frame;
      if (frame !== undefined) this.events.onPacket(frame);
    });
    this.drawing.addEventListener('keydown', (e) => this.onKey(e));
    this.empty('Choose a conversation to draw it.');
  }

  get current(): ConversationView | undefined {
    return this.view;
  }

  empty(text: string): void {
    this.view = undefined;
    this.host.replaceChildren(el('p', 'wl-cap-hint', text));
  }

  /** Whether packet `frame` is drawn on the page on show. */
  hasPacket(conversation: number, frame: number): boolean {
    return this.view?.index === conversation && !!this.view.ladder?.messages.some((m) => m.frame === frame);
  }

  show(conversation: ViewerConversation, view: ConversationView, selectedPacket?: number): void {
    this.view = view;
    this.heading.textContent = `#${conversation.index} ${conversation.protocol ?? conversation.transport} ${conversation.client} → ${conversation.server}${conversation.serverName ? ` (${conversation.serverName})` : ''}`;
    this.facts.replaceChildren();
    for (const fact of view.facts) this.facts.append(el('dt', undefined, fact.name), el('dd', undefined, fact.value));
    const parts: HTMLElement[] = [this.heading, this.facts];
    if (!view.ladder) {
      parts.push(el('p', 'wl-cap-hint', 'No packet rows were kept for this conversation, so there is nothing to draw.'));
      this.host.replaceChildren(...parts);
      return;
    }
    this.earlier.disabled = view.fromRow === 0;
    this.later.disabled = view.fromRow + view.pageRows >= view.totalRows;
    this.controls.hidden = view.totalRows <= view.pageRows;
    const open = this.table.open;
    this.table.innerHTML = renderTable(view.ladder);
    this.table.prepend(el('summary', undefined, 'Packets as a table'));
    this.table.open = open;
    parts.push(this.controls, this.drawing, this.table);
    this.host.replaceChildren(...parts);
    this.select(selectedPacket);
  }

  /** Marks packet `frame` as the current step (or none) and redraws. */
  select(frame: number | undefined): void {
    const ladder = this.view?.ladder;
    if (!this.view || !ladder) return;
    const index = frame === undefined ? -1 : ladder.messages.findIndex((m) => m.frame === frame);
    this.step = index + 1;
    this.render();
  }

  private render(): void {
    const view = this.view!;
    const ladder = view.ladder!;
    const all = this.step === 0;
    // One past the last message draws every packet as sent, none highlighted.
    this.drawing.innerHTML = renderSvg(ladder, { step: all ? ladder.messages.length + 1 : this.step, idPrefix: `capture-ladder-${view.index}` });
    this.drawing.dataset.step = all ? 'all' : String(this.step);
    const range = `packets ${view.fromRow + 1}–${view.fromRow + view.pageRows} of ${view.totalRows}`;
    this.status.textContent = all ? `Showing ${range}` : `Packet ${ladder.messages[this.step - 1]?.frame ?? '?'} (${range})`;
    const current = this.drawing.querySelector(`[data-kind="message"][data-step="${this.step}"]`);
    if (current && typeof (current as Element).scrollIntoView === 'function') (current as Element).scrollIntoView({ block: 'nearest', inline: 'nearest' });
  }

  private onKey(e: KeyboardEvent): void {
    if (e.altKey || e.ctrlKey || e.metaKey || e.shiftKey) return;
    const ladder = this.view?.ladder;
    if (!ladder) return;
    const n = ladder.messages.length;
    const moves: Record<string, number> = {
      ArrowRight: this.step === 0 ? 1 : Math.min(n, this.step + 1),
      ArrowDown: this.step === 0 ? 1 : Math.min(n, this.step + 1),
      ArrowLeft: this.step === 0 ? n : Math.max(1, this.step - 1),
      ArrowUp: this.step === 0 ? n : Math.max(1, this.step - 1),
      Home: 1,
      End: n,
    };
    if (e.key === 'Escape' && this.step !== 0) {
      e.preventDefault();
      this.step = 0;
      this.render();
      return;
    }
    const step = moves[e.key];
    if (step === undefined) return;
    e.preventDefault();
    const frame = ladder.messages[step - 1]?.frame;
    if (frame !== undefined) this.events.onPacket(frame);
  }
}
