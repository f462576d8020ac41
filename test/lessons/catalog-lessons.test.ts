// Lessons and what leads to them hold together: every lesson is reachable from the code (a rule's
// lesson, a hover explanation in server/src/analysis/wire.ts, a hover's related lesson in
// server/src/analysis/relatedLessons.ts, or a capture event or the capture viewer's guide link in
// server/src/capture/), every rule's lesson exists and names the rule, every lesson has a diagram
// that renders and a Sources section, and every link from one lesson to another resolves.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import ts from 'typescript';
import { RELATED_LESSON_TRIGGERS } from '../../server/src/analysis/relatedLessons';
import { LESSONS, lessonById } from '../../server/src/lessons/catalog';
import { parseLessonLink, renderLesson } from '../../server/src/lessons/render';
import { RULES } from '../../server/src/rules';
import { ROOT, lessonSource, loadDiagramFile } from './pageServer';

const LESSON_IDS = new Set(LESSONS.map((l) => l.id));

/** Lesson ids written as string literals in TypeScript sources (read with the TypeScript scanner). */
function lessonIdsIn(files: string[]): Set<string> {
  const found = new Set<string>();
  for (const file of files) {
    const scanner = ts.createScanner(ts.ScriptTarget.Latest, true, ts.LanguageVariant.Standard, readFileSync(file, 'utf8'));
    for (let token = scanner.scan(); token !== ts.SyntaxKind.EndOfFileToken; token = scanner.scan()) {
      if ((token === ts.SyntaxKind.StringLiteral || token === ts.SyntaxKind.NoSubstitutionTemplateLiteral) && LESSON_IDS.has(scanner.getTokenValue())) found.add(scanner.getTokenValue());
    }
  }
  return found;
}

const HOVER_SOURCE = path.join(ROOT, 'server/src/analysis/wire.ts');
const CAPTURE_DIR = path.join(ROOT, 'server/src/capture');

/** Where each lesson is reached from. */
function triggers(): Map<string, string[]> {
  const by = new Map<string, string[]>(LESSONS.map((l) => [l.id, []]));
  for (const rule of RULES) by.get(rule.meta.lesson)?.push(`rule ${rule.meta.id}`);
  for (const id of lessonIdsIn([HOVER_SOURCE])) by.get(id)!.push('hover');
  // Each related-lesson trigger fires on real code: test/analysis/related-lessons.test.ts.
  for (const trigger of RELATED_LESSON_TRIGGERS) by.get(trigger.lesson)?.push(`hover related (${trigger.id})`);
  if (existsSync(CAPTURE_DIR)) {
    const files = readdirSync(CAPTURE_DIR).filter((f) => f.endsWith('.ts')).map((f) => path.join(CAPTURE_DIR, f));
    for (const id of lessonIdsIn(files)) by.get(id)!.push('capture');
  }
  return by;
}

describe('lessons in the catalog', () => {
  it('every lesson is reachable from a rule, a hover or the capture viewer', () => {
    const unreachable = [...triggers()].filter(([, from]) => from.length === 0).map(([id]) => id);
    assert.deepEqual(unreachable, [], 'lessons nothing leads to');
  });

  it('related-lesson triggers name lessons that exist', () => {
    for (const trigger of RELATED_LESSON_TRIGGERS) assert.ok(lessonById(trigger.lesson), `${trigger.id}: unknown lesson ${trigger.lesson}`);
  });

  it('every rule points at a lesson that exists and names the rule under "Rules that point here"', () => {
    for (const rule of RULES) {
      const source = lessonSource(rule.meta.lesson);
      assert.ok(lessonById(rule.meta.lesson) && source !== undefined, `${rule.meta.id}: lesson ${rule.meta.lesson} missing`);
      const section = (source.split(/^## Rules that point here\s*$/m)[1] ?? '').split(/^## /m)[0]!;
      assert.ok(section.includes(`\`${rule.meta.id}\``), `media/lessons/${rule.meta.lesson}.md does not list ${rule.meta.id} under "Rules that point here"`);
    }
  });

  it('the hover explanations name only lessons that exist', () => {
    const code = readFileSync(HOVER_SOURCE, 'utf8');
    for (const m of code.matchAll(/\blesson\s*=\s*'([^']+)'/g)) assert.ok(lessonById(m[1]!), `wire.ts names unknown lesson ${m[1]}`);
  });

  it('"Rules that point here" says what leads to a lesson no rule opens (the hover, the capture viewer)', () => {
    for (const [id, from] of triggers()) {
      if (from.some((f) => f.startsWith('rule '))) continue;
      const section = (lessonSource(id)!.split(/^## Rules that point here\s*$/m)[1] ?? '').split(/^## /m)[0]!;
      assert.match(section, /No rule's diagnostic opens this lesson/, `${id}: no rule opens it, and the section should say so`);
      if (from.some((f) => f.startsWith('hover'))) assert.match(section, /The hover leads here/, `${id}: the section does not mention the hover`);
      if (from.includes('capture')) assert.match(section, /capture viewer leads here/, `${id}: the section does not mention the capture viewer`);
    }
  });

  it('links between lessons are real links, and every one leads to a lesson that exists', () => {
    let links = 0;
    for (const entry of LESSONS) {
      const source = lessonSource(entry.id)!;
      // Every Markdown link that names a lesson (lesson:id, id.md, id.html) names one in the catalog.
      for (const m of source.matchAll(/\]\(([^)\s]+)\)/g)) {
        const target = parseLessonLink(m[1]!);
        if (!target) continue;
        links++;
        assert.ok(lessonById(target.id), `media/lessons/${entry.id}.md links to unknown lesson ${m[1]}`);
        assert.notEqual(target.id, entry.id, `media/lessons/${entry.id}.md links to itself`);
      }
      // Prose that points at another lesson ("see the keepalive lesson", "(MTU lesson)") is a link:
      // outside links, code and diagrams (plain text by design) no such phrase is left.
      const lesson = renderLesson(source, { id: entry.id, loadDiagram: loadDiagramFile });
      const prose = lesson.html
        .replace(/<figure[\s\S]*?<\/figure>/g, '')
        .replace(/<pre[\s\S]*?<\/pre>/g, '')
        .replace(/<a\b[\s\S]*?<\/a>/g, '\u0001')
        .replace(/<code>[\s\S]*?<\/code>/g, '')
        .replace(/<[^>]+>/g, '');
      const unlinked = [...prose.matchAll(/\bsee (?:also )?(?:the )?[\w\s/.,-]{0,40}?lessons?\b|\([\w\s/.,-]{0,30}\blessons?\)|\b(?:next|previous) lesson\b/gi)].map((m) => m[0]).filter((m) => !m.includes('\u0001'));
      assert.deepEqual(unlinked, [], `media/lessons/${entry.id}.md names other lessons without linking them`);
    }
    assert.ok(links >= LESSONS.length, `only ${links} links between ${LESSONS.length} lessons`);
  });

  for (const entry of LESSONS) {
    it(`${entry.number} ${entry.id}: has its file, a diagram that renders and a Sources section`, () => {
      const source = lessonSource(entry.id);
      assert.ok(source !== undefined, `media/lessons/${entry.id}.md missing`);
      const lesson = renderLesson(source, { id: entry.id, loadDiagram: loadDiagramFile });
      assert.deepEqual(lesson.problems, []);
      assert.ok(lesson.diagrams.length >= 1, 'no ```diagram block');
      const sources = (source.split(/^## Sources\s*$/m)[1] ?? '').split(/^## /m)[0]!;
      assert.ok(/^## Sources\s*$/m.test(source), 'no "## Sources" section');
      assert.ok((sources.match(/^\s*[-*] \S/gm) ?? []).length >= 2, 'the Sources section lists fewer than two sources');
    });
  }
});
