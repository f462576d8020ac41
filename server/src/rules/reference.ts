// The rule reference (docs/rules.md), generated from the rule metas so it cannot drift.
import { lessonById } from '../lessons/catalog';
import { lessonSiteUrl } from '../lessons/links';
import { RULES } from './index';

const SEVERITY_LABEL = { error: 'Error', warning: 'Warning', info: 'Information', hint: 'Hint' } as const;

export function renderRuleReference(): string {
  const out: string[] = [
    '# Wirelens rules',
    '',
    '<!-- Generated from server/src/rules/*.ts by `npm run docs`; edit the rule metas, not this file. -->',
    '',
    'Each rule reports one kind of connection misuse, says what happens on the wire, and links to the lesson that explains it.',
    'Severities can be changed per rule with the `wirelens.rules` setting (or `--rule id=severity` on the command line); `off` turns a rule off.',
    'A finding can be silenced with `// wirelens-disable-next-line <rule>` above the line, or `/* wirelens-disable <rule> */` for the whole file.',
    '',
    '| Rule | Default severity | Quick fix | Lesson |',
    '|---|---|---|---|',
  ];
  for (const r of RULES) {
    const lesson = lessonById(r.meta.lesson);
    out.push(`| [\`${r.meta.id}\`](#${r.meta.id}) | ${SEVERITY_LABEL[r.meta.severity]} | ${r.meta.fixable ? 'yes' : '—'} | ${lesson ? `${lesson.number} ${lesson.title}` : r.meta.lesson} |`);
  }
  for (const r of RULES) {
    const lesson = lessonById(r.meta.lesson);
    out.push('', `## ${r.meta.id}`, '', `**${r.meta.title}** · default severity: ${SEVERITY_LABEL[r.meta.severity]}`, '', r.meta.description, '');
    out.push('Messages:', '');
    for (const m of Object.values(r.meta.messages) as string[]) out.push(`- ${m}`);
    out.push('', `Lesson: [${lesson ? `${lesson.number} ${lesson.title}` : r.meta.lesson}](../media/lessons/${r.meta.lesson}.md) ([site](${lessonSiteUrl(r.meta.lesson)}))`);
  }
  return `${out.join('\n')}\n`;
}
