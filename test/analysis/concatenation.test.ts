// The file-wide lists kept through edits (concatenation.ts): after any run of edits that replace,
// insert or remove statements, the kept concatenation must be what concatenating every statement's
// list afresh gives, items and starts alike (the starts decide where the next edit's splice cuts).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { concatenate, mapKept, type Concatenation } from '../../server/src/analysis/concatenation';
import { seededRandom } from './editSessions';

interface Part {
  items: string[];
}

let made = 0;
const part = (count: number): Part => {
  const id = made++;
  return { items: Array.from({ length: count }, (_, i) => `p${id}.${i}`) };
};

function fresh(parts: readonly Part[]): Pick<Concatenation<Part, string>, 'items' | 'starts'> {
  const items: string[] = [];
  const starts: number[] = [];
  for (const p of parts) {
    starts.push(items.length);
    items.push(...p.items);
  }
  starts.push(items.length);
  return { items, starts };
}

describe('a concatenation kept through edits', () => {
  it('is the fresh concatenation after every edit, items and starts', () => {
    for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
      const random = seededRandom(seed);
      const count = () => Math.floor(random() * 4);
      let parts: Part[] = Array.from({ length: 1 + Math.floor(random() * 12) }, () => part(count()));
      let kept = concatenate(parts, (p) => p.items);
      let keptMap = mapKept(parts, (p) => p.items[0]);
      for (let step = 0; step < 300; step++) {
        // Replace a run of statements (possibly none) by a run of new ones (possibly none), as an edit does.
        const at = Math.floor(random() * (parts.length + 1));
        const removed = Math.min(parts.length - at, Math.floor(random() * 3));
        const added = Array.from({ length: Math.floor(random() * 3) }, () => part(count()));
        parts = [...parts.slice(0, at), ...added, ...parts.slice(at + removed)];
        kept = concatenate(parts, (p) => p.items, kept);
        keptMap = mapKept(parts, (p) => p.items[0], keptMap);
        assert.deepEqual(keptMap.items, parts.map((p) => p.items[0]), `seed ${seed}, step ${step}: one item per part`);
        const expected = fresh(parts);
        assert.deepEqual(kept.items, expected.items, `seed ${seed}, step ${step}: items`);
        assert.deepEqual(kept.starts, expected.starts, `seed ${seed}, step ${step}: starts`);
      }
    }
  });

  it('asks only the statements between the ends it kept', () => {
    const parts = [part(2), part(1), part(3), part(0), part(2)];
    const kept = concatenate(parts, (p) => p.items);
    const asked: Part[] = [];
    const replacement = part(4);
    const next = [parts[0]!, parts[1]!, replacement, parts[3]!, parts[4]!];
    const spliced = concatenate(next, (p) => (asked.push(p), p.items), kept);
    assert.deepEqual(asked, [replacement]);
    assert.deepEqual(spliced.items, fresh(next).items);
    assert.deepEqual(spliced.starts, fresh(next).starts);
  });
});
