// TCP (RFC 9293, options RFC 7323 / 2018 / 7413), UDP (RFC 768), ICMP (RFC 792) and ICMPv6 (RFC 4443).

import { ipv4Text, ipv6Text } from './addresses';
import { u16, u32, u8 } from './bytes';
import type { IcmpInfo, QuotedFlow, TcpInfo, TcpOptions, UdpInfo } from './packetTypes';

export interface TransportResult<T> {
  info?: T;
  payload: Uint8Array;
  truncated: boolean;
  problem?: string;
}

const EMPTY = new Uint8Array(0);

export function decodeTcp(segment: Uint8Array, ipTruncated: boolean, claimedLength = segment.length): TransportResult<TcpInfo> {
  if (segment.length < 20) return { payload: EMPTY, truncated: true, problem: 'truncated TCP header' };
  const headerLength = (u8(segment, 12) >> 4) * 4;
  if (headerLength < 20) return { payload: EMPTY, truncated: false, problem: `TCP data offset ${headerLength} is below 20` };
  const truncated = headerLength > segment.length;
  const optionsEnd = Math.min(headerLength, segment.length);
  const info: TcpInfo = {
    protocol: 'TCP',
    srcPort: u16(segment, 0),
    dstPort: u16(segment, 2),
    seq: u32(segment, 4),
    ack: u32(segment, 8),
    flags: ((u8(segment, 12) & 1) << 8) | u8(segment, 13),
    headerLength,
    window: u16(segment, 14),
    urgentPointer: u16(segment, 18),
    options: readTcpOptions(segment, 20, optionsEnd),
    payloadLength: Math.max(0, Math.max(claimedLength, segment.length) - headerLength),
  };
  return {
    info,
    payload: truncated ? EMPTY : segment.subarray(headerLength),
    truncated: truncated || ipTruncated,
    ...(truncated ? { problem: 'TCP options cut short by the capture' } : {}),
  };
}

function readTcpOptions(segment: Uint8Array, start: number, end: number): TcpOptions {
  const options: TcpOptions = {};
  let at = start;
  while (at < end) {
    const kind = segment[at]!;
    if (kind === 0) break;
    if (kind === 1) {
      at++;
      continue;
    }
    const length = u8(segment, at + 1);
    if (length < 2 || at + length > end) {
      options.malformed = true;
      break;
    }
    switch (kind) {
      case 2:
        if (length === 4) options.mss = u16(segment, at + 2);
        break;
      case 3:
        if (length === 3) options.wscale = Math.min(u8(segment, at + 2), 14); // RFC 7323 §2.3: larger values mean 14
        break;
      case 4:
        options.sackPermitted = true;
        break;
      case 5: {
        const blocks: Array<[number, number]> = [];
        for (let b = at + 2; b + 8 <= at + length && blocks.length < 4; b += 8) blocks.push([u32(segment, b), u32(segment, b + 4)]);
        options.sack = blocks;
        break;
      }
      case 8:
        if (length === 10) {
          options.tsVal = u32(segment, at + 2);
          options.tsEcr = u32(segment, at + 6);
        }
        break;
      case 30:
        options.mptcp = true;
        break;
      case 34:
        options.fastOpen = true;
        break;
      default:
        break;
    }
    at += length;
  }
  return options;
}

export function decodeUdp(datagram: Uint8Array, ipTruncated: boolean): TransportResult<UdpInfo> {
  if (datagram.length < 8) return { payload: EMPTY, truncated: true, problem: 'truncated UDP header' };
  const length = u16(datagram, 4);
  let end = datagram.length;
  let problem: string | undefined;
  if (length >= 8) end = Math.min(length, datagram.length);
  else if (length !== 0) problem = `UDP length ${length} is below 8`; // 0 = jumbogram (RFC 2675)
  const info: UdpInfo = { protocol: 'UDP', srcPort: u16(datagram, 0), dstPort: u16(datagram, 2), length, payloadLength: end - 8 };
  return { info, payload: datagram.subarray(8, end), truncated: ipTruncated || length > datagram.length, ...(problem ? { problem } : {}) };
}

const ICMP_NAMES: Record<number, string> = {
  0: 'echo reply',
  3: 'destination unreachable',
  4: 'source quench',
  5: 'redirect',
  8: 'echo request',
  11: 'time exceeded',
  12: 'parameter problem',
  13: 'timestamp request',
  14: 'timestamp reply',
};
const UNREACHABLE_CODES: Record<number, string> = {
  0: 'network unreachable',
  1: 'host unreachable',
  2: 'protocol unreachable',
  3: 'port unreachable',
  4: 'fragmentation needed',
  5: 'source route failed',
  9: 'network prohibited',
  10: 'host prohibited',
  13: 'communication administratively prohibited',
};
const ICMPV6_NAMES: Record<number, string> = {
  1: 'destination unreachable',
  2: 'packet too big',
  3: 'time exceeded',
  4: 'parameter problem',
  128: 'echo request',
  129: 'echo reply',
  133: 'router solicitation',
  134: 'router advertisement',
  135: 'neighbor solicitation',
  136: 'neighbor advertisement',
  137: 'redirect',
  143: 'multicast listener report v2',
};
const ICMPV6_UNREACHABLE: Record<number, string> = {
  0: 'no route',
  1: 'administratively prohibited',
  3: 'address unreachable',
  4: 'port unreachable',
  5: 'source address failed policy',
  6: 'reject route',
};

export function decodeIcmp(message: Uint8Array, v6: boolean): TransportResult<IcmpInfo> {
  if (message.length < 4) return { payload: EMPTY, truncated: true, problem: `truncated ${v6 ? 'ICMPv6' : 'ICMP'} header` };
  const type = u8(message, 0);
  const code = u8(message, 1);
  const names = v6 ? ICMPV6_NAMES : ICMP_NAMES;
  let description = names[type] ?? `type ${type}`;
  const info: IcmpInfo = { protocol: v6 ? 'ICMPv6' : 'ICMP', type, code, description };
  const isEcho = v6 ? type === 128 || type === 129 : type === 0 || type === 8;
  if (isEcho && message.length >= 8) {
    info.id = u16(message, 4);
    info.sequence = u16(message, 6);
  }
  const isError = v6 ? type >= 1 && type <= 4 : [3, 4, 5, 11, 12].includes(type);
  if (isError) {
    if (!v6 && type === 3) {
      description = UNREACHABLE_CODES[code] ?? `destination unreachable (code ${code})`;
      if (code === 4) info.mtu = u16(message, 6);
    } else if (v6 && type === 1) {
      description = ICMPV6_UNREACHABLE[code] ?? `destination unreachable (code ${code})`;
    } else if (v6 && type === 2) {
      info.mtu = u32(message, 4);
    }
    info.description = description;
    const quoted = v6 ? quotedIpv6(message, 8) : quotedIpv4(message, 8);
    if (quoted) info.quoted = quoted;
  }
  return { info, payload: message.subarray(Math.min(8, message.length)), truncated: false };
}

function quotedPorts(flow: QuotedFlow, data: Uint8Array, at: number): QuotedFlow {
  if ((flow.protocol === 6 || flow.protocol === 17) && at + 4 <= data.length) {
    flow.srcPort = u16(data, at);
    flow.dstPort = u16(data, at + 2);
  }
  return flow;
}

function quotedIpv4(data: Uint8Array, at: number): QuotedFlow | undefined {
  if (at + 20 > data.length || u8(data, at) >> 4 !== 4) return undefined;
  const headerLength = (u8(data, at) & 0x0f) * 4;
  if (headerLength < 20) return undefined;
  return quotedPorts({ src: ipv4Text(data, at + 12), dst: ipv4Text(data, at + 16), protocol: u8(data, at + 9) }, data, at + headerLength);
}

function quotedIpv6(data: Uint8Array, at: number): QuotedFlow | undefined {
  if (at + 40 > data.length || u8(data, at) >> 4 !== 6) return undefined;
  return quotedPorts({ src: ipv6Text(data, at + 8), dst: ipv6Text(data, at + 24), protocol: u8(data, at + 6) }, data, at + 40);
}
