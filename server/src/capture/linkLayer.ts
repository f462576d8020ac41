// Link-layer headers (pcap.md §3): where the network-layer packet starts and which protocol it is.

import { ipv4Text, macText } from './addresses';
import { u16, u32, u8 } from './bytes';
import { LINKTYPE, linkTypeName } from './linkTypes';
import type { LinkInfo } from './packetTypes';

export const ETHERTYPE_IPV4 = 0x0800;
export const ETHERTYPE_ARP = 0x0806;
export const ETHERTYPE_IPV6 = 0x86dd;
const ETHERTYPE_VLAN = [0x8100, 0x88a8, 0x9100];
const ETHERTYPE_PPPOE_SESSION = 0x8864;

export interface LinkResult {
  link: LinkInfo;
  /** EtherType of the payload (IPv4/IPv6/ARP/…), or -1 when unknown. */
  protocol: number;
  offset: number;
  other?: string;
  problem?: string;
}

const SLL_PACKET_TYPES = ['to us', 'broadcast', 'multicast', 'to someone else', 'sent by us'];

/** IP version nibble → EtherType, for link types that carry bare IP. */
function fromVersion(data: Uint8Array, offset: number): number {
  const version = u8(data, offset) >> 4;
  return version === 4 ? ETHERTYPE_IPV4 : version === 6 ? ETHERTYPE_IPV6 : -1;
}

/** BSD address families: 2 = AF_INET; 24, 28, 30 = AF_INET6 on NetBSD/OpenBSD, FreeBSD, macOS; 10 = Linux. */
function fromAddressFamily(family: number): number {
  if (family === 2) return ETHERTYPE_IPV4;
  if (family === 24 || family === 28 || family === 30 || family === 10) return ETHERTYPE_IPV6;
  return -1;
}

export function decodeLink(linkType: number, data: Uint8Array, withAddresses = true): LinkResult {
  const link: LinkInfo = { linkType, name: linkTypeName(linkType) };
  switch (linkType) {
    case LINKTYPE.ETHERNET:
      return decodeEthernet(link, data, withAddresses);
    case LINKTYPE.NULL: {
      if (data.length < 4) return { link, protocol: -1, offset: 0, problem: 'truncated loopback header' };
      // Host byte order of the capturing machine: a value above 0xffff means we read it the wrong way round.
      let family = u32(data, 0, true);
      if (family > 0xffff) family = u32(data, 0, false);
      link.protocol = family;
      return { link, protocol: fromAddressFamily(family), offset: 4 };
    }
    case LINKTYPE.LOOP: {
      if (data.length < 4) return { link, protocol: -1, offset: 0, problem: 'truncated loopback header' };
      const family = u32(data, 0, false);
      link.protocol = family;
      return { link, protocol: fromAddressFamily(family), offset: 4 };
    }
    case LINKTYPE.RAW:
    case LINKTYPE.RAW_BSD12:
    case LINKTYPE.RAW_BSD14:
      return { link, protocol: fromVersion(data, 0), offset: 0 };
    case LINKTYPE.IPV4:
      return { link, protocol: ETHERTYPE_IPV4, offset: 0 };
    case LINKTYPE.IPV6:
      return { link, protocol: ETHERTYPE_IPV6, offset: 0 };
    case LINKTYPE.LINUX_SLL: {
      if (data.length < 16) return { link, protocol: -1, offset: 0, problem: 'truncated Linux cooked header' };
      const packetType = u16(data, 0);
      const addressLength = u16(data, 4);
      if (withAddresses && addressLength === 6) link.src = macText(data, 6, 6);
      link.packetType = SLL_PACKET_TYPES[packetType] ?? `type ${packetType}`;
      const protocol = u16(data, 14);
      link.protocol = protocol;
      return { link, protocol: cookedProtocol(protocol, data, 16), offset: 16 };
    }
    case LINKTYPE.LINUX_SLL2: {
      if (data.length < 20) return { link, protocol: -1, offset: 0, problem: 'truncated Linux cooked v2 header' };
      const protocol = u16(data, 0);
      link.interfaceIndex = u32(data, 4);
      const packetType = u8(data, 10);
      link.packetType = SLL_PACKET_TYPES[packetType] ?? `type ${packetType}`;
      if (withAddresses && u8(data, 11) === 6) link.src = macText(data, 12, 6);
      link.protocol = protocol;
      return { link, protocol: cookedProtocol(protocol, data, 20), offset: 20 };
    }
    default:
      return { link, protocol: -1, offset: 0, other: `${link.name} frame (not decoded)` };
  }
}

/** Linux cooked headers carry an EtherType, or small values for non-Ethernet payloads. */
function cookedProtocol(protocol: number, data: Uint8Array, offset: number): number {
  if (protocol >= 0x0600) return protocol;
  // 0x0000 loopback/raw IP on some tunnels; guess from the version nibble
  return fromVersion(data, offset);
}

function decodeEthernet(link: LinkInfo, data: Uint8Array, withAddresses: boolean): LinkResult {
  if (data.length < 14) return { link, protocol: -1, offset: 0, problem: 'truncated Ethernet header' };
  if (withAddresses) {
    link.dst = macText(data, 0, 6);
    link.src = macText(data, 6, 6);
  }
  let type = u16(data, 12);
  let offset = 14;
  for (let tags = 0; ETHERTYPE_VLAN.includes(type) && tags < 8; tags++) {
    if (offset + 4 > data.length) return { link, protocol: -1, offset, problem: 'truncated VLAN tag' };
    (link.vlans ??= []).push(u16(data, offset) & 0x0fff);
    type = u16(data, offset + 2);
    offset += 4;
  }
  link.protocol = type;
  if (type < 0x0600) return { link, protocol: -1, offset, other: 'IEEE 802.3 frame (LLC, not decoded)' };
  if (type === ETHERTYPE_PPPOE_SESSION) {
    // PPPoE header (6) then the PPP protocol: 0x0021 IPv4, 0x0057 IPv6.
    const ppp = u16(data, offset + 6);
    const protocol = ppp === 0x0021 ? ETHERTYPE_IPV4 : ppp === 0x0057 ? ETHERTYPE_IPV6 : -1;
    return { link, protocol, offset: offset + 8, ...(protocol < 0 ? { other: `PPPoE session, PPP protocol 0x${ppp.toString(16)}` } : {}) };
  }
  if (type === ETHERTYPE_ARP) return { link, protocol: type, offset, other: describeArp(data, offset) };
  if (type === ETHERTYPE_IPV4 || type === ETHERTYPE_IPV6) return { link, protocol: type, offset };
  return { link, protocol: type, offset, other: `EtherType 0x${type.toString(16).padStart(4, '0')} (not decoded)` };
}

function describeArp(data: Uint8Array, offset: number): string {
  const operation = u16(data, offset + 6);
  if (u16(data, offset + 2) !== ETHERTYPE_IPV4 || u8(data, offset + 4) !== 6 || u8(data, offset + 5) !== 4 || offset + 28 > data.length) return 'ARP';
  const senderIp = ipv4Text(data, offset + 14);
  const targetIp = ipv4Text(data, offset + 24);
  if (operation === 1) return `ARP who-has ${targetIp} tell ${senderIp}`;
  if (operation === 2) return `ARP ${senderIp} is-at ${macText(data, offset + 8, 6)}`;
  return `ARP operation ${operation}`;
}
