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

export function lessonCommandUri(lesson: string, callApi?: string): string {
  return `command:${OPEN_LESSON_COMMAND}?${encodeURIComponent(JSON.stringify([lesson, callApi ?? null]))}`;
}
