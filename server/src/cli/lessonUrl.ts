// Where a lesson lives for people outside the editor: the lesson site (SARIF help URIs, JSON
// consumers) and the Markdown file shipped beside the bundle (terminal output).
// The base URL constant is defined once, in lessons/links.ts, and shared with the LSP's
// diagnostic `codeDescription.href`; this module is the CLI's single way to build lesson links.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DEFAULT_LESSONS_BASE_URL, lessonSiteUrl } from '../lessons/links';

export { DEFAULT_LESSONS_BASE_URL };

/** `https://wirelens.dev/lessons/<id>.html` (or under the configured `lessonsBaseUrl`). */
export function lessonUrl(lessonId: string, baseUrl: string = DEFAULT_LESSONS_BASE_URL): string {
  return lessonSiteUrl(lessonId, baseUrl);
}

/** Accepts only absolute http(s) URLs for `lessonsBaseUrl`; links go into reports other tools render. */
export function isValidLessonsBaseUrl(value: string): boolean {
  return /^https?:\/\/[^\s]+$/.test(value);
}

/**
 * The lesson's Markdown file next to the bundle (dist/cli.js → media/lessons/<id>.md), shown
 * relative to the working directory when it is below it. Undefined when the file is not there.
 */
export function lessonFilePath(lessonId: string, cwd: string, distDir: string = __dirname): string | undefined {
  const file = path.join(distDir, '..', 'media', 'lessons', `${lessonId}.md`);
  if (!fs.existsSync(file)) return undefined;
  const rel = path.relative(cwd, file);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel.split(path.sep).join('/') : file;
}
