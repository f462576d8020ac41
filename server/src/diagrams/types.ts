// Diagram documents: the JSON that lesson writers author in media/diagrams/<id>.json, that the capture
// converter produces, and that the renderer turns into SVG. Format reference: docs/diagram-format.md.
// Pure types — imported by Node (tests, site generation) and by the browser webview bundles.

/** A citation such as "RFC 9293 §3.5" or "node:http v19.0.0 #43522". */
export type Cite = string;

/**
 * A point in time or a duration. A number is in the document's `timeUnit`; a string is a sum of terms
 * with units, e.g. "1rtt + 40ms", "0.5rtt", "200ms", "1.5s", "30 min". Terms in `rtt` scale with the
 * RTT control; the others (timers, idle gaps, processing time) stay fixed.
 */
export type Time = number | string;

export type TimeUnit = 'rtt' | 'ms' | 'us';

export type DiagramKind = 'sequence' | 'header' | 'stack';

/** Fields every document shares. `id` must equal the file name without `.json`. */
export interface DiagramBase {
  kind: DiagramKind;
  version: 1;
  id: string;
  title: string;
  /** One or two sentences for the SVG `<desc>` and screen readers. */
  description?: string;
  cite?: Cite[];
}

// ---------------------------------------------------------------- sequence (ladder) diagrams

export type HostRole = 'client' | 'server' | 'proxy' | 'nat' | 'resolver' | 'balancer' | 'database' | 'router';

export interface Host {
  id: string;
  label?: string;
  /** Use RFC 5737 / RFC 3849 documentation addresses in lessons. */
  addr?: string;
  role?: HostRole;
}

/** The request-phase timeline users ask for: DNS → TCP → TLS → request → response. */
export type Phase = 'dns' | 'tcp' | 'tls' | 'quic' | 'request' | 'response' | 'close';
export const PHASES: readonly Phase[] = ['dns', 'tcp', 'tls', 'quic', 'request', 'response', 'close'];

export type TcpFlag = 'SYN' | 'ACK' | 'FIN' | 'RST' | 'PSH' | 'URG' | 'ECE' | 'CWR';
export const TCP_FLAGS: readonly TcpFlag[] = ['SYN', 'ACK', 'FIN', 'RST', 'PSH', 'URG', 'ECE', 'CWR'];

/** A record or frame carried inside a message (TLS records in one TCP segment, HTTP/2 frames). */
export interface Encapsulated {
  proto: string;
  label?: string;
  len?: number;
  stream?: number;
  note?: string;
}

export interface ByteRange {
  /** Byte offsets into `hex`, end exclusive. */
  start: number;
  end: number;
  field: string;
  note?: string;
  /** id of a `header` diagram that explains this range. */
  layout?: string;
}

export interface MessageBytes {
  /** Hex digits; whitespace is ignored. */
  hex: string;
  ranges: ByteRange[];
}

export interface Message {
  /**
   * Send time on the sender's lifeline. Messages are listed in send order. Omitted: the latest arrival
   * at `from` of an earlier non-lost message, or the previous message's send time if later (0 for the first).
   */
  t?: Time;
  /** Only with `t` omitted: added to the default send time (think time, delayed-ACK timer, RTO). */
  wait?: Time;
  /** Arrival time; default `t + oneWayDelay["from->to"]`, else `t + 0.5rtt`. */
  arrive?: Time;
  from: string;
  to: string;
  proto: 'TCP' | 'UDP' | 'TLS' | 'HTTP/1.1' | 'HTTP/2' | 'HTTP/3' | 'QUIC' | 'DNS' | 'WS' | 'ICMP' | (string & {});
  flags?: TcpFlag[];
  /** Relative sequence/acknowledgment numbers (Wireshark's default presentation). */
  seq?: number;
  ack?: number;
  /** Payload bytes at this layer. */
  len?: number;
  /** Receive window, already scaled. */
  win?: number;
  /** SYN options and similar: { mss: 1460, wscale: 7, sackOk: true, ts: true }. */
  opts?: Record<string, number | boolean | string>;
  /** Text on the arrow; default derived from proto and flags ("TCP SYN, ACK"). */
  label?: string;
  /** What happens in this step, in plain words; shown by step-through and in the table. */
  explain?: string;
  phase?: Phase;
  /** Lost in the network: drawn ending in × halfway; `arrive` then only sets the slope. */
  lost?: boolean;
  /** 0-based index of the message this one retransmits. */
  retransmitOf?: number;
  /** HTTP/2 or QUIC stream id (shown in the label, used for colour). */
  stream?: number;
  encapsulates?: Encapsulated[];
  bytes?: MessageBytes;
  /** Frame number in the capture this message came from. */
  frame?: number;
  /** Short side note shown in the table and the tooltip. */
  note?: string;
  /** Lesson id that explains this message. */
  lesson?: string;
}

export type SpanKind = 'rtt' | 'handshake' | 'timer' | 'idle' | 'wait';

export interface Span {
  from: Time;
  to: Time;
  label: string;
  /** Draw beside this host's lifeline (timers); without it, on the right margin. */
  host?: string;
  kind?: SpanKind;
  /** Step at which it appears; default derived from its start time. */
  step?: number;
}

/** A connection state after an event (RFC 9293 convention), e.g. SYN-SENT, ESTABLISHED, TIME-WAIT. */
export interface HostState {
  host: string;
  t: Time;
  state: string;
  /** Step at which it appears; default: the step whose message reaches or leaves the host at `t`. */
  step?: number;
}

/** Something that happens on one host without a packet: "app calls write()", "RTO fires". */
export interface HostNote {
  host: string;
  t: Time;
  text: string;
  step?: number;
}

export interface SequenceDiagram extends DiagramBase {
  kind: 'sequence';
  /** Unit of plain-number times. Default 'rtt' when absent. */
  timeUnit?: TimeUnit;
  /** Nominal RTT in milliseconds the diagram is drawn at (default 50, the `wirelens.rttMs` default). */
  rtt?: number;
  /** Range the RTT control may take, in ms (default [1, 1000]); validation checks times stay ordered across it. */
  rttRange?: [number, number];
  hosts: Host[];
  /** One-way delay per direction, keys "a->b". Missing directions default to 0.5rtt. */
  oneWayDelay?: Record<string, Time>;
  messages: Message[];
  spans?: Span[];
  states?: HostState[];
  notes?: HostNote[];
}

// ---------------------------------------------------------------- header layouts

export interface HeaderField {
  name: string;
  /** Width in bits, or 'var' for a variable-length part (length in whole bytes). */
  bits: number | 'var';
  /** Optional explicit start bit (Mermaid `start-end` style); must equal where the previous field ends. */
  start?: number;
  /** Short label for narrow boxes (1-bit flags); the full name stays in the tooltip and table. */
  short?: string;
  minBytes?: number;
  maxBytes?: number;
  /** How the receiver learns the length, e.g. "Data Offset * 4 - 20". */
  lengthFrom?: string;
  /** Enumerated values: { "6": "TCP", "17": "UDP" }. */
  values?: Record<string, string>;
  note?: string;
  cite?: Cite;
}

export interface HeaderLayout extends DiagramBase {
  kind: 'header';
  /** Bits per drawn row; default 32 as in RFC figures. */
  bitsPerRow?: 8 | 16 | 32 | 64;
  /** pcap/pcapng fields are 'host'. Default 'big' (network byte order). */
  byteOrder?: 'big' | 'little' | 'host';
  fields: HeaderField[];
}

// ---------------------------------------------------------------- encapsulation stacks

export interface StackLayer {
  name: string;
  /** Bytes this layer adds in front of what it carries. */
  headerBytes: number;
  /** Bytes it adds behind (Ethernet FCS, TLS AEAD tag + content type). */
  trailerBytes?: number;
  /** id of a `header` diagram that shows this layer's header. */
  layout?: string;
  note?: string;
}

/** One packet as nested envelopes, outermost layer first (Ethernet ⊃ IP ⊃ TCP ⊃ TLS ⊃ HTTP). */
export interface EncapsulationStack extends DiagramBase {
  kind: 'stack';
  layers: StackLayer[];
  payload: { name: string; bytes: number; note?: string };
}

export type Diagram = SequenceDiagram | HeaderLayout | EncapsulationStack;
