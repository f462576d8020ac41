// One captured record → a DecodedPacket: link layer, IP (with fragment reassembly), transport, payload.
// Stateful only for fragments; everything else is a pure function of the bytes. Never throws: a malformed
// header stops decoding at that layer and is listed in `problems`.

import type { CaptureRecord } from './fileTypes';
import { FragmentReassembler, type ReassemblyLimits, DEFAULT_REASSEMBLY_LIMITS } from './fragments';
import { decodeIpv4, decodeIpv6, type IpResult } from './ip';
import { decodeLink, ETHERTYPE_IPV4, ETHERTYPE_IPV6 } from './linkLayer';
import type { DecodedPacket, IpInfo } from './packetTypes';
import { decodeIcmp, decodeTcp, decodeUdp } from './transport';

const EMPTY = new Uint8Array(0);

const NO_PROBLEMS: string[] = [];

export interface DecoderOptions {
  reassembly?: ReassemblyLimits;
  /** Format link-layer (MAC) addresses; the analyzer does not need them and skips the work. Default true. */
  linkAddresses?: boolean;
}

function problem(packet: DecodedPacket, text: string): void {
  if (packet.problems === NO_PROBLEMS) packet.problems = [];
  packet.problems.push(text);
}

export class PacketDecoder {
  private readonly fragments: FragmentReassembler;
  private readonly linkAddresses: boolean;

  constructor(options: DecoderOptions = {}) {
    this.fragments = new FragmentReassembler(options.reassembly ?? DEFAULT_REASSEMBLY_LIMITS);
    this.linkAddresses = options.linkAddresses ?? true;
  }

  decode(record: CaptureRecord): DecodedPacket {
    const packet: DecodedPacket = {
      number: record.number,
      tsSec: record.tsSec,
      tsNsec: record.tsNsec,
      capturedLength: record.capturedLength,
      originalLength: record.originalLength,
      link: { linkType: record.linkType, name: '' },
      payload: EMPTY,
      truncated: record.capturedLength < record.originalLength,
      problems: NO_PROBLEMS,
    };
    try {
      this.decodeInto(packet, record.data);
    } catch (error) {
      problem(packet, `decoder error: ${error instanceof Error ? error.message : String(error)}`);
    }
    return packet;
  }

  private decodeInto(packet: DecodedPacket, data: Uint8Array): void {
    const linked = decodeLink(packet.link.linkType, data, this.linkAddresses);
    packet.link = linked.link;
    if (linked.problem) {
      problem(packet, linked.problem);
      packet.truncated = true;
    }
    if (linked.other) packet.other = linked.other;
    let result: IpResult;
    if (linked.protocol === ETHERTYPE_IPV4) result = decodeIpv4(data, linked.offset);
    else if (linked.protocol === ETHERTYPE_IPV6) result = decodeIpv6(data, linked.offset);
    else return;
    if (result.problem) problem(packet, result.problem);
    if (result.truncated) packet.truncated = true;
    if (!result.ip) return;
    const ip = result.ip;
    packet.ip = ip;
    let body = result.payload;
    if (ip.fragment) {
      const assembled = this.reassemble(packet, ip, body);
      if (!assembled) return;
      body = assembled;
    }
    this.decodeTransport(packet, ip, body, result.truncated);
  }

  private reassemble(packet: DecodedPacket, ip: IpInfo, body: Uint8Array): Uint8Array | undefined {
    const fragment = ip.fragment!;
    if (packet.truncated) {
      problem(packet, 'fragment cut short by the capture: not reassembled');
      return undefined;
    }
    const key = `${ip.version}|${ip.src}|${ip.dst}|${ip.protocol}|${fragment.id}`;
    const outcome = this.fragments.add(key, fragment.offset, fragment.more, body, packet.tsSec);
    if (outcome.kind === 'dropped') problem(packet, `fragment not reassembled: ${outcome.reason}`);
    if (outcome.kind !== 'complete') return undefined;
    ip.reassembledLength = outcome.payload.length;
    return outcome.payload;
  }

  private decodeTransport(packet: DecodedPacket, ip: IpInfo, body: Uint8Array, ipTruncated: boolean): void {
    // Lengths from the IP header, not from what was captured: a snapshot length must not look like lost data.
    const claimed = ip.reassembledLength ?? Math.max(0, ip.totalLength - ip.headerLength);
    const result =
      ip.protocol === 6 ? decodeTcp(body, ipTruncated, claimed)
      : ip.protocol === 17 ? decodeUdp(body, ipTruncated)
      : ip.protocol === 1 && ip.version === 4 ? decodeIcmp(body, false)
      : ip.protocol === 58 && ip.version === 6 ? decodeIcmp(body, true)
      : undefined;
    if (!result) return;
    if (result.problem) problem(packet, result.problem);
    if (result.truncated) packet.truncated = true;
    if (result.info) packet.transport = result.info;
    packet.payload = result.payload;
  }
}
