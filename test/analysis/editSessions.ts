// What the random editing tests share: real code to edit and a deterministic generator.
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { ROOT } from '../reliability/fuzz/corpus';

/** Published networking code that `npm ci` puts here anyway: many top-level statements per file. */
export function packageSeeds(): Array<{ name: string; text: string }> {
  const dirs = ['node_modules/agent-base/dist', 'node_modules/https-proxy-agent/dist', 'node_modules/undici/lib/dispatcher', 'node_modules/undici/lib/web/fetch', 'node_modules/undici/lib/core'];
  const out: Array<{ name: string; text: string }> = [];
  for (const dir of dirs) {
    let entries: string[];
    try {
      entries = readdirSync(path.join(ROOT, dir)).filter((f) => f.endsWith('.js')).sort();
    } catch {
      continue;
    }
    for (const f of entries) out.push({ name: `${dir}/${f}`, text: readFileSync(path.join(ROOT, dir, f), 'utf8') });
  }
  return out;
}

/** A small deterministic generator (a session must be the same on every run). */
export function seededRandom(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** One edit: [start, end) of the current text replaced by `newText`. */
export interface Edit {
  start: number;
  end: number;
  newText: string;
}

/** An element of `list`, chosen by `rnd`. */
export function pick<T>(rnd: () => number, list: readonly T[]): T {
  return list[Math.floor(rnd() * list.length)]!;
}
