// The examples in docs/diagram-format.md are what lesson writers copy: they must stay valid, and the
// numbers the text states about them must be what the engine computes.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { renderSvg, resolveSequence, stackTotals, validateDiagram, type Diagram } from '../../server/src/diagrams/index';
import { assertWellFormed } from './helpers';

const DOC = readFileSync(path.resolve(__dirname, '..', '..', 'docs/diagram-format.md'), 'utf8');
const examples = [...DOC.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => JSON.parse(m[1]!) as Diagram);

describe('docs/diagram-format.md examples', () => {
  it('has the three kinds of example', () => {
    assert.deepEqual(examples.map((e) => e.kind), ['sequence', 'header', 'stack']);
  });

  for (const example of examples) {
    it(`${example.id} is valid and renders`, () => {
      const result = validateDiagram(example, `media/diagrams/${example.id}.json`);
      assert.deepEqual(result.errors, []);
      assertWellFormed(renderSvg(example));
    });
  }

  it('the cold HTTPS request takes 10 ms + 3 RTT + 5 ms, as the text says', () => {
    const cold = examples[0]!;
    assert.equal(cold.kind, 'sequence');
    if (cold.kind !== 'sequence') return;
    assert.match(DOC, /10 ms \+ 3 RTT \+ 5 ms = 165 ms/);
    assert.equal(resolveSequence(cold).totalMs, 165);
    assert.equal(resolveSequence(cold, 100).totalMs, 315);
    assert.deepEqual(
      resolveSequence(cold).phases.map((p) => [p.phase, p.fromMs, p.toMs]),
      [['dns', 0, 10], ['tcp', 10, 60], ['tls', 60, 110], ['request', 110, 135], ['response', 140, 165]],
    );
  });

  it('the stack example adds up to 93 bytes', () => {
    const stack = examples[2]!;
    if (stack.kind !== 'stack') assert.fail('third example is not a stack');
    assert.equal(stackTotals(stack).wireBytes, 93);
  });
});
