// Every lesson in a real browser (Debian Chromium driven by playwright-core), in a page that mimics
// the VS Code webview: the same page builder, CSP (meta tag, nonce), script and stylesheet, the
// --vscode-* variables and body classes captured from VS Code's default themes, and a stand-in for
// acquireVsCodeApi. Checks: no console errors, no CSP violations, no serious or critical axe-core
// findings in light, dark, high-contrast and high-contrast light themes, and no diagram line fainter
// than 3:1 or translucent (axe skips SVG strokes); diagram arrows and labels as their spec says;
// keyboard stepping; the RTT control recomputing the total; reduced motion; links between lessons
// (through the extension in the panel, plain pages on the site); hostile input inert.
// Screenshots: test-results/lessons/<theme>/<lesson>.png and test-results/lessons/*.png.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { formatMs, renderSvg, resolveSequence, type Diagram, type SequenceDiagram } from '../../server/src/diagrams/index';
import { mainLabel, protoAndFlags } from '../../server/src/diagrams/labels';
import { LESSONS, lessonById } from '../../server/src/lessons/catalog';
import { renderLesson } from '../../server/src/lessons/render';
import { buildSite } from '../../server/src/lessons/site';
import { LessonPageServer, ROOT, lessonSource, loadDiagramFile, loadThemes } from './pageServer';

const CHROMIUM = process.env.WIRELENS_CHROMIUM ?? '/usr/bin/chromium';
const IN_CI = !!process.env.CI && process.env.CI !== 'false' && process.env.CI !== '0';
const SKIP: string | false = existsSync(CHROMIUM) || IN_CI ? false : `Chromium not found at ${CHROMIUM} (apt-get install chromium, or set WIRELENS_CHROMIUM); CI runs this test`;
const THEMES = ['light', 'dark', 'high-contrast', 'high-contrast-light'] as const;
const SHOTS = path.join(ROOT, 'test-results', 'lessons');
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** Lessons written so far (the catalog test requires all of them). */
const LESSON_IDS = LESSONS.map((l) => l.id).filter((id) => lessonSource(id) !== undefined);
/** One snapshot of each lesson's text: what the tests expect and what the page server serves. */
const SOURCES = new Map(LESSON_IDS.map((id) => [id, lessonSource(id)!]));
const rendered = new Map(LESSON_IDS.map((id) => [id, renderLesson(SOURCES.get(id)!, { id, loadDiagram: loadDiagramFile })]));

/**
 * Installed before any page script: the webview API stand-in and the CSP violation log. A string, not
 * a function: the TypeScript loader decorates functions with helpers the page does not have.
 */
const INIT_SCRIPT = `
  window.__posted = [];
  window.__csp = [];
  window.__state = undefined;
  window.acquireVsCodeApi = () => ({
    postMessage: (m) => window.__posted.push(m),
    getState: () => window.__state,
    setState: (s) => { window.__state = s; },
  });
  document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + e.sourceFile + ':' + e.lineNumber));
`;

interface PageWatch {
  errors: string[];
}

function watch(page: Page): PageWatch {
  const w: PageWatch = { errors: [] };
  page.on('console', (m) => {
    if (m.type() === 'error') w.errors.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => w.errors.push(`page error: ${e.message}`));
  return w;
}

async function cspViolations(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as unknown as { __csp: string[] }).__csp);
}

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; failureSummary?: string }[];
}

async function axeViolations(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(AXE_SOURCE);
  const result = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: Document, opts: unknown) => Promise<{ violations: AxeViolation[] }> } }).axe;
    return axe.run(document, { resultTypes: ['violations'] });
  });
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

function describeAxe(v: AxeViolation): string {
  return `${v.id} (${v.impact}): ${v.help}\n${v.nodes
    .slice(0, 5)
    .map((n) => `    ${n.target.join(' ')} — ${(n.failureSummary ?? '').replace(/\s+/g, ' ').slice(0, 240)}`)
    .join('\n')}`;
}

/**
 * Lines and arrowheads coloured by the theme (packets, spans, layers) that a reader can't make out:
 * translucent, or under 3:1 against the page (WCAG 1.4.11, non-text contrast). axe-core does not
 * look at SVG strokes, so this does. Returns one line per distinct failing colour.
 */
async function faintDiagramColours(page: Page): Promise<string[]> {
  return page.evaluate(FAINT_COLOURS_SCRIPT) as Promise<string[]>;
}

/** A string, not a function: the TypeScript loader decorates named functions with a helper the page lacks. */
const FAINT_COLOURS_SCRIPT = `(() => {
  const parse = (c) => {
    const m = /rgba?\\(([\\d.]+)[ ,]+([\\d.]+)[ ,]+([\\d.]+)(?:[ ,/]+([\\d.]+%?))?\\)/.exec(c);
    if (!m) return undefined;
    const alpha = m[4] === undefined ? 1 : m[4].endsWith('%') ? Number(m[4].slice(0, -1)) / 100 : Number(m[4]);
    return [Number(m[1]), Number(m[2]), Number(m[3]), alpha];
  };
  const lin = (v) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
  const luminance = (c) => 0.2126 * lin(c[0]) + 0.7152 * lin(c[1]) + 0.0722 * lin(c[2]);
  const background = getComputedStyle(document.body).backgroundColor;
  const bg = parse(background);
  if (!bg || bg[3] < 1) return ['no opaque page background: ' + background];
  const problems = new Map();
  for (const el of document.querySelectorAll('.wl-diagram .wl-arrow, .wl-diagram .wl-arrowhead, .wl-diagram .wl-bracket, .wl-diagram .wl-chip')) {
    const style = getComputedStyle(el);
    const paint = el.classList.contains('wl-arrowhead') ? style.fill : style.stroke;
    const c = parse(paint);
    if (!c) continue;
    const [l1, l2] = [luminance(c), luminance(bg)].sort((x, y) => y - x);
    const ratio = (l1 + 0.05) / (l2 + 0.05);
    const group = el.closest('[class*="wl-phase-"], [class*="wl-span-"], [class*="wl-layer-"]')?.getAttribute('class') ?? '';
    if (c[3] < 1 || ratio < 3) problems.set(paint, paint + ' on ' + background + ': ' + ratio.toFixed(2) + ':1' + (c[3] < 1 ? ', alpha ' + c[3] : '') + ' (' + group + ')');
  }
  return [...problems.values()];
})()`;

/** The state classes of every step-dependent element, in document order: what stepping must produce. */
function stateClassesOf(root: ParentNode): string[] {
  return Array.from(root.querySelectorAll('.wl-past, .wl-current, .wl-future')).map(
    (n) => `${n.getAttribute('data-kind') ?? n.tagName}@${n.getAttribute('data-step')}:${['wl-past', 'wl-current', 'wl-future'].find((c) => n.classList.contains(c))}`,
  );
}

describe('lesson pages in Chromium (webview mimic)', { skip: SKIP, timeout: 900_000 }, () => {
  let browser: Browser;
  let server: LessonPageServer;
  const urls = new Map<string, (theme: string) => string>();

  async function newPage(options: { reducedMotion?: 'reduce' | 'no-preference' } = {}): Promise<{ context: BrowserContext; page: Page; watch: PageWatch }> {
    const context = await browser.newContext({ viewport: { width: 1100, height: 900 }, reducedMotion: options.reducedMotion ?? 'no-preference' });
    await context.addInitScript(INIT_SCRIPT);
    const page = await context.newPage();
    return { context, page, watch: watch(page) };
  }

  /** Opens a lesson page and waits for the script to have wired it. */
  async function open(page: Page, url: string): Promise<void> {
    const response = await page.goto(url);
    assert.equal(response?.status(), 200, url);
    await page.locator('body.wl-ready').waitFor({ timeout: 15_000 });
  }

  before(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: install it (apt-get install chromium) or set WIRELENS_CHROMIUM`);
    server = new LessonPageServer(loadThemes());
    await server.start();
    for (const id of LESSON_IDS) {
      const diagrams = Object.fromEntries(rendered.get(id)!.diagrams.map((d) => [d.id, JSON.stringify(d.diagram)]));
      urls.set(id, server.add({ id, markdown: SOURCES.get(id), diagrams }));
    }
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    for (const theme of THEMES) mkdirSync(path.join(SHOTS, theme), { recursive: true });
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('has lessons to check', () => {
    assert.ok(LESSON_IDS.length >= 14, `only ${LESSON_IDS.length} lessons found`);
    for (const [id, lesson] of rendered) assert.deepEqual(lesson.problems, [], id);
  });

  for (const theme of THEMES) {
    it(`${theme} theme: every lesson loads with no console error, no CSP violation, no serious axe finding`, async () => {
      const { context, page, watch: w } = await newPage();
      const failures: string[] = [];
      try {
        for (const id of LESSON_IDS) {
          w.errors.length = 0;
          await open(page, urls.get(id)!(theme));
          const figures = await page.locator('figure.wl-figure').count();
          if (figures !== rendered.get(id)!.diagrams.length) failures.push(`${id}: ${figures} figures, expected ${rendered.get(id)!.diagrams.length}`);
          const interactive = await page.locator('figure.wl-interactive').count();
          const sequences = rendered.get(id)!.diagrams.filter((d) => d.diagram.kind === 'sequence').length;
          if (interactive !== sequences) failures.push(`${id}: ${interactive} interactive figures, expected ${sequences}`);
          const csp = await cspViolations(page);
          for (const v of csp) failures.push(`${id}: CSP violation ${v}`);
          for (const e of w.errors) failures.push(`${id}: ${e}`);
          for (const v of await axeViolations(page)) failures.push(`${id}: axe ${describeAxe(v)}`);
          for (const faint of await faintDiagramColours(page)) failures.push(`${id}: faint diagram colour ${faint}`);
          await page.screenshot({ path: path.join(SHOTS, theme, `${id}.png`), fullPage: true });
        }
      } finally {
        await context.close();
      }
      assert.deepEqual(failures, []);
    });
  }

  it('draws every diagram as its spec says: arrows between the right lifelines, in order, at the right times, with their labels', async () => {
    const { context, page } = await newPage();
    const failures: string[] = [];
    try {
      for (const id of LESSON_IDS) {
        await open(page, urls.get(id)!('light'));
        const diagrams = rendered.get(id)!.diagrams;
        for (const [i, { diagram }] of diagrams.entries()) {
          const figure = page.locator('figure.wl-figure').nth(i);
          assert.equal(await figure.getAttribute('data-diagram'), diagram.id);
          for (const problem of await checkDiagram(figure, diagram)) failures.push(`${id} / ${diagram.id}: ${problem}`);
        }
      }
    } finally {
      await context.close();
    }
    assert.deepEqual(failures, []);
  });

  it('steps through every sequence diagram with the keyboard (→ ← Home End Escape), showing each step', async () => {
    const { context, page } = await newPage();
    const failures: string[] = [];
    let shot = false;
    try {
      for (const id of LESSON_IDS) {
        const sequences = rendered.get(id)!.diagrams.map((d, i) => ({ ...d, i })).filter((d) => d.diagram.kind === 'sequence');
        if (sequences.length === 0) continue;
        await open(page, urls.get(id)!('light'));
        for (const { diagram, i } of sequences) {
          const d = diagram as SequenceDiagram;
          const figure = page.locator('figure.wl-figure').nth(i);
          const n = d.messages.length;
          const rtt = Number(await figure.getAttribute('data-rtt-ms'));
          const expectStep = async (step: number, why: string) => {
            const got = await figure.getAttribute('data-step');
            if (got !== String(step)) return failures.push(`${id} / ${d.id}: after ${why} step ${got}, expected ${step}`);
            const classes = await figure.locator('.wl-figure-scroll').evaluate((host) =>
              Array.from(host.querySelectorAll('.wl-past, .wl-current, .wl-future')).map(
                (n) => `${n.getAttribute('data-kind') ?? n.tagName}@${n.getAttribute('data-step')}:${['wl-past', 'wl-current', 'wl-future'].find((c) => n.classList.contains(c))}`,
              ),
            );
            const expected = stateClassesOf(htmlFragment(renderSvg(d, { rtt, step })));
            if (JSON.stringify(classes) !== JSON.stringify(expected)) failures.push(`${id} / ${d.id}: step ${step} classes differ from renderSvg({ step: ${step} })`);
            const text = await figure.locator('.wl-step-explain').innerText();
            const m = d.messages[step - 1]!;
            if (m.explain && !text.includes(m.explain)) failures.push(`${id} / ${d.id}: step ${step} explanation missing: ${text}`);
            if (!(await figure.locator('.wl-step-status').innerText()).includes(`${step} of ${n}`)) failures.push(`${id} / ${d.id}: status does not say ${step} of ${n}`);
            return undefined;
          };
          await figure.locator('.wl-figure-scroll').focus();
          await page.keyboard.press('ArrowRight');
          await expectStep(1, '→');
          if (n > 1) {
            await page.keyboard.press('ArrowRight');
            await expectStep(2, '→ →');
            await page.keyboard.press('ArrowLeft');
            await expectStep(1, '→ → ←');
          }
          await page.keyboard.press('ArrowLeft');
          await expectStep(1, '← at the first packet');
          await page.keyboard.press('End');
          await expectStep(n, 'End');
          await page.keyboard.press('ArrowRight');
          await expectStep(n, '→ at the last packet');
          if (!shot && n >= 4) {
            await page.keyboard.press('Home');
            for (let k = 0; k < 3; k++) await page.keyboard.press('ArrowRight');
            await figure.screenshot({ path: path.join(SHOTS, `stepping-${d.id}.png`) });
            shot = true;
          }
          await page.keyboard.press('Home');
          await expectStep(1, 'Home');
          await page.keyboard.press('Escape');
          if ((await figure.getAttribute('data-step')) !== 'all') failures.push(`${id} / ${d.id}: Escape did not show all packets`);
        }
      }
    } finally {
      await context.close();
    }
    assert.deepEqual(failures, []);
  });

  it('the RTT control recomputes the timeline and the total of every RTT-scalable diagram', async () => {
    const { context, page } = await newPage();
    const failures: string[] = [];
    let checked = 0;
    try {
      for (const id of LESSON_IDS) {
        const sequences = rendered.get(id)!.diagrams.map((d, i) => ({ ...d, i })).filter((d) => d.diagram.kind === 'sequence');
        if (sequences.length === 0) continue;
        await open(page, urls.get(id)!('light'));
        for (const { diagram, i } of sequences) {
          const d = diagram as SequenceDiagram;
          const figure = page.locator('figure.wl-figure').nth(i);
          const select = figure.locator('select.wl-rtt');
          if (!resolveSequence(d).rttScalable) {
            // Drawn at fixed (e.g. captured) times: no control.
            if ((await select.count()) !== 0) failures.push(`${id} / ${d.id}: RTT control on a diagram drawn at fixed times`);
            continue;
          }
          if ((await select.count()) !== 1) {
            failures.push(`${id} / ${d.id}: no RTT control`);
            continue;
          }
          const values = await select.locator('option').evaluateAll((os) => os.map((o) => Number((o as HTMLOptionElement).value)));
          const current = Number(await select.inputValue());
          const other = values.filter((v) => v !== current).pop();
          if (other === undefined) {
            failures.push(`${id} / ${d.id}: only one RTT to choose`);
            continue;
          }
          const before = await figure.locator('output.wl-total').innerText();
          await select.selectOption(String(other));
          // The choice is saved with setState, so a reload (or the next lesson) keeps it.
          const saved = await page.evaluate(() => (window as unknown as { __state?: { rtt?: number } }).__state?.rtt);
          if (saved !== other) failures.push(`${id} / ${d.id}: saved RTT ${saved}, expected ${other}`);
          const expected = resolveSequence(d, other).totalMs;
          const total = figure.locator('output.wl-total');
          const shown = await total.innerText();
          if (!shown.startsWith(`Total ${formatMs(expected)}`) || Math.abs(Number(await total.getAttribute('data-total-ms')) - expected) > 1e-6) {
            failures.push(`${id} / ${d.id}: total ${shown} at RTT ${other}, expected ${formatMs(expected)}`);
          }
          if (Math.abs(expected - resolveSequence(d, current).totalMs) >= 1 && shown === before) failures.push(`${id} / ${d.id}: the total shown did not change (${shown})`);
          const svgTotal = Number(await figure.locator('svg').first().getAttribute('data-total-ms'));
          if (Math.abs(svgTotal - expected) > 0.006) failures.push(`${id} / ${d.id}: the SVG says ${svgTotal} ms, expected ${expected}`);
          const sends = await figure.locator('[data-kind="message"]').evaluateAll((gs) => gs.map((g) => Number(g.getAttribute('data-send-ms'))));
          const want = resolveSequence(d, other).messages.map((m) => m.sendMs);
          if (sends.length !== want.length || sends.some((t, k) => Math.abs(t - want[k]!) > 0.006)) failures.push(`${id} / ${d.id}: send times not recomputed for RTT ${other}`);
          checked++;
        }
      }
    } finally {
      await context.close();
    }
    assert.ok(checked > 5, `only ${checked} RTT-scalable diagrams checked`);
    assert.deepEqual(failures, []);
  });

  it('honours reduced motion: no transitions, and the saved state brings back the step', async () => {
    const id = LESSON_IDS.find((l) => rendered.get(l)!.diagrams.some((d) => d.diagram.kind === 'sequence'))!;
    const transition = async (mode: 'reduce' | 'no-preference') => {
      const { context, page } = await newPage({ reducedMotion: mode });
      try {
        await open(page, urls.get(id)!('dark'));
        const figure = page.locator('figure.wl-interactive').first();
        await figure.locator('.wl-figure-scroll').focus();
        await page.keyboard.press('ArrowRight');
        await page.keyboard.press('ArrowRight');
        const duration = await figure.locator('[data-kind="message"]').first().evaluate((g) => getComputedStyle(g).transitionDuration);
        // A reload with the saved state (what VS Code does after a window reload) shows the same step.
        const state = await page.evaluate(() => (window as unknown as { __state: unknown }).__state);
        // Init scripts run in the order added, all before the page's own script.
        await context.addInitScript(`window.__state = ${JSON.stringify(state)};`);
        await open(page, urls.get(id)!('dark'));
        const restored = await page.locator('figure.wl-interactive').first().getAttribute('data-step');
        return { duration, restored };
      } finally {
        await context.close();
      }
    };
    const reduced = await transition('reduce');
    const normal = await transition('no-preference');
    assert.equal(reduced.duration, '0s');
    assert.notEqual(normal.duration, '0s');
    assert.equal(reduced.restored, '2');
    assert.equal(normal.restored, '2');
  });

  it('lesson links and the call link go to the extension; the user call is shown as text', async () => {
    const id = LESSON_IDS[0]!;
    const url = server.add({
      id: 'with-context',
      markdown: `# Links\n\nSee [the handshake](tcp-handshake.md) and [closing](lesson:closing-connections#sources).\n`,
      context: { api: 'axios.get', file: 'src/orders.js', line: 13, code: 'const { data } = await axios.get(url);', uri: 'file:///ws/src/orders.js' },
    });
    const { context, page, watch: w } = await newPage();
    try {
      await open(page, url('light'));
      await page.locator('a[data-lesson="tcp-handshake"]').first().click();
      await page.locator('a[data-lesson="closing-connections"]').first().click();
      await page.locator('a[data-reveal]').click();
      await page.locator('a[data-nav="pick"]').click();
      const posted = await page.evaluate(() => (window as unknown as { __posted: unknown[] }).__posted);
      assert.deepEqual(posted, [
        { type: 'openLesson', lesson: 'tcp-handshake', back: false },
        { type: 'openLesson', lesson: 'closing-connections', fragment: 'sources', back: false },
        { type: 'revealCall' },
        { type: 'pickLesson' },
      ]);
      assert.equal(page.url(), url('light'), 'the page did not navigate away');
      const aside = await page.locator('aside.wl-context').innerText();
      assert.match(aside, /Opened from axios\.get in src\/orders\.js:13/);
      assert.match(aside, /await axios\.get\(url\)/);
      const state = await page.evaluate(() => (window as unknown as { __state: { lesson: string; context: { uri: string } } }).__state);
      assert.equal(state.lesson, 'with-context');
      assert.equal(state.context.uri, 'file:///ws/src/orders.js', 'the call is kept for a reload');
      assert.deepEqual(w.errors, []);
      await page.screenshot({ path: path.join(SHOTS, 'call-context.png') });
    } finally {
      await context.close();
    }
    assert.ok(id);
  });

  it('a cross-reference inside a lesson opens the lesson it names (through the extension)', async () => {
    const from = 'tcp-handshake';
    const target = rendered.get(from)!.links[0]!;
    assert.ok(lessonById(target), `${from} links to ${target}`);
    const { context, page, watch: w } = await newPage();
    try {
      await open(page, urls.get(from)!('dark'));
      const link = page.locator(`main.wl-lesson a[data-lesson="${target}"]`).first();
      assert.equal(await link.getAttribute('href'), `${target}.html`, 'a plain link on the site');
      await link.click();
      await page.waitForFunction(() => (window as unknown as { __posted: unknown[] }).__posted.length > 0);
      assert.deepEqual(await page.evaluate(() => (window as unknown as { __posted: unknown[] }).__posted), [{ type: 'openLesson', lesson: target, back: false }]);
      assert.deepEqual(w.errors, []);
    } finally {
      await context.close();
    }
  });

  it('the faint-colour check catches a translucent or low-contrast line (the check itself can fail)', async () => {
    const { context, page } = await newPage();
    try {
      await open(page, urls.get('tcp-handshake')!('light'));
      assert.deepEqual(await faintDiagramColours(page), []);
      // VS Code's own charts.orange (translucent), then a pale grey, set through the CSSOM (allowed by the CSP).
      await page.evaluate(() => (document.querySelector('.wl-diagram .wl-arrow') as SVGElement).style.setProperty('stroke', 'rgba(234, 92, 0, 0.33)'));
      assert.match((await faintDiagramColours(page)).join('\n'), /alpha 0\.33/);
      await page.evaluate(() => (document.querySelector('.wl-diagram .wl-arrow') as SVGElement).style.setProperty('stroke', '#cccccc'));
      assert.match((await faintDiagramColours(page)).join('\n'), /1\.\d\d:1/);
    } finally {
      await context.close();
    }
  });

  it('hostile lesson text, diagram text and call context stay inert', async () => {
    const hostile = '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2">';
    const diagram = {
      kind: 'sequence', version: 1, id: 'evil', title: `Evil ${hostile}`, description: hostile,
      hosts: [{ id: 'c', label: hostile, addr: '"><svg onload=alert(1)>' }, { id: 's', label: 'server' }],
      messages: [
        { t: 0, from: 'c', to: 's', proto: 'TCP', flags: ['SYN'], label: hostile, explain: `step ${hostile}`, note: hostile },
        { from: 's', to: 'c', proto: 'TCP', flags: ['SYN', 'ACK'], explain: '</p><iframe src="javascript:alert(1)">' },
      ],
      spans: [{ from: 0, to: 1, label: hostile }],
    };
    const url = server.add({
      id: 'hostile',
      markdown: [
        `# Title ${hostile}`,
        hostile,
        '<iframe src="https://example.com"></iframe>',
        '[click](javascript:window.__pwned=3) [run](command:workbench.action.terminal.new) [data](data:text/html,<script>1</script>) [vb](vbscript:x) [file](file:///etc/passwd)',
        '<a href="javascript:window.__pwned=4">raw link</a> <javascript:window.__pwned=5>',
        '![img](https://example.com/x.png) ![img2](x" onerror="window.__pwned=6)',
        '| a | b |\n|:-:|--:|\n| <b onclick=x>1</b> | 2 |',
        '```ts\nconst x = "</code><script>window.__pwned=7</script>";\n```',
        '```diagram\nevil\n```',
      ].join('\n\n'),
      diagrams: { evil: JSON.stringify(diagram) },
      context: { api: `fetch${hostile}`, rule: '<b>rule</b>', file: `src/${hostile}.js`, line: 1, code: hostile, uri: 'javascript:alert(1)' },
    });
    const { context, page, watch: w } = await newPage();
    try {
      await open(page, url('light'));
      // Step through the diagram too: the explanation and the table are (re)inserted by the script.
      await page.locator('.wl-figure-scroll').first().focus();
      await page.keyboard.press('ArrowRight');
      await page.keyboard.press('ArrowRight');
      await page.locator('select.wl-rtt').selectOption('300');
      const live = await page.evaluate(() => {
        const w = window as unknown as { __pwned?: number };
        const scripts = Array.from(document.querySelectorAll('script')).map((s) => s.getAttribute('src') ?? 'inline');
        const handlers = Array.from(document.querySelectorAll('*')).flatMap((el) => Array.from(el.attributes).filter((a) => /^on/i.test(a.name)).map((a) => `${el.tagName}[${a.name}]`));
        const hrefs = Array.from(document.querySelectorAll('[href], [src], [xlink\\:href]')).map((el) => el.getAttribute('href') ?? el.getAttribute('src') ?? el.getAttribute('xlink:href') ?? '');
        const embeds = Array.from(document.querySelectorAll('iframe, object, embed, img, image, foreignObject, svg script, use')).map((el) => el.tagName);
        return { pwned: w.__pwned, scripts, handlers, hrefs, embeds };
      });
      assert.equal(live.pwned, undefined, 'no hostile script ran');
      assert.equal(live.scripts.length, 1, `only our script: ${live.scripts.join(', ')}`);
      assert.match(live.scripts[0]!, /\/assets\/lesson\.js$/);
      assert.deepEqual(live.handlers, []);
      assert.deepEqual(live.embeds, []);
      for (const href of live.hrefs) assert.doesNotMatch(href, /^\s*(javascript|command|data|vbscript|file):/i, href);
      assert.deepEqual(await cspViolations(page), [], 'nothing even tried to load or run');
      assert.deepEqual(w.errors, []);
      const text = await page.locator('main').innerText();
      assert.ok(text.includes('<script>window.__pwned=1</script>'), 'raw HTML is shown as text');
      assert.ok((await page.locator('.wl-step-explain').innerText()).includes('<iframe'), 'the explanation is text');
      await page.screenshot({ path: path.join(SHOTS, 'hostile.png'), fullPage: true });
    } finally {
      await context.close();
    }
  });

  it('the static site works on its own: no errors or CSP violations, stepping, plain links between lessons', async () => {
    const out = mkdtempSync(path.join(tmpdir(), 'wirelens-site-'));
    const site = buildSite({ root: ROOT, outDir: out });
    const files = createServer((req, res) => {
      const name = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname).replace(/^\/+/, '') || 'index.html';
      const file = path.join(out, name);
      if (!file.startsWith(out) || !existsSync(file)) {
        res.writeHead(name === 'favicon.ico' ? 204 : 404).end();
        return;
      }
      const type = name.endsWith('.html') ? 'text/html; charset=utf-8' : name.endsWith('.js') ? 'text/javascript' : name.endsWith('.css') ? 'text/css' : 'image/svg+xml';
      res.writeHead(200, { 'content-type': type }).end(readFileSync(file));
    });
    await new Promise<void>((resolve) => files.listen(0, '127.0.0.1', resolve));
    const origin = `http://127.0.0.1:${(files.address() as AddressInfo).port}`;
    // No webview API on the site: a context without the stand-in.
    const context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
    await context.addInitScript(`window.__csp = []; document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));`);
    const page = await context.newPage();
    const w = watch(page);
    try {
      assert.ok(site.pages.length > LESSON_IDS.length);
      await page.goto(`${origin}/index.html`);
      assert.deepEqual(await axeViolations(page), []);
      await page.screenshot({ path: path.join(SHOTS, 'site-index.png'), fullPage: true });
      await page.locator('a[href="tcp-handshake.html"]').click();
      await page.locator('body.wl-ready').waitFor();
      assert.equal(page.url(), `${origin}/tcp-handshake.html`);
      const figure = page.locator('figure.wl-interactive').first();
      await figure.locator('.wl-figure-scroll').focus();
      await page.keyboard.press('ArrowRight');
      assert.equal(await figure.getAttribute('data-step'), '1');
      await page.screenshot({ path: path.join(SHOTS, 'site-lesson.png') });
      await page.locator('a[rel="next"]').click();
      await page.locator('body.wl-ready').waitFor();
      assert.match(page.url(), /\/listen-backlog\.html$/);
      // A cross-reference in the lesson's text is a plain link to that lesson's page.
      const crossRef = rendered.get('listen-backlog')!.links[0]!;
      await page.locator(`main.wl-lesson a[data-lesson="${crossRef}"]`).first().click();
      await page.locator('body.wl-ready').waitFor();
      assert.equal(page.url(), `${origin}/${crossRef}.html`);
      assert.equal(await page.locator('h1').first().innerText(), rendered.get(crossRef)!.title);
      assert.deepEqual(await cspViolations(page), []);
      assert.deepEqual(w.errors, []);
    } finally {
      await context.close();
      await new Promise<void>((resolve) => files.close(() => resolve()));
      rmSync(out, { recursive: true, force: true });
    }
  });

  /** Checks one rendered figure against its document; returns what differs. */
  async function checkDiagram(figure: ReturnType<Page['locator']>, diagram: Diagram): Promise<string[]> {
    const problems: string[] = [];
    if (diagram.kind === 'header') {
      const fields = await figure.locator('[data-kind="field"]').evaluateAll((gs) => gs.map((g) => ({ name: g.getAttribute('data-name'), bits: Number(g.getAttribute('data-bits')) })));
      const names = [...new Set(fields.map((f) => f.name))];
      if (JSON.stringify(names) !== JSON.stringify(diagram.fields.map((f) => f.name))) problems.push(`fields ${names.join(', ')}`);
      for (const f of diagram.fields) {
        if (typeof f.bits !== 'number') continue;
        const drawn = fields.filter((x) => x.name === f.name).reduce((sum, x) => sum + x.bits, 0);
        if (drawn !== f.bits) problems.push(`${f.name}: ${drawn} bits drawn, ${f.bits} in the spec`);
      }
      return problems;
    }
    if (diagram.kind === 'stack') {
      const layers = await figure.locator('[data-kind="layer"]').count();
      if (layers < diagram.layers.length) problems.push(`${layers} layers drawn, ${diagram.layers.length} in the spec`);
      return problems;
    }
    const rtt = Number(await figure.getAttribute('data-rtt-ms'));
    const resolved = resolveSequence(diagram, rtt);
    const hostX = new Map(
      await figure.locator('[data-kind="host"]').evaluateAll((gs) => gs.map((g) => [g.getAttribute('data-host') ?? '', Number(g.querySelector('.wl-lifeline')?.getAttribute('x1'))] as [string, number])),
    );
    const order = diagram.hosts.map((h) => h.id);
    if (JSON.stringify([...hostX.keys()]) !== JSON.stringify(order)) problems.push(`hosts ${[...hostX.keys()].join(', ')}, expected ${order.join(', ')}`);
    const drawnX = order.map((h) => hostX.get(h)!);
    if (drawnX.some((x, i) => i > 0 && !(x > drawnX[i - 1]!))) problems.push(`lifelines not left to right: ${drawnX.join(', ')}`);
    const messages = await figure.locator('[data-kind="message"]').evaluateAll((gs) =>
      gs.map((g) => {
        const line = g.querySelector('[data-kind="arrow"]')!;
        return {
          index: Number(g.getAttribute('data-index')),
          step: Number(g.getAttribute('data-step')),
          from: g.getAttribute('data-from'),
          to: g.getAttribute('data-to'),
          send: Number(g.getAttribute('data-send-ms')),
          arrive: Number(g.getAttribute('data-arrive-ms')),
          x1: Number(line.getAttribute('x1')),
          x2: Number(line.getAttribute('x2')),
          y1: Number(line.getAttribute('y1')),
          y2: Number(line.getAttribute('y2')),
          label: g.querySelector('[data-kind="label"] text tspan')?.textContent ?? '',
          title: g.querySelector(':scope > title')?.textContent ?? '',
        };
      }),
    );
    if (messages.length !== diagram.messages.length) return [...problems, `${messages.length} arrows, ${diagram.messages.length} messages in the spec`];
    diagram.messages.forEach((m, i) => {
      const got = messages[i]!;
      const r = resolved.messages[i]!;
      const where = `message ${i + 1} (${mainLabel(m)})`;
      if (got.index !== i || got.step !== i + 1) problems.push(`${where}: index ${got.index} step ${got.step}`);
      if (got.from !== m.from || got.to !== m.to) problems.push(`${where}: ${got.from} → ${got.to}, expected ${m.from} → ${m.to}`);
      if (Math.abs(got.x1 - hostX.get(m.from)!) > 0.5) problems.push(`${where}: starts at x=${got.x1}, the ${m.from} lifeline is at ${hostX.get(m.from)}`);
      const towards = Math.sign(hostX.get(m.to)! - hostX.get(m.from)!);
      if (Math.sign(got.x2 - got.x1) !== towards) problems.push(`${where}: points the wrong way`);
      if (!m.lost && Math.abs(got.x2 - hostX.get(m.to)!) > 0.5) problems.push(`${where}: ends at x=${got.x2}, the ${m.to} lifeline is at ${hostX.get(m.to)}`);
      // The SVG carries times rounded to 0.01 ms.
      if (Math.abs(got.send - r.sendMs) > 0.006 || Math.abs(got.arrive - r.arriveMs) > 0.006) problems.push(`${where}: ${got.send} → ${got.arrive} ms, expected ${r.sendMs} → ${r.arriveMs}`);
      if (r.arriveMs > r.sendMs ? !(got.y2 > got.y1) : got.y2 !== got.y1) problems.push(`${where}: slant y ${got.y1} → ${got.y2} for ${r.sendMs} → ${r.arriveMs} ms`);
      const label = mainLabel(m);
      const shown = got.label.replace(/…$/, '');
      if (!(got.label === label || (got.label.endsWith('…') && label.startsWith(shown)))) problems.push(`${where}: label "${got.label}"`);
      if (!got.title.startsWith(`#${i + 1} ${protoAndFlags(m)} ${m.from} → ${m.to}`)) problems.push(`${where}: tooltip "${got.title.split('\n')[0]}"`);
    });
    for (let i = 1; i < messages.length; i++) {
      if (messages[i]!.y1 < messages[i - 1]!.y1 - 0.5) problems.push(`message ${i + 1} is drawn above message ${i}, though sent later`);
    }
    const total = Number(await figure.locator('svg').first().getAttribute('data-total-ms'));
    if (Math.abs(total - resolved.totalMs) > 0.006) problems.push(`total ${total} ms, expected ${resolved.totalMs}`);
    return problems;
  }
});

/** Parses renderer output with the same rules as the page (for comparing step classes). */
function htmlFragment(svg: string): ParentNode {
  // A tiny parser is enough here: every element with a state class has class and data-step attributes.
  const nodes: { attrs: Map<string, string>; tagName: string }[] = [];
  for (const m of svg.matchAll(/<([a-zA-Z]+)\s([^>]*)>/g)) {
    const attrs = new Map<string, string>();
    for (const a of m[2]!.matchAll(/([\w:-]+)="([^"]*)"/g)) attrs.set(a[1]!, a[2]!);
    nodes.push({ tagName: m[1]!.toUpperCase(), attrs });
  }
  const elements = nodes.map((n) => ({
    tagName: n.tagName,
    getAttribute: (name: string) => n.attrs.get(name) ?? null,
    classList: { contains: (c: string) => (n.attrs.get('class') ?? '').split(/\s+/).includes(c) },
  }));
  return {
    querySelectorAll: () => elements.filter((e) => ['wl-past', 'wl-current', 'wl-future'].some((c) => e.classList.contains(c))),
  } as unknown as ParentNode;
}
