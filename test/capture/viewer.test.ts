// The capture viewer page in a real browser (Debian Chromium driven by playwright-core), in a page that
// mimics the VS Code webview: the same page builder and CSP (meta tag, nonce, the server's origin in
// place of webview.cspSource), the same bundle and stylesheet from dist/webview/, a VS Code theme's
// --vscode-* variables, and a stand-in for acquireVsCodeApi whose messages go to a real CaptureSession
// (client/src/capture/session.ts) in this process, as the extension host would answer them. Captures
// come from the engine's test writer. Checks: conversations listed, the ladder drawn, clicking an event
// (or Enter on it) posts its lesson id, packet details with byte highlighting, hostile strings inert,
// the virtualised lists keep the DOM small for 10,000 packets, keyboard use, no console errors, no CSP
// violations, no serious axe findings in light, dark and high-contrast themes.
// Screenshots: test-results/capture-viewer/.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { MemorySource } from '../../client/src/capture/packetStore';
import { renderCapturePage } from '../../client/src/capture/page';
import type { HostMessage } from '../../client/src/capture/protocol';
import { openCaptureSession, type CaptureSession } from '../../client/src/capture/session';
import { CAPTURE_GUIDE_LESSON } from '../../server/src/capture/events';
import { EVENT_LESSONS } from '../../server/src/capture/index';
import { lessonById } from '../../server/src/lessons/catalog';
import { WebviewTestServer, loadThemes, type ThemeFixture } from '../lessons/pageServer';
import { SERVER } from './scenarios';
import { HOSTILE_FILE, HOSTILE_HOST, HOSTILE_SNI, bigCapture, eventsCapture, hostileCapture } from './viewerCaptures';

const ROOT = path.resolve(__dirname, '..', '..');
const CHROMIUM = process.env.WIRELENS_CHROMIUM ?? '/usr/bin/chromium';
const IN_CI = !!process.env.CI && process.env.CI !== 'false' && process.env.CI !== '0';
const SKIP: string | false = existsSync(CHROMIUM) || IN_CI ? false : `Chromium not found at ${CHROMIUM} (apt-get install chromium, or set WIRELENS_CHROMIUM); CI runs this test`;
const SHOTS = path.join(ROOT, 'test-results', 'capture-viewer');
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const THEMES = ['light', 'dark', 'high-contrast', 'high-contrast-light'] as const;

/**
 * Installed before the page script: the webview API stand-in (messages go to the session through an
 * exposed function) and the CSP violation log. A string: the TypeScript loader decorates functions.
 */
const INIT_SCRIPT = `
  window.__posted = [];
  window.__csp = [];
  window.__state = undefined;
  window.acquireVsCodeApi = () => ({
    postMessage: (m) => { window.__posted.push(m); window.__toHost(m); },
    getState: () => window.__state,
    setState: (s) => { window.__state = s; },
  });
  document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));
`;

/** Serves the viewer page the way the webview gets it, plus the assets and theme variables. */
class ViewerPageServer extends WebviewTestServer {
  constructor(themes: Record<string, ThemeFixture>) {
    super(themes, 'capture');
  }

  protected page(url: URL): string | undefined {
    const page = /^\/viewer\/([a-z-]+)\.html$/.exec(url.pathname);
    const fixture = page ? this.themes[page[1]!] : undefined;
    if (!fixture) return undefined;
    const html = renderCapturePage({
      cspSource: this.origin,
      nonce: randomBytes(18).toString('base64'),
      scriptUri: `${this.origin}/assets/capture.js`,
      styleUris: [`${this.origin}/theme/${page![1]}.css`, `${this.origin}/assets/capture.css`],
      title: url.searchParams.get('title') ?? 'capture',
    });
    // VS Code marks the webview body with the theme kind.
    return html.replace('<body class="wl-capture"', `<body class="wl-capture ${fixture.bodyClasses.join(' ')}" data-vscode-theme-kind="${fixture.kind}"`);
  }

  url(theme: string, title: string): string {
    return `${this.origin}/viewer/${theme}.html?title=${encodeURIComponent(title)}`;
  }
}

interface Opened {
  context: BrowserContext;
  page: Page;
  errors: string[];
  session: CaptureSession;
}

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; failureSummary?: string }[];
}

describe('capture viewer in Chromium (webview mimic)', { skip: SKIP, timeout: 600_000 }, () => {
  let browser: Browser;
  let server: ViewerPageServer;
  const captures = new Map<string, Uint8Array>();

  before(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: install it (apt-get install chromium) or set WIRELENS_CHROMIUM`);
    mkdirSync(SHOTS, { recursive: true });
    server = new ViewerPageServer(loadThemes());
    await server.start();
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    captures.set('events', eventsCapture());
    captures.set('hostile', hostileCapture());
    captures.set('big', bigCapture());
    captures.set('not-a-capture', new TextEncoder().encode('GET / HTTP/1.1\r\nHost: <b>x</b>\r\n\r\n'));
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  /** Opens the viewer on a capture: the page's messages are answered by a CaptureSession, as the host would. */
  async function open(capture: string, options: { theme?: string; fileName?: string } = {}): Promise<Opened> {
    const fileName = options.fileName ?? `${capture}.pcapng`;
    const session = await openCaptureSession(new MemorySource(captures.get(capture)!), { fileName });
    const context = await browser.newContext({ viewport: { width: 1500, height: 1000 } });
    await context.addInitScript(INIT_SCRIPT);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('console', (m) => m.type() === 'error' && errors.push(`console: ${m.text()}`));
    page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
    const deliver = (message: HostMessage) => page.evaluate((m) => window.postMessage(m, '*'), message).catch(() => undefined);
    await page.exposeFunction('__toHost', async (message: { type?: string }) => {
      if (message?.type === 'ready') return deliver({ type: 'summary', summary: session.summary });
      const answer = await session.handle(message);
      if (answer) await deliver(answer);
      return undefined;
    });
    const response = await page.goto(server.url(options.theme ?? 'dark', fileName));
    assert.equal(response?.status(), 200);
    await page.locator('body.wl-ready').waitFor({ timeout: 15_000 });
    return { context, page, errors, session };
  }

  const posted = (page: Page) => page.evaluate(() => (window as unknown as { __posted: Array<{ type: string; lesson?: string }> }).__posted);
  const cspViolations = (page: Page) => page.evaluate(() => (window as unknown as { __csp: string[] }).__csp);

  it('lists the conversations and draws the chosen one as a ladder', async () => {
    const { context, page, errors, session } = await open('events');
    try {
      const conversations = session.summary.conversations;
      assert.ok(conversations.length >= 3);
      const rows = page.locator('.wl-conv-list [role="option"]');
      await rows.first().waitFor();
      assert.equal(await rows.count(), conversations.length);
      for (const [i, c] of conversations.entries()) {
        const text = await rows.nth(i).innerText();
        assert.ok(text.includes(c.client) && text.includes(c.server), text);
      }
      // The page opens on the first conversation with events; its ladder has one arrow per packet.
      const first = session.summary.events[0]!.conversation;
      const ladder = page.locator('.wl-ladder svg.wl-diagram');
      await ladder.waitFor();
      assert.equal(await page.locator('#wl-cap-ladder-heading').innerText(), `Conversation #${first}`);
      assert.equal(await ladder.locator('[data-kind="message"]').count(), conversations[first]!.rows);
      // Another conversation, chosen with the mouse: its own ladder.
      const tls = conversations.findIndex((c) => c.protocol === 'TLS');
      await rows.nth(tls).click();
      await page.locator('#wl-cap-ladder-heading', { hasText: `Conversation #${tls}` }).waitFor();
      await page.locator('.wl-cap-ladder-title', { hasText: 'api.example.test' }).waitFor();
      assert.equal(await page.locator('.wl-ladder svg.wl-diagram [data-kind="message"]').count(), conversations[tls]!.rows);
      assert.match(await page.locator('.wl-facts').innerText(), /TLS ClientHello\s+TLS 1\.3, server name api\.example\.test, ALPN h2 http\/1\.1/);
      await page.screenshot({ path: path.join(SHOTS, 'conversations-and-ladder.png'), fullPage: true });
      assert.deepEqual(await cspViolations(page), []);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  it('"How to read a capture" in the header opens the lesson on captures, by mouse and by keyboard', async () => {
    const { context, page, errors } = await open('events');
    try {
      const openLessons = async () => (await posted(page)).filter((m) => m.type === 'openLesson');
      const guide = page.getByRole('button', { name: 'How to read a capture' });
      assert.equal(await guide.getAttribute('title'), `Open the lesson “${lessonById(CAPTURE_GUIDE_LESSON)!.title}”`);
      await guide.click();
      await page.waitForFunction(() => (window as unknown as { __posted: Array<{ type: string }> }).__posted.some((m) => m.type === 'openLesson'));
      assert.deepEqual(await openLessons(), [{ type: 'openLesson', lesson: CAPTURE_GUIDE_LESSON }]);
      await guide.focus();
      await page.keyboard.press('Enter');
      await page.waitForFunction(() => (window as unknown as { __posted: Array<{ type: string }> }).__posted.filter((m) => m.type === 'openLesson').length === 2);
      assert.deepEqual(await openLessons(), [{ type: 'openLesson', lesson: CAPTURE_GUIDE_LESSON }, { type: 'openLesson', lesson: CAPTURE_GUIDE_LESSON }]);
      assert.deepEqual(await cspViolations(page), []);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  it('clicking an event posts its lesson id; Enter on an event and the event button do too', async () => {
    const { context, page, errors, session } = await open('events');
    try {
      const events = session.summary.events;
      const retransmission = events.findIndex((e) => e.kind === 'retransmission');
      const rst = events.findIndex((e) => e.kind === 'rst');
      assert.ok(retransmission >= 0 && rst >= 0, JSON.stringify(events.map((e) => e.kind)));
      const rows = page.locator('.wl-event-list [role="option"]');
      await rows.nth(rst).waitFor();
      await rows.nth(retransmission).locator('.wl-lesson-chip').click();
      await page.waitForFunction((n) => (window as unknown as { __posted: Array<{ type: string }> }).__posted.filter((m) => m.type === 'openLesson').length === n, 1);
      const afterClick = (await posted(page)).filter((m) => m.type === 'openLesson');
      assert.deepEqual(afterClick, [{ type: 'openLesson', lesson: EVENT_LESSONS.retransmission }]);
      // The click also selected the event: its packet's details and the button naming the lesson.
      await page.locator('.wl-details-host .wl-cap-subhead', { hasText: `Packet ${events[retransmission]!.packet}` }).waitFor();
      // Keyboard: move to the reset and press Enter.
      await page.locator('.wl-event-list [role="listbox"]').focus();
      for (let i = 0; i < Math.abs(rst - retransmission); i++) await page.keyboard.press(rst > retransmission ? 'ArrowDown' : 'ArrowUp');
      await page.locator('.wl-event-detail button', { hasText: events[rst]!.lessonTitle }).waitFor();
      await page.keyboard.press('Enter');
      await page.waitForFunction(() => (window as unknown as { __posted: Array<{ type: string }> }).__posted.filter((m) => m.type === 'openLesson').length === 2);
      await page.locator('.wl-event-detail button').click();
      await page.waitForFunction(() => (window as unknown as { __posted: Array<{ type: string }> }).__posted.filter((m) => m.type === 'openLesson').length === 3);
      const lessons = (await posted(page)).filter((m) => m.type === 'openLesson').map((m) => m.lesson);
      assert.deepEqual(lessons, [EVENT_LESSONS.retransmission, EVENT_LESSONS.rst, EVENT_LESSONS.rst]);
      // The ladder of the reset's conversation marks the event on its arrow.
      const rstPacket = events[rst]!.packet;
      assert.ok((await page.locator('.wl-ladder').innerText()).includes('RST'));
      await page.locator('.wl-packet-list .wl-vlist-row.wl-selected .wl-col', { hasText: new RegExp(`^${rstPacket}$`) }).first().waitFor();
      await page.screenshot({ path: path.join(SHOTS, 'events.png'), fullPage: true });
      assert.deepEqual(await cspViolations(page), []);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  it('shows a packet’s layers and highlights a field’s bytes on hover and focus', async () => {
    const { context, page, errors } = await open('events');
    try {
      const firstPacket = page.locator('.wl-packet-list [role="option"]').first();
      await firstPacket.locator('.wl-col', { hasText: /^1$/ }).first().waitFor();
      await firstPacket.click();
      await page.locator('.wl-details-host .wl-cap-subhead', { hasText: 'Packet 1' }).waitFor();
      const layers = await page.locator('.wl-layer > summary').allInnerTexts();
      assert.deepEqual(layers.slice(0, 4), ['Frame 1', 'ETHERNET', 'Internet Protocol version 4', 'Transmission Control Protocol']);
      const port = page.locator('.wl-field', { hasText: 'Destination port' });
      await port.hover();
      const lit = page.locator('.wl-hex .wl-byte.wl-lit');
      assert.equal(await lit.count(), 2, 'a port is two bytes');
      assert.deepEqual(await lit.allInnerTexts(), [(SERVER.port >> 8).toString(16).padStart(2, '0'), (SERVER.port & 0xff).toString(16).padStart(2, '0')]);
      // Keyboard focus does the same; a byte points back at its field.
      await page.locator('.wl-field', { hasText: 'Time to live' }).focus();
      assert.equal(await lit.count(), 1);
      await page.locator('.wl-hex .wl-byte[data-byte="26"]').hover(); // first byte of the IPv4 source address
      await page.locator('.wl-field.wl-lit', { hasText: 'Source' }).waitFor();
      assert.equal(await lit.count(), 4);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  it('keeps hostile strings from the capture inert', async () => {
    const { context, page, errors, session } = await open('hostile', { fileName: HOSTILE_FILE });
    try {
      // The strings reached the page (as text), so the check below is not vacuous.
      const convText = await page.locator('.wl-conv-list').innerText();
      assert.ok(convText.includes(HOSTILE_SNI), convText);
      assert.ok(convText.includes(HOSTILE_HOST), convText);
      assert.ok((await page.locator('.wl-cap-title').innerText()).includes(HOSTILE_FILE));
      // Draw each conversation (ladder, facts, table) and open a packet of each.
      const rows = page.locator('.wl-conv-list [role="option"]');
      for (let i = 0; i < session.summary.conversations.length; i++) {
        await rows.nth(i).click();
        await page.locator('#wl-cap-ladder-heading', { hasText: `Conversation #${i}` }).waitFor();
        await page.locator('.wl-ladder svg').waitFor();
        await page.locator('.wl-ladder-table summary').click();
        await page.locator('.wl-ladder [data-kind="message"] text').last().click();
        await page.locator('.wl-details-host .wl-layer').first().waitFor();
      }
      const ladderText = await page.locator('.wl-cap-ladder').innerText();
      assert.ok(ladderText.includes('<iframe>.example'), ladderText);
      await page.screenshot({ path: path.join(SHOTS, 'hostile.png'), fullPage: true });
      const found = await page.evaluate(() => ({
        pwned: (window as unknown as { __pwned?: number }).__pwned,
        scripts: document.scripts.length,
        injected: document.querySelectorAll('img, iframe, object, embed, b, foreignObject, svg script, [onerror], [onload]').length,
        svgRoots: Array.from(document.querySelectorAll('svg')).filter((s) => !s.classList.contains('wl-diagram') && !s.closest('svg.wl-diagram')).length,
      }));
      assert.deepEqual(found, { pwned: undefined, scripts: 1, injected: 0, svgRoots: 0 });
      assert.deepEqual(await cspViolations(page), []);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  it('keeps the DOM small for 10,000 packets and 2,000 conversations; End reaches the last packet', async () => {
    const { context, page, errors, session } = await open('big');
    try {
      assert.equal(session.summary.packets, 10_000);
      assert.equal(session.summary.conversations.length, 2001);
      const list = page.locator('.wl-packet-list [role="listbox"]');
      await list.locator('[role="option"]').first().locator('.wl-col', { hasText: /^1$/ }).first().waitFor();
      assert.equal(await list.locator('[role="option"]').first().getAttribute('aria-setsize'), '10000');
      const counts = async () =>
        page.evaluate(() => ({
          packetRows: document.querySelectorAll('.wl-packet-list [role="option"]').length,
          conversationRows: document.querySelectorAll('.wl-conv-list [role="option"]').length,
          elements: document.querySelectorAll('*').length,
        }));
      const atTop = await counts();
      assert.ok(atTop.packetRows > 10 && atTop.packetRows <= 60, JSON.stringify(atTop));
      assert.ok(atTop.conversationRows > 5 && atTop.conversationRows <= 60, JSON.stringify(atTop));
      // Keyboard: End on the list selects the last packet, whose row is fetched and shown.
      await list.focus();
      await page.keyboard.press('End');
      await page.locator('.wl-packet-list .wl-vlist-row.wl-selected .wl-col', { hasText: /^10000$/ }).waitFor();
      await page.locator('.wl-details-host .wl-cap-subhead', { hasText: 'Packet 10000' }).waitFor();
      await page.keyboard.press('PageUp');
      await page.keyboard.press('ArrowUp');
      const atEnd = await counts();
      assert.ok(atEnd.packetRows <= 60, JSON.stringify(atEnd));
      // Everything on the page, including the ladder of the 6,000-packet conversation: far below one element per packet.
      assert.ok(atEnd.elements < 6000, JSON.stringify(atEnd));
      // Scrolling the conversations to the end shows the last one.
      await page.locator('.wl-conv-list [role="listbox"]').focus();
      await page.keyboard.press('End');
      await page.locator('.wl-conv-list .wl-vlist-row.wl-selected', { hasText: 'host1999.example.test' }).waitFor();
      assert.ok((await counts()).conversationRows <= 60);
      await page.screenshot({ path: path.join(SHOTS, 'big.png') });
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  it('steps through the ladder with the keyboard and pages long conversations', async () => {
    const { context, page, errors, session } = await open('big');
    try {
      const tcp = session.summary.conversations.findIndex((c) => c.transport === 'TCP');
      await page.locator('.wl-conv-list [role="listbox"]').focus();
      await page.keyboard.press('Home');
      for (let i = 0; i < tcp; i++) await page.keyboard.press('ArrowDown');
      await page.keyboard.press('Enter'); // Enter moves into the ladder
      await page.locator('#wl-cap-ladder-heading', { hasText: `Conversation #${tcp}` }).waitFor();
      const ladder = page.locator('.wl-ladder');
      await ladder.locator('svg').waitFor();
      assert.equal(await page.evaluate(() => document.activeElement?.classList.contains('wl-ladder')), true);
      await page.keyboard.press('ArrowRight');
      await page.locator('.wl-ladder[data-step="1"]').waitFor();
      await page.keyboard.press('ArrowRight');
      await page.locator('.wl-ladder[data-step="2"]').waitFor();
      const rows = session.summary.conversations[tcp]!.rows;
      assert.equal(rows, 6000, 'the viewer keeps every row of a 6,000-packet conversation');
      assert.match(await page.locator('.wl-cap-ladder .wl-step-status').innerText(), new RegExp(`Packet \\d+ \\(packets 1–60 of ${rows}\\)`));
      // The selected packet follows in the details.
      const frame = await page.locator('.wl-cap-ladder .wl-step-status').innerText();
      await page.locator('.wl-details-host .wl-cap-subhead', { hasText: `Packet ${/Packet (\d+)/.exec(frame)![1]}` }).waitFor();
      await page.keyboard.press('Escape');
      await page.locator('.wl-ladder[data-step="all"]').waitFor();
      await page.locator('.wl-cap-ladder button', { hasText: 'Later packets' }).click();
      await page.locator('.wl-cap-ladder .wl-step-status', { hasText: 'packets 61–120 of 6000' }).waitFor();
      assert.equal(await ladder.locator('[data-kind="message"]').count(), 60);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  it('says why a file that is not a capture cannot be shown', async () => {
    const { context, page, errors } = await open('not-a-capture', { fileName: 'notes.pcap' });
    try {
      const error = await page.locator('.wl-cap-error').innerText();
      assert.match(error, /Reading stopped early: not a pcap or pcapng file: it starts with 47 45 54 20/);
      assert.match(await page.locator('.wl-cap-convs').innerText(), /Conversations \(0\)/);
      assert.match(await page.locator('.wl-cap-ladder').innerText(), /Choose a conversation/);
      assert.deepEqual(await cspViolations(page), []);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  for (const theme of THEMES) {
    it(`${theme} theme: no serious or critical axe finding, no CSP violation`, async () => {
      const { context, page, errors } = await open('events', { theme });
      try {
        await page.locator('.wl-ladder svg').waitFor();
        await page.locator('.wl-event-list [role="option"]').first().click();
        await page.locator('.wl-details-host .wl-layer').first().waitFor();
        await page.evaluate(AXE_SOURCE);
        const violations = await page.evaluate(async () => {
          const axe = (window as unknown as { axe: { run: (ctx: Document, opts: unknown) => Promise<{ violations: AxeViolation[] }> } }).axe;
          return (await axe.run(document, { resultTypes: ['violations'] })).violations;
        });
        await page.screenshot({ path: path.join(SHOTS, `${theme}.png`), fullPage: true });
        const serious = violations
          .filter((v) => v.impact === 'serious' || v.impact === 'critical')
          .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 4).map((n) => `${n.target.join(' ')}: ${(n.failureSummary ?? '').replace(/\s+/g, ' ').slice(0, 200)}`).join(' | ')}`);
        assert.deepEqual(serious, []);
        assert.deepEqual(await cspViolations(page), []);
        assert.deepEqual(errors, []);
      } finally {
        await context.close();
      }
    });
  }
});
