// DNS messages (RFC 1035 §4.1): the question and the answers (A, AAAA, CNAME, PTR, MX, TXT, NS, SRV, HTTPS),
// with name compression followed safely (bounded jumps, bounded length).

import { ipv4Text, ipv6Text } from './addresses';
import { u16, u32, u8 } from './bytes';

export interface DnsAnswer {
  name: string;
  type: string;
  ttl: number;
  data: string;
}

export interface DnsMessage {
  id: number;
  response: boolean;
  opcode: number;
  rcode: number;
  rcodeName: string;
  question?: { name: string; type: string };
  answers: DnsAnswer[];
  answerCount: number;
  truncatedFlag: boolean;
}

const TYPES: Record<number, string> = {
  1: 'A', 2: 'NS', 5: 'CNAME', 6: 'SOA', 12: 'PTR', 15: 'MX', 16: 'TXT', 28: 'AAAA', 33: 'SRV', 41: 'OPT', 64: 'SVCB', 65: 'HTTPS', 255: 'ANY',
};
const RCODES = ['NOERROR', 'FORMERR', 'SERVFAIL', 'NXDOMAIN', 'NOTIMP', 'REFUSED', 'YXDOMAIN', 'YXRRSET', 'NXRRSET', 'NOTAUTH', 'NOTZONE'];

export function dnsTypeName(type: number): string {
  return TYPES[type] ?? `TYPE${type}`;
}

const MAX_ANSWERS = 16;

/** A name at `offset`; returns the name and the offset just past it in the original position. */
function readName(msg: Uint8Array, offset: number): { name: string; next: number } | undefined {
  const labels: string[] = [];
  let at = offset;
  let next = -1;
  let length = 0;
  for (let jumps = 0; jumps < 64; ) {
    const len = u8(msg, at);
    if (len < 0) return undefined;
    if (len === 0) {
      if (next < 0) next = at + 1;
      return { name: labels.length === 0 ? '.' : labels.join('.'), next };
    }
    if ((len & 0xc0) === 0xc0) {
      const pointer = u16(msg, at);
      if (pointer < 0) return undefined;
      if (next < 0) next = at + 2;
      at = pointer & 0x3fff;
      jumps++;
      continue;
    }
    if (len & 0xc0) return undefined; // extended label types are obsolete
    if (at + 1 + len > msg.length) return undefined;
    length += len + 1;
    if (length > 255) return undefined;
    let label = '';
    for (let i = at + 1; i <= at + len; i++) {
      const b = msg[i]!;
      label += b > 0x20 && b < 0x7f && b !== 0x2e ? String.fromCharCode(b) : `\\${b.toString().padStart(3, '0')}`;
    }
    labels.push(label);
    at += 1 + len;
  }
  return undefined; // compression loop
}

export function parseDns(msg: Uint8Array): DnsMessage | undefined {
  if (msg.length < 12) return undefined;
  const flags = u16(msg, 2);
  const questions = u16(msg, 4);
  const answers = u16(msg, 6);
  const rcode = flags & 0x0f;
  const message: DnsMessage = {
    id: u16(msg, 0),
    response: (flags & 0x8000) !== 0,
    opcode: (flags >> 11) & 0x0f,
    rcode,
    rcodeName: RCODES[rcode] ?? `RCODE${rcode}`,
    answers: [],
    answerCount: answers,
    truncatedFlag: (flags & 0x0200) !== 0,
  };
  if (questions > 64 || message.opcode > 6) return undefined; // not DNS (or not worth reading)
  let at = 12;
  for (let q = 0; q < questions; q++) {
    const name = readName(msg, at);
    if (!name || name.next + 4 > msg.length) return q === 0 ? undefined : message;
    if (q === 0) message.question = { name: name.name, type: dnsTypeName(u16(msg, name.next)) };
    at = name.next + 4;
  }
  for (let a = 0; a < answers && message.answers.length < MAX_ANSWERS; a++) {
    const name = readName(msg, at);
    if (!name || name.next + 10 > msg.length) break;
    const type = u16(msg, name.next);
    const ttl = u32(msg, name.next + 4);
    const length = u16(msg, name.next + 8);
    const start = name.next + 10;
    if (start + length > msg.length) break;
    message.answers.push({ name: name.name, type: dnsTypeName(type), ttl, data: rdataText(msg, type, start, length) });
    at = start + length;
  }
  return message;
}

function rdataText(msg: Uint8Array, type: number, start: number, length: number): string {
  switch (type) {
    case 1:
      return length === 4 ? ipv4Text(msg, start) : '?';
    case 28:
      return length === 16 ? ipv6Text(msg, start) : '?';
    case 2:
    case 5:
    case 12:
      return readName(msg, start)?.name ?? '?';
    case 15: {
      const exchange = readName(msg, start + 2);
      return exchange ? `${u16(msg, start)} ${exchange.name}` : '?';
    }
    case 33: {
      const target = readName(msg, start + 6);
      return target ? `${u16(msg, start)} ${u16(msg, start + 2)} ${u16(msg, start + 4)} ${target.name}` : '?';
    }
    default:
      return `${length} bytes`;
  }
}

export function dnsLabel(message: DnsMessage): string {
  const q = message.question;
  if (!message.response) return q ? `${q.type}? ${q.name}` : 'DNS query';
  if (message.rcode !== 0) return `${message.rcodeName}${q ? ` ${q.name}` : ''}`;
  const shown = message.answers.slice(0, 2).map((a) => `${a.type} ${a.data}`);
  if (shown.length === 0) return q ? `no answer for ${q.type} ${q.name}` : 'empty answer';
  return shown.join(', ') + (message.answerCount > 2 ? ` (+${message.answerCount - 2})` : '');
}
