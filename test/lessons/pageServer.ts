// A loopback HTTP server that serves lesson pages the way the VS Code webview gets them: the same
// page builder, the same CSP (as a meta tag, with a fresh nonce per page and the server's origin in
// place of webview.cspSource), the same script and stylesheet from dist/webview/, plus a stylesheet
// with a real VS Code theme's --vscode-* variables and the theme's body classes.
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { renderLessonPage } from '../../server/src/lessons/page';
import { renderLesson, type LessonCallContext } from '../../server/src/lessons/render';

export const ROOT = path.resolve(__dirname, '..', '..');

export interface ThemeFixture {
  kind: string;
  name: string;
  bodyClasses: string[];
  vars: Record<string, string>;
}

export function loadThemes(): Record<string, ThemeFixture> {
  return (JSON.parse(readFileSync(path.join(__dirname, 'fixtures', 'vscode-themes.json'), 'utf8')) as { themes: Record<string, ThemeFixture> }).themes;
}

export function lessonSource(id: string): string | undefined {
  const file = path.join(ROOT, 'media', 'lessons', `${id}.md`);
  return existsSync(file) ? readFileSync(file, 'utf8') : undefined;
}

export function loadDiagramFile(id: string): string | undefined {
  const file = path.join(ROOT, 'media', 'diagrams', `${id}.json`);
  return existsSync(file) ? readFileSync(file, 'utf8') : undefined;
}

/** A page the test asks for: a lesson from media/ or an inline one (hostile input tests). */
export interface PageRequest {
  id: string;
  markdown?: string;
  diagrams?: Record<string, string>;
  context?: LessonCallContext;
  userRttMs?: number;
}

/**
 * A loopback server for one webview page under test: its bundle's script and stylesheet from
 * dist/webview/ (`/assets/<bundle>.js|css`), a stylesheet per theme with its --vscode-* variables
 * (`/theme/<key>.css`), and whatever pages the subclass answers.
 */
export abstract class WebviewTestServer {
  private server: Server | undefined;
  origin = '';

  constructor(
    protected readonly themes: Record<string, ThemeFixture>,
    private readonly bundle: 'lesson' | 'capture',
  ) {}

  /** The HTML for a page URL, or undefined (404). */
  protected abstract page(url: URL): string | undefined;

  async start(): Promise<void> {
    const assets = path.join(ROOT, 'dist', 'webview');
    for (const asset of [`${this.bundle}.js`, `${this.bundle}.css`]) {
      if (!existsSync(path.join(assets, asset))) throw new Error(`dist/webview/${asset} missing: run the tests with \`npm test\` (it builds first)`);
    }
    const assetPath = new RegExp(`^/assets/(${this.bundle}\\.(?:js|css))$`);
    this.server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', this.origin);
      const send = (status: number, type: string, body: string | Buffer) => {
        res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
        res.end(body);
      };
      if (url.pathname === '/favicon.ico') return send(204, 'image/x-icon', '');
      const asset = assetPath.exec(url.pathname);
      if (asset) return send(200, asset[1]!.endsWith('.js') ? 'text/javascript' : 'text/css', readFileSync(path.join(assets, asset[1]!)));
      const theme = /^\/theme\/([a-z-]+)\.css$/.exec(url.pathname);
      if (theme && this.themes[theme[1]!]) {
        const vars = Object.entries(this.themes[theme[1]!]!.vars).map(([k, v]) => `  ${k}: ${v};`);
        return send(200, 'text/css', `html {\n${vars.join('\n')}\n}\n`);
      }
      const html = this.page(url);
      if (html !== undefined) return send(200, 'text/html; charset=utf-8', html);
      send(404, 'text/plain', 'not found');
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.origin = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

export class LessonPageServer extends WebviewTestServer {
  private readonly pages = new Map<string, PageRequest>();

  constructor(themes: Record<string, ThemeFixture>) {
    super(themes, 'lesson');
  }

  protected page(url: URL): string | undefined {
    const page = /^\/page\/([a-z0-9-]+)\/([a-z-]+)\.html$/.exec(url.pathname);
    return page && this.pages.has(page[1]!) && this.themes[page[2]!] ? this.render(this.pages.get(page[1]!)!, page[2]!) : undefined;
  }

  /** Registers a page; returns its URL for a theme. */
  add(request: PageRequest): (theme: string) => string {
    this.pages.set(request.id, request);
    return (theme) => `${this.origin}/page/${request.id}/${theme}.html`;
  }

  private render(request: PageRequest, themeKey: string): string {
    const markdown = request.markdown ?? lessonSource(request.id) ?? '';
    const lesson = renderLesson(markdown, { id: request.id, loadDiagram: (d) => request.diagrams?.[d] ?? loadDiagramFile(d) });
    const theme = this.themes[themeKey]!;
    const html = renderLessonPage({
      lesson,
      mode: 'panel',
      cspSource: this.origin,
      nonce: randomBytes(18).toString('base64'),
      scriptUri: `${this.origin}/assets/lesson.js`,
      // The theme first: VS Code's variables sit on <html>, under everything the page defines.
      styleUris: [`${this.origin}/theme/${themeKey}.css`, `${this.origin}/assets/lesson.css`],
      context: request.context,
      userRttMs: request.userRttMs ?? 50,
    });
    // VS Code marks the webview body with the theme kind (classes and data attributes).
    return html.replace('<body class="wl-page wl-page-panel"', `<body class="wl-page wl-page-panel ${theme.bodyClasses.join(' ')}" data-vscode-theme-kind="${theme.kind}"`);
  }

}
