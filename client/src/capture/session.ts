// One open capture on the extension-host side: streams the file once through the capture engine
// (reader → analyzer, plus the packet store's index), then answers the viewer page's requests for
// packet-list windows, conversation ladders and packet details. No VS Code imports: the tests drive it
// directly, and the editor provider (editor.ts) only wires it to a webview.
import type { CaptureAnalysis, Conversation } from '../../../server/src/capture/analysisTypes';
import { finishSafely, type CaptureOptions } from '../../../server/src/capture/api';
import { CaptureAnalyzer } from '../../../server/src/capture/analyzer';
import { PacketDecoder } from '../../../server/src/capture/decode';
import { packetDetails } from '../../../server/src/capture/details';
import { EVENT_TITLES, type EventKind } from '../../../server/src/capture/events';
import { CaptureReader } from '../../../server/src/capture/reader';
import { conversationLadder } from '../../../server/src/capture/ladder';
import { msBetween } from '../../../server/src/capture/timestamps';
import { lessonById } from '../../../server/src/lessons/catalog';
import { PacketStore, type ByteSource, type PacketStoreLimits } from './packetStore';
import {
  LADDER_PAGE_ROWS, MAX_DETAIL_BYTES, MAX_ROWS_PER_REQUEST,
  type ConversationView, type HostMessage, type PacketDetailsView, type PacketListRow, type PageMessage, type ViewerConversation, type ViewerEvent, type ViewerSummary,
} from './protocol';
import { withIdleBreaks } from './ladderPage';
import { conversationFacts, rowFromAnalysis, rowFromPacket, tcpStateText } from './rows';

export interface SessionOptions {
  /** Shown in the viewer's header. */
  fileName: string;
  signal?: AbortSignal;
  /** Called after each chunk of the streaming pass. */
  onProgress?: (bytesRead: number, totalBytes: number) => void;
  store?: Partial<PacketStoreLimits>;
  capture?: CaptureOptions;
  /** Bytes per read in the streaming pass (default 1 MiB). */
  chunkBytes?: number;
}

/** Events sent with the summary; the rest are counted (each conversation's ladder still marks them). */
export const MAX_SUMMARY_EVENTS = 10_000;

const round3 = (ms: number): number => Math.round(ms * 1000) / 1000;

function hex(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += (b < 16 ? '0' : '') + b.toString(16);
  return out;
}

function formatLine(analysis: CaptureAnalysis): string {
  const file = analysis.file;
  const parts: string[] = [];
  if (file.format === 'pcap') parts.push(`pcap (${file.timestampPrecision === 'ns' ? 'ns' : 'µs'} timestamps, ${file.sections[0]?.byteOrder ?? '?'}-endian)`);
  else if (file.format === 'pcapng') parts.push(`pcapng (${file.sections.length} section${file.sections.length === 1 ? '' : 's'}, ${[...new Set(file.sections.map((s) => s.byteOrder))].join('/')}-endian)`);
  else parts.push('not a readable capture');
  if (file.interfaces.length) {
    const links = [...new Set(file.interfaces.map((i) => i.linkTypeName))].slice(0, 6);
    parts.push(`${file.interfaces.length} interface${file.interfaces.length === 1 ? '' : 's'} (${links.join(', ')})`);
  }
  return parts.join(', ');
}

/** Streams the capture once and returns the session that serves the viewer. Never rejects for bad input. */
/**
 * Rows kept per conversation for the ladder and the conversation's packet list. Higher than the
 * engine's default (the CLI keeps none): the capture-wide row cap still bounds memory.
 */
export const VIEWER_ROWS_PER_CONVERSATION = 50_000;

export async function openCaptureSession(source: ByteSource, options: SessionOptions): Promise<CaptureSession> {
  const analyzer = new CaptureAnalyzer({ ...options.capture, limits: { maxRowsPerConversation: VIEWER_ROWS_PER_CONVERSATION, ...options.capture?.limits } });
  const store = new PacketStore(source, options.store, options.capture?.reader);
  const reader = new CaptureReader(
    {
      onRecord: (record) => {
        store.noteRecord(record);
        analyzer.addRecord(record);
      },
      onBlock: (block) => store.noteBlock(block),
    },
    options.capture?.reader,
  );
  const step = Math.max(4096, options.chunkBytes ?? 1 << 20);
  let at = 0;
  try {
    while (at < source.size) {
      if (options.signal?.aborted) {
        reader.abort('reading was cancelled');
        break;
      }
      const chunk = await source.read(at, step);
      if (chunk.length === 0) break;
      at += chunk.length;
      if (!reader.push(chunk)) break;
      options.onProgress?.(at, source.size);
    }
  } catch (error) {
    reader.abort(`cannot read the capture: ${error instanceof Error ? error.message : String(error)}`);
  }
  return new CaptureSession(options.fileName, source, store, finishSafely(reader, analyzer));
}

export class CaptureSession {
  readonly summary: ViewerSummary;
  /** Per indexed packet: its conversation and row in that conversation (-1 when it has none). */
  private readonly conversationOf: Int32Array;
  private readonly rowOf: Int32Array;

  constructor(
    fileName: string,
    private readonly source: ByteSource,
    private readonly store: PacketStore,
    readonly analysis: CaptureAnalysis,
  ) {
    const indexed = store.indexed;
    this.conversationOf = new Int32Array(indexed).fill(-1);
    this.rowOf = new Int32Array(indexed).fill(-1);
    for (const conv of analysis.conversations) {
      conv.rows.forEach((row, i) => {
        if (row.number >= 1 && row.number <= indexed) {
          this.conversationOf[row.number - 1] = conv.index;
          this.rowOf[row.number - 1] = i;
        }
      });
    }
    this.summary = this.buildSummary(fileName);
  }

  private buildSummary(fileName: string): ViewerSummary {
    const a = this.analysis;
    const conversations: ViewerConversation[] = a.conversations.map((c) => {
      const v: ViewerConversation = {
        index: c.index,
        transport: c.transport,
        client: c.client,
        server: c.server,
        packets: c.packets,
        bytes: c.bytes,
        startMs: c.startMs,
        endMs: c.endMs,
        handshakeRttMs: c.handshakeRttMs,
        eventCount: Object.values(c.eventCounts).reduce((n, k) => n + (k ?? 0), 0),
        rows: c.rows.length,
        rowsDropped: c.rowsDropped,
        firstPacket: c.firstPacket,
      };
      if (c.app.protocol) v.protocol = c.app.protocol;
      const name = c.app.tls?.clientHello?.sni ?? c.app.http.find((h) => h.host)?.host ?? c.app.dns.find((d) => d.question)?.question?.name;
      if (name) v.serverName = name;
      const state = tcpStateText(c);
      if (state) v.state = state;
      return v;
    });
    const all: ViewerEvent[] = [];
    const eventCounts: Partial<Record<EventKind, number>> = {};
    let eventTotal = 0;
    for (const c of a.conversations) {
      for (const [kind, n] of Object.entries(c.eventCounts) as Array<[EventKind, number]>) {
        eventCounts[kind] = (eventCounts[kind] ?? 0) + n;
        eventTotal += n;
      }
      for (const e of c.events) {
        const event: ViewerEvent = {
          kind: e.kind,
          title: EVENT_TITLES[e.kind],
          packet: e.packet,
          conversation: c.index,
          lesson: e.lesson,
          lessonTitle: lessonById(e.lesson)?.title ?? e.lesson,
          timeMs: e.timeMs,
          detail: e.detail,
        };
        if (e.by) event.by = e.by;
        all.push(event);
      }
    }
    all.sort((x, y) => x.packet - y.packet || x.conversation - y.conversation);
    return {
      fileName,
      format: formatLine(a),
      packets: a.packets,
      listedPackets: this.store.indexed,
      durationMs: a.durationMs,
      fileBytes: this.source.size,
      conversations,
      events: all.slice(0, MAX_SUMMARY_EVENTS),
      eventTotal,
      eventCounts,
      otherPackets: a.otherPackets,
      otherKinds: a.otherKinds,
      warnings: a.warnings.slice(0, 100),
      error: a.error,
    };
  }

  /** Answers one page message (undefined for messages the host handles itself, or that are malformed). */
  async handle(raw: unknown): Promise<HostMessage | undefined> {
    const message = raw as Partial<PageMessage> | null;
    if (!message || typeof message !== 'object') return undefined;
    const id = (message as { id?: unknown }).id;
    if (typeof id !== 'number' || !Number.isSafeInteger(id)) return undefined;
    try {
      switch (message.type) {
        case 'packets': {
          const m = message as Extract<PageMessage, { type: 'packets' }>;
          if (!isCount(m.from) || !isCount(m.count)) return { type: 'failed', id, message: 'bad packet window' };
          return this.packets(id, m.from, Math.min(m.count, MAX_ROWS_PER_REQUEST), m.conversation);
        }
        case 'conversation': {
          const m = message as Extract<PageMessage, { type: 'conversation' }>;
          const conv = isCount(m.index) ? this.analysis.conversations[m.index] : undefined;
          if (!conv) return { type: 'failed', id, message: 'no such conversation' };
          return { type: 'conversation', id, view: this.conversationView(conv, isCount(m.fromRow) ? m.fromRow : undefined, isCount(m.packet) ? m.packet : undefined) };
        }
        case 'details': {
          const m = message as Extract<PageMessage, { type: 'details' }>;
          if (!isCount(m.packet) || m.packet < 1) return { type: 'failed', id, message: 'bad packet number' };
          return { type: 'details', id, details: await this.details(m.packet) };
        }
        default:
          return undefined;
      }
    } catch (error) {
      return { type: 'failed', id, message: error instanceof Error ? error.message : String(error) };
    }
  }

  private async packets(id: number, from: number, count: number, conversation: number | undefined): Promise<HostMessage> {
    if (conversation !== undefined) {
      const conv = isCount(conversation) ? this.analysis.conversations[conversation] : undefined;
      if (!conv) return { type: 'failed', id, message: 'no such conversation' };
      const rows = conv.rows.slice(from, from + count).map((row) => rowFromAnalysis(conv, row));
      return { type: 'packets', id, from, rows, total: conv.rows.length, conversation };
    }
    const total = this.store.indexed;
    const last = Math.min(total, from + count);
    const rows: Array<PacketListRow | undefined> = [];
    const missing: number[] = [];
    for (let n = from + 1; n <= last; n++) {
      const c = this.conversationOf[n - 1]!;
      const conv = c >= 0 ? this.analysis.conversations[c] : undefined;
      const row = conv?.rows[this.rowOf[n - 1]!];
      if (conv && row) rows.push(rowFromAnalysis(conv, row));
      else {
        rows.push(undefined);
        missing.push(n);
      }
    }
    // Packets without an analysis row are decoded again, a run of consecutive packets per read.
    for (let i = 0; i < missing.length; ) {
      let j = i;
      while (j + 1 < missing.length && missing[j + 1] === missing[j]! + 1) j++;
      const decoder = new PacketDecoder();
      await this.store.readRecords(missing[i]!, missing[j]!, (record) => {
        const timeMs = record.hasTimestamp && this.analysis.start ? round3(msBetween(this.analysis.start.sec, this.analysis.start.nsec, record.tsSec, record.tsNsec)) : null;
        rows[record.number - from - 1] = rowFromPacket(decoder.decode(record), timeMs, record.originalLength);
      });
      i = j + 1;
    }
    const filled = rows.map((row, i) => row ?? { number: from + i + 1, timeMs: null, source: '', destination: '', protocol: '?', length: 0, info: 'could not be read again', conversation: -1 });
    return { type: 'packets', id, from, rows: filled, total };
  }

  conversationView(conv: Conversation, fromRow?: number, packet?: number): ConversationView {
    let start = fromRow ?? 0;
    const packetRow = packet !== undefined ? findRow(conv, packet) : -1;
    if (packetRow >= 0) start = packetRow;
    start = Math.max(0, Math.min(start, conv.rows.length - 1));
    start -= start % LADDER_PAGE_ROWS;
    const view: ConversationView = {
      index: conv.index,
      fromRow: start,
      pageRows: Math.min(LADDER_PAGE_ROWS, Math.max(0, conv.rows.length - start)),
      totalRows: conv.rows.length,
      facts: conversationFacts(conv),
    };
    if (packetRow >= 0) view.packetRow = packetRow;
    const ladder = conversationLadder(conv, { fromRow: start, maxMessages: LADDER_PAGE_ROWS });
    if (ladder) view.ladder = withIdleBreaks(ladder, conv.handshakeRttMs);
    return view;
  }

  private async details(packet: number): Promise<PacketDetailsView> {
    if (packet > this.store.indexed) {
      return { number: packet, layers: [], hex: '', capturedLength: 0, error: `packet ${packet} is past the ${this.store.indexed} packets the viewer indexes` };
    }
    let view: PacketDetailsView | undefined;
    const problem = await this.store.readRecords(packet, packet, (record) => {
      view = {
        number: packet,
        layers: packetDetails(record),
        hex: hex(record.data.subarray(0, MAX_DETAIL_BYTES)),
        capturedLength: record.data.length,
      };
    });
    return view ?? { number: packet, layers: [], hex: '', capturedLength: 0, error: problem ?? 'the packet could not be read again' };
  }

  async dispose(): Promise<void> {
    await this.source.close();
  }
}

function isCount(n: unknown): n is number {
  return typeof n === 'number' && Number.isSafeInteger(n) && n >= 0;
}

/** Index of packet `number` in the conversation's rows (rows are in packet order), or -1. */
function findRow(conv: Conversation, number: number): number {
  let lo = 0;
  let hi = conv.rows.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const n = conv.rows[mid]!.number;
    if (n === number) return mid;
    if (n < number) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}
