// One analysed file's findings with positions resolved, the common input of every output format.
import type { AnalysisConfig, Finding, FileAnalysis } from '../analysis/index';
import type { SourceFile } from './files';
import { LineMap, type Position } from './positions';

export interface PositionedFinding {
  finding: Finding;
  start: Position;
  /** Exclusive end, like LSP ranges and SARIF regions. */
  end: Position;
}

export interface FileReport {
  file: SourceFile;
  text: string;
  lines: LineMap;
  analysis: FileAnalysis;
  findings: PositionedFinding[];
  lessonsBaseUrl: string;
  /** The configuration this file was analysed with (settings file + flags). */
  config: AnalysisConfig;
}

export function positionFindings(analysis: FileAnalysis, lines: LineMap): PositionedFinding[] {
  return analysis.findings.map((finding) => ({
    finding,
    start: lines.position(finding.range.start),
    end: lines.position(finding.range.end),
  }));
}

/** A message on one line: terminals, JSON consumers and SARIF viewers all expect that. */
export function oneLine(message: string): string {
  return message.replace(/\s*\r?\n\s*/g, ' ').trim();
}
