// A captured conversation as a ladder diagram (docs/diagram-format.md, kind "sequence", timeUnit "us"), for
// the capture viewer to draw with the lessons' renderer. A capture has one vantage point, so send and
// arrival times are estimated: the handshake shows on which side the capture was taken (the long gap is the
// network round trip seen from there) and half of that gap is used as the one-way delay. Without a
// handshake, arrows are drawn flat (sent and captured at the same instant).

import type { Host, HostState, Message, Phase, SequenceDiagram, Span, TcpFlag } from '../diagrams/types';
import type { Conversation, PacketRow, Side } from './analysisTypes';
import { EVENT_LESSONS, EVENT_TITLES } from './events';
import { TCP_ACK, TCP_CWR, TCP_ECE, TCP_FIN, TCP_PSH, TCP_RST, TCP_SYN, TCP_URG } from './packetTypes';

export interface LadderOptions {
  /** First packet row to draw (index into conversation.rows). Default 0. */
  fromRow?: number;
  /** Most messages drawn (default 80); the viewer pages through longer conversations. */
  maxMessages?: number;
  /** Diagram id (default "capture-conversation-<index>"). */
  id?: string;
}

const FLAG_BITS: Array<[number, TcpFlag]> = [
  [TCP_SYN, 'SYN'],
  [TCP_ACK, 'ACK'],
  [TCP_FIN, 'FIN'],
  [TCP_RST, 'RST'],
  [TCP_PSH, 'PSH'],
  [TCP_URG, 'URG'],
  [TCP_ECE, 'ECE'],
  [TCP_CWR, 'CWR'],
];

const round = (us: number): number => Math.round(us * 1000) / 1000;

/** One-way delay (ms) and which side the capture sits next to, from the handshake timings. */
function vantage(conv: Conversation): { nearSide: Side; oneWayMs: number } {
  const h = conv.tcp?.handshake;
  if (!h || h.synToSynAckMs === undefined || h.synAckToAckMs === undefined) return { nearSide: 'client', oneWayMs: 0 };
  const a = Math.max(0, h.synToSynAckMs);
  const b = Math.max(0, h.synAckToAckMs);
  return a >= b ? { nearSide: 'client', oneWayMs: a / 2 } : { nearSide: 'server', oneWayMs: b / 2 };
}

function proto(conv: Conversation, row: PacketRow): string {
  if (conv.transport === 'ICMP' || conv.transport === 'ICMPv6') return conv.transport;
  if (row.tlsRecords?.length) return 'TLS';
  if (conv.app.protocol === 'DNS' || conv.app.protocol === 'mDNS') return row.label ? 'DNS' : conv.transport;
  if (conv.app.protocol?.startsWith('HTTP/1') && row.label && conv.app.http.some((h) => h.packet === row.number)) return conv.app.protocol;
  return conv.transport;
}

function phaseOf(conv: Conversation, row: PacketRow, messageProto: string): Phase | undefined {
  const flags = row.flags ?? 0;
  if (flags & (TCP_FIN | TCP_RST)) return 'close';
  if (flags & TCP_SYN) return 'tcp';
  if (conv.tcp && conv.tcp.handshake.ackPacket === row.number) return 'tcp';
  if (messageProto === 'DNS') return 'dns';
  if (messageProto === 'TLS') {
    const records = row.tlsRecords ?? [];
    if (records.some((r) => r !== 'Application Data')) return 'tls';
    return row.from === 'client' ? 'request' : 'response';
  }
  if (messageProto.startsWith('HTTP')) return row.from === 'client' ? 'request' : 'response';
  return undefined;
}

function serverLabel(conv: Conversation): string {
  const host = conv.app.tls?.clientHello?.sni ?? conv.app.http.find((h) => h.host)?.host;
  return host ?? 'server';
}

/**
 * The ladder for `conv`, or undefined when it has no packet rows to draw (rows are kept unless the analysis
 * ran with `maxRowsPerConversation: 0`, as the CLI summary does).
 */
export function conversationLadder(conv: Conversation, options: LadderOptions = {}): SequenceDiagram | undefined {
  const from = Math.max(0, options.fromRow ?? 0);
  const rows = conv.rows.slice(from, from + Math.max(1, options.maxMessages ?? 80));
  if (rows.length === 0) return undefined;
  const { nearSide, oneWayMs } = vantage(conv);
  const hostOf = (side: Side): string => (side === 'client' ? 'c' : 's');
  // Capture time → send/arrival: packets from the near side were captured as they left; the others as they arrived.
  const timing = rows.map((row) => {
    const capturedUs = row.timeMs * 1000;
    const delayUs = oneWayMs * 1000;
    return row.from === nearSide ? { send: capturedUs, arrive: capturedUs + delayUs } : { send: capturedUs - delayUs, arrive: capturedUs };
  });
  const baseUs = Math.min(...timing.map((t) => t.send), Infinity);
  const order = rows.map((_, i) => i).sort((a, b) => timing[a]!.send - timing[b]!.send || a - b);

  const messages: Message[] = [];
  const bySeq = new Map<string, number>();
  const timeOfRow = new Map<number, { send: number; arrive: number; from: Side }>();
  for (const i of order) {
    const row = rows[i]!;
    const t = round(timing[i]!.send - baseUs);
    const arrive = round(timing[i]!.arrive - baseUs);
    timeOfRow.set(row.number, { send: t, arrive, from: row.from });
    const messageProto = proto(conv, row);
    const message: Message = { t, arrive, from: hostOf(row.from), to: hostOf(row.from === 'client' ? 'server' : 'client'), proto: messageProto, frame: row.number };
    if (row.flags !== undefined) {
      const flags = FLAG_BITS.filter(([bit]) => row.flags! & bit).map(([, name]) => name);
      if (flags.length) message.flags = flags;
      if (row.seq !== undefined) message.seq = row.seq;
      if (row.ack !== undefined) message.ack = row.ack;
      if (row.window !== undefined) message.win = row.window;
    }
    message.len = row.payloadLength;
    if (row.options && Object.keys(row.options).length) message.opts = { ...row.options };
    if (row.label) message.label = row.label;
    if (row.tlsRecords && row.tlsRecords.length > 1) message.encapsulates = row.tlsRecords.slice(0, 12).map((r) => ({ proto: 'TLS', label: r }));
    const phase = phaseOf(conv, row, messageProto);
    if (phase) message.phase = phase;
    if (row.events?.length) {
      message.note = row.events.map((k) => EVENT_TITLES[k]).join('; ');
      message.lesson = EVENT_LESSONS[row.events[0]!];
      const retransmitted = row.events.some((k) => k === 'retransmission' || k === 'spurious-retransmission' || k === 'syn-retransmission');
      const original = bySeq.get(`${row.from}|${row.seq}`);
      if (retransmitted && original !== undefined) message.retransmitOf = original;
    }
    if (row.seq !== undefined && (row.payloadLength > 0 || (row.flags ?? 0) & (TCP_SYN | TCP_FIN)) && !bySeq.has(`${row.from}|${row.seq}`)) {
      bySeq.set(`${row.from}|${row.seq}`, messages.length);
    }
    messages.push(message);
  }

  const hosts: Host[] = [
    { id: 'c', label: 'client', addr: conv.client, role: 'client' },
    { id: 's', label: serverLabel(conv), addr: conv.server, role: 'server' },
  ];
  const diagram: SequenceDiagram = {
    kind: 'sequence',
    version: 1,
    id: options.id ?? `capture-conversation-${conv.index}`,
    title: `${conv.app.protocol ?? conv.transport} ${conv.client} → ${conv.server}`,
    description:
      `${conv.transport} conversation as captured: packets ${rows[0]?.number ?? '-'}–${rows[rows.length - 1]?.number ?? '-'} of ${conv.packets}. ` +
      (oneWayMs > 0 ? `Captured next to the ${nearSide}; one-way delay estimated from the handshake as ${oneWayMs.toFixed(3)} ms.` : 'Arrows are drawn at capture time (no handshake to estimate delays from).'),
    timeUnit: 'us',
    hosts,
    messages,
  };

  const spans: Span[] = [];
  const states: HostState[] = [];
  const tcp = conv.tcp;
  if (tcp) {
    const h = tcp.handshake;
    const syn = h.synPacket !== undefined ? timeOfRow.get(h.synPacket) : undefined;
    const synAck = h.synAckPacket !== undefined ? timeOfRow.get(h.synAckPacket) : undefined;
    const ack = h.ackPacket !== undefined ? timeOfRow.get(h.ackPacket) : undefined;
    if (syn && ack && h.rttMs !== undefined) spans.push({ from: syn.send, to: Math.max(syn.send, ack.send), label: `handshake: ${h.rttMs} ms`, kind: 'handshake' });
    if (syn) states.push({ host: 'c', t: syn.send, state: 'SYN-SENT' });
    if (syn && synAck) states.push({ host: 's', t: syn.arrive, state: 'SYN-RECEIVED' });
    if (synAck) states.push({ host: 'c', t: synAck.arrive, state: 'ESTABLISHED' });
    if (ack) states.push({ host: 's', t: ack.arrive, state: 'ESTABLISHED' });
    const closer = tcp.firstFin;
    if (closer) {
      const other: Side = closer === 'client' ? 'server' : 'client';
      const firstFin = tcp[closer].finPacket !== undefined ? timeOfRow.get(tcp[closer].finPacket!) : undefined;
      const secondFin = tcp[other].finPacket !== undefined ? timeOfRow.get(tcp[other].finPacket!) : undefined;
      if (firstFin) {
        states.push({ host: hostOf(closer), t: firstFin.send, state: 'FIN-WAIT-1' });
        states.push({ host: hostOf(other), t: firstFin.arrive, state: 'CLOSE-WAIT' });
      }
      if (secondFin) {
        states.push({ host: hostOf(other), t: secondFin.send, state: 'LAST-ACK' });
        if (tcp.timeWait) states.push({ host: hostOf(closer), t: secondFin.arrive, state: 'TIME-WAIT' });
      }
    }
    if (tcp.resetBy) {
      const rst = tcp[tcp.resetBy].rstPacket !== undefined ? timeOfRow.get(tcp[tcp.resetBy].rstPacket!) : undefined;
      if (rst) {
        states.push({ host: hostOf(tcp.resetBy), t: rst.send, state: 'CLOSED' });
        states.push({ host: hostOf(tcp.resetBy === 'client' ? 'server' : 'client'), t: rst.arrive, state: 'CLOSED' });
      }
    }
  }
  if (spans.length) diagram.spans = spans;
  if (states.length) diagram.states = states.sort((a, b) => Number(a.t) - Number(b.t));
  return diagram;
}
