// Hover Markdown built from hostile workspace text comes out inert. Hosts and URLs in string literals
// carrying <script>, javascript: links, Markdown injection, command-URI injection, theme icons, line
// breaks and bidirectional overrides are rendered with markdown-it in its most permissive mode (raw
// HTML on, bare-URL linkify on): the only elements that may be links are our lesson links (the
// lesson, then the related lessons), there is no raw HTML, and the hostile text is there, visible as text.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import MarkdownIt from 'markdown-it';
import { analyzeText, defaultConfig, escapeMarkdown, explainCall, explanationToMarkdown } from '../../server/src/analysis/index';
import { lessonById } from '../../server/src/lessons/catalog';
import { lessonCommandUri } from '../../server/src/lessons/links';
import { prng, int, pick } from './fuzz/random';
import { PULL, StdioServer } from './support/lspServer';

const markdown = new MarkdownIt({ html: true, linkify: true });

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** What a user should see for workspace text: itself, on one line, with invisible controls named. */
function visible(s: string): string {
  return s
    .replace(/[\r\n\t\u2028\u2029]+/g, ' ')
    .replace(/[\u0000-\u001f\u007f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, (c) => `U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`);
}

const HOSTILE_HOSTS = [
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '[x](command:workbench.action.terminal.new)',
  'javascript:alert(1)//',
  'a\n\n# Heading\n\n[click](javascript:alert(1))\n---\n| t | t |',
  '$(bug) https://evil.example.com user@evil.example.com www.evil.example.com',
  '\u202Emoc.elpmaxe',
  '<!-- x --> &lt;b&gt; **bold** `code` <https://autolink.example> ![i](https://x.example/i.png)',
];

/** A file whose calls go to the hostile hosts (and URLs), as string literals do. */
const HOSTILE_SOURCE = [
  "import http from 'node:http';",
  "import net from 'node:net';",
  "fetch('https://<script>alert(1)</script>.example.com/');",
  "fetch('https://evil.example.com/](command:workbench.action.terminal.new)');",
  ...HOSTILE_HOSTS.map((host, i) => `net.connect({ host: ${JSON.stringify(host)}, port: ${1000 + i} });`),
  ...HOSTILE_HOSTS.map((host) => `http.request({ host: ${JSON.stringify(host)}, path: '/' });`),
  '',
].join('\n');

/** What our own hover text uses (`code` for option names in the defaults). */
const ALLOWED_TAGS = new Set(['p', 'strong', 'em', 'ol', 'ul', 'li', 'a', 'br', 'code']);

/** Checks rendered hover HTML: allowed tags only, our lesson links as the only links. */
function assertInert(html: string, lessonLinks: string[]): void {
  for (const m of html.matchAll(/<\/?([a-zA-Z][\w-]*)([^>]*)>/g)) {
    const tag = m[1]!.toLowerCase();
    assert.ok(ALLOWED_TAGS.has(tag), `unexpected <${tag}> in ${html}`);
    assert.doesNotMatch(m[2]!, /\son\w+\s*=/i, `an event handler attribute in ${m[0]}`);
  }
  const hrefs = [...html.matchAll(/<a\s+href="([^"]*)"/g)].map((m) => m[1]!.replace(/&amp;/g, '&'));
  assert.deepEqual(hrefs, lessonLinks, `links in ${html}`);
}

describe('hostile workspace text in hovers', () => {
  it('escapeMarkdown renders every string as exactly itself, as text (3,000 random hostile strings)', () => {
    const random = prng(0x5eed);
    const PIECES = ['<script>', '</script>', '<img src=x onerror=alert(1)>', 'javascript:', 'command:workbench.action.terminal.new', '](', '[', ')', '![', 'http://', 'https://evil.example.com', 'www.', '@', '$(bug)', '`', '**', '_', '~~', '#', '\n', '\r\n', '\u2028', '\t', '\u202e', '\u2066', '\0', '&amp;', '&#60;', '<!--', '-->', '|', '---', '>', '\\', '"', "'", '=', ':', '.', ' ', 'a', 'é', '😀'];
    for (let i = 0; i < 3000; i++) {
      let s = '';
      for (let k = int(random, 1, 20); k > 0; k--) s += pick(random, PIECES);
      const html = markdown.renderInline(escapeMarkdown(s));
      assert.equal(html, escapeHtml(visible(s)), `escapeMarkdown(${JSON.stringify(s)}) does not render as itself`);
    }
  });

  it('hovers on calls to hostile hosts and URLs: text only, and our lesson link the only link', () => {
    const config = defaultConfig();
    const analysis = analyzeText('hostile.ts', HOSTILE_SOURCE, config);
    assert.equal(analysis.calls.length, 2 + 2 * HOSTILE_HOSTS.length, analysis.calls.map((c) => c.api).join(', '));
    const seen = new Set<string>();
    for (const call of analysis.calls) {
      const explanation = explainCall(call, config);
      const linkTo = (lesson: string) => lessonCommandUri(lesson, call.api, { uri: 'file:///w/hostile.ts', line: 3 });
      const html = markdown.render(explanationToMarkdown(explanation, { rttMs: config.rttMs, lessonLink: linkTo(explanation.lesson), relatedLink: linkTo }));
      assertInert(html, [explanation.lesson, ...explanation.related.map((r) => r.lesson)].map(linkTo));
      if (call.host) {
        assert.ok(html.includes(escapeHtml(visible(call.host))), `the host is shown as text: ${call.host} in ${html}`);
        seen.add(call.host);
      }
    }
    for (const host of HOSTILE_HOSTS) assert.ok(seen.has(host), `the analysis saw the host ${JSON.stringify(host)}`);
  });

  it('through the language server, with VS Code-style command links', async () => {
    const server = new StdioServer();
    const uri = 'file:///tmp/wirelens-hostile/hostile.ts';
    try {
      await server.initialize(PULL, { lessonLinks: 'command', clientCommands: true });
      await server.open(uri, HOSTILE_SOURCE);
      const lines = HOSTILE_SOURCE.split('\n');
      let hovers = 0;
      for (const [line, text] of lines.entries()) {
        const callee = /(fetch|net\.connect|http\.request)\(/.exec(text);
        if (!callee) continue;
        const hover = await server.hover(uri, line, callee.index + 1);
        assert.ok(hover, `a hover on line ${line + 1}`);
        const value = hover.contents.value;
        const links = [...value.matchAll(/\]\((command:wirelens\.openLesson\?[^ )]+)/g)].map((m) => m[1]!);
        // The lesson, then its related lessons: each a known lesson, each once.
        const lessons = links.map((l) => (JSON.parse(decodeURIComponent(l.slice(l.indexOf('?') + 1))) as unknown[])[0]);
        assert.ok(links.length >= 1 && lessons.every((id) => typeof id === 'string' && lessonById(id)), value);
        assert.equal(new Set(lessons).size, lessons.length, value);
        assertInert(markdown.render(value), links);
        hovers++;
      }
      assert.equal(hovers, 2 + 2 * HOSTILE_HOSTS.length);
      assert.equal((await server.stop()).code, 0);
    } finally {
      server.kill();
    }
  });
});
