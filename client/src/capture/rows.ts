// Packet-list lines and conversation facts for the viewer. A packet the analysis kept a row for is
// described from that row (relative sequence numbers, application labels, events); any other packet
// (ARP, beyond the row limits, undecodable) is decoded again from its bytes.
import type { Conversation, PacketRow } from '../../../server/src/capture/analysisTypes';
import type { DecodedPacket } from '../../../server/src/capture/packetTypes';
import { tcpdumpFlags } from '../../../server/src/capture/packetTypes';
import { formatBytes, formatMs } from '../../../server/src/capture/summary';
import type { PacketListRow } from './protocol';

/** The protocol column: the application protocol when this packet carries it, else the transport. */
export function rowProtocol(conv: Conversation, row: PacketRow): string {
  if (conv.transport === 'ICMP' || conv.transport === 'ICMPv6') return conv.transport;
  if (row.tlsRecords?.length) return 'TLS';
  const app = conv.app.protocol;
  if ((app === 'DNS' || app === 'mDNS') && row.label) return app;
  if (app?.startsWith('HTTP') && row.label) return app;
  return conv.transport;
}

function tcpInfo(flags: number, seq: number | undefined, ack: number | undefined, window: number | undefined, length: number): string {
  const parts = [`[${tcpdumpFlags(flags)}]`];
  if (seq !== undefined) parts.push(`seq ${seq}`);
  if (ack !== undefined && flags & 0x10) parts.push(`ack ${ack}`);
  if (window !== undefined) parts.push(`win ${window}`);
  parts.push(`length ${length}`);
  return parts.join(' ');
}

export function rowFromAnalysis(conv: Conversation, row: PacketRow): PacketListRow {
  const fromClient = row.from === 'client';
  const info: string[] = [];
  if (row.label) info.push(row.label);
  // TLS record names, unless the label already is the only one ("ClientHello").
  const records = row.tlsRecords ?? [];
  if (records.length && !(records.length === 1 && records[0] === row.label)) info.push(records.slice(0, 4).join(', ') + (records.length > 4 ? ', …' : ''));
  if (row.flags !== undefined) info.push(tcpInfo(row.flags, row.seq, row.ack, row.window, row.payloadLength));
  else if (!row.label) info.push(`length ${row.payloadLength}`);
  const line: PacketListRow = {
    number: row.number,
    timeMs: row.timeMs,
    source: fromClient ? conv.client : conv.server,
    destination: fromClient ? conv.server : conv.client,
    protocol: rowProtocol(conv, row),
    length: row.length,
    info: info.join(' · '),
    conversation: conv.index,
  };
  if (row.events?.length) line.events = [...row.events];
  return line;
}

const endpoint = (address: string, port: number | undefined): string =>
  port === undefined ? address : address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`;

/** A line for a packet decoded on its own (no conversation context: absolute sequence numbers). */
export function rowFromPacket(packet: DecodedPacket, timeMs: number | null, length: number): PacketListRow {
  const ip = packet.ip;
  const t = packet.transport;
  let source = packet.link.src ?? '';
  let destination = packet.link.dst ?? '';
  let protocol = packet.link.name;
  let info = packet.other ?? '';
  if (ip) {
    const ports = t && (t.protocol === 'TCP' || t.protocol === 'UDP') ? t : undefined;
    source = endpoint(ip.src, ports?.srcPort);
    destination = endpoint(ip.dst, ports?.dstPort);
    protocol = `IPv${ip.version}`;
    info = ip.fragment ? `fragment at offset ${ip.fragment.offset}${ip.fragment.more ? ', more follow' : ''}` : `protocol ${ip.protocol}`;
  }
  if (t?.protocol === 'TCP') {
    protocol = 'TCP';
    info = tcpInfo(t.flags, t.seq, t.ack, t.window, t.payloadLength);
  } else if (t?.protocol === 'UDP') {
    protocol = 'UDP';
    info = `length ${t.payloadLength}`;
  } else if (t) {
    protocol = t.protocol;
    info = t.description;
  }
  if (packet.problems.length) info = `${info}${info ? ' · ' : ''}malformed: ${packet.problems[0]}`;
  return { number: packet.number, timeMs, source, destination, protocol, length, info, conversation: -1 };
}

const TCP_STATES: Record<NonNullable<Conversation['tcp']>['state'], string> = {
  'syn-sent': 'SYN sent, never answered',
  'syn-received': 'SYN-ACK sent, handshake not finished',
  established: 'open at the end of the capture',
  closing: 'half closed',
  closed: 'closed',
  reset: 'reset',
  'mid-stream': 'capture started mid-connection',
};

export function tcpStateText(conv: Conversation): string | undefined {
  const tcp = conv.tcp;
  if (!tcp) return undefined;
  if (tcp.state === 'reset') return `reset by the ${tcp.resetBy ?? 'peer'}`;
  if (tcp.state === 'closed') return `closed, ${tcp.firstFin ?? 'one side'} first${tcp.timeWait ? ` (the ${tcp.timeWait} holds TIME-WAIT)` : ''}`;
  if (tcp.state === 'closing') return `half closed (the ${tcp.firstFin ?? 'peer'} sent FIN)`;
  return TCP_STATES[tcp.state];
}

/** Name/value lines that describe one conversation above its ladder. */
export function conversationFacts(conv: Conversation): Array<{ name: string; value: string }> {
  const facts: Array<{ name: string; value: string }> = [];
  const add = (name: string, value: string | undefined) => {
    if (value) facts.push({ name, value });
  };
  add('Endpoints', `${conv.client} → ${conv.server} (${conv.transport}${conv.app.protocol ? `, ${conv.app.protocol}` : ''})`);
  add('Traffic', `${conv.packets} packets (${conv.packetsFromClient} from the client, ${conv.packetsFromServer} from the server), ${formatBytes(conv.bytes)} in ${formatMs(Math.max(0, conv.endMs - conv.startMs))}`);
  const tcp = conv.tcp;
  if (tcp) {
    const h = tcp.handshake;
    if (h.rttMs !== undefined) {
      add('Handshake', `${formatMs(h.rttMs)} round trip${h.synRetransmissions ? `, after ${h.synRetransmissions} SYN retransmission${h.synRetransmissions === 1 ? '' : 's'} (setup ${formatMs(h.setupMs ?? h.rttMs)})` : ''}`);
    }
    const options = (side: typeof tcp.client) =>
      [side.mss !== undefined ? `MSS ${side.mss}` : '', side.wscale !== undefined ? `window scale ${side.wscale}` : '', side.sackPermitted ? 'SACK' : '', side.timestamps ? 'timestamps' : ''].filter(Boolean).join(', ');
    if (h.synPacket) add('Client options', options(tcp.client) || 'none');
    if (h.synAckPacket) add('Server options', options(tcp.server) || 'none');
    add('State', tcpStateText(conv));
    const retrans = tcp.client.retransmissions + tcp.server.retransmissions;
    if (retrans) add('Retransmissions', `${tcp.client.retransmissions} by the client, ${tcp.server.retransmissions} by the server`);
  }
  const hello = conv.app.tls?.clientHello;
  if (hello) add('TLS ClientHello', `${hello.version}${hello.sni ? `, server name ${hello.sni}` : ''}${hello.alpn.length ? `, ALPN ${hello.alpn.join(' ')}` : ''} (packet ${hello.packet})`);
  const serverHello = conv.app.tls?.serverHello;
  if (serverHello) add('TLS ServerHello', `${serverHello.version}${serverHello.alpn ? `, ALPN ${serverHello.alpn}` : ''} (packet ${serverHello.packet})`);
  for (const h of conv.app.http.slice(0, 8)) {
    add(h.kind === 'response' ? 'HTTP response' : 'HTTP request', h.kind === 'request' ? `${h.method ?? ''} ${h.target ?? ''}${h.host ? ` (Host ${h.host})` : ''} — packet ${h.packet}` : h.kind === 'response' ? `${h.status ?? ''} ${h.reason ?? ''} — packet ${h.packet}` : `HTTP/2 connection preface — packet ${h.packet}`);
  }
  if (conv.app.http.length > 8) add('HTTP', `… and ${conv.app.http.length - 8} more messages`);
  for (const d of conv.app.dns.slice(0, 8)) {
    const q = d.question ? `${d.question.type}? ${d.question.name}` : 'DNS message';
    const a = d.response ? (d.rcode !== 0 ? d.rcodeName : d.answers.length ? d.answers.slice(0, 4).map((x) => `${x.type} ${x.data}`).join(', ') : 'no answers') : '';
    add(d.response ? 'DNS answer' : 'DNS query', `${q}${a ? ` → ${a}` : ''} — packet ${d.packet}`);
  }
  if (conv.rowsDropped) add('Not in the ladder', `${conv.rowsDropped} later packets are counted but past the row limits; the All packets list still shows them`);
  return facts;
}
