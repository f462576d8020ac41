// Packet builders for the tests: Ethernet/VLAN, IPv4 (with fragments), IPv6 (with extension headers),
// TCP with options, UDP, ICMP, and a TCP flow simulator that keeps sequence numbers straight. Checksums
// are computed so tcpdump reads the files without complaint.

export type Addr = string;

function concat(...parts: Array<Uint8Array | number[]>): Uint8Array {
  const total = parts.reduce((n, p) => n + p.length, 0);
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export const bytes = concat;
export const ascii = (s: string): Uint8Array => new TextEncoder().encode(s);

function be16(v: number): number[] {
  return [(v >>> 8) & 0xff, v & 0xff];
}
function be32(v: number): number[] {
  return [(v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff];
}

export function ipBytes(addr: Addr): number[] {
  if (!addr.includes(':')) return addr.split('.').map(Number);
  const [head, tail] = addr.includes('::') ? addr.split('::') : [addr, undefined];
  const h = head ? head.split(':').filter(Boolean) : [];
  const t = tail ? tail.split(':').filter(Boolean) : [];
  const groups = tail === undefined ? h : [...h, ...Array(8 - h.length - t.length).fill('0'), ...t];
  return groups.flatMap((g) => be16(parseInt(g, 16)));
}

function checksum(data: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i + 1 < data.length; i += 2) sum += (data[i]! << 8) | data[i + 1]!;
  if (data.length % 2) sum += data[data.length - 1]! << 8;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

function pseudoHeader(src: Addr, dst: Addr, protocol: number, length: number): Uint8Array {
  if (src.includes(':')) return concat(ipBytes(src), ipBytes(dst), be32(length), [0, 0, 0, protocol]);
  return concat(ipBytes(src), ipBytes(dst), [0, protocol], be16(length));
}

export function ethernet(payload: Uint8Array, etherType: number, vlans: number[] = []): Uint8Array {
  const tags = vlans.flatMap((id) => [0x81, 0x00, ...be16(id)]);
  return concat([0, 0, 0, 0, 0, 2], [0, 0, 0, 0, 0, 1], tags, be16(etherType), payload);
}

export interface Ipv4Options {
  id?: number;
  ttl?: number;
  dontFragment?: boolean;
  moreFragments?: boolean;
  fragmentOffset?: number;
  /** Overrides the total length field (for hostile tests). */
  totalLength?: number;
}

export function ipv4(src: Addr, dst: Addr, protocol: number, payload: Uint8Array, o: Ipv4Options = {}): Uint8Array {
  const flags = (o.dontFragment ? 0x4000 : 0) | (o.moreFragments ? 0x2000 : 0) | ((o.fragmentOffset ?? 0) >> 3);
  const header = concat([0x45, 0], be16(o.totalLength ?? 20 + payload.length), be16(o.id ?? 1), be16(flags), [o.ttl ?? 64, protocol, 0, 0], ipBytes(src), ipBytes(dst));
  const sum = checksum(header);
  header[10] = sum >> 8;
  header[11] = sum & 0xff;
  return concat(header, payload);
}

export function ipv6(src: Addr, dst: Addr, nextHeader: number, payload: Uint8Array, extensions: Array<{ type: number; body: Uint8Array }> = []): Uint8Array {
  // extensions: type is this header's own type; chain them so each names the next
  let chain: Uint8Array = new Uint8Array(0);
  let next = nextHeader;
  for (let i = extensions.length - 1; i >= 0; i--) {
    const ext = extensions[i]!;
    chain = concat([next], ext.body, chain);
    next = ext.type;
  }
  const body = concat(chain, payload);
  return concat([0x60, 0, 0, 0], be16(body.length), [next, 64], ipBytes(src), ipBytes(dst), body);
}

export interface TcpSegment {
  srcPort: number;
  dstPort: number;
  seq: number;
  ack: number;
  flags: string; // letters: S A F R P U
  window?: number;
  options?: { mss?: number; wscale?: number; sackOk?: boolean; ts?: [number, number]; sack?: Array<[number, number]> };
  payload?: Uint8Array;
}

export function tcpFlags(letters: string): number {
  let f = 0;
  for (const c of letters) f |= { F: 1, S: 2, R: 4, P: 8, A: 16, U: 32, E: 64, C: 128 }[c] ?? 0;
  return f;
}

function tcpOptions(o: TcpSegment['options']): number[] {
  if (!o) return [];
  const out: number[] = [];
  if (o.mss !== undefined) out.push(2, 4, ...be16(o.mss));
  if (o.sackOk) out.push(4, 2);
  if (o.ts) out.push(8, 10, ...be32(o.ts[0]), ...be32(o.ts[1]));
  if (o.wscale !== undefined) out.push(1, 3, 3, o.wscale);
  if (o.sack) out.push(1, 1, 5, 2 + 8 * o.sack.length, ...o.sack.flatMap(([l, r]) => [...be32(l), ...be32(r)]));
  while (out.length % 4) out.push(0);
  return out;
}

export function tcp(src: Addr, dst: Addr, s: TcpSegment): Uint8Array {
  const opts = tcpOptions(s.options);
  const payload = s.payload ?? new Uint8Array(0);
  const header = concat(be16(s.srcPort), be16(s.dstPort), be32(s.seq >>> 0), be32(s.ack >>> 0), [((20 + opts.length) / 4) << 4, tcpFlags(s.flags)], be16(s.window ?? 65535), [0, 0, 0, 0], opts);
  const segment = concat(header, payload);
  const sum = checksum(concat(pseudoHeader(src, dst, 6, segment.length), segment));
  segment[16] = sum >> 8;
  segment[17] = sum & 0xff;
  return segment;
}

export function udp(src: Addr, dst: Addr, srcPort: number, dstPort: number, payload: Uint8Array): Uint8Array {
  const datagram = concat(be16(srcPort), be16(dstPort), be16(8 + payload.length), [0, 0], payload);
  const sum = checksum(concat(pseudoHeader(src, dst, 17, datagram.length), datagram)) || 0xffff;
  datagram[6] = sum >> 8;
  datagram[7] = sum & 0xff;
  return datagram;
}

export function icmp(type: number, code: number, rest: number[], body: Uint8Array = new Uint8Array(0)): Uint8Array {
  const message = concat([type, code, 0, 0], rest, body);
  const sum = checksum(message);
  message[2] = sum >> 8;
  message[3] = sum & 0xff;
  return message;
}

/** An IP packet (v4 or v6 by address form) in an Ethernet frame. */
export function frame(src: Addr, dst: Addr, protocol: number, transport: Uint8Array, o: Ipv4Options & { vlans?: number[] } = {}): Uint8Array {
  if (src.includes(':')) return ethernet(ipv6(src, dst, protocol, transport), 0x86dd, o.vlans);
  return ethernet(ipv4(src, dst, protocol, transport, o), 0x0800, o.vlans);
}

export interface Timed {
  tsNs: bigint;
  data: Uint8Array;
}

export interface Endpoint {
  ip: Addr;
  port: number;
}

/**
 * Simulates one TCP connection and records its frames. Times are in microseconds from `startUs`.
 * `send` advances the sender's sequence number; `resend` repeats an earlier range without advancing.
 */
export class TcpFlow {
  readonly frames: Timed[] = [];
  seq: { c: number; s: number };
  clock: number;

  constructor(
    readonly client: Endpoint,
    readonly server: Endpoint,
    private readonly isn = { c: 1000, s: 5000 },
    startUs = 1_700_000_000_000_000,
    private readonly wrap: (data: Uint8Array, from: 'c' | 's', src: Addr, dst: Addr) => Uint8Array = (transport, _from, src, dst) => frame(src, dst, 6, transport),
  ) {
    this.seq = { c: isn.c, s: isn.s };
    this.clock = startUs;
  }

  private emit(atUs: number, from: 'c' | 's', seg: Omit<TcpSegment, 'srcPort' | 'dstPort'>): number {
    this.clock = atUs;
    const [a, b] = from === 'c' ? [this.client, this.server] : [this.server, this.client];
    const data = this.wrap(tcp(a.ip, b.ip, { srcPort: a.port, dstPort: b.port, ...seg }), from, a.ip, b.ip);
    this.frames.push({ tsNs: BigInt(Math.round(atUs)) * 1000n, data });
    return this.frames.length; // frame number within this flow
  }

  handshake(atUs: number, rttUs: number, options: { client?: TcpSegment['options']; server?: TcpSegment['options'] } = {}): void {
    this.syn(atUs, options.client);
    this.synAck(atUs + rttUs / 2, options.server);
    this.ack(atUs + rttUs, 'c');
  }

  syn(atUs: number, options: TcpSegment['options'] = { mss: 1460, sackOk: true, wscale: 7 }): number {
    this.seq.c = this.isn.c;
    const n = this.emit(atUs, 'c', { seq: this.isn.c, ack: 0, flags: 'S', window: 64240, options });
    this.seq.c = this.isn.c + 1;
    return n;
  }

  synAck(atUs: number, options: TcpSegment['options'] = { mss: 1460, sackOk: true, wscale: 7 }): number {
    const n = this.emit(atUs, 's', { seq: this.isn.s, ack: this.isn.c + 1, flags: 'SA', window: 65160, options });
    this.seq.s = this.isn.s + 1;
    return n;
  }

  /** A pure ACK from `from` acknowledging everything the peer sent so far. */
  ack(atUs: number, from: 'c' | 's', window = 502): number {
    const peer = from === 'c' ? 's' : 'c';
    return this.emit(atUs, from, { seq: this.seq[from], ack: this.seq[peer], flags: 'A', window });
  }

  /** Data from `from`; returns the frame number. */
  send(atUs: number, from: 'c' | 's', payload: Uint8Array, flags = 'PA', window = 502): number {
    const peer = from === 'c' ? 's' : 'c';
    const n = this.emit(atUs, from, { seq: this.seq[from], ack: this.seq[peer], flags, window, payload });
    this.seq[from] = (this.seq[from] + payload.length) >>> 0;
    return n;
  }

  /** Data at an explicit sequence number (retransmissions, reordering); does not move `seq`. */
  sendAt(atUs: number, from: 'c' | 's', seq: number, payload: Uint8Array, flags = 'PA', window = 502): number {
    const peer = from === 'c' ? 's' : 'c';
    return this.emit(atUs, from, { seq, ack: this.seq[peer], flags, window, payload });
  }

  /** An ACK with an explicit ack number and window (dup ACKs, zero windows). */
  ackWith(atUs: number, from: 'c' | 's', ack: number, window: number, options?: TcpSegment['options']): number {
    return this.emit(atUs, from, { seq: this.seq[from], ack, flags: 'A', window, ...(options ? { options } : {}) });
  }

  fin(atUs: number, from: 'c' | 's'): number {
    const peer = from === 'c' ? 's' : 'c';
    const n = this.emit(atUs, from, { seq: this.seq[from], ack: this.seq[peer], flags: 'FA', window: 502 });
    this.seq[from] = (this.seq[from] + 1) >>> 0;
    return n;
  }

  rst(atUs: number, from: 'c' | 's', withAck = true): number {
    const peer = from === 'c' ? 's' : 'c';
    return this.emit(atUs, from, { seq: this.seq[from], ack: withAck ? this.seq[peer] : 0, flags: withAck ? 'RA' : 'R', window: 0 });
  }
}

// ------------------------------------------------------------------ application payloads

export function clientHello(sni: string, alpn: string[], tls13 = true): Uint8Array {
  const ext: number[] = [];
  const name = [...ascii(sni)];
  ext.push(...be16(0), ...be16(name.length + 5), ...be16(name.length + 3), 0, ...be16(name.length), ...name);
  const protos = alpn.flatMap((p) => [p.length, ...ascii(p)]);
  ext.push(...be16(16), ...be16(protos.length + 2), ...be16(protos.length), ...protos);
  if (tls13) ext.push(...be16(43), ...be16(7), 6, 0x3a, 0x3a, 0x03, 0x04, 0x03, 0x03); // GREASE, 1.3, 1.2
  const body = [0x03, 0x03, ...new Array(32).fill(7), 0, ...be16(4), 0x13, 0x01, 0x13, 0x02, 1, 0, ...be16(ext.length), ...ext];
  const handshake = [1, (body.length >> 16) & 0xff, (body.length >> 8) & 0xff, body.length & 0xff, ...body];
  return Uint8Array.from([22, 3, 1, ...be16(handshake.length), ...handshake]);
}

export function serverHello(alpn?: string, tls13 = true): Uint8Array {
  const ext: number[] = [];
  if (tls13) ext.push(...be16(43), ...be16(2), 0x03, 0x04);
  if (alpn) {
    const p = [alpn.length, ...ascii(alpn)];
    ext.push(...be16(16), ...be16(p.length + 2), ...be16(p.length), ...p);
  }
  const body = [0x03, 0x03, ...new Array(32).fill(9), 0, 0x13, 0x01, 0, ...be16(ext.length), ...ext];
  const handshake = [2, (body.length >> 16) & 0xff, (body.length >> 8) & 0xff, body.length & 0xff, ...body];
  const hello = [22, 3, 3, ...be16(handshake.length), ...handshake];
  const ccs = [20, 3, 3, 0, 1, 1];
  const appData = [23, 3, 3, 0, 40, ...new Array(40).fill(0xaa)];
  return Uint8Array.from([...hello, ...ccs, ...appData]);
}

function dnsName(name: string): number[] {
  return [...name.split('.').flatMap((l) => [l.length, ...ascii(l)]), 0];
}

export function dnsQuery(id: number, name: string, type = 1): Uint8Array {
  return Uint8Array.from([...be16(id), 0x01, 0x00, ...be16(1), 0, 0, 0, 0, 0, 0, ...dnsName(name), ...be16(type), 0, 1]);
}

export function dnsResponse(id: number, name: string, answers: string[], rcode = 0): Uint8Array {
  const out = [...be16(id), 0x81, 0x80 | rcode, ...be16(1), ...be16(answers.length), 0, 0, 0, 0, ...dnsName(name), 0, 1, 0, 1];
  for (const a of answers) out.push(0xc0, 12, 0, 1, 0, 1, ...be32(300), 0, 4, ...a.split('.').map(Number));
  return Uint8Array.from(out);
}
