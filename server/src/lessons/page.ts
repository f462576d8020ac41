// The whole HTML document around a rendered lesson: CSP, stylesheet, script, header with the lesson's
// place in the course, the user's call that led here, and links to the previous and next lessons.
// One builder for the VS Code webview, the static site and the browser test page, so all three run
// the same markup under the same policy.
import { lessonById, type LessonEntry } from './catalog';
import { contentSecurityPolicy } from './html';
import { escapeHtml, lessonHref, neighbours, renderCallContext, type LessonCallContext, type RenderedLesson } from './render';

/** RTT choices offered by the diagram control (ms); the lesson's own and the user's RTT are added. */
export const RTT_CHOICES_MS: readonly number[] = [10, 50, 150, 300];

export interface LessonPageOptions {
  lesson: RenderedLesson;
  /** 'panel': the VS Code webview (links handled by the script); 'site': plain pages. */
  mode: 'panel' | 'site';
  /**
   * Where scripts and styles may come from: `webview.cspSource` in VS Code, `'self'` on the site,
   * the test server's origin in the browser test.
   */
  cspSource: string;
  /** Script nonce (the webview); without one, scripts from `cspSource` are allowed (the site). */
  nonce?: string;
  scriptUri: string;
  styleUris: readonly string[];
  /** The user's call that led here. */
  context?: LessonCallContext;
  /** The RTT from the user's settings (`wirelens.rttMs`), offered first by the RTT control. */
  userRttMs?: number;
  /** A lesson to go back to (the panel's in-session history). */
  back?: LessonEntry;
  /** Link to the lesson index (site) — the panel shows a lesson picker instead. */
  indexHref?: string;
  /** Heading id to scroll to on load (a lesson link with a #fragment, followed in the panel). */
  fragment?: string;
}

export { contentSecurityPolicy };

export function renderLessonPage(options: LessonPageOptions): string {
  const { lesson, mode } = options;
  const entry = lessonById(lesson.id);
  const heading = entry ? `${entry.number} · ${entry.module}` : '';
  const title = entry ? `${entry.number} ${lesson.title}` : lesson.title;
  const { previous, next } = neighbours(lesson.id);
  const lessonLink = (l: LessonEntry, rel: string, text: string) =>
    `<a href="${escapeHtml(lessonHref(l.id))}" data-lesson="${escapeHtml(l.id)}" rel="${rel}">${escapeHtml(text)}</a>`;
  const index =
    mode === 'site'
      ? `<a href="${escapeHtml(options.indexHref ?? 'index.html')}">All lessons</a>`
      : `<a href="#" data-nav="pick">All lessons…</a>`;
  const back = options.back ? `<a href="${escapeHtml(lessonHref(options.back.id))}" data-lesson="${escapeHtml(options.back.id)}" data-nav="back">← Back to ${escapeHtml(`${options.back.number} ${options.back.title}`)}</a>` : '';
  const rttChoices = [...new Set([...(options.userRttMs ? [Math.round(options.userRttMs)] : []), ...RTT_CHOICES_MS])];
  const bodyAttrs = [
    `class="wl-page wl-page-${mode}"`,
    `data-lesson="${escapeHtml(lesson.id)}"`,
    `data-rtt-choices="${rttChoices.join(',')}"`,
    options.userRttMs ? `data-user-rtt="${Math.round(options.userRttMs)}"` : '',
    options.context ? `data-context="${escapeHtml(JSON.stringify(options.context))}"` : '',
    options.fragment ? `data-fragment="${escapeHtml(options.fragment)}"` : '',
  ].filter(Boolean);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(contentSecurityPolicy(options.cspSource, options.nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} — Wirelens</title>
${options.styleUris.map((href) => `<link rel="stylesheet" href="${escapeHtml(href)}">`).join('\n')}
</head>
<body ${bodyAttrs.join(' ')}>
<header class="wl-lesson-header">
<nav class="wl-nav-top" aria-label="Lesson navigation">${back}${back ? ' ' : ''}${index}</nav>
${heading ? `<p class="wl-lesson-meta">${escapeHtml(heading)}</p>` : ''}
</header>
<main class="wl-lesson" id="lesson">
${renderCallContext(options.context)}${lesson.html}
</main>
<footer class="wl-lesson-footer">
<nav class="wl-nav-course" aria-label="Course">${previous ? `<span class="wl-nav-previous">${lessonLink(previous, 'prev', `← ${previous.number} ${previous.title}`)}</span>` : ''}${next ? `<span class="wl-nav-next">${lessonLink(next, 'next', `${next.number} ${next.title} →`)}</span>` : ''}</nav>
</footer>
<script ${options.nonce ? `nonce="${escapeHtml(options.nonce)}" ` : ''}src="${escapeHtml(options.scriptUri)}"></script>
</body>
</html>
`;
}
