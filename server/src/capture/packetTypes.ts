// A decoded packet: link layer, IP, transport, and the transport payload. Plain data; `payload` is a view
// into the reader's buffer and is only valid during the callback that receives the packet.

export interface LinkInfo {
  linkType: number;
  name: string;
  src?: string;
  dst?: string;
  /** 802.1Q / 802.1ad VLAN ids, outermost first. */
  vlans?: number[];
  /** EtherType (or the link's protocol field) of what follows. */
  protocol?: number;
  /** Linux cooked captures: "to us", "broadcast", "multicast", "to someone else", "sent by us". */
  packetType?: string;
  /** Interface index (LINUX_SLL2). */
  interfaceIndex?: number;
}

export interface FragmentInfo {
  id: number;
  /** Offset of this fragment's data in the original datagram, in bytes. */
  offset: number;
  more: boolean;
}

export interface IpInfo {
  version: 4 | 6;
  src: string;
  dst: string;
  /** Upper-layer protocol (after IPv6 extension headers): 6 TCP, 17 UDP, 1 ICMP, 58 ICMPv6. */
  protocol: number;
  ttl: number;
  headerLength: number;
  /** Total length claimed by the header (IPv4 total length, IPv6 40 + payload length). */
  totalLength: number;
  dontFragment?: boolean;
  /** Present when this packet is one fragment of a larger datagram. */
  fragment?: FragmentInfo;
  /** Set on the packet whose fragment completed a datagram: the datagram's payload length. */
  reassembledLength?: number;
  /** IPv6 extension header types, in order. */
  extensionHeaders?: number[];
  dscp?: number;
  ecn?: number;
}

export const TCP_FIN = 0x01;
export const TCP_SYN = 0x02;
export const TCP_RST = 0x04;
export const TCP_PSH = 0x08;
export const TCP_ACK = 0x10;
export const TCP_URG = 0x20;
export const TCP_ECE = 0x40;
export const TCP_CWR = 0x80;
export const TCP_AE = 0x100;

export interface TcpOptions {
  mss?: number;
  wscale?: number;
  sackPermitted?: boolean;
  /** SACK blocks [left, right) as absolute sequence numbers. */
  sack?: Array<[number, number]>;
  tsVal?: number;
  tsEcr?: number;
  fastOpen?: boolean;
  mptcp?: boolean;
  /** Set when the option list was cut short by a bad length. */
  malformed?: boolean;
}

export interface TcpInfo {
  protocol: 'TCP';
  srcPort: number;
  dstPort: number;
  seq: number;
  ack: number;
  flags: number;
  headerLength: number;
  /** Raw window field; scale it with the peer's SYN wscale (the analyzer does). */
  window: number;
  urgentPointer: number;
  options: TcpOptions;
  payloadLength: number;
}

export interface UdpInfo {
  protocol: 'UDP';
  srcPort: number;
  dstPort: number;
  length: number;
  payloadLength: number;
}

/** The header an ICMP error quotes: which flow the error is about. */
export interface QuotedFlow {
  src: string;
  dst: string;
  protocol: number;
  srcPort?: number;
  dstPort?: number;
}

export interface IcmpInfo {
  protocol: 'ICMP' | 'ICMPv6';
  type: number;
  code: number;
  description: string;
  id?: number;
  sequence?: number;
  /** Next-hop MTU (ICMP fragmentation needed, ICMPv6 packet too big). */
  mtu?: number;
  quoted?: QuotedFlow;
}

export type TransportInfo = TcpInfo | UdpInfo | IcmpInfo;

export interface DecodedPacket {
  number: number;
  tsSec: number;
  tsNsec: number;
  capturedLength: number;
  originalLength: number;
  link: LinkInfo;
  /** ARP, LLDP and other non-IP frames: a short description. */
  other?: string;
  ip?: IpInfo;
  transport?: TransportInfo;
  /** Transport payload (TCP/UDP data); empty when there is none. */
  payload: Uint8Array;
  /** Headers or payload cut short by the snapshot length. */
  truncated: boolean;
  /** Malformed fields found while decoding (hostile or damaged packets). */
  problems: string[];
}

export function tcpFlagsText(flags: number): string {
  const names: string[] = [];
  if (flags & TCP_SYN) names.push('SYN');
  if (flags & TCP_FIN) names.push('FIN');
  if (flags & TCP_RST) names.push('RST');
  if (flags & TCP_PSH) names.push('PSH');
  if (flags & TCP_ACK) names.push('ACK');
  if (flags & TCP_URG) names.push('URG');
  if (flags & TCP_ECE) names.push('ECE');
  if (flags & TCP_CWR) names.push('CWR');
  if (flags & TCP_AE) names.push('AE');
  return names.join(', ');
}

/** tcpdump's flag letters in its order (F S R P . U E W), e.g. "S", "S.", "P.", "FP.". */
export function tcpdumpFlags(flags: number): string {
  let out = '';
  if (flags & TCP_FIN) out += 'F';
  if (flags & TCP_SYN) out += 'S';
  if (flags & TCP_RST) out += 'R';
  if (flags & TCP_PSH) out += 'P';
  if (flags & TCP_ACK) out += '.';
  if (flags & TCP_URG) out += 'U';
  if (flags & TCP_ECE) out += 'E';
  if (flags & TCP_CWR) out += 'W';
  return out || 'none';
}
