// TLS handshake hints (RFC 8446 §4.1, RFC 5246 §7.4): ClientHello version, SNI (RFC 6066 §3), ALPN
// (RFC 7301), offered versions (supported_versions); ServerHello's chosen version and ALPN. Also names
// the records in each segment ("ClientHello", "ChangeCipherSpec", "Application Data") for the ladder.

import { u16, u8, utf8 } from './bytes';

export interface ClientHelloInfo {
  /** Highest version offered: "TLS 1.3" when supported_versions lists it, else the legacy field. */
  version: string;
  legacyVersion: string;
  offeredVersions: string[];
  sni?: string;
  alpn: string[];
  cipherSuites: number;
  length: number;
}

export interface ServerHelloInfo {
  version: string;
  alpn?: string;
  cipherSuite: number;
}

export type TlsParse<T> = { status: 'ok'; value: T } | { status: 'need-more'; needed: number } | { status: 'not-tls' };

const VERSION_NAMES: Record<number, string> = { 0x0300: 'SSL 3.0', 0x0301: 'TLS 1.0', 0x0302: 'TLS 1.1', 0x0303: 'TLS 1.2', 0x0304: 'TLS 1.3' };

export function tlsVersionName(value: number): string {
  return VERSION_NAMES[value] ?? `0x${value.toString(16).padStart(4, '0')}`;
}

/** GREASE values (RFC 8701) look like 0x?a?a; they are noise, not versions. */
function isGrease(value: number): boolean {
  return (value & 0x0f0f) === 0x0a0a && value >> 8 === (value & 0xff);
}

/** Looks like the start of a TLS handshake record: type 22, version 3.x. */
export function looksLikeTlsHandshake(bytes: Uint8Array): boolean {
  return bytes.length >= 3 && bytes[0] === 22 && bytes[1] === 3 && bytes[2]! <= 4;
}

/**
 * The first handshake message of a stream that starts with TLS records. A ClientHello may span several
 * records (and TCP segments); the handshake bytes of consecutive handshake records are concatenated.
 */
function firstHandshake(stream: Uint8Array, wantedType: number): TlsParse<Uint8Array> {
  if (!looksLikeTlsHandshake(stream)) return { status: 'not-tls' };
  const parts: Uint8Array[] = [];
  let collected = 0;
  let at = 0;
  let messageLength = -1;
  while (true) {
    if (at + 5 > stream.length) return { status: 'need-more', needed: at + 5 };
    if (stream[at] !== 22 || stream[at + 1] !== 3) return { status: 'not-tls' };
    const recordLength = u16(stream, at + 3);
    if (recordLength === 0 || recordLength > 16384 + 2048) return { status: 'not-tls' };
    const take = stream.subarray(at + 5, Math.min(stream.length, at + 5 + recordLength));
    parts.push(take);
    collected += take.length;
    if (messageLength < 0 && collected >= 4) {
      const head = concat(parts, 4);
      if (head[0] !== wantedType) return { status: 'not-tls' };
      messageLength = (head[1]! << 16) | (head[2]! << 8) | head[3]!;
      if (messageLength > 1 << 17) return { status: 'not-tls' };
    }
    if (messageLength >= 0 && collected >= messageLength + 4) return { status: 'ok', value: concat(parts, messageLength + 4).subarray(4) };
    if (take.length < recordLength) return { status: 'need-more', needed: at + 5 + recordLength };
    at += 5 + recordLength;
  }
}

function concat(parts: Uint8Array[], length: number): Uint8Array {
  if (parts.length === 1) return parts[0]!.subarray(0, length);
  const out = new Uint8Array(length);
  let filled = 0;
  for (const p of parts) {
    const take = Math.min(p.length, length - filled);
    out.set(p.subarray(0, take), filled);
    filled += take;
    if (filled === length) break;
  }
  return out;
}

interface Extension {
  type: number;
  data: Uint8Array;
}

function readExtensions(body: Uint8Array, at: number): Extension[] {
  const list: Extension[] = [];
  const total = u16(body, at);
  if (total < 0) return list;
  const end = Math.min(body.length, at + 2 + total);
  let p = at + 2;
  while (p + 4 <= end && list.length < 64) {
    const type = u16(body, p);
    const length = u16(body, p + 2);
    if (p + 4 + length > end) break;
    list.push({ type, data: body.subarray(p + 4, p + 4 + length) });
    p += 4 + length;
  }
  return list;
}

function alpnList(data: Uint8Array): string[] {
  const out: string[] = [];
  const total = u16(data, 0);
  let p = 2;
  const end = Math.min(data.length, 2 + Math.max(0, total));
  while (p < end && out.length < 16) {
    const length = data[p]!;
    if (length === 0 || p + 1 + length > end) break;
    out.push(utf8(data.subarray(p + 1, p + 1 + length), 255));
    p += 1 + length;
  }
  return out;
}

function serverName(data: Uint8Array): string | undefined {
  // server_name_list: length(2), then entries of type(1) length(2) name
  let p = 2;
  const end = Math.min(data.length, 2 + Math.max(0, u16(data, 0)));
  while (p + 3 <= end) {
    const type = data[p]!;
    const length = u16(data, p + 1);
    if (p + 3 + length > end) return undefined;
    if (type === 0) return utf8(data.subarray(p + 3, p + 3 + length), 255);
    p += 3 + length;
  }
  return undefined;
}

/**
 * The start both hellos share: legacy_version, 32 random bytes, legacy_session_id (≤ 32 bytes).
 * Returns the hello's body, its legacy version and where the rest begins.
 */
function helloStart(stream: Uint8Array, handshakeType: 1 | 2): TlsParse<{ body: Uint8Array; legacy: number; at: number }> {
  const found = firstHandshake(stream, handshakeType);
  if (found.status !== 'ok') return found;
  const body = found.value;
  const sessionLength = u8(body, 2 + 32);
  if (sessionLength < 0 || sessionLength > 32) return { status: 'not-tls' };
  return { status: 'ok', value: { body, legacy: u16(body, 0), at: 2 + 32 + 1 + sessionLength } };
}

export function parseClientHello(stream: Uint8Array): TlsParse<ClientHelloInfo> {
  const start = helloStart(stream, 1);
  if (start.status !== 'ok') return start;
  const { body, legacy } = start.value;
  let at = start.value.at;
  const suitesLength = u16(body, at);
  if (suitesLength < 0 || suitesLength % 2 !== 0) return { status: 'not-tls' };
  at += 2 + suitesLength;
  const compressionLength = u8(body, at);
  if (compressionLength < 0) return { status: 'not-tls' };
  at += 1 + compressionLength;
  if (at > body.length) return { status: 'not-tls' };
  const info: ClientHelloInfo = {
    version: tlsVersionName(legacy),
    legacyVersion: tlsVersionName(legacy),
    offeredVersions: [],
    alpn: [],
    cipherSuites: suitesLength / 2,
    length: body.length,
  };
  for (const ext of readExtensions(body, at)) {
    if (ext.type === 0) {
      const name = serverName(ext.data);
      if (name !== undefined) info.sni = name;
    } else if (ext.type === 16) {
      info.alpn = alpnList(ext.data);
    } else if (ext.type === 43) {
      const count = u8(ext.data, 0);
      let highest = 0;
      for (let p = 1; p + 2 <= Math.min(ext.data.length, 1 + count); p += 2) {
        const v = u16(ext.data, p);
        if (isGrease(v)) continue;
        info.offeredVersions.push(tlsVersionName(v));
        if (v > highest && v <= 0x0304) highest = v;
      }
      if (highest > 0) info.version = tlsVersionName(highest);
    }
  }
  return { status: 'ok', value: info };
}

export function parseServerHello(stream: Uint8Array): TlsParse<ServerHelloInfo> {
  const start = helloStart(stream, 2);
  if (start.status !== 'ok') return start;
  const { body, legacy } = start.value;
  let at = start.value.at;
  const cipherSuite = u16(body, at);
  if (cipherSuite < 0) return { status: 'not-tls' };
  at += 3; // cipher suite + compression method
  const info: ServerHelloInfo = { version: tlsVersionName(legacy), cipherSuite };
  for (const ext of readExtensions(body, at)) {
    if (ext.type === 43 && ext.data.length >= 2) info.version = tlsVersionName(u16(ext.data, 0));
    else if (ext.type === 16) {
      const chosen = alpnList(ext.data)[0];
      if (chosen !== undefined) info.alpn = chosen;
    }
  }
  return { status: 'ok', value: info };
}

const HANDSHAKE_NAMES: Record<number, string> = {
  0: 'HelloRequest',
  1: 'ClientHello',
  2: 'ServerHello',
  4: 'NewSessionTicket',
  8: 'EncryptedExtensions',
  11: 'Certificate',
  12: 'ServerKeyExchange',
  13: 'CertificateRequest',
  14: 'ServerHelloDone',
  15: 'CertificateVerify',
  16: 'ClientKeyExchange',
  20: 'Finished',
};

/**
 * Follows TLS record boundaries across the in-order segments of one direction and names what each segment
 * carries. Encrypted handshake messages (TLS 1.3) show as "Application Data", as on the wire.
 */
export class TlsRecordWalker {
  private remaining = 0;
  private header: number[] = [];
  private lost = false;

  /** Record names that start in this segment's payload (empty when it only continues a record). */
  walk(payload: Uint8Array): string[] {
    if (this.lost) return [];
    const names: string[] = [];
    let at = 0;
    while (at < payload.length && names.length < 32) {
      if (this.remaining > 0) {
        const take = Math.min(this.remaining, payload.length - at);
        this.remaining -= take;
        at += take;
        continue;
      }
      while (this.header.length < 6 && at < payload.length) this.header.push(payload[at++]!);
      if (this.header.length < 5) break;
      const [type, major, , high, low] = this.header as [number, number, number, number, number];
      if (type < 20 || type > 24 || major !== 3) {
        this.lost = true; // not record-aligned any more: stop naming rather than guess
        return names;
      }
      const length = (high << 8) | low;
      if (length === 0) {
        this.lost = true;
        return names;
      }
      // 6th byte (first of the body) names the handshake message, if it is in this segment.
      const firstBody = this.header.length === 6 ? this.header[5] : undefined;
      names.push(recordName(type, firstBody));
      this.remaining = length - (this.header.length - 5);
      this.header = [];
      if (this.remaining < 0) this.remaining = 0;
    }
    return names;
  }

  /** A gap or retransmission in this direction: boundaries can no longer be trusted. */
  desync(): void {
    this.lost = true;
  }
}

function recordName(type: number, firstBody: number | undefined): string {
  switch (type) {
    case 20:
      return 'ChangeCipherSpec';
    case 21:
      return 'Alert';
    case 22:
      return firstBody !== undefined ? (HANDSHAKE_NAMES[firstBody] ?? 'Handshake') : 'Handshake';
    case 23:
      return 'Application Data';
    default:
      return 'Heartbeat';
  }
}
