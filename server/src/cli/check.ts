// `wirelens check`: analyse files and folders, print findings, exit 1 when there are any.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeText } from '../analysis/index';
import { readRegularFile } from '../lsp/regularFile';
import { flag, parseArgs, switchOn, UsageError } from './args';
import { SettingsResolver } from './config';
import { collectFiles } from './files';
import { runGit } from './git';
import { formatJson } from './formatJson';
import { formatSarif } from './formatSarif';
import { formatCostTable, formatFindingsText, formatSummaryLine } from './formatText';
import type { CliIo } from './io';
import { overridesFrom, SETTINGS_FLAGS } from './options';
import { LineMap } from './positions';
import { positionFindings, type FileReport } from './report';
import { CHECK_HELP } from './usage';

const FORMATS = ['text', 'json', 'sarif'] as const;
type Format = (typeof FORMATS)[number];

const CHECK_FLAGS = {
  ...SETTINGS_FLAGS,
  format: { value: true, short: 'f' },
  summary: { value: false },
  color: { value: false },
  output: { value: true, short: 'o' },
};

/** The default target: the bundled example backend when there is one, else the current folder. */
function defaultPaths(cwd: string): string[] {
  try {
    if (fs.statSync(path.join(cwd, 'examples')).isDirectory()) return ['examples/'];
  } catch {
    // no examples folder
  }
  return ['.'];
}

/** The git root of the working directory (SARIF's %SRCROOT%), else the working directory. */
function sourceRoot(cwd: string): string {
  const r = runGit(['rev-parse', '--show-toplevel'], { cwd, encoding: 'utf8' });
  const top = r.status === 0 ? r.stdout.trim() : '';
  return top ? path.resolve(top) : cwd;
}

function describeError(err: unknown): string {
  if (err instanceof Error) return (err as NodeJS.ErrnoException).code ? `${(err as NodeJS.ErrnoException).code}: ${err.message}` : err.message;
  return String(err);
}

export async function runCheck(argv: readonly string[], io: CliIo): Promise<number> {
  const args = parseArgs(argv, CHECK_FLAGS);
  if (switchOn(args, 'help')) {
    io.out(CHECK_HELP);
    return 0;
  }
  const format = (flag(args, 'format') ?? 'text') as Format;
  if (!FORMATS.includes(format)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')} (got ${JSON.stringify(format)})`);
  const overrides = overridesFrom(args);
  const summary = switchOn(args, 'summary') === true;
  if (summary && format !== 'text') io.err(`wirelens: warning: --summary applies to --format text only; ignoring it.\n`);
  const outputFile = flag(args, 'output');
  // Colours only for a terminal: never into a report file.
  const color = outputFile ? false : (switchOn(args, 'color') ?? io.stdoutColor);

  const started = process.hrtime.bigint();
  const paths = args.positionals.length ? args.positionals : defaultPaths(io.cwd);
  const collected = collectFiles(paths, io.cwd);
  if (collected.missing.length) {
    throw new UsageError(collected.missing.map((p) => `no such file or folder: ${p}`).join('\nwirelens: '));
  }
  const warn = (message: string) => io.err(`wirelens: warning: ${message}\n`);
  const settings = new SettingsResolver(overrides, io.cwd, warn);
  if (overrides.configFile) {
    const problem = settings.loadExplicit(overrides.configFile);
    if (problem) throw new UsageError(`--config: ${problem}`);
  }
  for (const note of collected.notes) io.err(`wirelens: ${note}\n`);

  const reports: FileReport[] = [];
  const failures: Array<{ file: string; message: string }> = [];
  let skipped = 0;
  for (const file of collected.files) {
    const fileSettings = settings.forFile(file.absolute);
    if (fileSettings.isExcluded(file.absolute)) {
      if (file.explicit) io.err(`wirelens: ${file.display} is excluded by the exclude setting in ${fileSettings.source ?? 'the settings'}; skipped.\n`);
      skipped++;
      continue;
    }
    let text: string;
    try {
      const size = fs.statSync(file.absolute).size;
      if (size > fileSettings.maxFileBytes) {
        io.err(`wirelens: ${file.display} is ${size} bytes, over maxFileBytes (${fileSettings.maxFileBytes}); skipped.\n`);
        skipped++;
        continue;
      }
      // A byte order mark is not a column: editors do not count it, so neither do we. Only a regular
      // file, read up to the limit: a symlink to /dev/zero in a checked-out repository must not hang CI.
      text = readRegularFile(file.absolute, fileSettings.maxFileBytes).replace(/^\uFEFF/, '');
    } catch (err) {
      const message = `cannot read: ${describeError(err)}`;
      io.err(`wirelens: ${file.display}: ${message}\n`);
      failures.push({ file: file.display, message });
      continue;
    }
    try {
      const analysis = analyzeText(file.analysisName, text, fileSettings.analysis);
      if (analysis.failure) {
        // Counted like an unreadable file: named on stderr, listed in SARIF, never a silent "no findings".
        const message = `could not be analysed: ${analysis.failure}`;
        io.err(`wirelens: ${file.display}: ${message}\n`);
        failures.push({ file: file.display, message });
        continue;
      }
      for (const e of analysis.internalErrors ?? []) io.err(`wirelens: ${file.display}: a rule failed (the others ran): ${e.split('\n')[0]}\n`);
      const lines = new LineMap(text);
      reports.push({ file, text, lines, analysis, findings: positionFindings(analysis, lines), lessonsBaseUrl: fileSettings.lessonsBaseUrl, config: fileSettings.analysis });
    } catch (err) {
      const message = `could not be analysed: ${describeError(err)}`;
      io.err(`wirelens: ${file.display}: ${message}\n`);
      failures.push({ file: file.display, message });
    }
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const findingCount = reports.reduce((n, r) => n + r.findings.length, 0);

  let report: string;
  if (format === 'json') {
    report = formatJson(reports);
  } else if (format === 'sarif') {
    report = formatSarif(reports, { srcRoot: sourceRoot(io.cwd), failures });
  } else {
    report = formatFindingsText(reports, { color, cwd: io.cwd });
    if (summary) {
      const table = formatCostTable(reports, color);
      if (table) report += `${findingCount ? '\n' : ''}${table}\n`;
    }
    report += formatSummaryLine(reports, { filesAnalysed: reports.length, filesFailed: failures.length, filesSkipped: skipped, seconds }, color);
  }
  if (outputFile) {
    try {
      fs.writeFileSync(path.resolve(io.cwd, outputFile), report);
    } catch (err) {
      throw new UsageError(`--output: cannot write ${outputFile}: ${describeError(err)}`);
    }
  } else {
    io.out(report);
  }
  return findingCount > 0 ? 1 : 0;
}
