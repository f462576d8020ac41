// The server's warm-up: a few dozen edits of a sample document of its own, one per event-loop turn,
// that exercise the incremental path (re-parse, kept facts, every rule, the hover) before the user's
// first keystroke. It must do that work, stop when cancelled, and never throw.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyzeText } from '../../server/src/analysis/index';
import { sampleText, warmUp } from '../../server/src/lsp/warmUp';

/** Runs the warm-up's steps by hand. */
function stepper() {
  const queue: Array<() => void> = [];
  return { schedule: (step: () => void) => void queue.push(step), next: () => queue.shift()?.(), get pending() { return queue.length; } };
}

describe('server warm-up', () => {
  it('edits its sample document step by step, one step per turn, then stops', () => {
    const s = stepper();
    warmUp(s.schedule, 10);
    let steps = 0;
    while (s.pending) {
      assert.equal(s.pending, 1, 'one step waits at a time');
      s.next();
      steps++;
    }
    // The first analysis, then a character typed and taken back at each of the 10 places, then the end.
    assert.equal(steps, 1 + 20 + 1);
  });

  it('stops at the next step once cancelled', () => {
    const s = stepper();
    const w = warmUp(s.schedule, 10);
    s.next();
    s.next();
    w.cancel();
    s.next();
    assert.equal(s.pending, 0);
  });

  it('warms up on code the analysis recognises and the rules report on', () => {
    const analysis = analyzeText('/wirelens-warm-up.js', sampleText());
    assert.ok(analysis.calls.length >= 50, `${analysis.calls.length} calls`);
    assert.ok(new Set(analysis.findings.map((f) => f.ruleId)).size >= 3, analysis.findings.map((f) => f.ruleId).join(', '));
  });
});

