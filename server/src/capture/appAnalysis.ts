// Application hints from the payloads of a conversation: HTTP/1.x start lines, TLS hellos (read from the
// start of each direction's byte stream, across segments when needed), TLS record names per segment, and
// DNS over UDP or TCP.

import type { PacketRow, Side } from './analysisTypes';
import { dnsLabel, parseDns } from './appDns';
import { httpLabel, parseHttpStart } from './appHttp';
import { looksLikeTlsHandshake, parseClientHello, parseServerHello, TlsRecordWalker } from './appTls';
import type { AnalyzerLimits, ConversationState, SideState } from './conversationState';
import type { TcpStep } from './tcpAnalysis';

export const DNS_PORTS = [53, 5353, 5355];

/** Shared across conversations: bytes of stream starts held right now. */
export interface PrefixBudget {
  held: number;
}

export function inspectTcpPayload(
  conv: ConversationState,
  from: Side,
  side: SideState,
  payload: Uint8Array,
  step: TcpStep,
  number: number,
  row: PacketRow,
  limits: AnalyzerLimits,
  budget: PrefixBudget,
): void {
  // A gap, a retransmission or a payload cut by the snapshot length: byte-exact stream reading stops here.
  const complete = payload.length >= step.payloadLength;
  if (step.desync || (step.inOrder && !complete)) {
    side.tlsWalker?.desync();
    dropPrefix(side, budget);
    side.appDone = true;
  }
  if (!step.inOrder || payload.length === 0) return;

  if (side.tlsWalker) {
    const records = side.tlsWalker.walk(payload);
    if (records.length > 0) {
      row.tlsRecords = records;
      row.label ??= records.length > 3 ? `${records.slice(0, 3).join(', ')} +${records.length - 3}` : records.join(', ');
    }
  }

  if (side.prefix) {
    appendPrefix(side, payload);
    readStreamStart(conv, from, side, side.prefix.subarray(0, side.prefixLength), number, row, limits, budget);
  } else if (!side.appDone && step.streamOffset === 0) {
    readStreamStart(conv, from, side, payload, number, row, limits, budget);
  }

  if (!side.tlsWalker) {
    const start = parseHttpStart(payload);
    if (start) {
      conv.app.protocol ??= start.kind === 'h2-preface' ? 'HTTP/2' : `HTTP/${start.kind === 'request' ? start.version : start.version}`;
      row.label = httpLabel(start);
      if (!conv.keepHint(conv.app.http)) {
        // over the cap: the row keeps its label, the hint list stays as it is
      } else if (start.kind === 'request') {
        conv.app.http.push({ packet: number, from, kind: 'request', method: start.method, target: start.target, version: start.version, ...(start.host !== undefined ? { host: start.host } : {}) });
      } else if (start.kind === 'response') {
        conv.app.http.push({ packet: number, from, kind: 'response', status: start.status, reason: start.reason, version: start.version });
      } else {
        conv.app.http.push({ packet: number, from, kind: 'h2-preface' });
      }
    }
  }
}

/** The first bytes of one direction: a TLS hello, or DNS over TCP. Waits for more bytes when cut short. */
function readStreamStart(
  conv: ConversationState,
  from: Side,
  side: SideState,
  stream: Uint8Array,
  number: number,
  row: PacketRow,
  limits: AnalyzerLimits,
  budget: PrefixBudget,
): void {
  let needed = 0;
  if (looksLikeTlsHandshake(stream)) {
    side.tlsWalker ??= walkerFor(stream, row);
    if (from === 'client') {
      const hello = parseClientHello(stream);
      if (hello.status === 'ok') (conv.app.tls ??= {}).clientHello = { ...hello.value, packet: number };
      else if (hello.status === 'need-more') needed = hello.needed;
      if (hello.status === 'ok') conv.app.protocol = 'TLS';
    } else {
      const hello = parseServerHello(stream);
      if (hello.status === 'ok') (conv.app.tls ??= {}).serverHello = { ...hello.value, packet: number };
      else if (hello.status === 'need-more') needed = hello.needed;
      if (hello.status === 'ok') conv.app.protocol = 'TLS';
    }
  } else if (stream.length >= 2 && (DNS_PORTS.includes(conv.serverPort ?? -1) || DNS_PORTS.includes(conv.clientPort ?? -1))) {
    const length = (stream[0]! << 8) | stream[1]!;
    if (stream.length >= 2 + length) {
      const message = parseDns(stream.subarray(2, 2 + length));
      if (message) {
        conv.app.protocol = 'DNS';
        row.label = dnsLabel(message);
        if (conv.keepHint(conv.app.dns)) conv.app.dns.push({ ...message, packet: number, from });
      }
    } else {
      needed = 2 + length;
    }
  }
  if (needed > 0 && needed <= limits.maxPrefixBytes) {
    if (!side.prefix) startPrefix(side, stream, needed, budget, limits.maxPrefixBytesTotal);
    if (side.prefix) return; // keep collecting
  }
  dropPrefix(side, budget);
  side.appDone = true;
}

function walkerFor(stream: Uint8Array, row: PacketRow): TlsRecordWalker {
  const walker = new TlsRecordWalker();
  const records = walker.walk(stream);
  if (records.length > 0) {
    row.tlsRecords = records;
    row.label ??= records.join(', ');
  }
  return walker;
}

function startPrefix(side: SideState, first: Uint8Array, wanted: number, budget: PrefixBudget, maxTotal: number): void {
  if (budget.held + wanted > maxTotal) return;
  side.prefix = new Uint8Array(wanted);
  side.prefixWanted = wanted;
  budget.held += wanted;
  side.prefixLength = 0;
  appendPrefix(side, first);
}

function appendPrefix(side: SideState, bytes: Uint8Array): void {
  if (!side.prefix) return;
  const take = Math.min(bytes.length, side.prefixWanted - side.prefixLength);
  side.prefix.set(bytes.subarray(0, take), side.prefixLength);
  side.prefixLength += take;
}

function dropPrefix(side: SideState, budget: PrefixBudget): void {
  if (!side.prefix) return;
  budget.held -= side.prefixWanted;
  side.prefix = null;
  side.prefixLength = 0;
  side.prefixWanted = 0;
}

export function inspectUdpPayload(conv: ConversationState, from: Side, payload: Uint8Array, srcPort: number, dstPort: number, number: number, timeMs: number, row: PacketRow): void {
  if (!DNS_PORTS.includes(srcPort) && !DNS_PORTS.includes(dstPort)) return;
  const message = parseDns(payload);
  if (!message) return;
  conv.app.protocol = srcPort === 5353 || dstPort === 5353 ? 'mDNS' : 'DNS';
  row.label = dnsLabel(message);
  if (conv.keepHint(conv.app.dns)) conv.app.dns.push({ ...message, packet: number, from });
  if (message.response && message.rcode !== 0) {
    conv.addEvent('dns-error', number, timeMs, from, `${message.rcodeName} for ${message.question?.name ?? 'the query'}`, row);
  }
}
