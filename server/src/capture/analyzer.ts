// Streams decoded packets into conversations. Feed it records with `addRecord` (it never throws), then
// `finish` with the reader's file info to get the CaptureAnalysis.

import type { CaptureAnalysis, PacketRow, Side, Transport } from './analysisTypes';
import { DNS_PORTS, inspectTcpPayload, inspectUdpPayload, type PrefixBudget } from './appAnalysis';
import { PacketDecoder } from './decode';
import type { CaptureFileInfo, CaptureRecord } from './fileTypes';
import { DEFAULT_REASSEMBLY_LIMITS, type ReassemblyLimits } from './fragments';
import { ConversationState, DEFAULT_ANALYZER_LIMITS, round3, type AnalyzerLimits, type SharedCounters } from './conversationState';
import { TCP_ACK, TCP_SYN, type DecodedPacket, type IcmpInfo, type IpInfo, type TcpOptions } from './packetTypes';
import { trackTcp } from './tcpAnalysis';
import { msBetween } from './timestamps';
import { u16 } from './bytes';

export interface AnalyzerOptions {
  limits?: Partial<AnalyzerLimits>;
  reassembly?: Partial<ReassemblyLimits>;
  /** Connection setup (first SYN → ACK) at least this long is reported as a slow handshake. Default 200 ms. */
  slowHandshakeMs?: number;
}

interface FragmentCredit {
  packets: number;
  bytes: number;
}

const MAX_WARNINGS = 100;
const MAX_FRAGMENT_CREDITS = 1024;

export class CaptureAnalyzer {
  private readonly limits: AnalyzerLimits;
  private readonly decoder: PacketDecoder;
  private readonly slowHandshakeMs: number;
  private readonly conversations: ConversationState[] = [];
  private readonly byKey = new Map<string, ConversationState>();
  private readonly budget: PrefixBudget = { held: 0 };
  private readonly fragmentCredits = new Map<string, FragmentCredit>();
  private readonly otherKinds: Record<string, number> = {};
  private readonly warnings: string[] = [];
  private warningsDropped = 0;
  private start: { sec: number; nsec: number } | undefined;
  private lastMs = 0;
  private maxMs = 0;
  private packets = 0;
  private otherPackets = 0;
  private malformedPackets = 0;
  private rowsKept = 0;
  private conversationLimitWarned = false;
  private lastConversation: ConversationState | undefined;
  private readonly shared: SharedCounters = { events: 0, hints: 0 };

  constructor(options: AnalyzerOptions = {}) {
    this.limits = { ...DEFAULT_ANALYZER_LIMITS, ...options.limits };
    this.decoder = new PacketDecoder({ reassembly: { ...DEFAULT_REASSEMBLY_LIMITS, ...options.reassembly }, linkAddresses: false });
    this.slowHandshakeMs = options.slowHandshakeMs ?? 200;
  }

  addRecord(record: CaptureRecord): void {
    try {
      this.packets++;
      const timeMs = this.relativeTime(record);
      const packet = this.decoder.decode(record);
      this.addPacket(packet, timeMs);
    } catch (error) {
      this.warn(`packet ${record.number}: analysis error: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private relativeTime(record: CaptureRecord): number {
    if (!record.hasTimestamp) return this.lastMs;
    if (!this.start) this.start = { sec: record.tsSec, nsec: record.tsNsec };
    const ms = msBetween(this.start.sec, this.start.nsec, record.tsSec, record.tsNsec);
    this.lastMs = Number.isFinite(ms) ? ms : this.lastMs;
    if (this.lastMs > this.maxMs) this.maxMs = this.lastMs;
    return this.lastMs;
  }

  private warn(message: string): void {
    if (this.warnings.length < MAX_WARNINGS) this.warnings.push(message);
    else this.warningsDropped++;
  }

  private other(kind: string): void {
    this.otherPackets++;
    // at most 64 distinct kinds: a hostile capture could otherwise invent one per packet
    const key = kind in this.otherKinds || Object.keys(this.otherKinds).length < 64 ? kind : 'other';
    this.otherKinds[key] = (this.otherKinds[key] ?? 0) + 1;
  }

  private addPacket(packet: DecodedPacket, timeMs: number): void {
    if (packet.problems.length > 0) {
      this.malformedPackets++;
      this.warn(`packet ${packet.number}: ${packet.problems.join('; ')}`);
    }
    const ip = packet.ip;
    if (!ip) {
      this.other(packet.other ? (packet.other.startsWith('ARP') ? 'ARP' : packet.other) : `${packet.link.name} frame without IP`);
      return;
    }
    const transport = packet.transport;
    if (!transport) {
      if (ip.fragment) this.creditFragment(packet, ip);
      else this.other(`IP protocol ${ip.protocol}`);
      return;
    }
    if (transport.protocol !== 'TCP' && transport.protocol !== 'UDP') {
      this.addIcmp(packet, ip, transport, timeMs);
      return;
    }

    const kind: Transport = transport.protocol;
    const conv = this.conversationFor(kind, ip, transport.srcPort, transport.dstPort, packet);
    if (!conv) return;
    const from: Side = conv.isFromClient(ip.src, transport.srcPort) ? 'client' : 'server';
    const row = this.count(conv, packet, from, timeMs);
    if (ip.reassembledLength !== undefined) this.fragmentEvent(conv, packet, ip, from, timeMs, row);

    if (transport.protocol === 'TCP') {
      row.flags = transport.flags;
      row.payloadLength = transport.payloadLength;
      if (transport.flags & TCP_SYN) row.options = synOptions(transport.options);
      const step = trackTcp(conv, transport, from, packet.number, timeMs, row, { slowHandshakeMs: this.slowHandshakeMs });
      const side = from === 'client' ? conv.tcp!.client : conv.tcp!.server;
      inspectTcpPayload(conv, from, side, packet.payload, step, packet.number, row, this.limits, this.budget);
    } else {
      row.payloadLength = transport.payloadLength;
      inspectUdpPayload(conv, from, packet.payload, transport.srcPort, transport.dstPort, packet.number, timeMs, row);
    }
  }

  /** Counts the packet in the conversation and returns its row (stored if the row limits allow). */
  private count(conv: ConversationState, packet: DecodedPacket, from: Side, timeMs: number): PacketRow {
    conv.packets++;
    conv.bytes += packet.originalLength;
    if (from === 'client') conv.packetsFromClient++;
    else conv.packetsFromServer++;
    if (!conv.firstPacket) {
      conv.firstPacket = packet.number;
      conv.startMs = timeMs;
    }
    conv.lastPacket = packet.number;
    conv.endMs = timeMs;
    const row: PacketRow = { number: packet.number, timeMs: round3(timeMs), from, length: packet.originalLength, payloadLength: 0 };
    if (conv.rows.length < this.limits.maxRowsPerConversation && this.rowsKept < this.limits.maxRowsTotal) {
      conv.rows.push(row);
      this.rowsKept++;
    } else {
      conv.rowsDropped++;
    }
    return row;
  }

  private conversationFor(kind: Transport, ip: IpInfo, srcPort: number | undefined, dstPort: number | undefined, packet: DecodedPacket): ConversationState | undefined {
    // Consecutive packets usually belong to the same conversation: check it before building a map key.
    const last = this.lastConversation;
    if (
      last && last.transport === kind &&
      ((last.clientAddress === ip.src && last.clientPort === srcPort && last.serverAddress === ip.dst && last.serverPort === dstPort) ||
        (last.clientAddress === ip.dst && last.clientPort === dstPort && last.serverAddress === ip.src && last.serverPort === srcPort)) &&
      !(kind === 'TCP' && this.startsNewConnection(last, packet, ip, srcPort))
    ) {
      return last;
    }
    const found = this.lookupConversation(kind, ip, srcPort, dstPort, packet);
    if (found) this.lastConversation = found;
    return found;
  }

  private lookupConversation(kind: Transport, ip: IpInfo, srcPort: number | undefined, dstPort: number | undefined, packet: DecodedPacket): ConversationState | undefined {
    const a = `${ip.src}|${srcPort ?? ''}`;
    const b = `${ip.dst}|${dstPort ?? ''}`;
    const key = `${kind}|${a < b ? a : b}|${a < b ? b : a}`;
    let conv = this.byKey.get(key);
    if (conv && kind === 'TCP' && this.startsNewConnection(conv, packet, ip, srcPort)) conv = undefined;
    if (conv) return conv;
    if (this.conversations.length >= this.limits.maxConversations) {
      if (!this.conversationLimitWarned) {
        this.conversationLimitWarned = true;
        this.warn(`more than ${this.limits.maxConversations} conversations: later ones are counted as other packets`);
      }
      this.other('conversation limit reached');
      return undefined;
    }
    const [clientIsSource] = this.clientIsSource(kind, packet, srcPort, dstPort);
    conv = new ConversationState(
      this.conversations.length,
      key,
      kind,
      ip.version,
      clientIsSource ? ip.src : ip.dst,
      clientIsSource ? srcPort : dstPort,
      clientIsSource ? ip.dst : ip.src,
      clientIsSource ? dstPort : srcPort,
      this.limits,
      this.shared,
    );
    this.conversations.push(conv);
    this.byKey.set(key, conv);
    return conv;
  }

  /** A SYN that is not a retransmission of the conversation's SYN opens a new connection on the same 4-tuple. */
  private startsNewConnection(conv: ConversationState, packet: DecodedPacket, ip: IpInfo, srcPort: number | undefined): boolean {
    const tcp = packet.transport;
    if (!tcp || tcp.protocol !== 'TCP' || (tcp.flags & (TCP_SYN | TCP_ACK)) !== TCP_SYN) return false;
    const state = conv.tcp!;
    const fromClient = conv.isFromClient(ip.src, srcPort);
    const side = fromClient ? state.client : state.server;
    return !(side.synSeen && side.isn === tcp.seq);
  }

  /**
   * Who is the client: the side that sent the SYN; the side a SYN-ACK goes to; the side asking a DNS
   * question; otherwise the first sender.
   */
  private clientIsSource(kind: Transport, packet: DecodedPacket, srcPort: number | undefined, dstPort: number | undefined): [boolean] {
    const tcp = packet.transport;
    if (kind === 'TCP' && tcp && tcp.protocol === 'TCP') {
      if ((tcp.flags & (TCP_SYN | TCP_ACK)) === (TCP_SYN | TCP_ACK)) return [false];
      return [true];
    }
    if (kind === 'UDP' && (DNS_PORTS.includes(srcPort ?? -1) || DNS_PORTS.includes(dstPort ?? -1)) && packet.payload.length >= 4) {
      const isResponse = (u16(packet.payload, 2) & 0x8000) !== 0;
      return [!isResponse];
    }
    return [true];
  }

  private addIcmp(packet: DecodedPacket, ip: IpInfo, icmp: IcmpInfo, timeMs: number): void {
    const kind: Transport = icmp.protocol;
    const conv = this.conversationFor(kind, ip, undefined, undefined, packet);
    if (!conv) return;
    const from: Side = conv.isFromClient(ip.src, undefined) ? 'client' : 'server';
    const row = this.count(conv, packet, from, timeMs);
    row.payloadLength = packet.payload.length;
    row.label = icmp.id !== undefined ? `${icmp.description} id=${icmp.id} seq=${icmp.sequence}` : icmp.mtu !== undefined ? `${icmp.description}, MTU ${icmp.mtu}` : icmp.description;
    const quoted = icmp.quoted;
    if (!quoted) return;
    const errorKind = icmp.mtu !== undefined || (icmp.protocol === 'ICMPv6' && icmp.type === 2) ? 'fragmentation-needed'
      : (icmp.protocol === 'ICMP' && icmp.type === 3 && icmp.code === 3) || (icmp.protocol === 'ICMPv6' && icmp.type === 1 && icmp.code === 4) ? 'port-unreachable'
      : (icmp.protocol === 'ICMP' && icmp.type === 3) || (icmp.protocol === 'ICMPv6' && icmp.type === 1) ? 'host-unreachable'
      : undefined;
    if (!errorKind) return;
    // Attach the event to the flow the error is about, if it is in the capture.
    const transportName = quoted.protocol === 6 ? 'TCP' : quoted.protocol === 17 ? 'UDP' : undefined;
    let target: ConversationState | undefined;
    if (transportName) {
      const a = `${quoted.src}|${quoted.srcPort ?? ''}`;
      const b = `${quoted.dst}|${quoted.dstPort ?? ''}`;
      target = this.byKey.get(`${transportName}|${a < b ? a : b}|${a < b ? b : a}`);
    }
    const flow = `${quoted.src}${quoted.srcPort !== undefined ? `:${quoted.srcPort}` : ''} → ${quoted.dst}${quoted.dstPort !== undefined ? `:${quoted.dstPort}` : ''}`;
    const detail = `${ip.src} reports ${icmp.description}${icmp.mtu !== undefined ? ` (next-hop MTU ${icmp.mtu})` : ''} for ${flow}`;
    (target ?? conv).addEvent(errorKind, packet.number, timeMs, target ? (target.isFromClient(quoted.dst, quoted.dstPort) ? 'client' : 'server') : from, detail, target ? undefined : row);
    if (target) (row.events ??= []).push(errorKind);
  }

  private fragmentKey(ip: IpInfo): string {
    return `${ip.version}|${ip.src}|${ip.dst}|${ip.protocol}|${ip.fragment?.id ?? 0}`;
  }

  private creditFragment(packet: DecodedPacket, ip: IpInfo): void {
    const key = this.fragmentKey(ip);
    let credit = this.fragmentCredits.get(key);
    if (!credit) {
      if (this.fragmentCredits.size >= MAX_FRAGMENT_CREDITS) {
        const oldest = this.fragmentCredits.keys().next().value;
        if (oldest !== undefined) {
          const lost = this.fragmentCredits.get(oldest)!;
          this.otherPackets += lost.packets;
          this.otherKinds['IP fragment (never completed)'] = (this.otherKinds['IP fragment (never completed)'] ?? 0) + lost.packets;
          this.fragmentCredits.delete(oldest);
        }
      }
      credit = { packets: 0, bytes: 0 };
      this.fragmentCredits.set(key, credit);
    }
    credit.packets++;
    credit.bytes += packet.originalLength;
  }

  private fragmentEvent(conv: ConversationState, packet: DecodedPacket, ip: IpInfo, from: Side, timeMs: number, row: PacketRow): void {
    const key = this.fragmentKey(ip);
    const credit = this.fragmentCredits.get(key);
    if (credit) {
      conv.packets += credit.packets;
      conv.bytes += credit.bytes;
      if (from === 'client') conv.packetsFromClient += credit.packets;
      else conv.packetsFromServer += credit.packets;
      this.fragmentCredits.delete(key);
    }
    const pieces = (credit?.packets ?? 0) + 1;
    conv.addEvent('ip-fragmented', packet.number, timeMs, from, `a ${ip.reassembledLength}-byte IPv${ip.version} datagram arrived in ${pieces} fragments`, row);
  }

  finish(file: CaptureFileInfo): CaptureAnalysis {
    for (const credit of this.fragmentCredits.values()) {
      this.otherPackets += credit.packets;
      this.otherKinds['IP fragment (never completed)'] = (this.otherKinds['IP fragment (never completed)'] ?? 0) + credit.packets;
    }
    this.fragmentCredits.clear();
    for (const conv of this.conversations) finishConversation(conv, this.slowHandshakeMs);
    const warnings = [...file.warnings, ...this.warnings];
    if (this.warningsDropped > 0) warnings.push(`… and ${this.warningsDropped} more packet warnings`);
    const analysis: CaptureAnalysis = {
      file,
      packets: file.packets,
      durationMs: round3(this.maxMs),
      conversations: this.conversations.map((c) => c.toConversation()),
      otherPackets: this.otherPackets,
      otherKinds: this.otherKinds,
      malformedPackets: this.malformedPackets,
      warnings,
      error: file.error,
    };
    if (this.start) analysis.start = this.start;
    return analysis;
  }
}

/** End-of-capture checks: handshakes that never completed. */
function finishConversation(conv: ConversationState, _slowHandshakeMs: number): void {
  const tcp = conv.tcp;
  if (!tcp || tcp.handshakeDone || tcp.resetBy || !tcp.client.synSeen) return;
  const waited = conv.endMs - tcp.client.firstSynMs;
  conv.addEvent('handshake-incomplete', tcp.client.synPacket, tcp.client.firstSynMs, 'client', tcp.synAckPacket
    ? 'the SYN-ACK was never acknowledged in this capture'
    : `no SYN-ACK came back${waited > 0 ? ` in ${waited.toFixed(1)} ms` : ''}: the server is unreachable, filtered, or its SYN queue is full`);
}

function synOptions(options: TcpOptions): Record<string, number | boolean> {
  const out: Record<string, number | boolean> = {};
  if (options.mss !== undefined) out.mss = options.mss;
  if (options.wscale !== undefined) out.wscale = options.wscale;
  if (options.sackPermitted) out.sackOk = true;
  if (options.tsVal !== undefined) out.ts = true;
  if (options.fastOpen) out.tfo = true;
  return out;
}
