// Turns a sequence diagram into concrete times (ms) for one RTT: default send times, default arrivals,
// loss points, the step each element belongs to, and the request-phase runs. Validation calls it at the
// nominal RTT and at both ends of the RTT range; the renderer and the table call it at the reader's RTT.
import { evaluate, parseTime, type LinearTime } from './time';
import type { HostNote, HostState, Message, Phase, SequenceDiagram, Span, Time, TimeUnit } from './types';

export const DEFAULT_RTT_MS = 50;
export const DEFAULT_RTT_RANGE: readonly [number, number] = [1, 1000];
const HALF_RTT: LinearTime = { rtt: 0.5, ms: 0 };
const EPSILON_MS = 1e-9;

export interface ResolvedMessage {
  index: number;
  /** 1-based step number (message index + 1). */
  step: number;
  message: Message;
  sendMs: number;
  /** Arrival time; for a lost message, when it would have arrived (sets the slope). */
  arriveMs: number;
  /** For a lost message: where the × is drawn (halfway). */
  lossMs?: number;
  /** Where the arrow ends: arrival, or the loss point. */
  endMs: number;
}

export interface ResolvedSpan {
  index: number;
  span: Span;
  fromMs: number;
  toMs: number;
  step: number;
}

export interface ResolvedPoint<T> {
  index: number;
  item: T;
  tMs: number;
  step: number;
}

export interface PhaseRun {
  phase: Phase;
  fromMs: number;
  toMs: number;
  /** Steps (1-based) of the messages in this run. */
  steps: number[];
}

export interface ResolvedSequence {
  diagram: SequenceDiagram;
  rttMs: number;
  /** False when no time depends on the RTT: the RTT control has nothing to move. */
  rttScalable: boolean;
  messages: ResolvedMessage[];
  spans: ResolvedSpan[];
  states: ResolvedPoint<HostState>[];
  notes: ResolvedPoint<HostNote>[];
  phases: PhaseRun[];
  /** Time of the last thing drawn. */
  totalMs: number;
  /** `reachedMs[s - 1]`: the latest arrival (or loss) once step s has happened. */
  reachedMs: number[];
}

/** Reads a time the validator has already accepted; throws if it was not validated. */
class TimeReader {
  usesRtt = false;
  constructor(private readonly unit: TimeUnit, private readonly rttMs: number) {}

  linear(value: Time): LinearTime {
    const parsed = parseTime(value, this.unit);
    if (typeof parsed === 'string') throw new Error(`invalid time ${JSON.stringify(value)}: ${parsed}`);
    return parsed;
  }

  ms(value: Time): number {
    return this.evaluate(this.linear(value));
  }

  evaluate(time: LinearTime): number {
    if (time.rtt !== 0) this.usesRtt = true;
    return evaluate(time, this.rttMs);
  }
}

export function resolveSequence(diagram: SequenceDiagram, rttMs: number = diagram.rtt ?? DEFAULT_RTT_MS): ResolvedSequence {
  const reader = new TimeReader(diagram.timeUnit ?? 'rtt', rttMs);
  const delays = new Map<string, LinearTime>();
  for (const [key, value] of Object.entries(diagram.oneWayDelay ?? {})) delays.set(key, reader.linear(value));

  const messages: ResolvedMessage[] = [];
  diagram.messages.forEach((message, index) => {
    let sendMs: number;
    if (message.t !== undefined) {
      sendMs = reader.ms(message.t);
    } else {
      sendMs = defaultSendMs(messages, message.from);
      if (message.wait !== undefined) sendMs += reader.ms(message.wait);
    }
    const arriveMs =
      message.arrive !== undefined
        ? reader.ms(message.arrive)
        : sendMs + reader.evaluate(delays.get(`${message.from}->${message.to}`) ?? HALF_RTT);
    const resolved: ResolvedMessage = { index, step: index + 1, message, sendMs, arriveMs, endMs: arriveMs };
    if (message.lost) {
      resolved.lossMs = sendMs + (arriveMs - sendMs) / 2;
      resolved.endMs = resolved.lossMs;
    }
    messages.push(resolved);
  });

  const reachedMs: number[] = [];
  let reached = 0;
  for (const m of messages) {
    reached = Math.max(reached, m.endMs);
    reachedMs.push(reached);
  }

  const spans = (diagram.spans ?? []).map((span, index): ResolvedSpan => {
    const fromMs = reader.ms(span.from);
    const toMs = reader.ms(span.to);
    return { index, span, fromMs, toMs, step: span.step ?? stepAt(messages, reachedMs, fromMs, span.host) };
  });
  const point = <T extends { host: string; t: Time; step?: number }>(item: T, index: number): ResolvedPoint<T> => {
    const tMs = reader.ms(item.t);
    return { index, item, tMs, step: item.step ?? stepAt(messages, reachedMs, tMs, item.host) };
  };
  const states = (diagram.states ?? []).map(point);
  const notes = (diagram.notes ?? []).map(point);

  const totalMs = Math.max(
    0,
    ...messages.map((m) => m.endMs),
    ...spans.map((s) => Math.max(s.fromMs, s.toMs)),
    ...states.map((s) => s.tMs),
    ...notes.map((n) => n.tMs),
  );

  return {
    diagram,
    rttMs,
    rttScalable: reader.usesRtt,
    messages,
    spans,
    states,
    notes,
    phases: phaseRuns(messages),
    totalMs,
    reachedMs,
  };
}

/** Reply-on-arrival: the latest arrival at the sender, or the previous send if later; 0 at the start. */
function defaultSendMs(earlier: ResolvedMessage[], sender: string): number {
  let send = earlier.length > 0 ? earlier[earlier.length - 1]!.sendMs : 0;
  for (const m of earlier) {
    if (m.message.to === sender && !m.message.lost) send = Math.max(send, m.arriveMs);
  }
  return send;
}

/**
 * The step at which something at time `tMs` appears: for a host, the first step whose message touches it
 * at exactly that time (sent or received there); for the margin, the first packet sent at or after it;
 * else the first step by which the timeline reaches it. Authors override with `step`.
 */
function stepAt(messages: ResolvedMessage[], reachedMs: number[], tMs: number, host: string | undefined): number {
  if (messages.length === 0) return 0;
  if (host !== undefined) {
    for (const m of messages) {
      const touches =
        (m.message.from === host && near(m.sendMs, tMs)) || (m.message.to === host && !m.message.lost && near(m.arriveMs, tMs));
      if (touches) return m.step;
    }
  } else {
    // A bracket on the margin (RTT, handshake) starts with the first packet sent at or after its start.
    const first = messages.find((m) => m.sendMs >= tMs - EPSILON_MS);
    if (first) return first.step;
  }
  for (let i = 0; i < reachedMs.length; i++) {
    if (reachedMs[i]! >= tMs - EPSILON_MS) return i + 1;
  }
  return messages.length;
}

function near(a: number, b: number): boolean {
  return Math.abs(a - b) <= EPSILON_MS * Math.max(1, Math.abs(a));
}

/**
 * Consecutive messages with the same phase form a run from the first send to the last arrival. Where a
 * run overlaps the next one (the client's ACK and ClientHello leave together), the earlier run ends where
 * the next begins, so the strip reads DNS | TCP | TLS | request | response without overlaps.
 */
function phaseRuns(messages: ResolvedMessage[]): PhaseRun[] {
  const runs: PhaseRun[] = [];
  let current: PhaseRun | undefined;
  for (const m of messages) {
    const phase = m.message.phase;
    if (phase === undefined) continue;
    if (current && current.phase === phase) {
      current.fromMs = Math.min(current.fromMs, m.sendMs);
      current.toMs = Math.max(current.toMs, m.endMs);
      current.steps.push(m.step);
      continue;
    }
    current = { phase, fromMs: m.sendMs, toMs: m.endMs, steps: [m.step] };
    runs.push(current);
  }
  for (let i = 0; i + 1 < runs.length; i++) {
    const run = runs[i]!;
    const next = runs[i + 1]!;
    if (next.fromMs > run.fromMs && next.fromMs < run.toMs) run.toMs = next.fromMs;
  }
  return runs;
}
