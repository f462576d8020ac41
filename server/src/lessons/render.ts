// Lesson Markdown → HTML for the lesson panel and the static site. Pure (no Node, VS Code or DOM
// APIs): the caller passes the diagram documents in, so the same code runs in the extension host,
// in tests and in the site build.
//
// Safety model: the Markdown comes from our media/ folder, but the page also shows things from the
// user's workspace (the call that led here), so nothing is trusted. markdown-it runs with
// `html: false` (raw HTML is shown as text), links are limited to http(s), mailto, in-page anchors
// and other lessons (anything else, including javascript: and command: URIs, stays plain text),
// images are replaced by their alt text, and every attribute we add is escaped. Inline `style`
// attributes are never emitted: the webview's CSP forbids them.
import markdownIt, { type Env, type MarkdownIt, type Token } from 'markdown-it';
import { findDiagramReferences, renderSvg, renderTable, validateDiagram, type Diagram } from '../diagrams/index';
import { LESSONS, lessonById } from './catalog';
import { highlightCode } from './highlight';
import { escapeHtml } from './html';

export interface RenderLessonOptions {
  /** The lesson id (file name under media/lessons/ without `.md`). */
  id: string;
  /** Returns the JSON text of media/diagrams/<id>.json, or undefined when there is no such file. */
  loadDiagram: (diagramId: string) => string | undefined;
}

export interface RenderedDiagram {
  id: string;
  diagram: Diagram;
}

export interface RenderedLesson {
  id: string;
  /** The first `#` heading, as plain text. */
  title: string;
  /** The lesson body: safe HTML, no scripts, no inline styles. */
  html: string;
  /** The diagrams the lesson shows, in order (validated). */
  diagrams: RenderedDiagram[];
  /** Lesson links in the text, by id (resolved; unknown ids are in `problems`). */
  links: string[];
  /** What could not be rendered as written (missing or invalid diagram, unknown lesson link …). */
  problems: string[];
}

/** The user's call that led to the lesson (from a hover link or a diagnostic's code action). */
export interface LessonCallContext {
  /** API as the analysis names it: `fetch`, `axios.get`, `http.request`. */
  api?: string;
  /** Rule id when opened from a diagnostic. */
  rule?: string;
  /** Workspace-relative path (or file name) of the file with the call. */
  file?: string;
  /** 1-based line. */
  line?: number;
  /** The source line itself, trimmed (shown highlighted). */
  code?: string;
  /** The document's URI: never shown, kept (in the page's state) so the panel can go back to the call. */
  uri?: string;
}

/** Escapes text for HTML content and for quoted attribute values. */
export { escapeHtml };

/** Where a lesson link goes: the lesson's page on the site; the panel intercepts `data-lesson`. */
export function lessonHref(id: string, fragment = ''): string {
  return `${encodeURIComponent(id)}.html${fragment}`;
}

/**
 * A lesson link target, or undefined when `href` is not one. Accepted spellings:
 * `tcp-handshake.md`, `./tcp-handshake.md`, `../lessons/tcp-handshake.md`, `tcp-handshake.html`,
 * `lesson:tcp-handshake`, each with an optional `#fragment`.
 */
export function parseLessonLink(href: string): { id: string; fragment: string } | undefined {
  const m = /^(?:lesson:([a-z0-9][a-z0-9-]*)|(?:\.\/|\.\.\/lessons\/)?([a-z0-9][a-z0-9-]*)\.(?:md|html))(#[A-Za-z0-9_-]*)?$/.exec(href);
  if (!m) return undefined;
  return { id: (m[1] ?? m[2])!, fragment: m[3] ?? '' };
}

const SAFE_SCHEMES = /^(?:https?:\/\/|mailto:)/i;

/** markdown-it's link filter: what may become an `<a href>` at all. */
function isAllowedLink(url: string): boolean {
  const trimmed = url.trim();
  if (/[\u0000-\u001f\u007f\s\\]/.test(trimmed)) return false;
  if (SAFE_SCHEMES.test(trimmed)) return true;
  if (/^#[A-Za-z0-9_-]*$/.test(trimmed)) return true;
  return parseLessonLink(trimmed) !== undefined;
}

/** Heading slug: lower case words joined by `-` (ASCII letters and digits only). */
export function slugify(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '') || 'section';
}

interface RenderEnv extends Env {
  lessonId: string;
  loadDiagram: (diagramId: string) => string | undefined;
  diagrams: RenderedDiagram[];
  links: string[];
  problems: string[];
  figureCount: number;
}

function createMarkdown(): MarkdownIt {
  const md = markdownIt({ html: false, linkify: false, typographer: false, breaks: false });
  md.validateLink = isAllowedLink;

  md.core.ruler.push('wirelens_headings', (state) => {
    const used = new Set<string>();
    state.tokens.forEach((token, i) => {
      if (token.type !== 'heading_open') return;
      const inline = state.tokens[i + 1];
      const base = slugify(inline?.content ?? '');
      let slug = base;
      for (let n = 2; used.has(slug); n++) slug = `${base}-${n}`;
      used.add(slug);
      token.attrSet('id', slug);
    });
  });

  // Table alignment arrives as `style="text-align:…"`; the CSP forbids inline styles, so use classes.
  md.core.ruler.push('wirelens_no_inline_styles', (state) => {
    for (const token of state.tokens) {
      const style = token.attrGet('style');
      if (style === null) continue;
      const css = String(style);
      token.attrs = (token.attrs ?? []).filter(([name]) => name !== 'style');
      const align = /text-align:\s*(left|right|center)/.exec(css);
      if (align) token.attrJoin('class', `wl-align-${align[1]}`);
    }
  });

  // "✗ Incorrect …" / "✓ Correct …" paragraphs mark the code block that follows them.
  md.core.ruler.push('wirelens_verdicts', (state) => {
    const tokens = state.tokens;
    tokens.forEach((token, i) => {
      if (token.type !== 'paragraph_open') return;
      const text = tokens[i + 1]?.content.trimStart() ?? '';
      const verdict = text.startsWith('✗') ? 'bad' : text.startsWith('✓') ? 'good' : undefined;
      if (!verdict) return;
      token.attrJoin('class', `wl-verdict wl-verdict-${verdict}`);
      const next = tokens[i + 3];
      if (next?.type === 'fence') next.meta = { ...(next.meta ?? {}), verdict };
    });
  });

  const rules = md.renderer.rules;

  rules.fence = (tokens, idx, _options, env) => {
    const token = tokens[idx]!;
    const info = token.info.trim();
    const lang = info.split(/\s+/)[0] ?? '';
    if (lang === 'diagram') return renderDiagramBlock(token, env as RenderEnv);
    const verdict = token.meta?.verdict as 'good' | 'bad' | undefined;
    const highlighted = highlightCode(token.content, lang);
    const classes = ['wl-code', verdict && `wl-code-${verdict}`].filter(Boolean).join(' ');
    const label = verdict === 'bad' ? ' aria-label="Incorrect code"' : verdict === 'good' ? ' aria-label="Correct code"' : '';
    return `<pre class="${classes}"${label}><code class="hljs${highlighted.language ? ` language-${escapeHtml(highlighted.language)}` : ''}">${highlighted.html}</code></pre>\n`;
  };

  rules.code_block = (tokens, idx) => `<pre class="wl-code"><code>${escapeHtml(tokens[idx]!.content)}</code></pre>\n`;

  // No images in lessons: their alt text stands in (no remote or local resources to load).
  rules.image = (tokens, idx) => `<span class="wl-image-alt">${escapeHtml(tokens[idx]!.content)}</span>`;

  const defaultLinkOpen = rules.link_open ?? ((tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options));
  rules.link_open = (tokens, idx, options, rawEnv, self) => {
    const env = rawEnv as RenderEnv;
    const token = tokens[idx]!;
    const href = String(token.attrGet('href') ?? '');
    const lesson = parseLessonLink(href.trim());
    if (lesson) {
      if (lessonById(lesson.id)) {
        env.links.push(lesson.id);
        token.attrSet('href', lessonHref(lesson.id, lesson.fragment));
        token.attrSet('data-lesson', lesson.id);
        if (lesson.fragment) token.attrSet('data-fragment', lesson.fragment.slice(1));
      } else {
        env.problems.push(`link to unknown lesson "${lesson.id}"`);
        token.attrSet('href', '#');
        token.attrSet('class', 'wl-broken-link');
      }
    } else if (SAFE_SCHEMES.test(href)) {
      token.attrSet('class', 'wl-external');
      token.attrSet('rel', 'noopener noreferrer');
    }
    return defaultLinkOpen(tokens, idx, options, env, self);
  };

  return md;
}

function renderDiagramBlock(token: Token, env: RenderEnv): string {
  const id = token.content.split(/\s+/).filter(Boolean).join(' ');
  const line = (token.map?.[0] ?? 0) + 1;
  const fail = (why: string) => {
    env.problems.push(`line ${line}: diagram "${id}": ${why}`);
    return `<div class="wl-diagram-error" role="note">Diagram ${escapeHtml(id)} could not be shown: ${escapeHtml(why)}</div>\n`;
  };
  if (!/^[a-z0-9][a-z0-9-]*$/.test(id)) return fail('not a diagram id');
  const json = env.loadDiagram(id);
  if (json === undefined) return fail(`media/diagrams/${id}.json not found`);
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (err) {
    return fail(`invalid JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
  const checked = validateDiagram(value, `media/diagrams/${id}.json`);
  if (!checked.ok) return fail(checked.errors.join('; '));
  const diagram = checked.diagram;
  env.diagrams.push({ id, diagram });
  const n = ++env.figureCount;
  return renderFigure(diagram, `wl-fig${n}`);
}

/**
 * A diagram placeholder: the static SVG (readable without the script, e.g. in a feed reader or with
 * scripts off), the validated document for the webview script, and the text alternative.
 */
export function renderFigure(diagram: Diagram, figureId: string): string {
  const svg = renderSvg(diagram, { idPrefix: `${figureId}-svg` });
  const spec = escapeHtml(JSON.stringify(diagram));
  const table =
    diagram.kind === 'sequence'
      ? `<details class="wl-figure-table"><summary>The packets as a table</summary>${renderTable(diagram)}</details>`
      : `<details class="wl-figure-table"><summary>The fields as a table</summary>${renderTable(diagram)}</details>`;
  return (
    `<figure class="wl-figure" id="${escapeHtml(figureId)}" data-diagram="${escapeHtml(diagram.id)}" data-diagram-kind="${diagram.kind}" data-spec="${spec}">` +
    `<div class="wl-figure-scroll" tabindex="0" role="group" aria-label="${escapeHtml(`Diagram: ${diagram.title}`)}">${svg}</div>` +
    table +
    `</figure>\n`
  );
}

let markdown: MarkdownIt | undefined;

/** Renders one lesson. Never throws on bad content: problems are reported and shown in place. */
export function renderLesson(source: string, options: RenderLessonOptions): RenderedLesson {
  markdown ??= createMarkdown();
  const env: RenderEnv = { lessonId: options.id, loadDiagram: options.loadDiagram, diagrams: [], links: [], problems: [], figureCount: 0 };
  const tokens = markdown.parse(source, env);
  const h1 = tokens.findIndex((t) => t.type === 'heading_open' && t.tag === 'h1');
  const title = h1 >= 0 ? plainText(tokens[h1 + 1]) : lessonById(options.id)?.title ?? options.id;
  const html = markdown.renderer.render(tokens, markdown.options, env);
  // findDiagramReferences is what the media test checks; a block it sees that we did not render
  // (e.g. inside a list item with odd indentation) would silently vanish, so report it.
  const expected = findDiagramReferences(source).length;
  if (expected !== env.figureCount && env.problems.length === 0) env.problems.push(`expected ${expected} diagrams, rendered ${env.figureCount}`);
  return { id: options.id, title, html, diagrams: env.diagrams, links: [...new Set(env.links)], problems: env.problems };
}

function plainText(inline: Token | undefined): string {
  if (!inline?.children) return inline?.content ?? '';
  return inline.children.map((c) => (c.type === 'text' || c.type === 'code_inline' ? c.content : '')).join('');
}

/** "Opened from your call": the user's code, escaped, with a link back to it (the panel wires it). */
export function renderCallContext(context: LessonCallContext | undefined): string {
  if (!context || (!context.api && !context.rule && !context.file)) return '';
  const what = context.api ? `<code>${escapeHtml(context.api)}</code>` : 'your code';
  const where =
    context.file !== undefined
      ? ` in <a href="#" class="wl-reveal" data-reveal="call">${escapeHtml(context.file)}${context.line !== undefined ? `:${Math.max(1, Math.floor(context.line))}` : ''}</a>`
      : '';
  const rule = context.rule ? ` — rule <code>${escapeHtml(context.rule)}</code>` : '';
  const code = context.code ? `<pre class="wl-code wl-context-code"><code class="hljs">${highlightCode(context.code.slice(0, 400), 'ts').html}</code></pre>` : '';
  return `<aside class="wl-context" aria-label="Your code that led here"><p>Opened from ${what}${where}${rule}.</p>${code}</aside>\n`;
}

/** Previous and next lesson in the course order (for the links at the end of a lesson). */
export function neighbours(id: string): { previous?: (typeof LESSONS)[number]; next?: (typeof LESSONS)[number] } {
  const i = LESSONS.findIndex((l) => l.id === id);
  if (i < 0) return {};
  return { previous: LESSONS[i - 1], next: LESSONS[i + 1] };
}
