// Renders a wire explanation for people: Markdown for hovers, plain text for the terminal.
// Everything that comes from the user's code (hosts, API names) is escaped for Markdown.
import { lessonById } from '../lessons/catalog';
import type { Explanation, WirePhase } from './wire';

const PHASE_LABEL: Record<WirePhase['phase'], string> = {
  dns: 'DNS',
  tcp: 'TCP',
  tls: 'TLS',
  setup: 'Setup',
  request: 'Request',
  datagram: 'UDP',
  listen: 'Listen',
};

/**
 * Escapes Markdown and HTML so workspace text renders as text: no links (not even autolinked URLs or
 * e-mail addresses, hence `:` and `@`), no HTML, no commands, no theme icons (`$(…)`), and no line
 * breaks that would start a heading or a list. Bidirectional controls, which can make a host read
 * backwards, and other control characters are shown as their code points.
 */
export function escapeMarkdown(s: string): string {
  return s
    .replace(/[\r\n\t\u2028\u2029]+/g, ' ')
    .replace(/[\u0000-\u001f\u007f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, (c) => `U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`)
    .replace(/[\\`*_{}[\]()#+\-.!|<>&~"':@$=]/g, (c) => `\\${c}`);
}

/** The text is ours (not from the workspace) except the parts passed through `escapeMarkdown`. */
function rtts(n: number): string {
  return `${n} RTT`;
}

function costLine(e: Explanation, rttMs: number): string[] {
  const lines: string[] = [];
  const dns = e.phases.find((p) => p.phase === 'dns' && p.optional);
  if (e.cold && e.phases.some((p) => p.phase === 'tcp')) {
    lines.push(`**New connection:** ${rtts(e.cold.rtts)} ≈ **${e.cold.ms} ms** at ${rttMs} ms RTT${dns ? ` (+${Math.round(dns.rtts * rttMs)} ms when DNS is not cached)` : ''}`);
    if (e.reused) lines.push(`**Reused connection:** ${rtts(e.reused.rtts)} ≈ **${e.reused.ms} ms**`);
    else if (e.noReuse) lines.push(`**No reuse:** ${e.noReuse}`);
  } else if (e.cold && e.cold.rtts > 0) {
    lines.push(`**Cost:** ${rtts(e.cold.rtts)} ≈ **${e.cold.ms} ms** at ${rttMs} ms RTT`);
  }
  return lines;
}

export interface MarkdownOptions {
  rttMs: number;
  /** A trusted command URI (or https URL) opening the lesson; omitted when there is none. */
  lessonLink?: string;
  /** Builds the link for a related lesson (same kind of link as `lessonLink`); without it they are not shown. */
  relatedLink?: (lesson: string) => string;
}

export function explanationToMarkdown(e: Explanation, opts: MarkdownOptions): string {
  const out: string[] = [];
  out.push(`**${escapeMarkdown(e.title)}** · ${escapeMarkdown(e.target)}${e.assumedScheme ? ' _(scheme not known statically; assuming HTTPS)_' : ''}`);
  // The cost first: it is what a glance should catch; the packets explain it.
  const cost = costLine(e, opts.rttMs);
  if (cost.length) {
    out.push('');
    out.push(cost.join('  \n'));
  }
  if (e.phases.length) {
    out.push('');
    e.phases.forEach((p, i) => {
      const cost = p.rtts > 0 ? `${rtts(p.rtts)}${p.optional ? ' if not cached' : ''}` : 'no round trip';
      out.push(`${i + 1}. **${PHASE_LABEL[p.phase]}** ${escapeMarkdown(p.packets)} — ${cost}${p.note ? ` · _${escapeMarkdown(p.note)}_` : ''}`);
    });
  }
  if (e.defaults.length) {
    out.push('');
    out.push('**Defaults in effect**');
    out.push('');
    for (const d of e.defaults) out.push(`- ${d}`);
  }
  const lesson = lessonById(e.lesson);
  if (lesson && opts.lessonLink) {
    out.push('');
    out.push(`[$(book) Open lesson: ${escapeMarkdown(lesson.title)}](${opts.lessonLink} "Open the ${lesson.number} lesson beside the editor")`);
  }
  const related = opts.relatedLink ? e.related.filter((r) => lessonById(r.lesson)) : [];
  if (related.length) {
    out.push('');
    out.push('**Related lessons**');
    out.push('');
    for (const r of related) {
      const entry = lessonById(r.lesson)!;
      out.push(`- [${escapeMarkdown(entry.title)}](${opts.relatedLink!(r.lesson)} "Open the ${entry.number} lesson beside the editor") — ${r.why}`);
    }
  }
  return out.join('\n');
}

/** Plain text for `wirelens explain` and terminals. */
export function explanationToText(e: Explanation, rttMs: number): string {
  const out: string[] = [`${e.title} — ${e.target}${e.assumedScheme ? ' (scheme not known statically; assuming HTTPS)' : ''}`];
  e.phases.forEach((p, i) => {
    const cost = p.rtts > 0 ? `${rtts(p.rtts)}${p.optional ? ' if not cached' : ''}` : 'no round trip';
    out.push(`  ${i + 1}. ${PHASE_LABEL[p.phase].padEnd(7)} ${p.packets}  [${cost}]${p.note ? `  ${p.note}` : ''}`);
  });
  for (const line of costLine(e, rttMs)) out.push(line.replace(/\*\*/g, ''));
  if (e.defaults.length) {
    out.push('Defaults in effect:');
    for (const d of e.defaults) out.push(`  - ${d.replace(/`/g, '')}`);
  }
  const lesson = lessonById(e.lesson);
  if (lesson) out.push(`Lesson: ${lesson.number} ${lesson.title} (media/lessons/${lesson.id}.md)`);
  for (const r of e.related) {
    const entry = lessonById(r.lesson);
    if (entry) out.push(`Related: ${entry.number} ${entry.title} (media/lessons/${entry.id}.md) — ${r.why.replace(/`/g, '')}`);
  }
  return out.join('\n');
}
