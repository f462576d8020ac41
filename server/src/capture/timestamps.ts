// pcapng timestamps: a 64-bit count of if_tsresol units (10^-n or 2^-n s) plus if_tsoffset seconds.
// Exact integer arithmetic: numbers while the count fits in 53 bits, BigInt beyond (nanosecond counts
// since 1970 exceed 2^53).

export interface TimestampUnits {
  tsBase: 10 | 2;
  tsExponent: number;
  tsOffsetSec: number;
}

export interface Timestamp {
  sec: number;
  nsec: number;
}

const TWO_32 = 2 ** 32;

export function unitsToTime(high: number, low: number, units: TimestampUnits): Timestamp {
  const exponent = Math.min(units.tsExponent, 127);
  const offset = Number.isFinite(units.tsOffsetSec) ? units.tsOffsetSec : 0;
  if (high < 2 ** 21 && ((units.tsBase === 10 && exponent <= 15) || (units.tsBase === 2 && exponent <= 52))) {
    const count = high * TWO_32 + low;
    const rate = units.tsBase === 10 ? 10 ** exponent : 2 ** exponent;
    let sec = Math.floor(count / rate);
    let rest = count - sec * rate;
    if (rest < 0) {
      sec -= 1;
      rest += rate;
    } else if (rest >= rate) {
      sec += 1;
      rest -= rate;
    }
    return { sec: sec + offset, nsec: Math.min(999_999_999, Math.floor((rest * 1e9) / rate)) };
  }
  const count = (BigInt(high) << 32n) | BigInt(low);
  const rate = units.tsBase === 10 ? 10n ** BigInt(exponent) : 1n << BigInt(exponent);
  const sec = count / rate;
  const nsec = ((count % rate) * 1_000_000_000n) / rate;
  return { sec: Number(sec) + offset, nsec: Number(nsec) };
}

/** Milliseconds from a to b. */
export function msBetween(aSec: number, aNsec: number, bSec: number, bNsec: number): number {
  return (bSec - aSec) * 1000 + (bNsec - aNsec) / 1e6;
}
