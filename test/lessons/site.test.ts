// `npm run site`: one page per lesson under the file name the diagnostics' site URLs use, an index by
// module, the panel's script and stylesheet, and standalone SVGs with their styles embedded.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { LESSONS } from '../../server/src/lessons/catalog';
import { DEFAULT_LESSONS_BASE_URL, lessonSiteUrl } from '../../server/src/lessons/links';
import { buildSite, type SiteResult } from '../../server/src/lessons/site';
import { ROOT, lessonSource } from './pageServer';

describe('static lesson site', () => {
  let out: string;
  let result: SiteResult;
  const written = LESSONS.filter((l) => lessonSource(l.id) !== undefined);

  before(() => {
    out = mkdtempSync(path.join(tmpdir(), 'wirelens-site-'));
    result = buildSite({ root: ROOT, outDir: out });
  });
  after(() => rmSync(out, { recursive: true, force: true }));

  it('builds every lesson without problems', () => {
    const missing = LESSONS.filter((l) => lessonSource(l.id) === undefined).map((l) => `media/lessons/${l.id}.md: missing (${l.number} ${l.title})`);
    assert.deepEqual(result.problems, missing);
    assert.equal(result.pages.length, written.length + 1);
  });

  it('names each page as lessonsBaseUrl + id + ".html" expects', () => {
    for (const l of written) {
      const relative = lessonSiteUrl(l.id).slice(DEFAULT_LESSONS_BASE_URL.length);
      assert.ok(existsSync(path.join(out, relative)), relative);
      const html = readFileSync(path.join(out, relative), 'utf8');
      assert.match(html, /<script src="assets\/lesson\.js"><\/script>/);
      assert.match(html, /<link rel="stylesheet" href="assets\/lesson\.css">/);
      assert.match(html, /content="default-src &#39;none&#39;; script-src &#39;self&#39;; style-src &#39;self&#39;/);
      assert.match(html, /<a href="index\.html">All lessons<\/a>/);
      assert.match(html, /<body class="wl-page wl-page-site"/);
    }
  });

  it('lists every lesson by module on the index', () => {
    const index = readFileSync(path.join(out, 'index.html'), 'utf8');
    for (const module of new Set(LESSONS.map((l) => l.module))) assert.ok(index.includes(`>${module}</h2>`), module);
    for (const l of written) assert.ok(index.includes(`<a href="${l.id}.html">`), l.id);
  });

  it('ships the panel script and stylesheet, and every diagram as a standalone SVG', () => {
    assert.deepEqual(readFileSync(path.join(out, 'assets', 'lesson.js')), readFileSync(path.join(ROOT, 'dist', 'webview', 'lesson.js')));
    assert.match(readFileSync(path.join(out, 'assets', 'lesson.css'), 'utf8'), /\.wl-diagram/);
    const svgs = readdirSync(path.join(out, 'diagrams'));
    assert.equal(svgs.length, result.diagrams.length);
    assert.ok(svgs.length >= written.length);
    for (const file of svgs) {
      const svg = readFileSync(path.join(out, 'diagrams', file), 'utf8');
      assert.match(svg, /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
      assert.match(svg, /<style><!\[CDATA\[/, `${file}: styles embedded`);
    }
  });
});
