// Precision and recall of the CLI on hand-labelled real code (test/fixtures/real/).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { it } from 'node:test';
import { loadOutOfReach, loadReasons, renderAccuracy, ROOT, runCli, score } from './score';

it('real code: precision ≥ 0.9, every rule with a real example fires on it, docs/accuracy.md current', () => {
  const s = score(runCli());
  const reasons = loadReasons();
  const outOfReach = loadOutOfReach();
  assert.ok(s.precision >= 0.9, `precision ${s.precision.toFixed(3)} < 0.9`);
  for (const r of s.rules) {
    // A rule must fire on one of its real examples, unless every one is documented as beyond static reach.
    const reachable = r.labelled - r.fn.filter((f) => outOfReach[`${f.file}:${f.line}:${f.rule}`]).length;
    if (reachable > 0) assert.ok(r.tp.length > 0, `${r.rule} has ${r.labelled} labelled real example(s) and fires on none`);
    for (const f of r.tp) assert.equal(outOfReach[`${f.file}:${f.line}:${f.rule}`], undefined, `${f.file}:${f.line} ${f.rule} is found now: remove it from test/accuracy/out-of-reach.json`);
    for (const f of r.fp) assert.ok(reasons[`${f.file}:${f.line}:${f.rule}`], `false positive without a written reason: ${f.file}:${f.line} ${f.rule} (${f.note}) — add it to test/accuracy/false-positive-reasons.json`);
  }
  assert.equal(readFileSync(path.join(ROOT, 'docs/accuracy.md'), 'utf8'), renderAccuracy(s, reasons, outOfReach), 'docs/accuracy.md is stale: npm run accuracy');
});
