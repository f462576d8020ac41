// IPv4 (RFC 791) and IPv6 (RFC 8200) headers. The payload ends where the IP header says the packet ends,
// which trims Ethernet padding; a header that claims more than was captured marks the packet truncated.

import { ipv4Text, ipv6Text } from './addresses';
import { u16, u32, u8 } from './bytes';
import type { IpInfo } from './packetTypes';

export interface IpResult {
  ip?: IpInfo;
  payload: Uint8Array;
  truncated: boolean;
  problem?: string;
}

const EMPTY = new Uint8Array(0);

export function decodeIpv4(data: Uint8Array, offset: number): IpResult {
  if (offset + 20 > data.length) return { payload: EMPTY, truncated: true, problem: 'truncated IPv4 header' };
  const first = u8(data, offset);
  if (first >> 4 !== 4) return { payload: EMPTY, truncated: false, problem: `IPv4 header with version ${first >> 4}` };
  const headerLength = (first & 0x0f) * 4;
  if (headerLength < 20) return { payload: EMPTY, truncated: false, problem: `IPv4 header length ${headerLength} is below 20` };
  if (offset + headerLength > data.length) return { payload: EMPTY, truncated: true, problem: 'truncated IPv4 options' };
  let totalLength = u16(data, offset + 2);
  let problem: string | undefined;
  // 0 happens on captured outgoing packets with TCP segmentation offload: the NIC fills it in later.
  if (totalLength === 0) totalLength = data.length - offset;
  else if (totalLength < headerLength) {
    problem = `IPv4 total length ${totalLength} is shorter than its header (${headerLength})`;
    totalLength = headerLength;
  }
  const end = Math.min(offset + totalLength, data.length);
  const flagsOffset = u16(data, offset + 6);
  const tos = u8(data, offset + 1);
  const ip: IpInfo = {
    version: 4,
    src: ipv4Text(data, offset + 12),
    dst: ipv4Text(data, offset + 16),
    protocol: u8(data, offset + 9),
    ttl: u8(data, offset + 8),
    headerLength,
    totalLength,
    dscp: tos >> 2,
    ecn: tos & 3,
  };
  if (flagsOffset & 0x4000) ip.dontFragment = true;
  const more = (flagsOffset & 0x2000) !== 0;
  const fragmentOffset = (flagsOffset & 0x1fff) * 8;
  if (more || fragmentOffset > 0) ip.fragment = { id: u16(data, offset + 4), offset: fragmentOffset, more };
  return { ip, payload: data.subarray(offset + headerLength, end), truncated: offset + totalLength > data.length, ...(problem ? { problem } : {}) };
}

const HOP_BY_HOP = 0;
const ROUTING = 43;
const FRAGMENT = 44;
const AH = 51;
const DESTINATION = 60;
const MOBILITY = 135;
const HIP = 139;
const SHIM6 = 140;
const EXPERIMENTAL = [253, 254];
const MAX_EXTENSION_HEADERS = 16;

export function decodeIpv6(data: Uint8Array, offset: number): IpResult {
  if (offset + 40 > data.length) return { payload: EMPTY, truncated: true, problem: 'truncated IPv6 header' };
  const word = u32(data, offset);
  if (word >>> 28 !== 6) return { payload: EMPTY, truncated: false, problem: `IPv6 header with version ${word >>> 28}` };
  const payloadLength = u16(data, offset + 4);
  // 0 = jumbogram (hop-by-hop option) or TSO: use what was captured.
  const claimedEnd = payloadLength === 0 ? data.length : offset + 40 + payloadLength;
  const end = Math.min(claimedEnd, data.length);
  const trafficClass = (word >>> 20) & 0xff;
  const ip: IpInfo = {
    version: 6,
    src: ipv6Text(data, offset + 8),
    dst: ipv6Text(data, offset + 24),
    protocol: u8(data, offset + 6),
    ttl: u8(data, offset + 7),
    headerLength: 40,
    totalLength: payloadLength === 0 ? data.length - offset : 40 + payloadLength,
    dscp: trafficClass >> 2,
    ecn: trafficClass & 3,
  };
  let next = ip.protocol;
  let at = offset + 40;
  const extensions: number[] = [];
  let problem: string | undefined;
  while (extensions.length < MAX_EXTENSION_HEADERS) {
    if (next === HOP_BY_HOP || next === ROUTING || next === DESTINATION || next === MOBILITY || next === HIP || next === SHIM6 || EXPERIMENTAL.includes(next)) {
      if (at + 8 > end) {
        problem = `truncated IPv6 extension header ${next}`;
        break;
      }
      extensions.push(next);
      const length = (u8(data, at + 1) + 1) * 8;
      next = u8(data, at);
      at += length;
    } else if (next === FRAGMENT) {
      if (at + 8 > end) {
        problem = 'truncated IPv6 fragment header';
        break;
      }
      extensions.push(next);
      const field = u16(data, at + 2);
      ip.fragment = { id: u32(data, at + 4), offset: field & 0xfff8, more: (field & 1) !== 0 };
      if (ip.fragment.offset === 0 && !ip.fragment.more) delete ip.fragment; // atomic fragment (RFC 6946)
      next = u8(data, at);
      at += 8;
    } else if (next === AH) {
      if (at + 8 > end) {
        problem = 'truncated IPv6 authentication header';
        break;
      }
      extensions.push(next);
      const length = (u8(data, at + 1) + 2) * 4;
      next = u8(data, at);
      at += length;
    } else {
      break;
    }
  }
  if (extensions.length >= MAX_EXTENSION_HEADERS) problem = `more than ${MAX_EXTENSION_HEADERS} IPv6 extension headers`;
  if (at > end) {
    problem ??= 'IPv6 extension headers run past the packet';
    at = end;
  }
  if (extensions.length > 0) ip.extensionHeaders = extensions;
  // ESP (50) and No Next Header (59) end the walk: nothing after them can be read.
  ip.protocol = next;
  ip.headerLength = at - offset;
  return { ip, payload: data.subarray(at, end), truncated: claimedEnd > data.length, ...(problem ? { problem } : {}) };
}
