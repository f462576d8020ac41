// Event kinds the analyzer reports and the lesson that explains each (ids from server/src/lessons/catalog.ts;
// test/capture checks every id exists).

export type EventKind =
  | 'retransmission'
  | 'spurious-retransmission'
  | 'syn-retransmission'
  | 'out-of-order'
  | 'lost-segment'
  | 'dup-ack'
  | 'zero-window'
  | 'zero-window-probe'
  | 'rst'
  | 'connection-refused'
  | 'slow-handshake'
  | 'handshake-incomplete'
  | 'half-close'
  | 'keep-alive'
  | 'ip-fragmented'
  | 'fragmentation-needed'
  | 'port-unreachable'
  | 'host-unreachable'
  | 'dns-error';

export const EVENT_LESSONS: Readonly<Record<EventKind, string>> = {
  retransmission: 'retransmission-and-timeouts',
  'spurious-retransmission': 'retransmission-and-timeouts',
  'syn-retransmission': 'retransmission-and-timeouts',
  'out-of-order': 'retransmission-and-timeouts',
  'lost-segment': 'retransmission-and-timeouts',
  'dup-ack': 'retransmission-and-timeouts',
  'zero-window': 'flow-control-and-backpressure',
  'zero-window-probe': 'flow-control-and-backpressure',
  rst: 'closing-connections',
  'connection-refused': 'addresses-ports-sockets',
  'slow-handshake': 'tcp-handshake',
  'handshake-incomplete': 'tcp-handshake',
  'half-close': 'closing-connections',
  'keep-alive': 'keepalive-and-heartbeats',
  'ip-fragmented': 'mtu-and-fragmentation',
  'fragmentation-needed': 'mtu-and-fragmentation',
  'port-unreachable': 'udp-dgram',
  'host-unreachable': 'addresses-ports-sockets',
  'dns-error': 'dns-in-node',
};

/** One line per kind, for the text report and the viewer's tooltips. */
export const EVENT_TITLES: Readonly<Record<EventKind, string>> = {
  retransmission: 'retransmission',
  'spurious-retransmission': 'spurious retransmission (already acknowledged)',
  'syn-retransmission': 'SYN retransmitted (no answer in time)',
  'out-of-order': 'segment out of order',
  'lost-segment': 'previous segment not captured (lost before the capture point)',
  'dup-ack': 'duplicate ACK',
  'zero-window': 'zero window: the receiver stopped reading',
  'zero-window-probe': 'zero-window probe',
  rst: 'connection reset (RST)',
  'connection-refused': 'connection refused (SYN answered with RST)',
  'slow-handshake': 'slow handshake',
  'handshake-incomplete': 'handshake never completed',
  'half-close': 'half-close: data after the peer’s FIN',
  'keep-alive': 'TCP keep-alive probe',
  'ip-fragmented': 'IP datagram sent in fragments',
  'fragmentation-needed': 'ICMP fragmentation needed / packet too big',
  'port-unreachable': 'ICMP port unreachable',
  'host-unreachable': 'ICMP destination unreachable',
  'dns-error': 'DNS error response',
};

/** The lesson on reading captures, linked from the capture viewer's header ("How to read a capture"). */
export const CAPTURE_GUIDE_LESSON = 'capture-and-observation';

export function lessonFor(kind: EventKind): string {
  return EVENT_LESSONS[kind];
}
