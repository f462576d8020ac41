// pcapng block bodies (draft-ietf-opsawg-pcapng): options, SHB, IDB, NRB, ISB, DSB. The reader hands each
// function one whole block (type, length, body, trailing length) already checked against its length fields;
// these functions still check every field against the block end, because the body itself can lie.

import { ipv4Text, ipv6Text, macText } from './addresses';
import { i64, u16, u32, u64, u8, utf8 } from './bytes';
import type { InterfaceFields, NameRecord } from './fileTypes';

export const BLOCK = {
  SHB: 0x0a0d0d0a,
  IDB: 0x00000001,
  PB: 0x00000002,
  SPB: 0x00000003,
  NRB: 0x00000004,
  ISB: 0x00000005,
  EPB: 0x00000006,
  DSB: 0x0000000a,
  CB: 0x00000bad,
  DCB: 0x40000bad,
} as const;

export const BYTE_ORDER_MAGIC = 0x1a2b3c4d;

export interface RawOption {
  code: number;
  value: Uint8Array;
}

/**
 * Options from `start` to `end`: {code:2, length:2, value padded to 4}. Stops at opt_endofopt, at the
 * end, or at an option that claims more bytes than remain (reported through `problem`).
 */
export function readOptions(block: Uint8Array, start: number, end: number, le: boolean, problem?: (text: string) => void): RawOption[] {
  const options: RawOption[] = [];
  let at = start;
  while (at + 4 <= end) {
    const code = u16(block, at, le);
    const length = u16(block, at + 2, le);
    if (code === 0) break;
    if (at + 4 + length > end) {
      problem?.(`option ${code} claims ${length} bytes but only ${end - at - 4} remain in the block`);
      break;
    }
    options.push({ code, value: block.subarray(at + 4, at + 4 + length) });
    at += 4 + ((length + 3) & ~3);
  }
  return options;
}

export const OPT_COMMENT = 1;

export function commentsOf(options: RawOption[], max: number): string[] {
  const out: string[] = [];
  for (const o of options) if (o.code === OPT_COMMENT && out.length < max) out.push(utf8(o.value));
  return out;
}

export interface SectionHeader {
  littleEndian: boolean;
  major: number;
  minor: number;
  sectionLength: number;
  hardware?: string;
  os?: string;
  userApplication?: string;
  comments: string[];
}

/** Byte order of a Section Header Block from its byte-order magic (offset 8), or undefined if neither. */
export function sectionByteOrder(head: Uint8Array): boolean | undefined {
  if (u32(head, 8, true) === BYTE_ORDER_MAGIC) return true;
  if (u32(head, 8, false) === BYTE_ORDER_MAGIC) return false;
  return undefined;
}

export function parseSectionHeader(block: Uint8Array, le: boolean, maxComments: number, problem: (t: string) => void): SectionHeader {
  const end = block.length - 4;
  const sectionLength = i64(block, 16, le);
  const options = readOptions(block, 24, end, le, problem);
  const header: SectionHeader = {
    littleEndian: le,
    major: u16(block, 12, le),
    minor: u16(block, 14, le),
    sectionLength: sectionLength === undefined || sectionLength < 0n ? -1 : Number(sectionLength),
    comments: commentsOf(options, maxComments),
  };
  for (const o of options) {
    if (o.code === 2) header.hardware = utf8(o.value);
    else if (o.code === 3) header.os = utf8(o.value);
    else if (o.code === 4) header.userApplication = utf8(o.value);
  }
  return header;
}

export interface InterfaceDescription extends InterfaceFields {
  /** Units per second: base^exponent. */
  tsBase: 10 | 2;
  tsExponent: number;
}

export function parseInterfaceDescription(block: Uint8Array, le: boolean, maxComments: number, problem: (t: string) => void): InterfaceDescription {
  const end = block.length - 4;
  const options = readOptions(block, 16, end, le, problem);
  const idb: InterfaceDescription = {
    linkType: u16(block, 8, le),
    snapLength: u32(block, 12, le),
    ipv4Addresses: [],
    ipv6Addresses: [],
    tsBase: 10,
    tsExponent: 6,
    tsOffsetSec: 0,
    comments: commentsOf(options, maxComments),
  };
  for (const o of options) {
    const v = o.value;
    switch (o.code) {
      case 2: idb.name = utf8(v); break;
      case 3: idb.description = utf8(v); break;
      case 4: if (v.length >= 8 && idb.ipv4Addresses.length < 16) idb.ipv4Addresses.push(`${ipv4Text(v, 0)}/${ipv4Text(v, 4)}`); break;
      case 5: if (v.length >= 17 && idb.ipv6Addresses.length < 16) idb.ipv6Addresses.push(`${ipv6Text(v, 0)}/${v[16]}`); break;
      case 6: if (v.length >= 6) idb.macAddress = macText(v, 0, 6); break;
      case 8: {
        const speed = u64(v, 0, le);
        if (speed !== undefined) idb.speedBps = Number(speed);
        break;
      }
      case 9: {
        const r = u8(v, 0);
        if (r >= 0) {
          idb.tsBase = r & 0x80 ? 2 : 10;
          idb.tsExponent = r & 0x7f;
        }
        break;
      }
      case 11: if (v.length >= 1) idb.filter = utf8(v.subarray(1)); break;
      case 12: idb.os = utf8(v); break;
      case 13: if (v.length >= 1) idb.fcsLength = v[0]; break;
      case 14: {
        const offset = i64(v, 0, le);
        if (offset !== undefined) idb.tsOffsetSec = Number(offset);
        break;
      }
      case 15: idb.hardware = utf8(v); break;
      default: break;
    }
  }
  return idb;
}

/** Name Resolution Block records, then its options (comments). */
export function parseNameResolution(block: Uint8Array, le: boolean, maxComments: number, problem: (t: string) => void): { records: NameRecord[]; comments: string[] } {
  const end = block.length - 4;
  const records: NameRecord[] = [];
  let at = 8;
  let ended = false;
  while (at + 4 <= end) {
    const type = u16(block, at, le);
    const length = u16(block, at + 2, le);
    if (type === 0) {
      at += 4;
      ended = true;
      break;
    }
    if (at + 4 + length > end) {
      problem(`name record claims ${length} bytes but only ${end - at - 4} remain`);
      return { records, comments: [] };
    }
    const value = block.subarray(at + 4, at + 4 + length);
    const addressBytes = type === 1 ? 4 : type === 2 ? 16 : 0;
    if (addressBytes > 0 && value.length > addressBytes) {
      const names: string[] = [];
      let nameStart = addressBytes;
      for (let i = addressBytes; i <= value.length && names.length < 16; i++) {
        if (i === value.length || value[i] === 0) {
          if (i > nameStart) names.push(utf8(value.subarray(nameStart, i), 255));
          nameStart = i + 1;
        }
      }
      records.push({ address: type === 1 ? ipv4Text(value, 0) : ipv6Text(value, 0), names });
    }
    at += 4 + ((length + 3) & ~3);
  }
  const comments = ended ? commentsOf(readOptions(block, at, end, le, problem), maxComments) : [];
  return { records, comments };
}

export interface StatisticsBody {
  localInterfaceId: number;
  tsHigh: number;
  tsLow: number;
  received?: number;
  dropped?: number;
  filterAccepted?: number;
  osDropped?: number;
  delivered?: number;
  startUnits?: [number, number];
  endUnits?: [number, number];
  comments: string[];
}

export function parseInterfaceStatistics(block: Uint8Array, le: boolean, maxComments: number, problem: (t: string) => void): StatisticsBody {
  const end = block.length - 4;
  const options = readOptions(block, 20, end, le, problem);
  const stats: StatisticsBody = {
    localInterfaceId: u32(block, 8, le),
    tsHigh: u32(block, 12, le),
    tsLow: u32(block, 16, le),
    comments: commentsOf(options, maxComments),
  };
  const counter = (v: Uint8Array): number | undefined => {
    const n = u64(v, 0, le);
    return n === undefined ? undefined : Number(n);
  };
  for (const o of options) {
    switch (o.code) {
      case 2: if (o.value.length >= 8) stats.startUnits = [u32(o.value, 0, le), u32(o.value, 4, le)]; break;
      case 3: if (o.value.length >= 8) stats.endUnits = [u32(o.value, 0, le), u32(o.value, 4, le)]; break;
      case 4: stats.received = counter(o.value); break;
      case 5: stats.dropped = counter(o.value); break;
      case 6: stats.filterAccepted = counter(o.value); break;
      case 7: stats.osDropped = counter(o.value); break;
      case 8: stats.delivered = counter(o.value); break;
      default: break;
    }
  }
  return stats;
}

const SECRETS_NAMES: Record<number, string> = {
  0x544c534b: 'TLS key log',
  0x5353484b: 'SSH key log',
  0x57474b4c: 'WireGuard key log',
  0x5a4e574b: 'ZigBee NWK key',
  0x5a415053: 'ZigBee APS key',
};

export function secretsTypeName(type: number): string {
  return SECRETS_NAMES[type] ?? `0x${type.toString(16).padStart(8, '0')}`;
}
