// `--format text`: one line per finding, `file:line:col  severity  rule  message` (terminals and
// editors turn `file:line:col` into a link), then where else it matters and the lesson, then a
// summary line. `--summary` adds the round-trip cost of every recognised call.
import { explainCall, type Severity } from '../analysis/index';
import { lessonById } from '../lessons/catalog';
import { lessonFilePath, lessonUrl } from './lessonUrl';
import { oneLine, type FileReport } from './report';

export interface TextOptions {
  color: boolean;
  cwd: string;
}

const SEVERITY_COLOR: Record<Severity, string> = { error: '31', warning: '33', info: '36', hint: '2' };

function paint(on: boolean, code: string, s: string): string {
  return on ? `\u001b[${code}m${s}\u001b[0m` : s;
}

function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}

/** `L07 Retransmission, RTO … (media/lessons/<id>.md)`, or the lesson URL when the file is not shipped. */
export function lessonReference(lessonId: string, baseUrl: string, cwd: string): string {
  const lesson = lessonById(lessonId);
  const title = lesson ? `${lesson.number} ${lesson.title}` : lessonId;
  const file = lessonFilePath(lessonId, cwd);
  return `${title} (${file ?? lessonUrl(lessonId, baseUrl)})`;
}

export function formatFindingsText(reports: readonly FileReport[], opts: TextOptions): string {
  const out: string[] = [];
  for (const r of reports) {
    for (const { finding, start } of r.findings) {
      const sev = paint(opts.color, SEVERITY_COLOR[finding.severity], finding.severity.padEnd(7));
      out.push(`${r.file.display}:${start.line}:${start.column}  ${sev}  ${paint(opts.color, '1', finding.ruleId)}  ${oneLine(finding.message)}`);
      for (const rel of finding.related) {
        const p = r.lines.position(rel.range.start);
        out.push(paint(opts.color, '2', `    related: ${r.file.display}:${p.line}:${p.column}  ${oneLine(rel.message)}`));
      }
      out.push(paint(opts.color, '2', `    lesson: ${lessonReference(finding.lesson, r.lessonsBaseUrl, opts.cwd)}`));
    }
  }
  return out.length ? `${out.join('\n')}\n` : '';
}

export interface RunStats {
  filesAnalysed: number;
  filesFailed: number;
  filesSkipped: number;
  seconds: number;
}

export function formatSummaryLine(reports: readonly FileReport[], stats: RunStats, color: boolean): string {
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0, hint: 0 };
  let filesWith = 0;
  for (const r of reports) {
    if (r.findings.length) filesWith++;
    for (const f of r.findings) counts[f.finding.severity]++;
  }
  const total = counts.error + counts.warning + counts.info + counts.hint;
  const extras: string[] = [];
  if (stats.filesFailed) extras.push(`${plural(stats.filesFailed, 'file')} could not be analysed (see above)`);
  if (stats.filesSkipped) extras.push(`${plural(stats.filesSkipped, 'file')} skipped`);
  const time = `${stats.seconds.toFixed(2)} s`;
  const analysed = plural(stats.filesAnalysed, 'file');
  if (total === 0) {
    return `${paint(color, '32', 'No findings')} in ${analysed} (${time})${extras.length ? `; ${extras.join('; ')}` : ''}.\n`;
  }
  const parts = (['error', 'warning', 'info', 'hint'] as const)
    .filter((s) => counts[s] > 0)
    .map((s) => (s === 'info' || s === 'hint' ? `${counts[s]} ${s}` : plural(counts[s], s)));
  return `${paint(color, '1', plural(total, 'finding'))} (${parts.join(', ')}) in ${plural(filesWith, 'file')} of ${analysed} (${time})${extras.length ? `; ${extras.join('; ')}` : ''}.\n`;
}

interface CostRow {
  where: string;
  api: string;
  target: string;
  cold: string;
  reused: string;
}

function truncate(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}

/**
 * The round-trip cost of each recognised call that crosses the network, at the configured RTT:
 * what a new connection costs and what a reused one costs. Calls that put nothing on the wire by
 * themselves (creating a client, a server) are counted in the footer.
 */
export function formatCostTable(reports: readonly FileReport[], color: boolean): string {
  const rows: CostRow[] = [];
  const rtts = new Set<number>();
  let silent = 0;
  for (const r of reports) {
    for (const call of r.analysis.calls) {
      const e = explainCall(call, r.config);
      const datagram = e.phases.some((ph) => ph.phase === 'datagram');
      if (!e.cold || (e.cold.rtts === 0 && !datagram)) {
        silent++;
        continue;
      }
      rtts.add(r.config.rttMs);
      const p = r.lines.position(call.calleeRange.start);
      const cold = `cold ${e.cold.rtts} RTT = ${e.cold.ms} ms`;
      const reused = datagram
        ? 'one datagram per send, no handshake, no reply'
        : e.reused
        ? `reused ${e.reused.rtts} RTT = ${e.reused.ms} ms`
        : e.noReuse
          ? 'no reuse: every call pays it'
          : e.phases.some((ph) => ph.phase === 'tcp')
            ? 'opens the connection later calls use'
            : 'paid on every call';
      rows.push({ where: `${r.file.display}:${p.line}`, api: truncate(call.api, 32), target: truncate(e.target, 48), cold, reused });
    }
  }
  if (rows.length === 0) return '';
  const width = (k: keyof CostRow) => Math.max(...rows.map((row) => row[k].length));
  const w = { where: width('where'), api: width('api'), target: width('target'), cold: width('cold') };
  const rttText = rtts.size === 1 ? `${[...rtts][0]} ms RTT` : 'the configured RTT of each file';
  const out = [paint(color, '1', `Round-trip costs at ${rttText} (a DNS lookup adds 1 RTT when the name is not cached):`)];
  for (const row of rows) {
    out.push(`  ${row.where.padEnd(w.where)}  ${row.api.padEnd(w.api)}  ${row.target.padEnd(w.target)}  ${row.cold.padEnd(w.cold)}  ${row.reused}`.trimEnd());
  }
  if (silent) out.push(paint(color, '2', `  (+ ${plural(silent, 'call')} that put${silent === 1 ? 's' : ''} nothing on the wire by ${silent === 1 ? 'itself' : 'themselves'}: clients, pools, servers; \`wirelens explain file:line\` shows any call)`));
  return `${out.join('\n')}\n`;
}

