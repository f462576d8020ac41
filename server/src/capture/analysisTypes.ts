// The analysis of a whole capture: conversations (by 4-tuple), their TCP analysis, application hints and
// events. Plain data, safe to JSON-serialise and post to a webview.

import type { ClientHelloInfo, ServerHelloInfo } from './appTls';
import type { DnsMessage } from './appDns';
import type { EventKind } from './events';
import type { CaptureFileInfo } from './fileTypes';

export type Transport = 'TCP' | 'UDP' | 'ICMP' | 'ICMPv6';
export type Side = 'client' | 'server';

export interface CaptureEvent {
  kind: EventKind;
  /** Frame number (1-based). */
  packet: number;
  lesson: string;
  /** Milliseconds since the first packet of the capture. */
  timeMs: number;
  /** Which side sent the packet the event is about. */
  by?: Side;
  detail: string;
}

export interface TcpSideSummary {
  /** Initial sequence number (from the SYN; first seq - 1 when the SYN was not captured). */
  isn?: number;
  mss?: number;
  /** Window scale shift from the SYN; undefined when the SYN had none (or was not captured). */
  wscale?: number;
  sackPermitted: boolean;
  timestamps: boolean;
  payloadBytes: number;
  packets: number;
  retransmissions: number;
  /** Largest receive window advertised, scaled, in bytes. */
  maxWindow: number;
  finPacket?: number;
  rstPacket?: number;
}

export interface TcpDetails {
  /** Where the conversation ended up. */
  state: 'syn-sent' | 'syn-received' | 'established' | 'closing' | 'closed' | 'reset' | 'mid-stream';
  handshake: {
    synPacket?: number;
    synAckPacket?: number;
    ackPacket?: number;
    /** SYN (the last one sent before the SYN-ACK) → ACK of the SYN-ACK: one full round trip. */
    rttMs?: number;
    synToSynAckMs?: number;
    synAckToAckMs?: number;
    /** First SYN → handshake ACK, retransmission waits included. */
    setupMs?: number;
    synRetransmissions: number;
  };
  client: TcpSideSummary;
  server: TcpSideSummary;
  windowScaling: boolean;
  /** Side whose FIN came first (the active closer). */
  firstFin?: Side;
  /** The active closer is the one that ends in TIME-WAIT (RFC 9293 §3.6). */
  timeWait?: Side;
  halfClosed: boolean;
  resetBy?: Side;
}

export interface HttpHint {
  packet: number;
  from: Side;
  kind: 'request' | 'response' | 'h2-preface';
  method?: string;
  target?: string;
  host?: string;
  status?: number;
  reason?: string;
  version?: string;
}

export interface DnsHint extends DnsMessage {
  packet: number;
  from: Side;
}

export interface AppHints {
  /** "HTTP/1.1", "TLS", "DNS", "HTTP/2" when recognised. */
  protocol?: string;
  http: HttpHint[];
  tls?: { clientHello?: ClientHelloInfo & { packet: number }; serverHello?: ServerHelloInfo & { packet: number } };
  dns: DnsHint[];
}

/** One packet of a conversation, as the packet list and the ladder show it. */
export interface PacketRow {
  number: number;
  timeMs: number;
  from: Side;
  /** Original frame length. */
  length: number;
  /** TCP flags bitmask. */
  flags?: number;
  /** Relative sequence/ack numbers (ISN = 0), as Wireshark shows them. */
  seq?: number;
  ack?: number;
  /** Absolute numbers, as tcpdump -S shows them. */
  rawSeq?: number;
  rawAck?: number;
  payloadLength: number;
  /** Receive window in bytes (scaled when scaling is in effect). */
  window?: number;
  /** SYN options and other notable options. */
  options?: Record<string, number | boolean>;
  /** Application-level label: "GET /", "ClientHello", "A? example.com", "echo request". */
  label?: string;
  /** TLS records that start in this segment. */
  tlsRecords?: string[];
  events?: EventKind[];
}

export interface Conversation {
  /** 0-based, in order of first packet (like Wireshark's stream index). */
  index: number;
  transport: Transport;
  ipVersion: 4 | 6;
  /** "192.0.2.1:50000", "[2001:db8::1]:443"; bare address for ICMP. */
  client: string;
  server: string;
  clientAddress: string;
  serverAddress: string;
  clientPort?: number;
  serverPort?: number;
  packets: number;
  /** Frame bytes (original lengths), both directions. */
  bytes: number;
  packetsFromClient: number;
  packetsFromServer: number;
  firstPacket: number;
  lastPacket: number;
  startMs: number;
  endMs: number;
  handshakeRttMs: number | null;
  events: CaptureEvent[];
  /** Counts by kind, including events not kept in `events` once its cap was reached. */
  eventCounts: Partial<Record<EventKind, number>>;
  tcp?: TcpDetails;
  app: AppHints;
  /** Packet rows, up to the row limit (see `rowsDropped`). */
  rows: PacketRow[];
  rowsDropped: number;
}

export interface CaptureAnalysis {
  file: CaptureFileInfo;
  packets: number;
  /** Absolute time of the first timestamped packet. */
  start?: { sec: number; nsec: number };
  durationMs: number;
  conversations: Conversation[];
  /** Packets outside any conversation: ARP, other EtherTypes, undecodable frames, held fragments. */
  otherPackets: number;
  otherKinds: Record<string, number>;
  /** Packets with malformed headers (details in warnings). */
  malformedPackets: number;
  warnings: string[];
  /** Why reading stopped early (from the reader), or null. */
  error: string | null;
}
