// Test helpers: example documents and a small SVG reader (attributes of elements, well-formedness).
import assert from 'node:assert/strict';
import type { HeaderLayout, SequenceDiagram } from '../../server/src/diagrams/index';

export interface Element {
  name: string;
  attrs: Record<string, string>;
  /** Index in the source, to find the element's content. */
  at: number;
}

const ENTITY: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" };

function decode(value: string): string {
  return value.replace(/&(amp|lt|gt|quot|#39);/g, (_, e: string) => ENTITY[e]!);
}

/** Every start tag in `svg`, with decoded attributes. */
export function elements(svg: string): Element[] {
  const out: Element[] = [];
  const tag = /<([a-zA-Z][\w:-]*)((?:\s+[\w:.-]+="[^"]*")*)\s*\/?>/g;
  for (const match of svg.matchAll(tag)) {
    const attrs: Record<string, string> = {};
    for (const a of match[2]!.matchAll(/([\w:.-]+)="([^"]*)"/g)) attrs[a[1]!] = decode(a[2]!);
    out.push({ name: match[1]!, attrs, at: match.index! });
  }
  return out;
}

export function byKind(svg: string, kind: string): Element[] {
  return elements(svg).filter((e) => e.attrs['data-kind'] === kind);
}

export function num(e: Element, attr: string): number {
  const value = Number(e.attrs[attr]);
  assert.ok(Number.isFinite(value), `${e.name}.${attr} = ${e.attrs[attr]}`);
  return value;
}

/** Text content (decoded, tags stripped) of the element that starts at `e`. */
export function textOf(svg: string, e: Element): string {
  const close = `</${e.name}>`;
  let depth = 0;
  const open = new RegExp(`<${e.name}[\\s>]|</${e.name}>`, 'g');
  open.lastIndex = e.at;
  let end = svg.length;
  for (const m of svg.matchAll(open)) {
    if (m.index! < e.at) continue;
    if (m[0] === close) depth -= 1;
    else depth += 1;
    if (depth === 0) {
      end = m.index!;
      break;
    }
  }
  const inner = svg.slice(svg.indexOf('>', e.at) + 1, end);
  return decode(inner.replace(/<title>[\s\S]*?<\/title>/g, ' ').replace(/<[^>]+>/g, ' ')).replace(/\s+/g, ' ').trim();
}

/** Tags balance, attributes are quoted, no raw "<" or "&" in text: enough to catch broken escaping. */
export function assertWellFormed(markup: string): void {
  const stack: string[] = [];
  const token = /<!\[CDATA\[[\s\S]*?\]\]>|<\/?([a-zA-Z][\w:-]*)((?:\s+[\w:.-]+="[^"<]*")*)\s*(\/?)>|<|&(?!(?:amp|lt|gt|quot|#39);)/g;
  for (const m of markup.matchAll(token)) {
    if (m[0].startsWith('<![CDATA[')) continue;
    if (m[0] === '<' || m[0].startsWith('&')) assert.fail(`unescaped ${JSON.stringify(m[0])} at ${m.index}: ${markup.slice(m.index!, m.index! + 60)}`);
    const name = m[1]!;
    if (m[0].startsWith('</')) assert.equal(stack.pop(), name, `closing </${name}> at ${m.index}`);
    else if (m[3] !== '/' && !['br'].includes(name)) stack.push(name);
  }
  assert.deepEqual(stack, [], 'unclosed elements');
}

/** A plain two-host handshake in RTT units. */
export function handshake(overrides: Partial<SequenceDiagram> = {}): SequenceDiagram {
  return {
    kind: 'sequence',
    version: 1,
    id: 'handshake',
    title: 'TCP handshake',
    rtt: 40,
    hosts: [
      { id: 'c', label: 'client', addr: '192.0.2.1:50000', role: 'client' },
      { id: 's', label: 'server', addr: '198.51.100.7:443', role: 'server' },
    ],
    messages: [
      { from: 'c', to: 's', proto: 'TCP', flags: ['SYN'], seq: 0, phase: 'tcp', explain: 'open' },
      { from: 's', to: 'c', proto: 'TCP', flags: ['SYN', 'ACK'], seq: 0, ack: 1, phase: 'tcp' },
      { from: 'c', to: 's', proto: 'TCP', flags: ['ACK'], seq: 1, ack: 1, phase: 'tcp' },
      { from: 'c', to: 's', proto: 'HTTP/1.1', label: 'GET /', len: 80, phase: 'request' },
      { from: 's', to: 'c', proto: 'HTTP/1.1', label: '200 OK', len: 512, wait: '5ms', phase: 'response' },
    ],
    spans: [{ from: 0, to: 1, label: 'TCP: 1 RTT', kind: 'rtt' }],
    states: [{ host: 'c', t: 1, state: 'ESTABLISHED' }],
    ...overrides,
  };
}

export function tcpHeader(): HeaderLayout {
  const flag = (name: string) => ({ name, bits: 1, short: name[0] });
  return {
    kind: 'header',
    version: 1,
    id: 'tcp-header',
    title: 'TCP header',
    fields: [
      { name: 'Source Port', bits: 16 },
      { name: 'Destination Port', bits: 16 },
      { name: 'Sequence Number', bits: 32 },
      { name: 'Acknowledgment Number', bits: 32 },
      { name: 'Data Offset', bits: 4 },
      { name: 'Reserved', bits: 4 },
      ...['CWR', 'ECE', 'URG', 'ACK', 'PSH', 'RST', 'SYN', 'FIN'].map(flag),
      { name: 'Window', bits: 16 },
      { name: 'Checksum', bits: 16 },
      { name: 'Urgent Pointer', bits: 16 },
      { name: 'Options', bits: 'var', minBytes: 0, maxBytes: 40, lengthFrom: 'Data Offset * 4 - 20' },
    ],
  };
}
