// Lesson panel content built from hostile workspace text. When a lesson is opened from a hover or a
// quick fix, the panel shows where it came from: the workspace file name, the source line and the
// API. Here each comes from a checkout that wants them live: Markdown links inside string literals,
// command: and javascript: links, raw HTML, a file named like a tag. The panel page is rendered as
// the extension renders it (renderLessonPage, panel mode, with its CSP and nonce) and loaded in
// Chromium: no hostile element, attribute, link or script is live, the only script is ours, the
// hostile text is visible as text. (test/lessons/browser.test.ts covers hostile lesson and diagram
// text; this covers what the workspace itself puts in.)
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { chromium } from 'playwright-core';
import { LESSONS } from '../../server/src/lessons/catalog';
import { contentSecurityPolicy, renderLessonPage } from '../../server/src/lessons/page';
import { escapeHtml, renderLesson } from '../../server/src/lessons/render';
import { lessonSource, loadDiagramFile } from '../lessons/pageServer';
import { e2eSkip, requireE2eTools } from '../e2e/setup';

// What VS Code gives as webview.cspSource, and a resource URL under it.
const CSP_SOURCE = 'https://*.vscode-cdn.net';
const RESOURCES = 'https://file.vscode-resource.vscode-cdn.net';
const NONCE = 'n0nce4test';

/** Workspace text as a hostile checkout would make it: source lines with string literals, file names. */
const HOSTILE_CODE = [
  "await fetch('https://x.example/[click me](command:workbench.action.terminal.new)');",
  "await axios.get(`[x](javascript:window.__pwned=1)` + '<img src=x onerror=window.__pwned=2>');",
  'http.request("</code></pre><script>window.__pwned=3</script>");',
  "fetch('<a href=\"javascript:window.__pwned=4\">x</a> ![i](https://evil.example/t.png) <https://evil.example>');",
];
const HOSTILE_FILES = ['src/<svg onload=window.__pwned=5>.js', 'src/[a](command:wirelens.turnOffRule).js', 'javascript:window.__pwned=6.js'];

function pages(): Array<{ name: string; html: string }> {
  const lesson = LESSONS.find((l) => lessonSource(l.id));
  assert.ok(lesson, 'a lesson to render');
  const rendered = renderLesson(lessonSource(lesson.id)!, { id: lesson.id, loadDiagram: loadDiagramFile });
  const out: Array<{ name: string; html: string }> = [];
  HOSTILE_CODE.forEach((code, i) => {
    const file = HOSTILE_FILES[i % HOSTILE_FILES.length]!;
    out.push({
      name: `code ${i}`,
      html: renderLessonPage({
        lesson: rendered,
        mode: 'panel',
        cspSource: CSP_SOURCE,
        nonce: NONCE,
        scriptUri: `${RESOURCES}/ext/dist/webview/lesson.js`,
        styleUris: [`${RESOURCES}/ext/dist/webview/lesson.css`],
        context: { api: `fetch[x](command:evil)`, rule: '<b>r</b>', file, line: 3, code, uri: 'command:workbench.action.terminal.new' },
        userRttMs: 80,
      }),
    });
  });
  return out;
}

describe('lesson panel content from hostile workspace text', () => {
  it('the page text keeps every hostile piece escaped (string level)', () => {
    for (const { name, html } of pages()) {
      assert.ok(html.includes(`<meta http-equiv="Content-Security-Policy" content="${escapeHtml(contentSecurityPolicy(CSP_SOURCE, NONCE))}">`), `${name}: the strict CSP`);
      assert.equal((html.match(/<script\b/g) ?? []).length, 1, `${name}: one script element`);
      assert.doesNotMatch(html, /<(img|svg onload|iframe)\b[^>]*on\w+=/i, name);
      assert.doesNotMatch(html, /href="(javascript|command):/i, name);
    }
  });

  it('in Chromium: nothing hostile is live, the hostile text is visible as text', { skip: e2eSkip, timeout: 120_000 }, async () => {
    const tools = requireE2eTools();
    const browser = await chromium.launch({ executablePath: tools.chromium, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
    try {
      for (const { name, html } of pages()) {
        const page = await browser.newPage();
        const requests: string[] = [];
        // Nothing leaves the test: every request (our own script and style included) is recorded and refused.
        await page.route('**/*', (route) => {
          requests.push(route.request().url());
          return route.abort();
        });
        const violations: string[] = [];
        page.on('console', (m) => {
          if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
        });
        await page.setContent(html, { waitUntil: 'load' });
        const live = await page.evaluate(() => {
          const w = window as unknown as { __pwned?: number };
          const scripts = Array.from(document.querySelectorAll('script')).map((s) => s.getAttribute('src') ?? 'inline');
          const handlers = Array.from(document.querySelectorAll('*')).flatMap((el) => Array.from(el.attributes).filter((a) => /^on/i.test(a.name)).map((a) => `${el.tagName}[${a.name}]`));
          const links = Array.from(document.querySelectorAll('[href], [src]')).map((el) => el.getAttribute('href') ?? el.getAttribute('src') ?? '');
          const embeds = Array.from(document.querySelectorAll('iframe, object, embed, img, image, foreignObject')).map((el) => el.tagName);
          const aside = document.querySelector('.wl-context')?.textContent ?? '';
          return { pwned: w.__pwned, scripts, handlers, links, embeds, aside };
        });
        assert.equal(live.pwned, undefined, `${name}: a hostile script ran`);
        assert.deepEqual(live.scripts, [`${RESOURCES}/ext/dist/webview/lesson.js`], `${name}: only our script`);
        assert.deepEqual(live.handlers, [], name);
        assert.deepEqual(live.embeds, [], name);
        for (const link of live.links) assert.doesNotMatch(link, /^\s*(javascript|command|data|vbscript|file):/i, `${name}: ${link}`);
        assert.ok(!live.links.some((l) => l.includes('evil.example')), `${name}: a hostile URL became a link or a resource`);
        // The call context shows the workspace text as it is.
        const i = Number(name.split(' ')[1]);
        assert.ok(live.aside.includes(HOSTILE_CODE[i]!), `${name}: the source line is shown as text: ${live.aside}`);
        assert.ok(live.aside.includes(HOSTILE_FILES[i % HOSTILE_FILES.length]!), `${name}: the file name is shown as text`);
        assert.ok(!requests.some((u) => /evil\.example/.test(u)), `${name}: requested ${requests.join(', ')}`);
        assert.deepEqual(violations, [], `${name}: nothing even tried to load`);
        await page.close();
      }
    } finally {
      await browser.close();
    }
  });
});
