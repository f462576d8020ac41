// `npm run site`: the lessons as a static site in site/ — one page per lesson at <id>.html (the URL
// scheme of lessonSiteUrl, so `wirelens.lessonsBaseUrl` + id + '.html' resolves), an index by module,
// the same interactive script and stylesheet as the panel (from dist/webview/, built first), and every
// diagram as a standalone SVG with its styles embedded (diagrams/<id>.svg).
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { renderSvg } from '../diagrams/index';
import { LESSONS } from './catalog';
import { contentSecurityPolicy, renderLessonPage } from './page';
import { escapeHtml, lessonHref, renderLesson } from './render';

export interface SiteResult {
  outDir: string;
  pages: string[];
  diagrams: string[];
  problems: string[];
}

export interface SiteOptions {
  /** Repository root (media/ and dist/webview/ are read from here). */
  root: string;
  outDir: string;
}

const CSP_SOURCE = "'self'";
const ASSETS = ['lesson.js', 'lesson.css'];

export function buildSite(options: SiteOptions): SiteResult {
  const { root, outDir } = options;
  const result: SiteResult = { outDir, pages: [], diagrams: [], problems: [] };
  const webviewDist = path.join(root, 'dist', 'webview');
  for (const asset of ASSETS) {
    if (!existsSync(path.join(webviewDist, asset))) throw new Error(`dist/webview/${asset} missing: run \`node esbuild.mjs\` first`);
  }
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(path.join(outDir, 'assets'), { recursive: true });
  mkdirSync(path.join(outDir, 'diagrams'), { recursive: true });
  for (const asset of ASSETS) copyFileSync(path.join(webviewDist, asset), path.join(outDir, 'assets', asset));

  const loadDiagram = (id: string) => {
    const file = path.join(root, 'media', 'diagrams', `${id}.json`);
    return existsSync(file) ? readFileSync(file, 'utf8') : undefined;
  };
  const written = new Set<string>();
  const available = new Set<string>();
  for (const entry of LESSONS) {
    const file = path.join(root, 'media', 'lessons', `${entry.id}.md`);
    if (!existsSync(file)) {
      result.problems.push(`media/lessons/${entry.id}.md: missing (${entry.number} ${entry.title})`);
      continue;
    }
    const lesson = renderLesson(readFileSync(file, 'utf8'), { id: entry.id, loadDiagram });
    for (const p of lesson.problems) result.problems.push(`media/lessons/${entry.id}.md: ${p}`);
    const html = renderLessonPage({ lesson, mode: 'site', cspSource: CSP_SOURCE, scriptUri: 'assets/lesson.js', styleUris: ['assets/lesson.css'], indexHref: 'index.html' });
    const page = lessonHref(entry.id);
    writeFileSync(path.join(outDir, page), html);
    result.pages.push(page);
    available.add(entry.id);
    for (const { id, diagram } of lesson.diagrams) {
      if (written.has(id)) continue;
      written.add(id);
      writeFileSync(path.join(outDir, 'diagrams', `${id}.svg`), `<?xml version="1.0" encoding="UTF-8"?>\n${renderSvg(diagram, { embedStyles: true })}\n`);
      result.diagrams.push(`diagrams/${id}.svg`);
    }
  }
  writeFileSync(path.join(outDir, 'index.html'), renderIndex(available));
  result.pages.push('index.html');
  return result;
}

function renderIndex(available: ReadonlySet<string>): string {
  const modules = [...new Set(LESSONS.map((l) => l.module))];
  const sections = modules
    .map((module) => {
      const items = LESSONS.filter((l) => l.module === module)
        .map((l) => {
          const title = escapeHtml(l.title);
          const body = available.has(l.id) ? `<a href="${escapeHtml(lessonHref(l.id))}">${title}</a>` : `${title} (coming soon)`;
          return `<li><span class="wl-index-number">${escapeHtml(l.number)}</span> ${body}</li>`;
        })
        .join('\n');
      return `<section class="wl-index-module" aria-labelledby="${escapeHtml(module.toLowerCase().replace(/[^a-z0-9]+/g, '-'))}">\n<h2 id="${escapeHtml(module.toLowerCase().replace(/[^a-z0-9]+/g, '-'))}">${escapeHtml(module)}</h2>\n<ul class="wl-index-list">\n${items}\n</ul>\n</section>`;
    })
    .join('\n');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(contentSecurityPolicy(CSP_SOURCE))}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Wirelens lessons: TCP/IP for backend engineers</title>
<link rel="stylesheet" href="assets/lesson.css">
</head>
<body class="wl-page wl-page-site">
<main class="wl-lesson" id="lesson">
<h1>Wirelens lessons</h1>
<p>What your networking calls put on the wire, lesson by lesson: packets in order, the numbers and their sources, the misuse that bites backend code and how to fix it in Node. Each lesson has packet diagrams you can step through and redraw for your round-trip time.</p>
${sections}
</main>
</body>
</html>
`;
}

if (require.main === module) {
  const root = path.resolve(__dirname, '..', '..', '..');
  const result = buildSite({ root, outDir: path.join(root, 'site') });
  console.log(`site/: ${result.pages.length} pages, ${result.diagrams.length} diagrams`);
  for (const p of result.problems) console.error(`problem: ${p}`);
  if (result.problems.length) process.exitCode = 1;
}
