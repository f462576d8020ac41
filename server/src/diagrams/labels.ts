// Text derived from messages, shared by the SVG arrows and the table so both say the same thing.
import type { Message, Phase } from './types';

export const PHASE_NAMES: Record<Phase, string> = {
  dns: 'DNS',
  tcp: 'TCP',
  tls: 'TLS',
  quic: 'QUIC',
  request: 'request',
  response: 'response',
  close: 'close',
};

/** "TCP SYN, ACK", "DNS", "HTTP/2 [stream 3]". */
export function protoAndFlags(m: Message): string {
  let out = m.proto;
  if (m.flags && m.flags.length > 0) out += ` ${m.flags.join(', ')}`;
  if (m.stream !== undefined) out += ` [stream ${m.stream}]`;
  return out;
}

/** The text on the arrow: the author's label, else protocol and flags. */
export function mainLabel(m: Message): string {
  return m.label ?? protoAndFlags(m);
}

const OPTION_NAMES: Record<string, string> = { wscale: 'ws', sackOk: 'sack' };

/** "seq=0 ack=1 len=0 win=65535 mss=1460 ws=7 sack ts" — only what is set. */
export function detailLine(m: Message): string {
  const parts: string[] = [];
  if (m.label !== undefined) parts.push(protoAndFlags(m));
  if (m.seq !== undefined) parts.push(`seq=${m.seq}`);
  if (m.ack !== undefined) parts.push(`ack=${m.ack}`);
  if (m.len !== undefined) parts.push(`len=${m.len}`);
  if (m.win !== undefined) parts.push(`win=${m.win}`);
  for (const [key, value] of Object.entries(m.opts ?? {})) {
    const name = OPTION_NAMES[key] ?? key;
    if (value === true) parts.push(name);
    else if (value !== false) parts.push(`${name}=${value}`);
  }
  if (m.retransmitOf !== undefined) parts.push(`retransmits #${m.retransmitOf + 1}`);
  if (m.lost) parts.push('lost');
  return parts.join(' ');
}

/** Encapsulated records as chip texts: "TLS Certificate (2400 B)". */
export function chipTexts(m: Message): string[] {
  return (m.encapsulates ?? []).map((e) => {
    let out = e.label ? `${e.proto} ${e.label}` : e.proto;
    if (e.stream !== undefined) out += ` [stream ${e.stream}]`;
    if (e.len !== undefined) out += ` (${e.len} B)`;
    return out;
  });
}
