// Messages between the capture viewer page (client/src/webview/capture.ts) and the extension host
// (client/src/capture/session.ts). Plain JSON. The page never sees the file: it asks the host for
// windows of packet rows, one conversation's ladder, or one packet's details, so its memory stays
// small however large the capture is.
import type { EventKind } from '../../../server/src/capture/events';
import type { SequenceDiagram } from '../../../server/src/diagrams/types';

export interface ViewerConversation {
  index: number;
  transport: string;
  /** "HTTP/1.1", "TLS", "DNS" when recognised. */
  protocol?: string;
  client: string;
  server: string;
  /** SNI or HTTP Host, when the conversation names its server. */
  serverName?: string;
  packets: number;
  bytes: number;
  startMs: number;
  endMs: number;
  handshakeRttMs: number | null;
  /** Where a TCP conversation ended up ("closed", "reset", …). */
  state?: string;
  eventCount: number;
  /** Packet rows the analysis kept (the ladder and the conversation's packet list page through them). */
  rows: number;
  rowsDropped: number;
  firstPacket: number;
}

export interface ViewerEvent {
  kind: EventKind;
  title: string;
  packet: number;
  conversation: number;
  lesson: string;
  lessonTitle: string;
  timeMs: number;
  by?: 'client' | 'server';
  detail: string;
}

export interface ViewerSummary {
  fileName: string;
  /** "pcapng (1 section, little-endian), 1 interface (EN10MB)". */
  format: string;
  packets: number;
  /** Packets the list can show (an index is kept for at most this many). */
  listedPackets: number;
  durationMs: number;
  fileBytes: number;
  conversations: ViewerConversation[];
  /** Events in packet order, up to a cap; `eventTotal` counts all of them. */
  events: ViewerEvent[];
  eventTotal: number;
  eventCounts: Partial<Record<EventKind, number>>;
  otherPackets: number;
  otherKinds: Record<string, number>;
  warnings: string[];
  error: string | null;
}

/** One line of the packet list. */
export interface PacketListRow {
  number: number;
  timeMs: number | null;
  source: string;
  destination: string;
  protocol: string;
  length: number;
  info: string;
  /** Conversation index, or -1 (ARP, undecodable, beyond the row limits). */
  conversation: number;
  events?: EventKind[];
}

export interface DetailFieldView {
  name: string;
  value: string;
  start?: number;
  end?: number;
}

export interface DetailLayerView {
  name: string;
  start: number;
  end: number;
  fields: DetailFieldView[];
}

export interface PacketDetailsView {
  number: number;
  layers: DetailLayerView[];
  /** The captured bytes as lowercase hex, at most `MAX_DETAIL_BYTES` of them. */
  hex: string;
  capturedLength: number;
  error?: string;
}

export interface ConversationView {
  index: number;
  /** The ladder page that starts at row `fromRow`; undefined when the conversation kept no rows. */
  ladder?: SequenceDiagram;
  fromRow: number;
  pageRows: number;
  totalRows: number;
  /** Row (in the conversation's packet list) of the packet the request named, when it has one. */
  packetRow?: number;
  /** Text lines describing the conversation (TCP options, TLS hello, HTTP, DNS). */
  facts: Array<{ name: string; value: string }>;
}

/** Page → host. Requests carry an id the answer repeats. */
export type PageMessage =
  | { type: 'ready' }
  | { type: 'reload' }
  | { type: 'openLesson'; lesson: string }
  | { type: 'packets'; id: number; from: number; count: number; conversation?: number }
  | { type: 'conversation'; id: number; index: number; fromRow?: number; packet?: number }
  | { type: 'details'; id: number; packet: number };

/** Host → page. */
export type HostMessage =
  | { type: 'progress'; bytesRead: number; totalBytes: number }
  | { type: 'summary'; summary: ViewerSummary }
  | { type: 'packets'; id: number; from: number; rows: PacketListRow[]; total: number; conversation?: number }
  | { type: 'conversation'; id: number; view: ConversationView }
  | { type: 'details'; id: number; details: PacketDetailsView }
  | { type: 'failed'; id?: number; message: string };

/** Rows per ladder page (the page moves through longer conversations a page at a time). */
export const LADDER_PAGE_ROWS = 60;
/** Largest window of packet rows one request may ask for. */
export const MAX_ROWS_PER_REQUEST = 500;
/** Bytes of one packet shown in the hex view. */
export const MAX_DETAIL_BYTES = 4096;
