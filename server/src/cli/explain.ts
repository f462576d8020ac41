// `wirelens explain <file>:<line>[:<col>]`: the hover of the call there, as terminal text.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeText, explainCall, explanationToText, isAnalysableFile, type NetworkCall } from '../analysis/index';
import { parseArgs, switchOn, UsageError } from './args';
import { SettingsResolver } from './config';
import type { CliIo } from './io';
import { overridesFrom, SETTINGS_FLAGS } from './options';
import { LineMap } from './positions';
import { oneLine } from './report';
import { EXPLAIN_HELP } from './usage';

export interface Location {
  file: string;
  line: number;
  column?: number;
}

/** `src/a.ts:12` or `src/a.ts:12:5` (the file part may itself contain colons, e.g. `C:\x.ts:3`). */
export function parseLocation(spec: string): Location {
  const m = /^(.+?):(\d+)(?::(\d+))?$/.exec(spec);
  if (!m) throw new UsageError(`expected <file>:<line>[:<col>], e.g. src/api.ts:12 or src/api.ts:12:5 (got ${JSON.stringify(spec)})`);
  const line = Number(m[2]);
  const column = m[3] === undefined ? undefined : Number(m[3]);
  if (line < 1) throw new UsageError(`line numbers start at 1 (got ${line})`);
  if (column !== undefined && column < 1) throw new UsageError(`column numbers start at 1 (got ${column})`);
  return { file: m[1], line, ...(column !== undefined ? { column } : {}) };
}

const width = (c: NetworkCall) => c.range.end - c.range.start;

/**
 * The call at a position, as the hover picks it: the innermost call whose callee contains the
 * offset, else the innermost call that contains it. Without a column: the first call whose callee
 * starts on the line, else the innermost call that spans the line.
 */
export function pickCall(calls: readonly NetworkCall[], lines: LineMap, line: number, column?: number): NetworkCall | undefined {
  const innermost = (list: NetworkCall[]) => list.sort((a, b) => width(a) - width(b))[0];
  if (column !== undefined) {
    const offset = lines.offsetAt(line, column);
    if (offset === undefined) return undefined;
    const inCallee = calls.filter((c) => c.calleeRange.start <= offset && offset <= c.calleeRange.end);
    if (inCallee.length) return innermost(inCallee);
    return innermost(calls.filter((c) => c.range.start <= offset && offset <= c.range.end));
  }
  const start = lines.lineStart(line) ?? 0;
  const end = lines.lineEnd(line) ?? start;
  const onLine = calls.filter((c) => c.calleeRange.start >= start && c.calleeRange.start <= end).sort((a, b) => a.calleeRange.start - b.calleeRange.start);
  if (onLine.length) return onLine[0];
  return innermost(calls.filter((c) => c.range.start <= start && c.range.end >= end));
}

export async function runExplain(argv: readonly string[], io: CliIo): Promise<number> {
  const args = parseArgs(argv, SETTINGS_FLAGS);
  if (switchOn(args, 'help')) {
    io.out(EXPLAIN_HELP);
    return 0;
  }
  if (args.positionals.length !== 1) throw new UsageError('explain takes one <file>:<line>[:<col>]');
  const overrides = overridesFrom(args);
  const where = parseLocation(args.positionals[0]);
  const absolute = path.resolve(io.cwd, where.file);
  let text: string;
  try {
    if (!fs.statSync(absolute).isFile()) throw new UsageError(`${where.file} is not a file`);
    text = fs.readFileSync(absolute, 'utf8').replace(/^\uFEFF/, '');
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw new UsageError(`cannot read ${where.file}: ${(err as Error).message}`);
  }
  if (!isAnalysableFile(absolute)) throw new UsageError(`${where.file}: not a JavaScript or TypeScript file`);
  const lines = new LineMap(text);
  if (where.line > lines.lineCount) throw new UsageError(`${where.file} has ${lines.lineCount} lines; line ${where.line} is past the end`);
  if (where.column !== undefined && lines.offsetAt(where.line, where.column) === undefined) {
    const length = (lines.lineEnd(where.line) ?? 0) - (lines.lineStart(where.line) ?? 0);
    throw new UsageError(`line ${where.line} of ${where.file} has ${length} columns; column ${where.column} is past its end`);
  }
  const settings = new SettingsResolver(overrides, io.cwd, (m) => io.err(`wirelens: warning: ${m}\n`));
  if (overrides.configFile) {
    const problem = settings.loadExplicit(overrides.configFile);
    if (problem) throw new UsageError(`--config: ${problem}`);
  }
  const config = settings.forFile(absolute).analysis;
  const analysis = analyzeText(where.file, text, config);
  const call = pickCall(analysis.calls, lines, where.line, where.column);
  const position = `${where.file}:${where.line}${where.column !== undefined ? `:${where.column}` : ''}`;
  if (!call) {
    io.err(`wirelens: no recognised networking call at ${position}${analysis.calls.length ? `; recognised calls in this file are on lines ${[...new Set(analysis.calls.map((c) => lines.position(c.calleeRange.start).line))].join(', ')}` : ''}\n`);
    return 1;
  }
  const at = lines.position(call.calleeRange.start);
  io.out(`${where.file}:${at.line}:${at.column}  ${call.api}\n`);
  io.out(`${explanationToText(explainCall(call, config), config.rttMs)}\n`);
  const related = analysis.findings.filter((f) => f.range.start < call.range.end && call.range.start < f.range.end);
  if (related.length) {
    io.out('Findings on this call:\n');
    for (const f of related) {
      const p = lines.position(f.range.start);
      io.out(`  ${where.file}:${p.line}:${p.column}  ${f.severity}  ${f.ruleId}  ${oneLine(f.message)}\n`);
    }
  }
  return 0;
}
