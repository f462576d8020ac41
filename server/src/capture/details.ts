// Per-packet details for the viewer's packet pane: one layer per protocol with its fields and the byte range
// each occupies in the frame (for hex highlighting). Works from the captured bytes again, so the viewer
// can decode any single packet on demand (the analysis does not keep packet bytes).

import { dnsLabel, parseDns } from './appDns';
import { httpLabel, parseHttpStart } from './appHttp';
import { TlsRecordWalker } from './appTls';
import { u16, u32, u8 } from './bytes';
import type { CaptureRecord } from './fileTypes';
import { decodeLink, ETHERTYPE_IPV4, ETHERTYPE_IPV6 } from './linkLayer';
import { PacketDecoder } from './decode';
import { tcpFlagsText } from './packetTypes';
import { DNS_PORTS } from './appAnalysis';

export interface DetailField {
  name: string;
  value: string;
  /** Byte range in the frame, end exclusive. */
  start?: number;
  end?: number;
}

export interface DetailLayer {
  name: string;
  start: number;
  end: number;
  fields: DetailField[];
}

const PROTOCOL_NAMES: Record<number, string> = { 1: 'ICMP', 6: 'TCP', 17: 'UDP', 58: 'ICMPv6', 50: 'ESP', 51: 'AH', 47: 'GRE', 132: 'SCTP' };

/** The layers of one captured packet. Never throws; a malformed packet yields fewer layers plus a "Problems" layer. */
export function packetDetails(record: CaptureRecord): DetailLayer[] {
  const layers: DetailLayer[] = [];
  try {
    collect(record, layers);
  } catch (error) {
    layers.push({ name: 'Problems', start: 0, end: 0, fields: [{ name: 'decoder error', value: error instanceof Error ? error.message : String(error) }] });
  }
  return layers;
}

function collect(record: CaptureRecord, layers: DetailLayer[]): void {
  const data = record.data;
  const frame: DetailField[] = [
    { name: 'Number', value: String(record.number) },
    { name: 'Captured length', value: `${record.capturedLength} bytes` },
    { name: 'Length on the wire', value: `${record.originalLength} bytes` },
  ];
  if (record.hasTimestamp) frame.splice(1, 0, { name: 'Time', value: `${record.tsSec}.${String(record.tsNsec).padStart(9, '0')} s` });
  for (const c of record.comments ?? []) frame.push({ name: 'Comment', value: c });
  layers.push({ name: `Frame ${record.number}`, start: 0, end: data.length, fields: frame });

  const decoded = new PacketDecoder().decode(record);
  const link = decodeLink(record.linkType, data);
  const linkFields: DetailField[] = [];
  if (link.link.dst) linkFields.push({ name: 'Destination', value: link.link.dst, start: 0, end: 6 });
  if (link.link.src) linkFields.push({ name: 'Source', value: link.link.src, ...(record.linkType === 1 ? { start: 6, end: 12 } : {}) });
  for (const vlan of link.link.vlans ?? []) linkFields.push({ name: '802.1Q VLAN', value: String(vlan) });
  if (link.link.packetType) linkFields.push({ name: 'Packet type', value: link.link.packetType });
  if (link.link.protocol !== undefined) linkFields.push({ name: record.linkType === 0 || record.linkType === 108 ? 'Address family' : 'Protocol', value: `0x${link.link.protocol.toString(16).padStart(4, '0')}` });
  layers.push({ name: link.link.name, start: 0, end: link.offset, fields: linkFields });
  if (decoded.other) layers.push({ name: 'Payload', start: link.offset, end: data.length, fields: [{ name: 'Description', value: decoded.other }] });

  const ip = decoded.ip;
  if (ip && (link.protocol === ETHERTYPE_IPV4 || link.protocol === ETHERTYPE_IPV6)) {
    const at = link.offset;
    const f: DetailField[] = [];
    if (ip.version === 4) {
      f.push(
        { name: 'Header length', value: `${ip.headerLength} bytes`, start: at, end: at + 1 },
        { name: 'DSCP / ECN', value: `${ip.dscp} / ${ip.ecn}`, start: at + 1, end: at + 2 },
        { name: 'Total length', value: String(u16(data, at + 2)), start: at + 2, end: at + 4 },
        { name: 'Identification', value: `0x${u16(data, at + 4).toString(16).padStart(4, '0')}`, start: at + 4, end: at + 6 },
        { name: 'Flags', value: [ip.dontFragment ? "Don't fragment" : '', ip.fragment?.more ? 'More fragments' : ''].filter(Boolean).join(', ') || 'none', start: at + 6, end: at + 7 },
        { name: 'Fragment offset', value: String(ip.fragment?.offset ?? 0), start: at + 6, end: at + 8 },
        { name: 'Time to live', value: String(ip.ttl), start: at + 8, end: at + 9 },
        { name: 'Protocol', value: `${PROTOCOL_NAMES[u8(data, at + 9)] ?? 'other'} (${u8(data, at + 9)})`, start: at + 9, end: at + 10 },
        { name: 'Header checksum', value: `0x${u16(data, at + 10).toString(16).padStart(4, '0')} (not verified)`, start: at + 10, end: at + 12 },
        { name: 'Source', value: ip.src, start: at + 12, end: at + 16 },
        { name: 'Destination', value: ip.dst, start: at + 16, end: at + 20 },
      );
    } else {
      f.push(
        { name: 'Traffic class', value: `DSCP ${ip.dscp}, ECN ${ip.ecn}`, start: at, end: at + 2 },
        { name: 'Flow label', value: `0x${(u32(data, at) & 0xfffff).toString(16).padStart(5, '0')}`, start: at + 1, end: at + 4 },
        { name: 'Payload length', value: String(u16(data, at + 4)), start: at + 4, end: at + 6 },
        { name: 'Next header', value: String(u8(data, at + 6)), start: at + 6, end: at + 7 },
        { name: 'Hop limit', value: String(ip.ttl), start: at + 7, end: at + 8 },
        { name: 'Source', value: ip.src, start: at + 8, end: at + 24 },
        { name: 'Destination', value: ip.dst, start: at + 24, end: at + 40 },
      );
      if (ip.extensionHeaders) f.push({ name: 'Extension headers', value: ip.extensionHeaders.join(', '), start: at + 40, end: at + ip.headerLength });
      if (ip.fragment) f.push({ name: 'Fragment', value: `offset ${ip.fragment.offset}, id 0x${ip.fragment.id.toString(16)}${ip.fragment.more ? ', more follow' : ''}` });
    }
    if (ip.reassembledLength !== undefined) f.push({ name: 'Reassembled datagram', value: `${ip.reassembledLength} bytes` });
    layers.push({ name: ip.version === 4 ? 'Internet Protocol version 4' : 'Internet Protocol version 6', start: at, end: Math.min(data.length, at + ip.headerLength), fields: f });

    transportLayers(decoded, data, at + ip.headerLength, ip.reassembledLength !== undefined, layers);
  }
  if (decoded.problems.length) layers.push({ name: 'Problems', start: 0, end: 0, fields: decoded.problems.map((p) => ({ name: 'problem', value: p })) });
}

function transportLayers(decoded: ReturnType<PacketDecoder['decode']>, data: Uint8Array, at: number, reassembled: boolean, layers: DetailLayer[]): void {
  const t = decoded.transport;
  if (!t) return;
  // byte ranges only when the header lies in this frame (not for a reassembled datagram)
  const range = (from: number, to: number): { start?: number; end?: number } => (reassembled ? {} : { start: at + from, end: at + to });
  if (t.protocol === 'TCP') {
    const f: DetailField[] = [
      { name: 'Source port', value: String(t.srcPort), ...range(0, 2) },
      { name: 'Destination port', value: String(t.dstPort), ...range(2, 4) },
      { name: 'Sequence number (raw)', value: String(t.seq), ...range(4, 8) },
      { name: 'Acknowledgment number (raw)', value: String(t.ack), ...range(8, 12) },
      { name: 'Header length', value: `${t.headerLength} bytes`, ...range(12, 13) },
      { name: 'Flags', value: tcpFlagsText(t.flags) || 'none', ...range(12, 14) },
      { name: 'Window (raw)', value: String(t.window), ...range(14, 16) },
      { name: 'Urgent pointer', value: String(t.urgentPointer), ...range(18, 20) },
    ];
    const o = t.options;
    const opts = [
      o.mss !== undefined ? `MSS ${o.mss}` : '',
      o.wscale !== undefined ? `window scale ${o.wscale} (×${2 ** o.wscale})` : '',
      o.sackPermitted ? 'SACK permitted' : '',
      o.sack ? `SACK ${o.sack.map(([l, r]) => `${l}-${r}`).join(' ')}` : '',
      o.tsVal !== undefined ? `timestamps ${o.tsVal}/${o.tsEcr}` : '',
      o.fastOpen ? 'TCP Fast Open' : '',
      o.mptcp ? 'MPTCP' : '',
      o.malformed ? 'malformed option list' : '',
    ].filter(Boolean);
    if (opts.length) f.push({ name: 'Options', value: opts.join(', '), ...range(20, t.headerLength) });
    f.push({ name: 'Payload', value: `${t.payloadLength} bytes` });
    layers.push({ name: 'Transmission Control Protocol', start: reassembled ? 0 : at, end: reassembled ? 0 : Math.min(data.length, at + t.headerLength), fields: f });
    appLayer(decoded.payload, t.srcPort, t.dstPort, true, reassembled ? -1 : at + t.headerLength, layers);
  } else if (t.protocol === 'UDP') {
    layers.push({
      name: 'User Datagram Protocol',
      start: reassembled ? 0 : at,
      end: reassembled ? 0 : Math.min(data.length, at + 8),
      fields: [
        { name: 'Source port', value: String(t.srcPort), ...range(0, 2) },
        { name: 'Destination port', value: String(t.dstPort), ...range(2, 4) },
        { name: 'Length', value: String(t.length), ...range(4, 6) },
        { name: 'Checksum', value: `0x${u16(data, at + 6).toString(16).padStart(4, '0')} (not verified)`, ...range(6, 8) },
      ],
    });
    appLayer(decoded.payload, t.srcPort, t.dstPort, false, reassembled ? -1 : at + 8, layers);
  } else {
    const f: DetailField[] = [
      { name: 'Type', value: `${t.type} (${t.description})`, ...range(0, 1) },
      { name: 'Code', value: String(t.code), ...range(1, 2) },
    ];
    if (t.id !== undefined) f.push({ name: 'Identifier / sequence', value: `${t.id} / ${t.sequence}`, ...range(4, 8) });
    if (t.mtu !== undefined) f.push({ name: 'Next-hop MTU', value: String(t.mtu) });
    if (t.quoted) f.push({ name: 'About', value: `${t.quoted.src}${t.quoted.srcPort !== undefined ? `:${t.quoted.srcPort}` : ''} → ${t.quoted.dst}${t.quoted.dstPort !== undefined ? `:${t.quoted.dstPort}` : ''} (${PROTOCOL_NAMES[t.quoted.protocol] ?? t.quoted.protocol})` });
    layers.push({ name: t.protocol === 'ICMP' ? 'Internet Control Message Protocol' : 'ICMPv6', start: reassembled ? 0 : at, end: reassembled ? 0 : data.length, fields: f });
  }
}

function appLayer(payload: Uint8Array, srcPort: number, dstPort: number, tcp: boolean, at: number, layers: DetailLayer[]): void {
  if (payload.length === 0) return;
  const span = at >= 0 ? { start: at, end: at + payload.length } : { start: 0, end: 0 };
  if (DNS_PORTS.includes(srcPort) || DNS_PORTS.includes(dstPort)) {
    const message = parseDns(tcp ? payload.subarray(2) : payload);
    if (message) {
      const fields: DetailField[] = [
        { name: 'Transaction id', value: `0x${message.id.toString(16).padStart(4, '0')}` },
        { name: 'Kind', value: message.response ? `response, ${message.rcodeName}` : 'query' },
      ];
      if (message.question) fields.push({ name: 'Question', value: `${message.question.type} ${message.question.name}` });
      for (const a of message.answers) fields.push({ name: 'Answer', value: `${a.name} ${a.type} ${a.data} (TTL ${a.ttl})` });
      fields.push({ name: 'Summary', value: dnsLabel(message) });
      layers.push({ name: 'Domain Name System', ...span, fields });
      return;
    }
  }
  if (!tcp) return;
  const http = parseHttpStart(payload);
  if (http) {
    layers.push({ name: 'Hypertext Transfer Protocol', ...span, fields: [{ name: 'Start line', value: httpLabel(http) }, ...(http.kind === 'request' && http.host ? [{ name: 'Host', value: http.host }] : [])] });
    return;
  }
  if (payload[0]! >= 20 && payload[0]! <= 23 && payload[1] === 3) {
    // Record names from this segment alone (it may start mid-record; the conversation view knows better).
    const records = new TlsRecordWalker().walk(payload);
    if (records.length) layers.push({ name: 'Transport Layer Security', ...span, fields: records.map((r) => ({ name: 'Record', value: r })) });
  }
}
