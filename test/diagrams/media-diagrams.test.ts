// Every lesson diagram in media/diagrams/*.json is a valid document that renders, its cross-references
// resolve, and every ```diagram block in media/lessons/*.md names a file that exists. A failure names
// the file and the field (e.g. "media/diagrams/x.json: messages[2].arrive: must be >= send ...").
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { findDiagramReferences, parseDiagram, renderSvg, renderTable, type Diagram } from '../../server/src/diagrams/index';
import { LESSONS } from '../../server/src/lessons/catalog';
import { assertWellFormed } from './helpers';

const ROOT = path.resolve(__dirname, '..', '..');
const DIAGRAMS = path.join(ROOT, 'media/diagrams');
const LESSON_DIR = path.join(ROOT, 'media/lessons');

const files = existsSync(DIAGRAMS) ? readdirSync(DIAGRAMS).filter((f) => f.endsWith('.json')).sort() : [];
const loaded = new Map<string, Diagram>();
for (const file of files) {
  const result = parseDiagram(readFileSync(path.join(DIAGRAMS, file), 'utf8'), `media/diagrams/${file}`);
  if (result.ok) loaded.set(file.slice(0, -'.json'.length), result.diagram);
}

/** References from one diagram to others (header layouts) and to lessons. */
function crossReferences(id: string, d: Diagram): string[] {
  const problems: string[] = [];
  const where = `media/diagrams/${id}.json`;
  const layout = (ref: string, at: string) => {
    const target = loaded.get(ref);
    if (!existsSync(path.join(DIAGRAMS, `${ref}.json`))) problems.push(`${where}: ${at}: names missing media/diagrams/${ref}.json`);
    else if (target && target.kind !== 'header') problems.push(`${where}: ${at}: ${ref} is a ${target.kind} diagram, not a header layout`);
  };
  const lessonIds = new Set(LESSONS.map((l) => l.id));
  if (d.kind === 'sequence') {
    d.messages.forEach((m, i) => {
      m.bytes?.ranges.forEach((r, j) => r.layout && layout(r.layout, `messages[${i}].bytes.ranges[${j}].layout`));
      if (m.lesson && !lessonIds.has(m.lesson)) problems.push(`${where}: messages[${i}].lesson: unknown lesson id "${m.lesson}"`);
    });
  } else if (d.kind === 'stack') {
    d.layers.forEach((l, i) => l.layout && layout(l.layout, `layers[${i}].layout`));
  }
  return problems;
}

describe('media/diagrams', () => {
  for (const file of files) {
    it(`${file} is a valid diagram that renders`, () => {
      const result = parseDiagram(readFileSync(path.join(DIAGRAMS, file), 'utf8'), `media/diagrams/${file}`);
      if (!result.ok) assert.fail(`\n${result.errors.join('\n')}`);
      const svg = renderSvg(result.diagram);
      assertWellFormed(svg);
      assertWellFormed(renderTable(result.diagram));
      if (result.diagram.kind === 'sequence') {
        assert.equal((svg.match(/data-kind="arrow"/g) ?? []).length, result.diagram.messages.length);
        for (const step of [0, 1, result.diagram.messages.length]) assertWellFormed(renderSvg(result.diagram, { step }));
      }
      const problems = crossReferences(file.slice(0, -5), result.diagram);
      if (problems.length > 0) assert.fail(`\n${problems.join('\n')}`);
    });
  }
});

describe('lesson ```diagram blocks', () => {
  const lessons = existsSync(LESSON_DIR) ? readdirSync(LESSON_DIR).filter((f) => f.endsWith('.md')).sort() : [];
  it('every ```diagram block names an existing media/diagrams/<id>.json', () => {
    const missing: string[] = [];
    for (const lesson of lessons) {
      for (const ref of findDiagramReferences(readFileSync(path.join(LESSON_DIR, lesson), 'utf8'))) {
        if (!/^[a-z0-9][a-z0-9-]*$/.test(ref.id)) missing.push(`media/lessons/${lesson}:${ref.line}: \`\`\`diagram block must hold one diagram id, got ${JSON.stringify(ref.id)}`);
        else if (!existsSync(path.join(DIAGRAMS, `${ref.id}.json`))) missing.push(`media/lessons/${lesson}:${ref.line}: \`\`\`diagram names missing media/diagrams/${ref.id}.json`);
      }
    }
    if (missing.length > 0) assert.fail(`\n${missing.join('\n')}`);
  });
});

describe('findDiagramReferences', () => {
  it('finds ```diagram and ~~~diagram blocks with their line, and nothing inside other fences', () => {
    const md = [
      '# Lesson', // 1
      '```diagram', // 2
      'tcp-header', // 3
      '```', // 4
      '````markdown', // 5
      '```diagram', // 6
      'not-a-reference', // 7
      '```', // 8
      '````', // 9
      '  ~~~diagram', // 10
      '  cold-https-tls13  ', // 11
      '  ~~~', // 12
      '```js', // 13
      "const s = '```diagram';", // 14
      '```', // 15
      '```diagram', // 16
      '```', // 17
    ].join('\n');
    assert.deepEqual(findDiagramReferences(md), [
      { id: 'tcp-header', line: 2 },
      { id: 'cold-https-tls13', line: 10 },
      { id: '', line: 16 },
    ]);
  });
});
