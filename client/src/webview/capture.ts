// The capture viewer page (custom editor for .pcap/.pcapng/.cap). The extension host reads and analyses
// the file; this page shows what it sends: the conversations, the chosen conversation as a ladder drawn
// by the lessons' renderer, the events found (each linked to the lesson that explains it), a
// virtualised packet list and one packet's layers and bytes. Rows, ladders and details are fetched
// from the host on demand, so the page holds only what is on screen. Every string from the capture
// is inserted as text (or through the diagram renderer, which escapes): a hostile capture cannot
// inject markup. Selection survives the editor being hidden and shown again (getState/setState).
// The engine's stylesheet first, so the viewer's may refine it.
import 'wirelens:diagram-css';
import './capture.css';
import { CAPTURE_GUIDE_LESSON } from '../../../server/src/capture/events';
import { formatBytes, formatMs } from '../../../server/src/capture/summary';
import { lessonById } from '../../../server/src/lessons/catalog';
import type { ConversationView, HostMessage, PacketListRow, ViewerConversation, ViewerEvent, ViewerSummary } from '../capture/protocol';
import { HostChannel } from './capture/host';
import { LadderView } from './capture/ladderView';
import { PacketDetailsPane } from './capture/packetDetails';
import { VirtualList } from './capture/virtualList';

/** What survives the webview being hidden and shown again. */
interface SavedState {
  conversation?: number;
  packet?: number;
  /** -1: all packets; otherwise the conversation whose packets are listed. */
  scope?: number;
}

const ROW_HEIGHT = 22;
const PAGE = 100;
const MAX_CACHED_PAGES = 40;

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function cell(text: string, className: string): HTMLElement {
  const span = el('span', `wl-col ${className}`, text);
  span.title = text;
  return span;
}

const root = document.getElementById('capture')!;
const channel = new HostChannel(onPush);
const saved: SavedState = (channel.api?.getState() as SavedState | undefined) ?? {};

let progress: { bar: HTMLProgressElement; text: HTMLElement } | undefined;

function saveState(): void {
  channel.api?.setState(saved);
}

function onPush(message: HostMessage): void {
  if (message.type === 'progress') showProgress(message.bytesRead, message.totalBytes);
  else if (message.type === 'summary') showSummary(message.summary);
  else if (message.type === 'failed' && message.id === undefined) showFailure(message.message);
}

function showProgress(done: number, total: number): void {
  if (!progress) {
    const bar = el('progress', 'wl-cap-progress');
    bar.max = 100;
    const text = el('p', 'wl-cap-status');
    text.setAttribute('role', 'status');
    root.replaceChildren(text, bar);
    progress = { bar, text };
  }
  const percent = total > 0 ? Math.min(100, Math.round((done / total) * 100)) : 0;
  progress.bar.value = percent;
  progress.text.textContent = `Reading the capture… ${percent} % (${formatBytes(done)} of ${formatBytes(total)})`;
}

function showFailure(text: string): void {
  root.setAttribute('aria-busy', 'false');
  root.replaceChildren(el('p', 'wl-cap-error', text));
}

// ------------------------------------------------------------------ packet rows, fetched by page

class PacketRows {
  private pages = new Map<number, PacketListRow[]>();
  private pending = new Set<number>();
  private generation = 0;
  total = 0;

  constructor(private readonly onLoaded: () => void) {}

  reset(total: number): void {
    this.pages.clear();
    this.pending.clear();
    this.generation++;
    this.total = total;
  }

  get(index: number): PacketListRow | undefined {
    return this.pages.get(Math.floor(index / PAGE))?.[index % PAGE];
  }

  ensure(first: number, last: number, scope: number): void {
    for (let page = Math.floor(first / PAGE); page <= Math.floor(last / PAGE); page++) {
      if (this.pages.has(page) || this.pending.has(page)) continue;
      this.pending.add(page);
      const generation = this.generation;
      void channel.request({ type: 'packets', from: page * PAGE, count: PAGE, ...(scope >= 0 ? { conversation: scope } : {}) }).then((answer) => {
        if (generation !== this.generation) return;
        this.pending.delete(page);
        if (answer.type !== 'packets') return;
        this.pages.set(page, answer.rows);
        this.evict(page);
        this.onLoaded();
      });
    }
  }

  /** Keeps the pages nearest the one just loaded. */
  private evict(around: number): void {
    if (this.pages.size <= MAX_CACHED_PAGES) return;
    const far = [...this.pages.keys()].sort((a, b) => Math.abs(b - around) - Math.abs(a - around));
    for (const page of far.slice(0, this.pages.size - MAX_CACHED_PAGES)) this.pages.delete(page);
  }
}

// ------------------------------------------------------------------ the page

class CaptureViewer {
  private readonly conversations: VirtualList;
  private readonly events: VirtualList;
  private readonly packets: VirtualList;
  private readonly rows: PacketRows;
  private readonly ladder: LadderView;
  private readonly details: PacketDetailsPane;
  private readonly scopeSelect: HTMLSelectElement;
  private readonly eventDetail: HTMLElement;
  private readonly ladderHeading: HTMLElement;
  private scope = -1;
  private conversation = -1;
  private packet: number | undefined;
  private detailsRequest = 0;
  private ladderRequest = 0;
  /** A packet-list row selected before it was loaded. */
  private waitingRow: number | undefined;

  constructor(private readonly s: ViewerSummary) {
    root.setAttribute('aria-busy', 'false');
    const header = el('header', 'wl-cap-header');
    const title = el('h1', 'wl-cap-title', s.fileName);
    const meta = el('p', 'wl-cap-meta', [s.format, `${s.packets.toLocaleString('en-US')} packets`, formatMs(s.durationMs), formatBytes(s.fileBytes)].filter(Boolean).join(' · '));
    const reload = el('button', 'wl-button', 'Reload');
    reload.type = 'button';
    reload.title = 'Read the file again';
    reload.addEventListener('click', () => channel.post({ type: 'reload' }));
    // The lesson that teaches reading a capture (tcpdump, key logs, ss), beside the file it helps with.
    const guide = el('button', 'wl-button wl-guide-button', 'How to read a capture');
    guide.type = 'button';
    guide.dataset.lesson = CAPTURE_GUIDE_LESSON;
    guide.title = `Open the lesson “${lessonById(CAPTURE_GUIDE_LESSON)?.title ?? CAPTURE_GUIDE_LESSON}”`;
    guide.addEventListener('click', () => this.openLesson(CAPTURE_GUIDE_LESSON));
    header.append(title, meta, guide, reload);
    const alerts = el('div', 'wl-cap-alerts');
    if (s.error) alerts.append(el('p', 'wl-cap-error', `Reading stopped early: ${s.error}`));
    if (s.listedPackets < s.packets) alerts.append(el('p', 'wl-cap-warning', `The packet list shows the first ${s.listedPackets.toLocaleString('en-US')} of ${s.packets.toLocaleString('en-US')} packets; the conversations and events cover all of them.`));
    if (s.warnings.length) {
      const box = el('details', 'wl-cap-warnings');
      box.append(el('summary', undefined, `${s.warnings.length} warning${s.warnings.length === 1 ? '' : 's'} while reading`));
      const list = el('ul');
      for (const w of s.warnings) list.append(el('li', undefined, w));
      box.append(list);
      alerts.append(box);
    }

    // Conversations
    const convSection = this.section('wl-cap-convs', `Conversations (${s.conversations.length.toLocaleString('en-US')})`);
    if (s.otherPackets) convSection.append(el('p', 'wl-cap-hint', `${s.otherPackets.toLocaleString('en-US')} packets outside conversations: ${Object.entries(s.otherKinds).slice(0, 6).map(([k, n]) => `${k} ${n}`).join(', ')}`));
    convSection.append(this.columns(['#', 'Protocol', 'Client → server', 'Packets', 'Bytes', 'Handshake', 'Events'], 'wl-conv-cols'));
    const convHost = el('div', 'wl-list-host wl-conv-list');
    convSection.append(convHost);
    this.conversations = new VirtualList({
      host: convHost,
      label: 'Conversations',
      idPrefix: 'conv',
      rowHeight: ROW_HEIGHT,
      renderRow: (row, i) => this.conversationRow(row, s.conversations[i]!),
      onSelect: (i) => this.chooseConversation(i),
      onActivate: (i) => this.chooseConversation(i, { focusLadder: true }),
    });

    // Events
    const eventSection = this.section('wl-cap-events', `Events (${s.eventTotal.toLocaleString('en-US')})`);
    if (s.eventTotal > s.events.length) eventSection.append(el('p', 'wl-cap-hint', `The first ${s.events.length.toLocaleString('en-US')} are listed; each conversation's ladder marks its own.`));
    const eventHost = el('div', 'wl-list-host wl-event-list');
    this.eventDetail = el('div', 'wl-event-detail');
    this.eventDetail.setAttribute('aria-live', 'polite');
    eventSection.append(eventHost, this.eventDetail);
    this.events = new VirtualList({
      host: eventHost,
      label: 'Events: Enter opens the lesson that explains the selected one',
      idPrefix: 'event',
      rowHeight: ROW_HEIGHT,
      renderRow: (row, i) => this.eventRow(row, s.events[i]!),
      onSelect: (i) => this.chooseEvent(s.events[i]!),
      onActivate: (i) => this.openLesson(s.events[i]!.lesson),
    });
    // The lesson chip inside an event row (a pointer shortcut; Enter does the same from the keyboard).
    eventHost.addEventListener('click', (e) => {
      const chip = (e.target as Element).closest<HTMLElement>('[data-lesson]');
      if (chip?.dataset.lesson) this.openLesson(chip.dataset.lesson);
    });
    if (s.events.length === 0) eventHost.replaceChildren(el('p', 'wl-cap-hint', 'No retransmissions, resets, slow handshakes or other events in this capture.'));

    // Ladder
    const ladderSection = this.section('wl-cap-ladder', 'Conversation');
    this.ladderHeading = ladderSection.querySelector('h2')!;
    const ladderHost = el('div', 'wl-ladder-host');
    ladderSection.append(ladderHost);
    this.ladder = new LadderView(ladderHost, {
      onPacket: (n) => this.choosePacket(n, { conversation: this.conversation, from: 'ladder' }),
      onPage: (fromRow) => void this.loadLadder(this.conversation, { fromRow }),
    });

    // Packets
    const packetSection = this.section('wl-cap-packets', 'Packets');
    const scopeLabel = el('label', 'wl-scope', 'Show ');
    this.scopeSelect = el('select');
    this.scopeSelect.addEventListener('change', () => this.setScope(Number(this.scopeSelect.value)));
    scopeLabel.append(this.scopeSelect);
    packetSection.append(scopeLabel, this.columns(['No.', 'Time', 'Source', 'Destination', 'Protocol', 'Length', 'Info'], 'wl-packet-cols'));
    const packetHost = el('div', 'wl-list-host wl-packet-list');
    packetSection.append(packetHost);
    this.rows = new PacketRows(() => {
      this.packets.refresh();
      // A selection made before its row arrived (End, PageDown) takes effect now.
      const waiting = this.waitingRow;
      const row = waiting !== undefined ? this.rows.get(waiting) : undefined;
      if (row && waiting === this.packets.selectedIndex) {
        this.waitingRow = undefined;
        this.choosePacket(row.number, { conversation: row.conversation, from: 'list' });
      }
    });
    this.packets = new VirtualList({
      host: packetHost,
      label: 'Packets',
      idPrefix: 'packet',
      rowHeight: ROW_HEIGHT,
      renderRow: (row, i) => this.packetRow(row, i),
      onRange: (first, last) => this.rows.ensure(first, last, this.scope),
      onSelect: (i) => {
        const row = this.rows.get(i);
        this.waitingRow = row ? undefined : i;
        if (row) this.choosePacket(row.number, { conversation: row.conversation, from: 'list' });
      },
    });

    // Details
    const detailSection = this.section('wl-cap-details', 'Packet details');
    const detailHost = el('div', 'wl-details-host');
    detailSection.append(detailHost);
    this.details = new PacketDetailsPane(detailHost);

    root.replaceChildren(header, alerts, convSection, eventSection, ladderSection, packetSection, detailSection);
    this.conversations.setCount(s.conversations.length);
    if (s.events.length) this.events.setCount(s.events.length);
    this.fillScopes();
    this.restore();
  }

  private section(className: string, heading: string): HTMLElement {
    const section = el('section', `wl-cap-section ${className}`);
    const h = el('h2', 'wl-cap-heading', heading);
    h.id = `${className}-heading`;
    section.setAttribute('aria-labelledby', h.id);
    section.append(h);
    return section;
  }

  private columns(names: string[], className: string): HTMLElement {
    const head = el('div', `wl-list-head ${className}`);
    head.setAttribute('aria-hidden', 'true');
    for (const name of names) head.append(el('span', 'wl-col', name));
    return head;
  }

  private conversationRow(row: HTMLElement, c: ViewerConversation): void {
    row.classList.add('wl-conv-cols');
    row.append(
      cell(String(c.index), 'wl-num'),
      cell(c.protocol ?? c.transport, 'wl-proto'),
      cell(`${c.client} → ${c.server}${c.serverName ? ` (${c.serverName})` : ''}`, 'wl-endpoints'),
      cell(c.packets.toLocaleString('en-US'), 'wl-num'),
      cell(formatBytes(c.bytes), 'wl-num'),
      cell(c.handshakeRttMs === null ? '–' : formatMs(c.handshakeRttMs), 'wl-num'),
      cell(c.eventCount ? String(c.eventCount) : '', `wl-num${c.eventCount ? ' wl-has-events' : ''}`),
    );
  }

  private eventRow(row: HTMLElement, e: ViewerEvent): void {
    row.classList.add('wl-event-row', `wl-event-${e.kind}`);
    const chip = el('span', 'wl-lesson-chip', `Lesson: ${e.lessonTitle}`);
    chip.dataset.lesson = e.lesson;
    chip.title = `Open the lesson “${e.lessonTitle}”`;
    row.append(cell(`#${e.packet}`, 'wl-num'), cell(e.title, 'wl-event-title'), cell(e.detail, 'wl-event-text'), chip);
  }

  private packetRow(row: HTMLElement, index: number): void {
    row.classList.add('wl-packet-cols');
    const p = this.rows.get(index);
    if (!p) {
      row.append(cell(this.scope < 0 ? String(index + 1) : '', 'wl-num'), cell('…', 'wl-loading'));
      return;
    }
    if (p.events?.length) row.classList.add('wl-has-events');
    if (p.number === this.packet) row.classList.add('wl-current');
    const info = cell(p.info, 'wl-info');
    if (p.events?.length) info.prepend(el('span', 'wl-event-mark', `⚠ ${p.events.join(', ')} `));
    row.append(
      cell(String(p.number), 'wl-num'),
      cell(p.timeMs === null ? '' : formatMs(p.timeMs), 'wl-num'),
      cell(p.source, 'wl-addr'),
      cell(p.destination, 'wl-addr'),
      cell(p.protocol, 'wl-proto'),
      cell(String(p.length), 'wl-num'),
      info,
    );
  }

  private fillScopes(): void {
    const options = [el('option', undefined, `All packets (${this.s.listedPackets.toLocaleString('en-US')})`)];
    options[0]!.value = '-1';
    if (this.conversation >= 0) {
      const c = this.s.conversations[this.conversation]!;
      const o = el('option', undefined, `Conversation #${c.index} only (${c.rows.toLocaleString('en-US')})`);
      o.value = String(c.index);
      options.push(o);
    }
    this.scopeSelect.replaceChildren(...options);
    this.scopeSelect.value = String(this.scope);
  }

  private setScope(scope: number, select?: { index: number }): void {
    this.scope = scope;
    saved.scope = scope;
    saveState();
    this.fillScopes();
    const total = scope < 0 ? this.s.listedPackets : this.s.conversations[scope]?.rows ?? 0;
    this.rows.reset(total);
    this.packets.clearSelection();
    this.packets.setCount(total);
    if (select) this.packets.select(select.index, { notify: false });
    else this.packets.viewport.scrollTop = 0;
  }

  private async chooseConversation(index: number, how: { focusLadder?: boolean; packet?: number } = {}): Promise<void> {
    if (!this.s.conversations[index]) return;
    if (this.conversations.selectedIndex !== index) this.conversations.select(index, { notify: false });
    const changed = this.conversation !== index;
    this.conversation = index;
    saved.conversation = index;
    saveState();
    if (changed && this.scope >= 0) this.setScope(index);
    else this.fillScopes();
    await this.loadLadder(index, how.packet !== undefined ? { packet: how.packet } : { fromRow: 0 });
    if (how.focusLadder) root.querySelector<HTMLElement>('.wl-ladder')?.focus();
  }

  private async loadLadder(index: number, where: { fromRow?: number; packet?: number }): Promise<ConversationView | undefined> {
    const ticket = ++this.ladderRequest;
    const answer = await channel.request({ type: 'conversation', index, ...where });
    if (ticket !== this.ladderRequest) return undefined;
    if (answer.type !== 'conversation') {
      this.ladder.empty(answer.type === 'failed' ? answer.message : 'The conversation could not be drawn.');
      return undefined;
    }
    const c = this.s.conversations[index]!;
    this.ladderHeading.textContent = `Conversation #${c.index}`;
    this.ladder.show(c, answer.view, this.packet);
    return answer.view;
  }

  private chooseEvent(e: ViewerEvent): void {
    this.eventDetail.replaceChildren();
    const text = el('p', undefined, `Packet ${e.packet}, conversation #${e.conversation}${e.by ? `, sent by the ${e.by}` : ''}: ${e.detail}`);
    const open = el('button', 'wl-button wl-lesson-button', `Open lesson: ${e.lessonTitle}`);
    open.type = 'button';
    open.dataset.lesson = e.lesson;
    open.addEventListener('click', () => this.openLesson(e.lesson));
    this.eventDetail.append(text, open);
    this.choosePacket(e.packet, { conversation: e.conversation, from: 'event' });
  }

  private openLesson(lesson: string): void {
    channel.post({ type: 'openLesson', lesson });
  }

  /** Selects a packet everywhere: details, the list, and the ladder of its conversation. */
  private choosePacket(packet: number, how: { conversation: number; from: 'list' | 'ladder' | 'event' | 'restore' }): void {
    this.packet = packet;
    saved.packet = packet;
    saveState();
    void this.loadDetails(packet);
    const conversation = how.conversation;
    if (conversation >= 0 && this.s.conversations[conversation]) {
      if (conversation !== this.conversation) {
        if (this.scope >= 0) this.scope = conversation;
        void this.chooseConversation(conversation, { packet }).then(() => this.syncList(packet, how.from));
        return;
      }
      if (this.ladder.hasPacket(conversation, packet)) this.ladder.select(packet);
      else void this.loadLadder(conversation, { packet });
    }
    this.syncList(packet, how.from);
  }

  /** Moves the packet list's selection to the packet (unless the list itself chose it). */
  private syncList(packet: number, from: string): void {
    if (from === 'list') {
      this.packets.refresh();
      return;
    }
    if (this.scope < 0) {
      if (packet <= this.s.listedPackets) this.packets.select(packet - 1, { notify: false });
      this.packets.refresh();
      return;
    }
    const view = this.ladder.current;
    if (view?.index === this.scope) {
      const messageRow = view.packetRow;
      if (messageRow !== undefined) this.packets.select(messageRow, { notify: false });
    }
    this.packets.refresh();
  }

  private async loadDetails(packet: number): Promise<void> {
    const ticket = ++this.detailsRequest;
    this.details.showMessage(`Reading packet ${packet}…`);
    const answer = await channel.request({ type: 'details', packet });
    if (ticket !== this.detailsRequest) return;
    if (answer.type === 'details') this.details.show(answer.details);
    else this.details.showMessage(answer.type === 'failed' ? answer.message : 'The packet could not be read.');
  }

  private restore(): void {
    const conv = saved.conversation;
    if (saved.scope !== undefined && saved.scope >= 0 && this.s.conversations[saved.scope]) {
      this.conversation = saved.scope;
      this.scope = saved.scope;
    }
    this.setScope(this.scope);
    if (conv !== undefined && this.s.conversations[conv]) {
      void this.chooseConversation(conv, saved.packet !== undefined ? { packet: saved.packet } : {}).then(() => {
        if (saved.packet !== undefined) this.choosePacket(saved.packet, { conversation: conv, from: 'restore' });
      });
    } else if (this.s.conversations.length > 0) {
      // The first conversation with events, else the first: the page opens on something to look at.
      const first = this.s.events[0]?.conversation ?? 0;
      void this.chooseConversation(first);
    }
  }
}

function showSummary(s: ViewerSummary): void {
  progress = undefined;
  new CaptureViewer(s);
  document.body.classList.add('wl-ready');
}

channel.post({ type: 'ready' });
