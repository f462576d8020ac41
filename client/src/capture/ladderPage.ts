// Fits a captured conversation's ladder to the screen. A capture's time axis is real time, and one long
// quiet stretch (a keep-alive connection idle for a minute, a SYN retransmitted after a second) would
// squeeze every other packet into a few pixels. The diagram format already has the answer: `idle`
// spans longer than 4 × the diagram's RTT are drawn as a broken axis with their length written on it.
// This marks the quiet stretches that would dominate the page as idle, with the conversation's RTT as
// the diagram's (fixed) RTT.
import type { SequenceDiagram, Span } from '../../../server/src/diagrams/types';
import { formatMs } from '../../../server/src/capture/summary';

/** A quiet stretch is broken out when it is longer than 4 RTTs and than this share of the page's time. */
const DOMINANT_SHARE = 0.2;

export function withIdleBreaks(diagram: SequenceDiagram, handshakeRttMs: number | null): SequenceDiagram {
  const messages = diagram.messages;
  if (messages.length < 2) return diagram;
  const us = (v: unknown): number => (typeof v === 'number' ? v : NaN);
  const first = us(messages[0]!.t);
  const last = Math.max(...messages.map((m) => us(m.arrive ?? m.t)));
  const totalMs = (last - first) / 1000;
  if (!(totalMs > 0)) return diagram;
  // Without a handshake, the mean gap between packets stands in for the round trip.
  const rttMs = handshakeRttMs !== null && handshakeRttMs > 0 ? handshakeRttMs : totalMs / messages.length;
  const thresholdMs = Math.max(4 * rttMs, DOMINANT_SHARE * totalMs);
  const spans: Span[] = [];
  let quietFrom = -Infinity;
  for (let i = 1; i < messages.length; i++) {
    const previous = messages[i - 1]!;
    quietFrom = Math.max(quietFrom, us(previous.t), us(previous.arrive ?? previous.t));
    const next = us(messages[i]!.t);
    const gapMs = (next - quietFrom) / 1000;
    if (Number.isFinite(gapMs) && gapMs > thresholdMs) spans.push({ from: quietFrom, to: next, label: `nothing sent for ${formatMs(gapMs)}`, kind: 'idle' });
  }
  if (spans.length === 0) return diagram;
  // The RTT only sets the break threshold here: a capture's times are fixed (timeUnit us).
  const rtt = Math.round(rttMs * 1e6) / 1e6;
  return { ...diagram, rtt, rttRange: [rtt, rtt], spans: [...(diagram.spans ?? []), ...spans] };
}
