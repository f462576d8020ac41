// The lesson catalog: stable ids (file names under media/lessons/), their plan number and title.
// Rule metas and hover explanations name lessons by these ids; the catalog test checks that each
// id has its Markdown file and that every file is listed here.

export interface LessonEntry {
  id: string;
  number: string;
  title: string;
  module: string;
}

const MODULES = {
  A: 'Foundations',
  B: 'Kernel lifecycle',
  C: 'TCP performance',
  D: 'Connection management in Node',
  E: 'Names and middleboxes',
  F: 'TLS',
  G: 'Beyond HTTP/1.1',
  H: 'Data stores and observing',
} as const;

const entry = (number: string, id: string, module: keyof typeof MODULES, title: string): LessonEntry => ({
  id,
  number,
  title,
  module: MODULES[module],
});

export const LESSONS: readonly LessonEntry[] = [
  entry('L01', 'encapsulation-and-overhead', 'A', 'Encapsulation and overhead: what one call puts on the wire'),
  entry('L02', 'addresses-ports-sockets', 'A', 'Addresses, ports, sockets and listen addresses'),
  entry('L03', 'tcp-handshake', 'A', 'The TCP handshake and the cost of a new connection'),
  entry('L04', 'listen-backlog', 'B', 'Listen backlog: the SYN queue and the accept queue'),
  entry('L05', 'closing-connections', 'B', 'Closing: FIN and RST, half-close, TIME_WAIT'),
  entry('L06', 'ephemeral-ports', 'B', 'Ephemeral ports and source-port exhaustion'),
  entry('L07', 'retransmission-and-timeouts', 'B', 'Retransmission, RTO and why calls hang without timeouts'),
  entry('L08', 'nagle-and-nodelay', 'C', "Nagle's algorithm and TCP_NODELAY"),
  entry('L09', 'delayed-ack', 'C', 'Delayed ACK and the write-write-read stall'),
  entry('L10', 'mtu-and-fragmentation', 'C', 'MTU, MSS, path MTU discovery and fragmentation'),
  entry('L11', 'flow-control-and-backpressure', 'C', 'Flow control, window scaling and backpressure'),
  entry('L12', 'congestion-control', 'C', 'Congestion control: slow start and the initial window'),
  entry('L13', 'keep-alive-and-pools', 'D', 'HTTP/1.1 keep-alive and connection pools'),
  entry('L14', 'idle-timeout-alignment', 'D', 'Idle-timeout alignment across hops'),
  entry('L15', 'keepalive-and-heartbeats', 'D', 'TCP keepalive, HTTP keep-alive and heartbeats'),
  entry('L16', 'http1-concurrency', 'D', 'HTTP/1.1 concurrency: pipelining, head-of-line blocking, queueing'),
  entry('L17', 'dns-in-node', 'E', 'DNS in Node: lookup, resolve, the thread pool and caching'),
  entry('L18', 'happy-eyeballs', 'E', 'Dual stack and Happy Eyeballs'),
  entry('L19', 'nat-and-conntrack', 'E', 'NAT, conntrack and private addressing'),
  entry('L20', 'proxies-and-load-balancers', 'E', 'Proxies and load balancers: L4 and L7, the client address'),
  entry('L21', 'tls-handshake', 'F', 'TLS 1.2 and 1.3 handshakes, SNI and ALPN'),
  entry('L22', 'tls-resumption-and-0rtt', 'F', 'Session resumption, 0-RTT and TCP Fast Open'),
  entry('L23', 'http2', 'G', 'HTTP/2: multiplexing, flow control and TCP head-of-line blocking'),
  entry('L24', 'quic-and-http3', 'G', 'QUIC and HTTP/3'),
  entry('L25', 'udp-dgram', 'G', 'UDP with dgram'),
  entry('L26', 'websocket', 'G', 'WebSocket'),
  entry('L27', 'database-clients', 'H', 'Database and cache clients over TCP'),
  entry('L28', 'capture-and-observation', 'H', 'Seeing the packets: captures, key logs and ss'),
];

const byId = new Map(LESSONS.map((l) => [l.id, l]));

export function lessonById(id: string): LessonEntry | undefined {
  return byId.get(id);
}
