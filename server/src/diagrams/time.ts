// Time values in diagram documents. Every time is linear in the RTT: `rtt * rttMs + ms`. Keeping the two
// parts apart is what lets the lesson's RTT control move network latency while timers stay put.
import type { TimeUnit } from './types';

export interface LinearTime {
  /** Multiple of the round-trip time. */
  rtt: number;
  /** Fixed milliseconds. */
  ms: number;
}

const UNIT_MS: Record<string, number> = { us: 0.001, 'µs': 0.001, ms: 1, s: 1000, min: 60_000, h: 3_600_000 };
const TERM = /^([+-]?)\s*(\d+(?:\.\d+)?|\.\d+)\s*(rtt|us|µs|ms|s|min|h)\s*/;

/** Parses a time value; returns an error message (without path) when it is not one. */
export function parseTime(value: unknown, unit: TimeUnit): LinearTime | string {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return 'must be a finite number';
    if (unit === 'rtt') return { rtt: value, ms: 0 };
    return { rtt: 0, ms: value * UNIT_MS[unit]! };
  }
  if (typeof value !== 'string') return 'must be a number or a string such as "1rtt + 40ms"';
  let rest = value.trim();
  if (rest === '') return 'must not be empty';
  const sum: LinearTime = { rtt: 0, ms: 0 };
  let first = true;
  while (rest !== '') {
    const match = TERM.exec(rest);
    if (!match || (!first && match[1] === '')) {
      return `"${value}" is not a time: use terms like 0.5rtt, 40ms, 1.5s, 250us, 2min, 2h joined by + or -`;
    }
    const sign = match[1] === '-' ? -1 : 1;
    const amount = sign * Number(match[2]);
    const termUnit = match[3]!;
    if (termUnit === 'rtt') sum.rtt += amount;
    else sum.ms += amount * UNIT_MS[termUnit]!;
    rest = rest.slice(match[0].length);
    first = false;
  }
  return sum;
}

export function evaluate(time: LinearTime, rttMs: number): number {
  return time.rtt * rttMs + time.ms;
}

export const ZERO: LinearTime = { rtt: 0, ms: 0 };

/** Human duration: "0 ms", "12.5 ms", "1.2 s", "30 s", "2 min", "2 h". Microseconds below 1 ms. */
export function formatMs(ms: number): string {
  const abs = Math.abs(ms);
  if (abs === 0) return '0 ms';
  if (abs < 1) return `${trim(ms * 1000, abs * 1000 < 10 ? 1 : 0)} µs`;
  if (abs < 1000) return `${trim(ms, abs < 10 ? 2 : abs < 100 ? 1 : 0)} ms`;
  if (abs < 60_000) return `${trim(ms / 1000, abs < 10_000 ? 2 : 1)} s`;
  if (abs < 3_600_000) return `${trim(ms / 60_000, 1)} min`;
  return `${trim(ms / 3_600_000, 1)} h`;
}

/** "3 RTT", "1.5 RTT", "0.25 RTT". */
export function formatRtts(ms: number, rttMs: number): string {
  return `${trim(ms / rttMs, 2)} RTT`;
}

function trim(value: number, digits: number): string {
  return String(Number(value.toFixed(digits)));
}
