// Mutable per-conversation state while the capture streams through; `toConversation` freezes it into the
// plain `Conversation` the API returns. Everything that grows with the capture is capped.

import { endpointText } from './addresses';
import type { AppHints, CaptureEvent, Conversation, PacketRow, Side, TcpDetails, TcpSideSummary, Transport } from './analysisTypes';
import type { TlsRecordWalker } from './appTls';
import { EVENT_LESSONS, type EventKind } from './events';

export interface AnalyzerLimits {
  maxConversations: number;
  maxEventsPerConversation: number;
  /** Packet rows kept per conversation (0 = none: summaries only). */
  maxRowsPerConversation: number;
  /** Packet rows kept over all conversations. */
  maxRowsTotal: number;
  /** Bytes of stream start kept per direction to read a ClientHello spread over segments. */
  maxPrefixBytes: number;
  /** Total bytes of stream starts held at once. */
  maxPrefixBytesTotal: number;
  maxHintsPerConversation: number;
  /** Events kept over all conversations (counts stay exact beyond it). */
  maxEventsTotal: number;
  /** HTTP/DNS hints kept over all conversations. */
  maxHintsTotal: number;
}

/** Counters shared by all conversations of one analysis, for the capture-wide caps. */
export interface SharedCounters {
  events: number;
  hints: number;
}

export const DEFAULT_ANALYZER_LIMITS: AnalyzerLimits = {
  maxConversations: 50_000,
  maxEventsPerConversation: 200,
  maxRowsPerConversation: 5_000,
  maxRowsTotal: 200_000,
  maxPrefixBytes: 20 * 1024,
  maxPrefixBytesTotal: 32 * 1024 * 1024,
  maxHintsPerConversation: 50,
  maxEventsTotal: 100_000,
  maxHintsTotal: 100_000,
};

export interface Hole {
  start: number;
  end: number;
  timeMs: number;
}

export interface SideState {
  // sequence space
  hasIsn: boolean;
  isn: number;
  hasNext: boolean;
  nextSeq: number;
  hasAck: boolean;
  lastAck: number;
  lastWindow: number;
  /** -1 = no wscale option in this side's SYN. */
  wscale: number;
  mss?: number;
  sackPermitted: boolean;
  timestamps: boolean;
  synSeen: boolean;
  firstSynMs: number;
  lastSynMs: number;
  synPacket: number;
  finSeen: boolean;
  finPacket: number;
  rstPacket: number;
  zeroWindow: boolean;
  holes: Hole[];
  expectKeepAliveAck: boolean;
  halfCloseReported: boolean;
  // counters
  packets: number;
  payloadBytes: number;
  retransmissions: number;
  maxWindow: number;
  // application layer
  prefix: Uint8Array | null;
  prefixLength: number;
  prefixWanted: number;
  appDone: boolean;
  tlsWalker: TlsRecordWalker | null;
}

export function newSide(): SideState {
  return {
    hasIsn: false,
    isn: 0,
    hasNext: false,
    nextSeq: 0,
    hasAck: false,
    lastAck: 0,
    lastWindow: -1,
    wscale: -1,
    sackPermitted: false,
    timestamps: false,
    synSeen: false,
    firstSynMs: 0,
    lastSynMs: 0,
    synPacket: 0,
    finSeen: false,
    finPacket: 0,
    rstPacket: 0,
    zeroWindow: false,
    holes: [],
    expectKeepAliveAck: false,
    halfCloseReported: false,
    packets: 0,
    payloadBytes: 0,
    retransmissions: 0,
    maxWindow: 0,
    prefix: null,
    prefixLength: 0,
    prefixWanted: 0,
    appDone: false,
    tlsWalker: null,
  };
}

export interface TcpState {
  client: SideState;
  server: SideState;
  synAckPacket: number;
  synAckMs: number;
  ackPacket: number;
  ackMs: number;
  synRetransmissions: number;
  handshakeDone: boolean;
  firstFin?: Side;
  resetBy?: Side;
  halfClosed: boolean;
  sawSyn: boolean;
}

export class ConversationState {
  packets = 0;
  bytes = 0;
  packetsFromClient = 0;
  packetsFromServer = 0;
  firstPacket = 0;
  lastPacket = 0;
  startMs = 0;
  endMs = 0;
  handshakeRttMs: number | null = null;
  readonly events: CaptureEvent[] = [];
  readonly eventCounts: Partial<Record<EventKind, number>> = {};
  readonly rows: PacketRow[] = [];
  rowsDropped = 0;
  readonly app: AppHints = { http: [], dns: [] };
  tcp: TcpState | undefined;

  constructor(
    readonly index: number,
    readonly key: string,
    readonly transport: Transport,
    readonly ipVersion: 4 | 6,
    readonly clientAddress: string,
    readonly clientPort: number | undefined,
    readonly serverAddress: string,
    readonly serverPort: number | undefined,
    private readonly limits: AnalyzerLimits,
    private readonly shared: SharedCounters = { events: 0, hints: 0 },
  ) {
    if (transport === 'TCP') {
      this.tcp = {
        client: newSide(),
        server: newSide(),
        synAckPacket: 0,
        synAckMs: 0,
        ackPacket: 0,
        ackMs: 0,
        synRetransmissions: 0,
        handshakeDone: false,
        halfClosed: false,
        sawSyn: false,
      };
    }
  }

  isFromClient(address: string, port: number | undefined): boolean {
    return address === this.clientAddress && port === this.clientPort;
  }

  addEvent(kind: EventKind, packet: number, timeMs: number, by: Side | undefined, detail: string, row?: PacketRow): void {
    this.eventCounts[kind] = (this.eventCounts[kind] ?? 0) + 1;
    if (row) (row.events ??= []).push(kind);
    if (this.events.length >= this.limits.maxEventsPerConversation || this.shared.events >= this.limits.maxEventsTotal) return;
    this.shared.events++;
    const event: CaptureEvent = { kind, packet, lesson: EVENT_LESSONS[kind], timeMs: round3(timeMs), detail };
    if (by) event.by = by;
    this.events.push(event);
  }

  /** Whether one more HTTP/DNS hint may be kept in `list` (per-conversation and capture-wide caps). */
  keepHint(list: readonly unknown[]): boolean {
    if (list.length >= this.limits.maxHintsPerConversation || this.shared.hints >= this.limits.maxHintsTotal) return false;
    this.shared.hints++;
    return true;
  }

  toConversation(): Conversation {
    const conversation: Conversation = {
      index: this.index,
      transport: this.transport,
      ipVersion: this.ipVersion,
      client: endpointText(this.clientAddress, this.clientPort),
      server: endpointText(this.serverAddress, this.serverPort),
      clientAddress: this.clientAddress,
      serverAddress: this.serverAddress,
      packets: this.packets,
      bytes: this.bytes,
      packetsFromClient: this.packetsFromClient,
      packetsFromServer: this.packetsFromServer,
      firstPacket: this.firstPacket,
      lastPacket: this.lastPacket,
      startMs: round3(this.startMs),
      endMs: round3(this.endMs),
      handshakeRttMs: this.handshakeRttMs === null ? null : round3(this.handshakeRttMs),
      events: this.events,
      eventCounts: this.eventCounts,
      app: this.app,
      rows: this.rows,
      rowsDropped: this.rowsDropped,
    };
    if (this.clientPort !== undefined) conversation.clientPort = this.clientPort;
    if (this.serverPort !== undefined) conversation.serverPort = this.serverPort;
    if (this.tcp) conversation.tcp = tcpDetails(this.tcp);
    return conversation;
  }
}

export function round3(value: number): number {
  return Math.round(value * 1000) / 1000;
}

function sideSummary(side: SideState, scaling: boolean): TcpSideSummary {
  const summary: TcpSideSummary = {
    sackPermitted: side.sackPermitted,
    timestamps: side.timestamps,
    payloadBytes: side.payloadBytes,
    packets: side.packets,
    retransmissions: side.retransmissions,
    maxWindow: side.maxWindow,
  };
  if (side.hasIsn) summary.isn = side.isn;
  if (side.mss !== undefined) summary.mss = side.mss;
  if (scaling || side.wscale >= 0) {
    if (side.wscale >= 0) summary.wscale = side.wscale;
  }
  if (side.finSeen) summary.finPacket = side.finPacket;
  if (side.rstPacket) summary.rstPacket = side.rstPacket;
  return summary;
}

function tcpDetails(tcp: TcpState): TcpDetails {
  const { client, server } = tcp;
  const scaling = client.wscale >= 0 && server.wscale >= 0;
  let state: TcpDetails['state'];
  if (tcp.resetBy) state = 'reset';
  else if (client.finSeen && server.finSeen) state = 'closed';
  else if (client.finSeen || server.finSeen) state = 'closing';
  else if (tcp.handshakeDone) state = 'established';
  else if (tcp.synAckPacket) state = 'syn-received';
  else if (client.synSeen) state = 'syn-sent';
  else state = 'mid-stream';
  const handshake: TcpDetails['handshake'] = { synRetransmissions: tcp.synRetransmissions };
  if (client.synSeen) handshake.synPacket = client.synPacket;
  if (tcp.synAckPacket) {
    handshake.synAckPacket = tcp.synAckPacket;
    if (client.synSeen) handshake.synToSynAckMs = round3(tcp.synAckMs - client.lastSynMs);
  }
  if (tcp.handshakeDone) {
    handshake.ackPacket = tcp.ackPacket;
    handshake.synAckToAckMs = round3(tcp.ackMs - tcp.synAckMs);
    if (client.synSeen) {
      handshake.rttMs = round3(tcp.ackMs - client.lastSynMs);
      handshake.setupMs = round3(tcp.ackMs - client.firstSynMs);
    }
  }
  const details: TcpDetails = {
    state,
    handshake,
    client: sideSummary(client, scaling),
    server: sideSummary(server, scaling),
    windowScaling: scaling,
    halfClosed: tcp.halfClosed,
  };
  if (tcp.firstFin) details.firstFin = tcp.firstFin;
  // The active closer ends in TIME-WAIT once both FINs are through; a reset skips TIME-WAIT.
  if (tcp.firstFin && client.finSeen && server.finSeen && !tcp.resetBy) details.timeWait = tcp.firstFin;
  if (tcp.resetBy) details.resetBy = tcp.resetBy;
  return details;
}
