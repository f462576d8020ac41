// The `wirelens capture` outputs: the JSON summary (a fixed, documented shape) and the text report.

import type { CaptureAnalysis, Conversation, Transport } from './analysisTypes';
import { EVENT_TITLES, type EventKind } from './events';
import { tcpdumpFlags } from './packetTypes';

export interface CaptureSummaryEvent {
  kind: EventKind;
  packet: number;
  lesson: string;
}

export interface CaptureSummaryConversation {
  client: string;
  server: string;
  transport: Transport;
  packets: number;
  bytes: number;
  handshakeRttMs: number | null;
  events: CaptureSummaryEvent[];
}

/** `{ "packets", "conversations": [{ "client", "server", "transport", "packets", "bytes", "handshakeRttMs", "events": [{ "kind", "packet", "lesson" }] }] }` */
export interface CaptureSummary {
  packets: number;
  conversations: CaptureSummaryConversation[];
}

export function captureSummary(analysis: CaptureAnalysis): CaptureSummary {
  return {
    packets: analysis.packets,
    conversations: analysis.conversations.map((c) => ({
      client: c.client,
      server: c.server,
      transport: c.transport,
      packets: c.packets,
      bytes: c.bytes,
      handshakeRttMs: c.handshakeRttMs,
      events: c.events.map((e) => ({ kind: e.kind, packet: e.packet, lesson: e.lesson })),
    })),
  };
}

export function formatCaptureJson(analysis: CaptureAnalysis): string {
  return `${JSON.stringify(captureSummary(analysis), null, 2)}\n`;
}

export interface TextOptions {
  /** Shown in the header line. */
  fileName?: string;
  /** Turns a lesson id into a link (the CLI passes its lesson URL builder). */
  lessonUrl?: (lessonId: string) => string;
  /** Events listed per conversation before "… and N more" (default 20). */
  maxEvents?: number;
  /** Conversations listed before "… and N more" (default 200). */
  maxConversations?: number;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  if (bytes < 1e6) return `${(bytes / 1e3).toFixed(1)} kB`;
  if (bytes < 1e9) return `${(bytes / 1e6).toFixed(1)} MB`;
  return `${(bytes / 1e9).toFixed(2)} GB`;
}

export function formatMs(ms: number): string {
  if (ms < 1) return `${ms.toFixed(3)} ms`;
  if (ms < 1000) return `${ms.toFixed(1)} ms`;
  return `${(ms / 1000).toFixed(2)} s`;
}

function fileLine(analysis: CaptureAnalysis, fileName: string | undefined): string {
  const file = analysis.file;
  const parts: string[] = [];
  if (file.format === 'pcap') {
    parts.push(`pcap (${file.timestampPrecision === 'ns' ? 'ns' : 'µs'} timestamps, ${file.sections[0]?.byteOrder ?? '?'}-endian)`);
  } else if (file.format === 'pcapng') {
    const orders = [...new Set(file.sections.map((s) => s.byteOrder))].join('/');
    parts.push(`pcapng (${file.sections.length} section${file.sections.length === 1 ? '' : 's'}, ${orders}-endian)`);
  } else {
    parts.push('unreadable');
  }
  const links = [...new Set(file.interfaces.map((i) => i.linkTypeName))];
  if (file.interfaces.length > 0) parts.push(`${file.interfaces.length} interface${file.interfaces.length === 1 ? '' : 's'} (${links.join(', ')})`);
  parts.push(`${analysis.packets} packet${analysis.packets === 1 ? '' : 's'}`);
  if (analysis.durationMs > 0) parts.push(formatMs(analysis.durationMs));
  return `${fileName ? `${fileName}: ` : ''}${parts.join(', ')}`;
}

function appLine(c: Conversation): string | undefined {
  const bits: string[] = [];
  const hello = c.app.tls?.clientHello;
  if (hello) {
    bits.push(`TLS ClientHello ${hello.version}${hello.sni ? ` SNI ${hello.sni}` : ''}${hello.alpn.length ? ` ALPN ${hello.alpn.join(',')}` : ''}`);
  }
  const serverHello = c.app.tls?.serverHello;
  if (serverHello) bits.push(`ServerHello ${serverHello.version}${serverHello.alpn ? ` ALPN ${serverHello.alpn}` : ''}`);
  const http = c.app.http.slice(0, 6).map((h) => (h.kind === 'request' ? `${h.method} ${h.target}` : h.kind === 'response' ? `${h.status}${h.reason ? ` ${h.reason}` : ''}` : 'HTTP/2 preface'));
  if (http.length) bits.push(http.join(' → ') + (c.app.http.length > 6 ? ` (+${c.app.http.length - 6})` : ''));
  const dns = c.app.dns.slice(0, 4).map((d) => {
    const q = d.question ? `${d.question.type}? ${d.question.name}` : 'DNS';
    if (!d.response) return q;
    if (d.rcode !== 0) return d.rcodeName;
    return d.answers.length ? d.answers.slice(0, 3).map((a) => `${a.type} ${a.data}`).join(', ') : 'no answers';
  });
  if (dns.length) bits.push(`DNS ${dns.join(' → ')}`);
  return bits.length ? bits.join('; ') : undefined;
}

function tcpLine(c: Conversation): string | undefined {
  const tcp = c.tcp;
  if (!tcp) return undefined;
  const parts: string[] = [];
  const h = tcp.handshake;
  if (h.rttMs !== undefined) {
    parts.push(`handshake RTT ${formatMs(h.rttMs)}${h.synRetransmissions ? ` after ${h.synRetransmissions} SYN retransmission(s), setup ${formatMs(h.setupMs ?? h.rttMs)}` : ''}`);
  }
  const opts = (side: typeof tcp.client): string =>
    [side.mss !== undefined ? `mss ${side.mss}` : '', side.wscale !== undefined ? `wscale ${side.wscale}` : '', side.sackPermitted ? 'sack' : '', side.timestamps ? 'ts' : ''].filter(Boolean).join(' ');
  if (h.synPacket) {
    const client = opts(tcp.client);
    const server = opts(tcp.server);
    if (client || server) parts.push(`options client [${client}] server [${server}]`);
  }
  const state: Record<typeof tcp.state, string> = {
    'syn-sent': 'SYN sent, never answered',
    'syn-received': 'SYN-ACK sent, handshake not finished',
    established: 'still open at the end of the capture',
    closing: `half closed (${tcp.firstFin} sent FIN)`,
    closed: `closed, ${tcp.firstFin} closed first${tcp.timeWait ? ` and holds TIME-WAIT` : ''}`,
    reset: `reset by ${tcp.resetBy}`,
    'mid-stream': 'capture started mid-connection',
  };
  parts.push(state[tcp.state]);
  return parts.join('; ');
}

export function formatCaptureText(analysis: CaptureAnalysis, options: TextOptions = {}): string {
  const lines: string[] = [fileLine(analysis, options.fileName)];
  const maxEvents = options.maxEvents ?? 20;
  const maxConversations = options.maxConversations ?? 200;
  const convs = analysis.conversations;
  const totals = new Map<string, number>();
  for (const c of convs) for (const [kind, n] of Object.entries(c.eventCounts)) totals.set(kind, (totals.get(kind) ?? 0) + (n ?? 0));
  lines.push(
    `${convs.length} conversation${convs.length === 1 ? '' : 's'}` +
      (analysis.otherPackets ? `, ${analysis.otherPackets} other packet${analysis.otherPackets === 1 ? '' : 's'} (${Object.entries(analysis.otherKinds).slice(0, 5).map(([k, n]) => `${k}: ${n}`).join(', ')})` : '') +
      (totals.size ? `; events: ${[...totals].map(([k, n]) => `${n} ${k}`).join(', ')}` : ''),
  );
  for (const c of convs.slice(0, maxConversations)) {
    lines.push('');
    const proto = c.app.protocol ? ` ${c.app.protocol}` : '';
    lines.push(`#${c.index} ${c.transport}${proto} ${c.client} → ${c.server}  ${c.packets} packet${c.packets === 1 ? '' : 's'}, ${formatBytes(c.bytes)}, ${formatMs(c.endMs - c.startMs)}`);
    const tcp = tcpLine(c);
    if (tcp) lines.push(`   ${tcp}`);
    const app = appLine(c);
    if (app) lines.push(`   ${app}`);
    const shown = c.events.slice(0, maxEvents);
    for (const e of shown) {
      const lesson = options.lessonUrl ? options.lessonUrl(e.lesson) : `lesson ${e.lesson}`;
      lines.push(`   ! packet ${e.packet} ${e.kind}${e.by ? ` (${e.by})` : ''}: ${e.detail} → ${lesson}`);
    }
    const total = Object.values(c.eventCounts).reduce((a, b) => a + (b ?? 0), 0);
    if (total > shown.length) lines.push(`   … and ${total - shown.length} more events`);
  }
  if (convs.length > maxConversations) lines.push('', `… and ${convs.length - maxConversations} more conversations (use --format json for all)`);
  if (analysis.warnings.length) {
    lines.push('', `warnings (${analysis.warnings.length}):`);
    for (const w of analysis.warnings.slice(0, 10)) lines.push(`   ${w}`);
    if (analysis.warnings.length > 10) lines.push(`   … and ${analysis.warnings.length - 10} more`);
  }
  if (analysis.error) lines.push('', `error: ${analysis.error}`);
  return `${lines.join('\n')}\n`;
}

/** One tcpdump-like line per packet row, for debugging and the viewer's copy action. */
export function describeRow(c: Conversation, index: number): string {
  const row = c.rows[index];
  if (!row) return '';
  const from = row.from === 'client' ? c.client : c.server;
  const to = row.from === 'client' ? c.server : c.client;
  const tcp = row.flags !== undefined ? ` [${tcpdumpFlags(row.flags)}] seq ${row.seq ?? '?'} ack ${row.ack ?? '-'} win ${row.window ?? '?'}` : '';
  return `${row.number} ${formatMs(row.timeMs)} ${from} > ${to}${tcp} len ${row.payloadLength}${row.label ? ` ${row.label}` : ''}`;
}

export { EVENT_TITLES };
