// The catalog holds together: every rule file is registered, has tests, a lesson that exists and a
// section in the generated reference; every lesson file is in the catalog; settings list every rule.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { LESSONS, lessonById } from '../server/src/lessons/catalog';
import { RULES, RULE_IDS } from '../server/src/rules';
import { renderRuleReference } from '../server/src/rules/reference';

const ROOT = path.resolve(__dirname, '..');
const NOT_RULES = new Set(['createRule', 'index', 'reference']);

describe('rule catalog', () => {
  const files = readdirSync(path.join(ROOT, 'server/src/rules'))
    .filter((f) => f.endsWith('.ts'))
    .map((f) => f.slice(0, -3))
    .filter((f) => !NOT_RULES.has(f));

  it('every rule file is registered, under its own id, and nothing else is', () => {
    assert.deepEqual([...RULE_IDS].sort(), [...files].sort());
    assert.equal(new Set(RULE_IDS).size, RULE_IDS.length, 'duplicate rule ids');
  });

  for (const rule of RULES) {
    const { id } = rule.meta;
    it(`${id}: lesson, tests, messages`, () => {
      assert.ok(lessonById(rule.meta.lesson), `unknown lesson ${rule.meta.lesson}`);
      assert.ok(existsSync(path.join(ROOT, 'media/lessons', `${rule.meta.lesson}.md`)), `media/lessons/${rule.meta.lesson}.md missing`);
      assert.ok(existsSync(path.join(ROOT, 'test/rules', `${id}.test.ts`)), `test/rules/${id}.test.ts missing`);
      assert.ok(Object.keys(rule.meta.messages).length > 0, 'no messages');
      assert.ok(rule.meta.title && rule.meta.description.length > 80, 'title and a real description');
      for (const m of Object.values(rule.meta.messages) as string[]) assert.ok(m.length <= 300, `message too long for two lines: ${m}`);
    });
  }

  it('docs/rules.md is up to date (npm run docs)', () => {
    assert.equal(readFileSync(path.join(ROOT, 'docs/rules.md'), 'utf8'), renderRuleReference());
    for (const id of RULE_IDS) assert.match(renderRuleReference(), new RegExp(`## ${id}`));
  });

  it('package.json declares a severity setting for every rule', () => {
    const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    const props = pkg.contributes.configuration.properties['wirelens.rules'].properties;
    assert.deepEqual(Object.keys(props).sort(), [...RULE_IDS].sort());
  });
});

describe('lesson catalog', () => {
  it('every lesson file is listed and every listed lesson has its file', () => {
    const files = readdirSync(path.join(ROOT, 'media/lessons')).filter((f) => f.endsWith('.md')).map((f) => f.slice(0, -3));
    assert.deepEqual(files.sort(), LESSONS.map((l) => l.id).sort());
  });
});
