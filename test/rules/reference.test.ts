// The generated rule reference: a table row and a section per rule, in catalog order.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { RULES } from '../../server/src/rules';
import { renderRuleReference } from '../../server/src/rules/reference';

it('lists every rule once in the table and once as a section, in catalog order', () => {
  const doc = renderRuleReference();
  const sections = [...doc.matchAll(/^## ([a-z0-9-]+)$/gm)].map((m) => m[1]);
  assert.deepEqual(sections, RULES.map((r) => r.meta.id));
  for (const r of RULES) {
    assert.equal(doc.split(`| [\`${r.meta.id}\`](#${r.meta.id}) |`).length - 1, 1, r.meta.id);
    assert.ok(doc.includes(`../media/lessons/${r.meta.lesson}.md`), `${r.meta.id} links its lesson`);
  }
});
