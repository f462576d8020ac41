// `--format sarif`: a SARIF 2.1.0 log (OASIS standard) for code-scanning services and SARIF
// viewers. Every rule is described in tool.driver.rules (title, description, help with the
// lesson link); results point at files relative to %SRCROOT% (the git root, else the working
// directory), with 1-based lines and UTF-16 columns (`columnKind`), and carry the rule's
// mechanical fixes as replacements.
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Severity, TextRange } from '../analysis/index';
import { lessonById } from '../lessons/catalog';
import { RULES } from '../rules';
import { DEFAULT_LESSONS_BASE_URL, lessonUrl } from './lessonUrl';
import type { LineMap } from './positions';
import { oneLine, type FileReport } from './report';
import { WIRELENS_INFORMATION_URI, WIRELENS_VERSION } from './version';

export const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';
export const SRCROOT = '%SRCROOT%';

type Level = 'error' | 'warning' | 'note';

export function sarifLevel(severity: Severity): Level {
  return severity === 'error' ? 'error' : severity === 'warning' ? 'warning' : 'note';
}

/** `OutboundRequestWithoutTimeout` from `outbound-request-without-timeout`. */
function ruleName(id: string): string {
  return id.replace(/(^|-)([a-z0-9])/g, (_, __, c: string) => c.toUpperCase());
}

interface Region {
  startLine: number;
  startColumn: number;
  endLine: number;
  endColumn: number;
}

function region(lines: LineMap, range: TextRange): Region {
  const s = lines.position(range.start);
  const e = lines.position(range.end);
  return { startLine: s.line, startColumn: s.column, endLine: e.line, endColumn: e.column };
}

interface ArtifactLocation {
  uri: string;
  uriBaseId?: string;
}

/** A relative URI under %SRCROOT% when the file is below it, else an absolute file: URI. */
export function artifactLocation(absolute: string, srcRoot: string): ArtifactLocation {
  const rel = path.relative(srcRoot, absolute);
  if (rel && !rel.startsWith('..') && !path.isAbsolute(rel)) {
    return { uri: rel.split(path.sep).map(encodeURIComponent).join('/'), uriBaseId: SRCROOT };
  }
  return { uri: pathToFileURL(absolute).href };
}

export interface SarifOptions {
  srcRoot: string;
  lessonsBaseUrl?: string;
  /** Files that could not be read or analysed: reported as tool notifications. */
  failures: Array<{ file: string; message: string }>;
}

function ruleDescriptors(baseUrl: string) {
  return RULES.map((rule) => {
    const { meta } = rule;
    const lesson = lessonById(meta.lesson);
    const url = lessonUrl(meta.lesson, baseUrl);
    const lessonTitle = lesson ? `${lesson.number} ${lesson.title}` : meta.lesson;
    return {
      id: meta.id,
      name: ruleName(meta.id),
      shortDescription: { text: meta.title },
      fullDescription: { text: meta.description },
      help: {
        text: `${meta.description}\n\nLesson ${lessonTitle}: ${url}`,
        markdown: `${meta.description}\n\n**Lesson:** [${lessonTitle}](${url})`,
      },
      helpUri: url,
      defaultConfiguration: { level: sarifLevel(meta.severity) },
      properties: { tags: ['networking', meta.lesson], fixable: meta.fixable },
    };
  });
}

export function toSarif(reports: readonly FileReport[], opts: SarifOptions): object {
  const baseUrl = opts.lessonsBaseUrl ?? reports[0]?.lessonsBaseUrl ?? DEFAULT_LESSONS_BASE_URL;
  const rules = ruleDescriptors(baseUrl);
  const ruleIndex = new Map(rules.map((r, i) => [r.id, i]));
  const results: object[] = [];
  for (const r of reports) {
    const location = artifactLocation(r.file.absolute, opts.srcRoot);
    for (const { finding } of r.findings) {
      const index = ruleIndex.get(finding.ruleId);
      const result: Record<string, unknown> = {
        ruleId: finding.ruleId,
        ...(index !== undefined ? { ruleIndex: index } : {}),
        level: sarifLevel(finding.severity),
        message: { text: oneLine(finding.message) },
        locations: [{ physicalLocation: { artifactLocation: location, region: region(r.lines, finding.range) } }],
      };
      if (finding.related.length) {
        result.relatedLocations = finding.related.map((rel, i) => ({
          id: i + 1,
          physicalLocation: { artifactLocation: location, region: region(r.lines, rel.range) },
          message: { text: oneLine(rel.message) },
        }));
      }
      const fixes = finding.fixes.filter((f) => f.edits.length > 0);
      if (fixes.length) {
        result.fixes = fixes.map((fix) => ({
          description: { text: fix.title },
          artifactChanges: [
            {
              artifactLocation: location,
              replacements: fix.edits.map((edit) => ({
                deletedRegion: region(r.lines, edit),
                insertedContent: { text: edit.newText },
              })),
            },
          ],
        }));
      }
      results.push(result);
    }
  }
  return {
    $schema: SARIF_SCHEMA_URI,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'Wirelens',
            version: WIRELENS_VERSION,
            semanticVersion: WIRELENS_VERSION,
            informationUri: WIRELENS_INFORMATION_URI,
            rules,
          },
        },
        originalUriBaseIds: { [SRCROOT]: { uri: pathToFileURL(opts.srcRoot.endsWith(path.sep) ? opts.srcRoot : opts.srcRoot + path.sep).href } },
        columnKind: 'utf16CodeUnits',
        invocations: [
          {
            executionSuccessful: opts.failures.length === 0,
            toolExecutionNotifications: opts.failures.map((f) => ({
              level: 'error',
              message: { text: `${f.file}: ${oneLine(f.message)}` },
            })),
          },
        ],
        results,
      },
    ],
  };
}

export function formatSarif(reports: readonly FileReport[], opts: SarifOptions): string {
  return `${JSON.stringify(toSarif(reports, opts), null, 2)}\n`;
}
