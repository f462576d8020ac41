// The lesson renderer in Node: every lesson renders without problems, and nothing that could run,
// load or navigate somewhere unexpected gets through — raw HTML, javascript:/command:/data: links,
// images, inline styles (the CSP forbids them), hostile diagram text or a hostile user call.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderSvg, validateDiagram, type Diagram } from '../../server/src/diagrams/index';
import { LESSONS } from '../../server/src/lessons/catalog';
import { lessonSiteUrl } from '../../server/src/lessons/links';
import { contentSecurityPolicy, renderLessonPage } from '../../server/src/lessons/page';
import { escapeHtml, parseLessonLink, renderCallContext, renderLesson, type RenderLessonOptions } from '../../server/src/lessons/render';
import { lessonSource, loadDiagramFile } from './pageServer';

const noDiagrams: RenderLessonOptions['loadDiagram'] = () => undefined;

/** Elements and attributes the renderer may emit (Markdown, highlight.js, the diagram engine). */
const ALLOWED_TAGS = new Set(
  'h1 h2 h3 h4 h5 h6 p a code pre span strong em s ul ol li table thead tbody tfoot tr th td caption blockquote hr br figure div details summary aside svg g line path rect text tspan title desc circle polyline polygon'.split(' '),
);

interface Tag {
  name: string;
  attrs: Map<string, string>;
}

/** Every start tag with its attributes (the output is well-formed: quoted attributes, escaped text). */
function tagsOf(html: string): Tag[] {
  const tags: Tag[] = [];
  for (const m of html.matchAll(/<([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[^\s=>]+(?:="[^"]*")?)*)\s*\/?>/g)) {
    const attrs = new Map<string, string>();
    for (const a of m[2]!.matchAll(/([^\s=>]+)(?:="([^"]*)")?/g)) attrs.set(a[1]!.toLowerCase(), a[2] ?? '');
    tags.push({ name: m[1]!.toLowerCase(), attrs });
  }
  return tags;
}

const unescape = (s: string) => s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

/** What in `html` could run, load or navigate: disallowed tags, event handlers, styles, bad URLs. */
function liveParts(html: string): string[] {
  const found: string[] = [];
  // A "<" that starts no tag must have been escaped.
  for (const m of html.matchAll(/<(?![a-zA-Z/!])/g)) found.push(`raw "<" at ${m.index}`);
  for (const tag of tagsOf(html)) {
    if (!ALLOWED_TAGS.has(tag.name)) found.push(`<${tag.name}>`);
    for (const [name, value] of tag.attrs) {
      if (name.startsWith('on')) found.push(`<${tag.name} ${name}>`);
      if (name === 'style') found.push(`<${tag.name} style>`);
      if (name === 'src' || name === 'srcset' || name === 'xlink:href' || name === 'action' || name === 'formaction') found.push(`<${tag.name} ${name}>`);
      if (name === 'href') {
        const url = unescape(value).trim();
        if (!(/^https?:\/\//i.test(url) || /^mailto:/i.test(url) || /^#[\w-]*$/.test(url) || /^[a-z0-9-]+\.html(#[\w-]*)?$/.test(url))) found.push(`<${tag.name} href="${url}">`);
      }
    }
  }
  return found;
}

describe('lesson renderer', () => {
  const written = LESSONS.filter((l) => lessonSource(l.id) !== undefined);

  it('has the lessons written so far', () => {
    assert.ok(written.length >= 14, `${written.length} lesson files`);
  });

  for (const entry of written) {
    it(`${entry.number} ${entry.id}: renders every block and diagram, with nothing live`, () => {
      const source = lessonSource(entry.id)!;
      const lesson = renderLesson(source, { id: entry.id, loadDiagram: loadDiagramFile });
      assert.deepEqual(lesson.problems, []);
      assert.ok(lesson.title.length >= 3, 'a # title');
      const fences = (source.match(/^```diagram\s*$/gm) ?? []).length;
      assert.equal(lesson.diagrams.length, fences, 'every ```diagram block became a figure');
      assert.equal((lesson.html.match(/<figure /g) ?? []).length, fences);
      assert.ok(lesson.diagrams.length >= 1, 'at least one diagram');
      assert.deepEqual(liveParts(lesson.html), []);
      // Code blocks are highlighted (TypeScript keywords get spans).
      if (/```ts\n/.test(source)) assert.match(lesson.html, /<span class="hljs-keyword">/);
      // Each figure carries its validated document, escaped, for the page script.
      for (const m of lesson.html.matchAll(/data-spec="([^"]*)"/g)) {
        const spec = JSON.parse(unescape(m[1]!)) as unknown;
        assert.equal(validateDiagram(spec).ok, true);
      }
    });
  }

  it('shows raw HTML as text (html: false)', () => {
    const { html } = renderLesson(
      '# T\n\n<script>alert(1)</script>\n\n<div onclick="x()">block</div>\n\ninline <img src=x onerror=alert(2)> and <a href="javascript:alert(3)">a</a>\n\n<!-- comment -->\n',
      { id: 't', loadDiagram: noDiagrams },
    );
    assert.deepEqual(liveParts(html), []);
    assert.match(html, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
    assert.match(html, /&lt;img src=x onerror=alert\(2\)&gt;/);
    assert.match(html, /&lt;!-- comment --&gt;/);
  });

  it('turns only http(s), mailto, anchors and lesson links into links', () => {
    const links = [
      '[a](javascript:alert(1))',
      '[b](JaVaScRiPt:alert(1))',
      '[c](&#106;avascript:alert(1))',
      '[d](java\tscript:alert(1))',
      '[e](command:workbench.action.terminal.new)',
      '[f](command:wirelens.turnOffRule?%5B%22x%22%5D)',
      '[g](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
      '[h](vbscript:msgbox)',
      '[i](file:///etc/passwd)',
      '[j](vscode://ms-vscode.test/x)',
      '[k](//evil.example/x)',
      '[l](../../../secrets.md)',
      '<javascript:alert(1)>',
      '<command:workbench.action.files.delete>',
      '[m][ref]\n\n[ref]: javascript:alert(1)',
      '![n](https://example.com/tracker.png)',
      '![o](x" onerror="alert(1))',
    ].join('\n\n');
    const lesson = renderLesson(`# Links\n\n${links}\n\n[ok1](https://www.rfc-editor.org/rfc/rfc9293) [ok2](#sources) [ok3](tcp-handshake.md) [ok4](lesson:closing-connections#sources) [ok5](mailto:team@example.com)\n`, {
      id: 't',
      loadDiagram: noDiagrams,
    });
    assert.deepEqual(liveParts(lesson.html), []);
    const hrefs = tagsOf(lesson.html).filter((t) => t.name === 'a').map((t) => unescape(t.attrs.get('href') ?? ''));
    assert.deepEqual(hrefs, ['https://www.rfc-editor.org/rfc/rfc9293', '#sources', 'tcp-handshake.html', 'closing-connections.html#sources', 'mailto:team@example.com']);
    assert.deepEqual(lesson.links, ['tcp-handshake', 'closing-connections']);
    assert.match(lesson.html, /data-lesson="tcp-handshake"/);
    assert.match(lesson.html, /rel="noopener noreferrer"/);
    // Images never load: their alt text stands in.
    assert.match(lesson.html, /<span class="wl-image-alt">n<\/span>/);
  });

  it('reports links to lessons that do not exist', () => {
    const lesson = renderLesson('# T\n\nSee [nothing](no-such-lesson.md).\n', { id: 't', loadDiagram: noDiagrams });
    assert.deepEqual(lesson.problems, ['link to unknown lesson "no-such-lesson"']);
    assert.deepEqual(liveParts(lesson.html), []);
  });

  it('parses the lesson link spellings it documents', () => {
    assert.deepEqual(parseLessonLink('tcp-handshake.md'), { id: 'tcp-handshake', fragment: '' });
    assert.deepEqual(parseLessonLink('./tcp-handshake.md#sources'), { id: 'tcp-handshake', fragment: '#sources' });
    assert.deepEqual(parseLessonLink('../lessons/delayed-ack.md'), { id: 'delayed-ack', fragment: '' });
    assert.deepEqual(parseLessonLink('lesson:http2'), { id: 'http2', fragment: '' });
    assert.equal(parseLessonLink('https://example.com/a.md'), undefined);
    assert.equal(parseLessonLink('../../etc/passwd.md'), undefined);
    assert.equal(parseLessonLink('Tcp.md'), undefined);
  });

  it('writes table alignment as classes, never inline styles (the CSP forbids them)', () => {
    const { html } = renderLesson('# T\n\n| a | b | c |\n|:--|:-:|--:|\n| 1 | 2 | 3 |\n', { id: 't', loadDiagram: noDiagrams });
    assert.doesNotMatch(html, /style=/);
    assert.match(html, /<th class="wl-align-center">b<\/th>/);
    assert.match(html, /<td class="wl-align-right">3<\/td>/);
  });

  it('marks ✗ / ✓ code blocks and escapes code', () => {
    const { html } = renderLesson('# T\n\n✗ Incorrect:\n\n```ts\nconst s = "</code><script>x</script>";\n```\n\n✓ Correct:\n\n```sh\necho <ok>\n```\n\n```\nplain </pre>\n```\n', {
      id: 't',
      loadDiagram: noDiagrams,
    });
    assert.deepEqual(liveParts(html), []);
    assert.match(html, /<pre class="wl-code wl-code-bad" aria-label="Incorrect code">/);
    assert.match(html, /<pre class="wl-code wl-code-good" aria-label="Correct code">/);
    assert.match(html, /&lt;\/code&gt;&lt;script&gt;/);
    assert.match(html, /plain &lt;\/pre&gt;/);
  });

  it('renders diagram blocks as figures with their document, and reports missing or invalid ones', () => {
    const good = loadDiagramFile('tcp-header')!;
    const bad = JSON.stringify({ ...JSON.parse(good), fields: [{ name: 'x', bits: 0 }] });
    const lesson = renderLesson('# T\n\n```diagram\ntcp-header\n```\n\n```diagram\nnope\n```\n\n```diagram\nbroken\n```\n\n```diagram\n../../etc/passwd\n```\n', {
      id: 't',
      loadDiagram: (id) => (id === 'tcp-header' ? good : id === 'broken' ? bad : undefined),
    });
    assert.equal(lesson.diagrams.length, 1);
    assert.equal(lesson.problems.length, 3);
    assert.match(lesson.problems[0]!, /line 7: diagram "nope": media\/diagrams\/nope\.json not found/);
    assert.match(lesson.problems[1]!, /diagram "broken": .*fields\[0\]\.bits/);
    assert.match(lesson.problems[2]!, /not a diagram id/);
    assert.equal((lesson.html.match(/class="wl-diagram-error"/g) ?? []).length, 3);
    const spec = /data-spec="([^"]*)"/.exec(lesson.html)![1]!;
    assert.deepEqual(JSON.parse(unescape(spec)), JSON.parse(good));
    assert.deepEqual(liveParts(lesson.html), []);
  });

  it('keeps hostile diagram text inert (SVG, table and the embedded document)', () => {
    const evil = '<script>alert(1)</script>"\'><img src=x onerror=alert(1)>';
    const diagram = {
      kind: 'sequence', version: 1, id: 'evil', title: evil, description: evil,
      hosts: [{ id: 'c', label: evil, addr: evil }, { id: 's' }],
      messages: [{ t: 0, from: 'c', to: 's', proto: 'TCP', label: evil, explain: evil, note: evil }, { from: 's', to: 'c', proto: evil }],
      spans: [{ from: 0, to: 1, label: evil }],
      notes: [{ host: 'c', t: 0, text: evil }],
    };
    assert.equal(validateDiagram(diagram).ok, true, validateDiagram(diagram).errors.join('; '));
    const lesson = renderLesson('# T\n\n```diagram\nevil\n```\n', { id: 't', loadDiagram: () => JSON.stringify(diagram) });
    assert.deepEqual(lesson.problems, []);
    assert.deepEqual(liveParts(lesson.html), []);
    assert.deepEqual(liveParts(renderSvg(lesson.diagrams[0]!.diagram as Diagram, { step: 1 })), []);
  });

  it('shows the user call escaped, with a link the panel handles', () => {
    const evil = '<script>alert(1)</script>"><img onerror=x>';
    const html = renderCallContext({ api: `fetch${evil}`, rule: evil, file: `src/${evil}.js`, line: 7.9, code: `await fetch(url); // ${evil}`, uri: 'javascript:alert(1)' });
    assert.deepEqual(liveParts(html), []);
    assert.match(html, /Opened from <code>fetch&lt;script&gt;/);
    assert.match(html, /<a href="#" class="wl-reveal" data-reveal="call">src\/&lt;script&gt;.*:7<\/a>/);
    assert.doesNotMatch(html, /javascript:/, 'the document URI is not put in the page text');
    assert.equal(renderCallContext(undefined), '');
    assert.equal(renderCallContext({}), '');
  });

  it('builds the page with the strict CSP, a nonce and escaped state', () => {
    const lesson = renderLesson(lessonSource('tcp-handshake')!, { id: 'tcp-handshake', loadDiagram: loadDiagramFile });
    const page = renderLessonPage({
      lesson,
      mode: 'panel',
      cspSource: 'https://file+.vscode-resource.vscode-cdn.net',
      nonce: 'abc123',
      scriptUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview/lesson.js',
      styleUris: ['https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview/lesson.css'],
      context: { api: '"><script>alert(1)</script>', file: 'a.js', line: 3, uri: 'file:///w/a.js' },
      userRttMs: 80,
    });
    const csp = contentSecurityPolicy('https://file+.vscode-resource.vscode-cdn.net', 'abc123');
    assert.equal(csp, "default-src 'none'; script-src 'nonce-abc123'; style-src https://file+.vscode-resource.vscode-cdn.net; img-src https://file+.vscode-resource.vscode-cdn.net data:; font-src https://file+.vscode-resource.vscode-cdn.net");
    assert.ok(page.includes(`<meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">`));
    const scripts = tagsOf(page).filter((t) => t.name === 'script');
    assert.equal(scripts.length, 1);
    assert.equal(scripts[0]!.attrs.get('nonce'), 'abc123');
    assert.equal((page.match(/<script/g) ?? []).length, 1, 'no other script element, even escaped context aside');
    assert.match(page, /data-rtt-choices="80,10,50,150,300"/);
    assert.match(page, /data-context="\{&quot;api&quot;:&quot;\\&quot;&gt;&lt;script&gt;/);
    assert.match(page, /<p class="wl-lesson-meta">L03 · Foundations<\/p>/);
    assert.match(page, /href="addresses-ports-sockets\.html" data-lesson="addresses-ports-sockets" rel="prev"/);
    assert.match(page, /href="listen-backlog\.html" data-lesson="listen-backlog" rel="next"/);
  });

  it('links lessons to the site pages the diagnostics point at', () => {
    for (const l of LESSONS) assert.ok(lessonSiteUrl(l.id).endsWith(`/${l.id}.html`));
  });
});
