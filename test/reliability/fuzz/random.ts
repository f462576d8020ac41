// A small seedable PRNG (mulberry32) and helpers. Every fuzz case gets its own generator derived from
// (run seed, case number), so one case replays alone, whichever worker ran it first.

export type Random = () => number;

export function prng(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The generator of one case: the run seed mixed with the case number (golden-ratio hashing). */
export function caseRandom(seed: number, caseNumber: number): Random {
  const mixed = (seed ^ Math.imul(caseNumber + 1, 0x9e3779b1)) >>> 0;
  const r = prng(mixed);
  r();
  return r;
}

export const int = (random: Random, lowInclusive: number, highExclusive: number): number =>
  lowInclusive + Math.floor(random() * (highExclusive - lowInclusive));

export const pick = <T>(random: Random, list: readonly T[]): T => list[Math.floor(random() * list.length)]!;

/** Log-uniform integer in [low, high]: small and huge values are both common. */
export const logInt = (random: Random, low: number, high: number): number =>
  Math.min(high, Math.floor(Math.exp(Math.log(low) + random() * (Math.log(high + 1) - Math.log(low)))));
