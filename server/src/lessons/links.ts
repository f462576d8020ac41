// Where lessons live for people: the static site (diagnostic hrefs, SARIF) and, for hovers, a
// command the VS Code client trusts or the lesson's Markdown file for other editors.
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

export const DEFAULT_LESSONS_BASE_URL = 'https://wirelens.dev/lessons/';

export function lessonSiteUrl(lesson: string, base = DEFAULT_LESSONS_BASE_URL): string {
  return `${base.endsWith('/') ? base : `${base}/`}${encodeURIComponent(lesson)}.html`;
}

/** The extension's media folder next to the bundled server (dist/server.js → media/). */
export function lessonFileUri(lesson: string, distDir = __dirname): string {
  return pathToFileURL(path.join(distDir, '..', 'media', 'lessons', `${lesson}.md`)).toString();
}

export const OPEN_LESSON_COMMAND = 'wirelens.openLesson';

/**
 * The hover's "Open lesson" link for VS Code: `[lesson, api, { uri, line }]`, where the last part
 * (the call's document and 1-based line) lets the lesson panel show the user's own call.
 */
export function lessonCommandUri(lesson: string, callApi?: string, at?: { uri: string; line: number }): string {
  const args: unknown[] = [lesson, callApi ?? null];
  if (at) args.push({ uri: at.uri, line: at.line });
  return `command:${OPEN_LESSON_COMMAND}?${encodeURIComponent(JSON.stringify(args))}`;
}
