// TCP analysis of one segment in its conversation: handshake and RTT, relative sequence numbers, scaled
// windows, retransmissions (and spurious ones), out-of-order segments, segments lost before the capture
// point, duplicate ACKs, zero windows and probes, keep-alives, FIN/half-close, RST. The heuristics follow
// what Wireshark's TCP analysis reports, computed from one vantage point as the segments stream by.

import type { PacketRow, Side } from './analysisTypes';
import { seqAdd, seqDiff } from './bytes';
import type { ConversationState, SideState } from './conversationState';
import type { EventKind } from './events';
import { TCP_ACK, TCP_FIN, TCP_RST, TCP_SYN, type TcpInfo } from './packetTypes';

export interface TcpOptionsForAnalysis {
  /** A handshake whose setup (first SYN → final ACK) takes at least this long is reported slow. */
  slowHandshakeMs: number;
}

export interface TcpStep {
  /** The payload continues the stream exactly where the previous in-order byte ended. */
  inOrder: boolean;
  /** Offset of the payload in this direction's byte stream (0 = first byte after the SYN). */
  streamOffset: number;
  /** Data in this direction can no longer be followed byte for byte (gap, retransmission). */
  desync: boolean;
  /** Payload length from the headers (the captured bytes may be fewer). */
  payloadLength: number;
}

/** Segments that fill a hole sooner than this after the hole opened count as reordered, later as retransmitted. */
const OUT_OF_ORDER_MS = 3;
const MAX_HOLES = 32;

export function trackTcp(
  conv: ConversationState,
  tcp: TcpInfo,
  from: Side,
  number: number,
  timeMs: number,
  row: PacketRow,
  options: TcpOptionsForAnalysis,
): TcpStep {
  const state = conv.tcp!;
  const sender = from === 'client' ? state.client : state.server;
  const receiver = from === 'client' ? state.server : state.client;
  const flags = tcp.flags;
  const syn = (flags & TCP_SYN) !== 0;
  const fin = (flags & TCP_FIN) !== 0;
  const rst = (flags & TCP_RST) !== 0;
  const ackFlag = (flags & TCP_ACK) !== 0;
  const payload = tcp.payloadLength;
  const segmentLength = payload + (syn ? 1 : 0) + (fin ? 1 : 0);
  const step: TcpStep = { inOrder: false, streamOffset: 0, desync: false, payloadLength: tcp.payloadLength };
  const event = (kind: EventKind, detail: string): void => conv.addEvent(kind, number, timeMs, from, detail, row);

  sender.packets++;
  sender.payloadBytes += payload;

  // ---------------------------------------------------------------- SYN and handshake
  if (syn) {
    state.sawSyn = true;
    if (sender.synSeen && sender.hasIsn && tcp.seq === sender.isn) {
      state.synRetransmissions++;
      sender.retransmissions++;
      event('syn-retransmission', ackFlag ? 'SYN-ACK sent again: the ACK for it did not arrive in time' : 'SYN sent again: no SYN-ACK arrived before the retransmission timer fired');
    } else {
      sender.firstSynMs = timeMs;
      sender.synPacket = number;
    }
    sender.synSeen = true;
    sender.lastSynMs = timeMs;
    sender.hasIsn = true;
    sender.isn = tcp.seq;
    sender.wscale = tcp.options.wscale ?? -1;
    if (tcp.options.mss !== undefined) sender.mss = tcp.options.mss;
    sender.sackPermitted = tcp.options.sackPermitted === true;
    sender.timestamps = tcp.options.tsVal !== undefined;
    if (ackFlag && !state.synAckPacket) {
      state.synAckPacket = number;
      state.synAckMs = timeMs;
    }
  } else if (!sender.hasIsn) {
    // No SYN captured: number this direction so that its first byte seen is relative 1.
    sender.hasIsn = true;
    sender.isn = seqAdd(tcp.seq, -1);
  }
  if (
    !syn && ackFlag && from === 'client' && state.synAckPacket && !state.handshakeDone &&
    state.server.hasIsn && tcp.ack === seqAdd(state.server.isn, 1)
  ) {
    state.handshakeDone = true;
    state.ackPacket = number;
    state.ackMs = timeMs;
    if (state.client.synSeen) {
      conv.handshakeRttMs = timeMs - state.client.lastSynMs;
      const setup = timeMs - state.client.firstSynMs;
      if (setup >= options.slowHandshakeMs) {
        conv.addEvent('slow-handshake', number, timeMs, from, `connection setup took ${setup.toFixed(1)} ms (SYN → ACK)${state.synRetransmissions ? `, ${state.synRetransmissions} retransmission(s)` : ''}`, row);
      }
    }
  }

  row.rawSeq = tcp.seq;
  row.seq = seqAdd(tcp.seq, -sender.isn);
  if (ackFlag) {
    row.rawAck = tcp.ack;
    if (receiver.hasIsn) row.ack = seqAdd(tcp.ack, -receiver.isn);
  }

  // ---------------------------------------------------------------- RST
  if (rst) {
    sender.rstPacket ||= number;
    if (!state.resetBy) {
      state.resetBy = from;
      const refused = receiver.synSeen && !sender.synSeen && !state.synAckPacket;
      if (refused) event('connection-refused', `${from} answered the SYN with RST: nothing listens on that address and port`);
      else event('rst', `${from} reset the connection${receiver.finSeen || sender.finSeen ? ' during the close' : ''}`);
    }
    return step;
  }

  // ---------------------------------------------------------------- window
  const scaling = state.client.wscale >= 0 && state.server.wscale >= 0;
  const window = syn || !scaling ? tcp.window : tcp.window * 2 ** sender.wscale;
  row.window = window;
  if (window > sender.maxWindow) sender.maxWindow = window;

  // ---------------------------------------------------------------- sequence analysis
  // SYN data (TCP Fast Open) starts right after the SYN's own sequence number: stream offset 0.
  const offset = syn ? 0 : seqDiff(tcp.seq, seqAdd(sender.isn, 1));
  step.streamOffset = offset;
  if (!sender.hasNext) {
    sender.hasNext = true;
    sender.nextSeq = seqAdd(tcp.seq, segmentLength);
    step.inOrder = payload > 0;
  } else {
    const ahead = seqDiff(tcp.seq, sender.nextSeq);
    const isKeepAlive = segmentLength <= 1 && !syn && !fin && ahead === -1;
    const isZeroWindowProbe = !syn && !fin && payload === 1 && receiver.lastWindow === 0 && (ahead === 0 || ahead === -1);
    if (isKeepAlive && !isZeroWindowProbe) {
      receiver.expectKeepAliveAck = true;
      event('keep-alive', 'keep-alive probe: one byte (or none) below the next sequence number, to see if the peer is still there');
    } else if (isZeroWindowProbe) {
      event('zero-window-probe', 'probe of a zero window: one byte to learn when the receiver has room again');
    } else if (ahead > 0) {
      addHole(sender, sender.nextSeq, tcp.seq, timeMs);
      event('lost-segment', `${ahead} bytes before this segment were never captured (lost upstream or dropped by the capture)`);
      sender.nextSeq = seqAdd(tcp.seq, segmentLength);
      step.desync = true;
    } else if (ahead === 0) {
      sender.nextSeq = seqAdd(tcp.seq, segmentLength);
      step.inOrder = payload > 0;
    } else if (segmentLength > 0 && !syn) {
      const end = seqAdd(tcp.seq, segmentLength);
      const filled = fillHole(sender, tcp.seq, end);
      step.desync = true;
      if (seqDiff(end, sender.nextSeq) > 0) {
        sender.retransmissions++;
        event('retransmission', `resends ${-ahead} bytes already sent, plus ${seqDiff(end, sender.nextSeq)} new`);
        sender.nextSeq = end;
      } else if (filled !== undefined && timeMs - filled < OUT_OF_ORDER_MS) {
        event('out-of-order', 'arrived after later data: the network reordered it');
      } else if (filled === undefined && receiver.hasAck && seqDiff(receiver.lastAck, end) >= 0) {
        sender.retransmissions++;
        event('spurious-retransmission', 'resends data the receiver had already acknowledged');
      } else {
        sender.retransmissions++;
        event('retransmission', filled !== undefined ? 'fills a gap: the first copy was lost before the capture point' : `resends ${segmentLength} bytes: the first copy (or its ACK) was lost`);
      }
    }
  }

  // ---------------------------------------------------------------- FIN and half-close
  if (fin && !sender.finSeen) {
    sender.finSeen = true;
    sender.finPacket = number;
    if (!state.firstFin) state.firstFin = from;
  }
  if (payload > 0 && receiver.finSeen && !sender.finSeen && !sender.halfCloseReported) {
    sender.halfCloseReported = true;
    state.halfClosed = true;
    event('half-close', `${from} keeps sending after the ${from === 'client' ? 'server' : 'client'} closed its side with FIN`);
  }

  // ---------------------------------------------------------------- ACK analysis
  if (ackFlag) {
    if (window === 0 && !syn && !fin) {
      if (!sender.zeroWindow) event('zero-window', `${from}'s receive buffer is full: it advertises a zero window and the peer must stop sending`);
      sender.zeroWindow = true;
    } else if (window > 0) {
      sender.zeroWindow = false;
    }
    const pureAck = payload === 0 && !syn && !fin;
    if (
      pureAck && sender.hasAck && tcp.ack === sender.lastAck && window === sender.lastWindow && window > 0 &&
      !sender.expectKeepAliveAck && receiver.hasNext && seqDiff(receiver.nextSeq, tcp.ack) > 0
    ) {
      event('dup-ack', `acknowledges ${row.ack ?? tcp.ack} again: data after it is missing at the receiver`);
    }
    sender.hasAck = true;
    sender.lastAck = tcp.ack;
    sender.lastWindow = window;
  }
  sender.expectKeepAliveAck = false;
  return step;
}

function addHole(side: SideState, start: number, end: number, timeMs: number): void {
  if (side.holes.length >= MAX_HOLES) side.holes.shift();
  side.holes.push({ start, end, timeMs });
}

/** Removes [start, end) from the holes it overlaps; returns when the first overlapped hole opened. */
function fillHole(side: SideState, start: number, end: number): number | undefined {
  let opened: number | undefined;
  const kept = [];
  for (const hole of side.holes) {
    if (seqDiff(end, hole.start) <= 0 || seqDiff(start, hole.end) >= 0) {
      kept.push(hole);
      continue;
    }
    opened ??= hole.timeMs;
    if (seqDiff(start, hole.start) > 0) kept.push({ start: hole.start, end: start, timeMs: hole.timeMs });
    if (seqDiff(hole.end, end) > 0) kept.push({ start: end, end: hole.end, timeMs: hole.timeMs });
  }
  side.holes = kept.slice(-MAX_HOLES);
  return opened;
}
