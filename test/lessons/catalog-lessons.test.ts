// Lessons and what leads to them hold together: every lesson is reachable from the code (a rule's
// lesson, a hover explanation in server/src/analysis/wire.ts, or a capture event in
// server/src/capture/), every rule's lesson exists and names the rule, and every lesson has a
// diagram that renders and a Sources section.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import ts from 'typescript';
import { LESSONS, lessonById } from '../../server/src/lessons/catalog';
import { renderLesson } from '../../server/src/lessons/render';
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
  if (existsSync(CAPTURE_DIR)) {
    const files = readdirSync(CAPTURE_DIR).filter((f) => f.endsWith('.ts')).map((f) => path.join(CAPTURE_DIR, f));
    for (const id of lessonIdsIn(files)) by.get(id)!.push('capture');
  }
  return by;
}

/**
 * Lessons no rule, hover or capture event leads to yet, each with the planned trigger
 * (shared/reference/rules.md). The list may only shrink: a lesson that gains a trigger must be
 * removed from it, and a lesson that loses its last trigger fails the test.
 */
const AWAITING_TRIGGER: Record<string, string> = {
  'ephemeral-ports': 'http-agent-per-request / http-keepalive-disabled (rules 7, 8)',
  'nagle-and-nodelay': 'nagle-small-writes (rule 31)',
  'congestion-control': 'http-keepalive-disabled (rule 7): cold connections restart in slow start',
  'happy-eyeballs': 'localhost-address-family-ambiguity (rule 18) or hover of net.connect autoSelectFamily',
  'nat-and-conntrack': 'long-lived-connection-without-liveness (rule 11)',
  'proxies-and-load-balancers': 'client-keepalive-outlives-server (rule 10) or hover of server trust proxy',
  'tls-resumption-and-0rtt': 'hover of tls.connect session / TLS agent reuse',
  'quic-and-http3': 'hover of HTTP/3 or QUIC clients',
  'capture-and-observation': 'the capture viewer (issue 7)',
};

describe('lessons in the catalog', () => {
  it('every lesson is reachable from a rule, a hover or a capture event (or is listed as awaiting one)', () => {
    const unreachable = [...triggers()].filter(([, from]) => from.length === 0).map(([id]) => id);
    assert.deepEqual(unreachable.sort(), Object.keys(AWAITING_TRIGGER).sort(), 'lessons without a trigger; update AWAITING_TRIGGER when one gains (or loses) its trigger');
    for (const id of Object.keys(AWAITING_TRIGGER)) assert.ok(lessonById(id), `${id} is not a lesson`);
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
