// The lesson panel in a real VS Code (code-server + Chromium, the packaged .vsix): opened from the
// hover's "Open lesson" link and from a diagnostic's "Open lesson" code action, beside the editor
// without taking focus; the page shows the lesson's diagram (read inside the webview's nested
// iframes), the user's call, and keeps its step and RTT; after a window reload the serializer
// restores the same lesson, step and RTT. Screenshots land in test-results/lesson-panel/.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FrameLocator, Page } from 'playwright-core';
import { lessonById } from '../../server/src/lessons/catalog';
import { SAMPLE_WORKSPACE, STEP_TIMEOUT, WorkbenchSession, e2eSkip, normalize, screenshot } from './setup';

const FILE = 'orders.js';
const SOURCE_LINES = readFileSync(path.join(SAMPLE_WORKSPACE, FILE), 'utf8').split('\n');
const lineOf = (text: string) => SOURCE_LINES.findIndex((l) => l.includes(text)) + 1;
const FETCH_LINE = lineOf("fetch('https://api.example.com/users')");
const AXIOS_LINE = lineOf('axios.get(url)');
/** The hover over `fetch` links the keep-alive lesson; the timeout rule's code action the timeouts lesson. */
const HOVER_LESSON = lessonById('keep-alive-and-pools')!;
const RULE_LESSON = lessonById('retransmission-and-timeouts')!;

describe('lesson panel in VS Code (code-server)', { skip: e2eSkip, timeout: 420_000 }, () => {
  const session = new WorkbenchSession('lesson-panel', 'lesson-panel', 'lesson');
  let page: Page;
  let shots: string;
  const step = session.step.bind(session);
  const clickOn = session.clickOn.bind(session);
  const dismissHover = () => session.dismissHover({ mustClose: false });

  /** The lesson page: the webview's outer iframe, then its content frame. */
  function lessonFrame(): FrameLocator {
    return page.frameLocator('iframe.webview.ready').last().frameLocator('iframe#active-frame');
  }

  const lessonTab = (number: string) => page.locator('.tabs-container .tab', { hasText: number });

  /** The editor tab of orders.js is the active one of the focused group: the panel did not take focus. */
  async function editorKeepsFocus(): Promise<boolean> {
    return page.evaluate((file) => {
      const active = document.activeElement;
      const group = active?.closest('.editor-group-container');
      const tab = group?.querySelector('.tabs-container .tab.active');
      return !!active?.closest('.monaco-editor') && !!tab?.textContent?.includes(file);
    }, FILE);
  }

  before(async () => {
    await session.start({ explorerFile: FILE });
    ({ page, shots } = session);
    await step('file opened', async () => {
      await session.quickOpen(FILE);
      await session.editorLines().filter({ hasText: 'axios.get' }).waitFor({ timeout: STEP_TIMEOUT });
    });
  });

  after(() => session.stop());

  it('opens the lesson from the hover link, beside the editor, without taking focus', async () => {
    const fetchToken = page.locator('.editor-instance .view-lines .view-line', { hasText: "fetch('https://api.example.com/users')" }).locator('span span', { hasText: /^fetch$/ });
    const link = page.locator('.monaco-hover:visible a', { hasText: 'Open lesson' }).first();
    await step('hover link', async () => {
      await fetchToken.waitFor({ timeout: STEP_TIMEOUT });
      const deadline = Date.now() + STEP_TIMEOUT;
      for (let attempt = 1; ; attempt++) {
        await dismissHover();
        // The editor re-renders a line's spans when decorations arrive (diagnostics): the token found a
        // moment ago may be gone, and the next attempt measures the new one.
        const box = await fetchToken.boundingBox();
        try {
          if (!box) throw new Error('the fetch token was re-rendered before it could be measured');
          await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2, { steps: 4 });
          await link.waitFor({ timeout: Math.max(1, Math.min(10_000, deadline - Date.now())) });
          break;
        } catch (err) {
          if (Date.now() >= deadline) throw new Error(`no "Open lesson" link in the hover after ${attempt} attempts: ${String(err)}`);
          await fetchToken.waitFor({ timeout: Math.max(1, deadline - Date.now()) }).catch(() => undefined);
        }
      }
    });
    await screenshot(page, shots, '01-hover');
    await step('panel from hover', async () => {
      // The link sits at the end of a long hover: scroll the hover (mouse inside it, so it stays open)
      // until the link is inside its visible box, then click it.
      const hover = page.locator('.monaco-hover:visible', { has: page.locator('a', { hasText: 'Open lesson' }) }).first();
      const hoverBox = (await hover.boundingBox())!;
      await page.mouse.move(hoverBox.x + hoverBox.width / 2, hoverBox.y + hoverBox.height / 2, { steps: 4 });
      for (let i = 0; i < 10; i++) {
        const box = (await link.boundingBox())!;
        const visible = (await hover.boundingBox())!;
        if (box.y >= visible.y && box.y + box.height <= visible.y + visible.height) break;
        await page.mouse.wheel(0, 200);
        // Wait for the hover to have scrolled (the link moved), not for a fixed time.
        const handle = await link.elementHandle();
        await page.waitForFunction(([el, y]) => (el as Element).getBoundingClientRect().y !== y, [handle, box.y] as const, { timeout: 5_000 }).catch(() => undefined);
      }
      await clickOn(link);
      await lessonFrame().locator('h1', { hasText: HOVER_LESSON.title.split(':')[0]! }).waitFor({ timeout: STEP_TIMEOUT });
    });
    await dismissHover();
    const frame = lessonFrame();
    await frame.locator('figure.wl-interactive svg.wl-diagram').first().waitFor({ timeout: STEP_TIMEOUT });
    await screenshot(page, shots, '02-lesson-from-hover');
    assert.ok(await lessonTab(HOVER_LESSON.number).count(), `a tab titled ${HOVER_LESSON.number}`);
    // The diagram is the real SVG with its arrows and its text alternative.
    assert.ok((await frame.locator('figure.wl-figure').first().locator('[data-kind="message"]').count()) >= 3);
    assert.match(await frame.locator('figure.wl-figure').first().locator('svg title').first().textContent() ?? '', /\S/);
    const call = normalize(await frame.locator('aside.wl-context').innerText());
    assert.match(call, new RegExp(`Opened from fetch in ${FILE}:${FETCH_LINE}`), call);
    assert.match(call, /fetch\('https:\/\/api\.example\.com\/users'\)/);
    // Beside the editor: two editor groups; the editor keeps the focus.
    assert.equal(await page.locator('.editor-group-container').count(), 2);
    assert.ok(await editorKeepsFocus(), 'the editor keeps the keyboard focus');
  });

  it('steps through the diagram with the keyboard and changes the RTT inside the webview', async () => {
    const frame = lessonFrame();
    const figure = frame.locator('figure.wl-interactive').first();
    await step('step and RTT', async () => {
      await figure.locator('.wl-figure-scroll').focus();
      await page.keyboard.press('ArrowRight');
      await page.keyboard.press('ArrowRight');
      await figure.locator('.wl-step-status', { hasText: /Packet 2 of/ }).waitFor({ timeout: STEP_TIMEOUT });
      const before = await figure.locator('output.wl-total').innerText();
      await figure.locator('select.wl-rtt').selectOption('150');
      await figure.locator('output.wl-total').filter({ hasNotText: before }).waitFor({ timeout: STEP_TIMEOUT });
    });
    assert.equal(await figure.getAttribute('data-step'), '2');
    assert.equal(await figure.getAttribute('data-rtt-ms'), '150');
    await screenshot(page, shots, '03-stepped');
  });

  it('opens the lesson from the code action, reusing the panel', async () => {
    const axiosLine = page.locator('.editor-instance .view-lines .view-line', { hasText: 'axios.get(url)' });
    const lessonRow = page.locator('.action-widget .monaco-list-row', { hasText: /Open lesson/ });
    await step('code action menu', async () => {
      await dismissHover();
      await clickOn(axiosLine.locator('span span', { hasText: /^get$/ }));
      await page.locator('.statusbar-item', { hasText: `Ln ${AXIOS_LINE},` }).waitFor({ timeout: STEP_TIMEOUT });
      const deadline = Date.now() + STEP_TIMEOUT;
      for (;;) {
        await page.keyboard.press('Control+.');
        try {
          await lessonRow.first().waitFor({ timeout: Math.max(1, Math.min(10_000, deadline - Date.now())) });
          break;
        } catch (err) {
          if (Date.now() >= deadline) throw err;
          await page.keyboard.press('Escape');
        }
      }
    });
    await screenshot(page, shots, '04-code-actions');
    await step('panel from code action', async () => {
      await lessonRow.first().click();
      await lessonFrame().locator('h1', { hasText: RULE_LESSON.title.split(',')[0]! }).waitFor({ timeout: STEP_TIMEOUT });
    });
    const frame = lessonFrame();
    await frame.locator('figure.wl-interactive svg.wl-diagram').first().waitFor({ timeout: STEP_TIMEOUT });
    await screenshot(page, shots, '05-lesson-from-code-action');
    const call = normalize(await frame.locator('aside.wl-context').innerText());
    assert.match(call, new RegExp(`in ${FILE}:${AXIOS_LINE}`), call);
    assert.match(call, /outbound-request-without-timeout/);
    assert.match(call, /axios\.get\(url\)/);
    // One panel, reused: the hover's lesson tab became this lesson.
    assert.equal(await lessonTab(HOVER_LESSON.number).count(), 0, 'the first lesson was replaced, not joined by a second panel');
    assert.equal(await lessonTab(RULE_LESSON.number).count(), 1);
    assert.equal(await page.locator('.editor-group-container').count(), 2);
  });

  it('restores the panel, its lesson, step and RTT after a window reload', async () => {
    const frame = lessonFrame();
    const figure = frame.locator('figure.wl-interactive').first();
    await step('state before reload', async () => {
      await figure.locator('.wl-figure-scroll').focus();
      await page.keyboard.press('End');
      await figure.locator('select.wl-rtt').selectOption('300');
    });
    const steps = await figure.getAttribute('data-step');
    assert.ok(steps && steps !== 'all');
    assert.equal(await figure.getAttribute('data-rtt-ms'), '300');
    await step('reload', async () => {
      await page.keyboard.press('F1');
      const input = page.locator('.quick-input-widget input');
      await input.waitFor({ state: 'visible', timeout: STEP_TIMEOUT });
      await input.fill('>Developer: Reload Window');
      await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Developer: Reload Window' }).first().waitFor({ timeout: STEP_TIMEOUT });
      await Promise.all([page.waitForEvent('load', { timeout: STEP_TIMEOUT }), page.keyboard.press('Enter')]);
      await page.locator('.monaco-workbench .part.statusbar').waitFor({ timeout: STEP_TIMEOUT });
    });
    await step('panel restored', async () => {
      await lessonTab(RULE_LESSON.number).first().waitFor({ timeout: STEP_TIMEOUT });
      await lessonFrame().locator('h1', { hasText: RULE_LESSON.title.split(',')[0]! }).waitFor({ timeout: STEP_TIMEOUT });
    });
    const restored = lessonFrame().locator('figure.wl-interactive').first();
    await restored.locator('svg.wl-diagram').waitFor({ timeout: STEP_TIMEOUT });
    await screenshot(page, shots, '06-restored');
    assert.equal(await restored.getAttribute('data-step'), steps, 'the step survives the reload');
    assert.equal(await restored.getAttribute('data-rtt-ms'), '300', 'the RTT survives the reload');
    assert.equal(await restored.locator('select.wl-rtt').inputValue(), '300');
    const call = normalize(await lessonFrame().locator('aside.wl-context').innerText());
    assert.match(call, new RegExp(`in ${FILE}:${AXIOS_LINE}`), 'the call that led here survives the reload');
  });

  it('follows lesson links inside the panel, with a way back', async () => {
    const next = lessonById('nagle-and-nodelay')!;
    await step('next lesson link', async () => {
      await lessonFrame().locator(`a[rel="next"][data-lesson="${next.id}"]`).click();
      await lessonFrame().locator('h1', { hasText: next.title.split(' ')[0]! }).waitFor({ timeout: STEP_TIMEOUT });
    });
    assert.equal(await lessonTab(next.number).count(), 1);
    assert.equal(await lessonFrame().locator('aside.wl-context').count(), 0, 'the call belongs to the lesson it led to');
    await step('back link', async () => {
      await lessonFrame().locator('a[data-nav="back"]').click();
      await lessonTab(RULE_LESSON.number).first().waitFor({ timeout: STEP_TIMEOUT });
    });
  });

  it('"Wirelens: Lessons for This File" lists the lessons behind the calls and opens one', async () => {
    const tls = lessonById('tls-handshake')!;
    const row = page.locator('.quick-input-list .monaco-list-row', { hasText: `${tls.number} ` });
    await step('lessons for this file', async () => {
      // The command works on the active editor: focus it first.
      await page.locator('.tabs-container .tab', { hasText: FILE }).first().click();
      // Keyboard focus may still be inside the lesson webview: click into the editor text, and retry
      // F1 until the command palette is up (an event-driven retry, not a sleep).
      const input = page.locator('.quick-input-widget input');
      for (let attempt = 0; attempt < 5 && !(await input.isVisible()); attempt++) {
        await page.locator('.editor-group-container .monaco-editor .view-lines').first().click();
        await page.keyboard.press('F1');
        await input.waitFor({ state: 'visible', timeout: 3000 }).catch(() => undefined);
      }
      await input.fill('>Wirelens: Lessons for This File');
      const command = page.locator('.quick-input-list .monaco-list-row', { hasText: 'Lessons for This File' }).first();
      await command.waitFor({ timeout: STEP_TIMEOUT });
      await command.click();
      await page.locator('.quick-input-list .monaco-list-row', { hasText: `${HOVER_LESSON.number} ` }).first().waitFor({ timeout: STEP_TIMEOUT });
    });
    const items = normalize((await page.locator('.quick-input-list').innerText()));
    await screenshot(page, shots, '07-lessons-for-file');
    assert.match(items, new RegExp(`${HOVER_LESSON.number} .*fetch \\(line ${FETCH_LINE}\\)`, 's'), items);
    assert.match(items, new RegExp(`${RULE_LESSON.number} `), items);
    // The list is virtualised: with every rule on, the TLS lesson may sit below the fold. Filter to it.
    await page.locator('.quick-input-widget input').fill(tls.number);
    await row.first().waitFor({ timeout: STEP_TIMEOUT });
    const filtered = normalize((await page.locator('.quick-input-list').innerText()));
    assert.match(filtered, /tls-certificate-validation-disabled/, filtered);
    await step('open from the list', async () => {
      await row.first().click();
      await lessonFrame().locator('h1', { hasText: tls.title.split(',')[0]! }).waitFor({ timeout: STEP_TIMEOUT });
    });
    const call = normalize(await lessonFrame().locator('aside.wl-context').innerText());
    assert.match(call, new RegExp(`${FILE}:${lineOf('rejectUnauthorized: false')}`), call);
  });

  it('the Wirelens view lists modules and lessons and opens them', async () => {
    const lesson = lessonById('delayed-ack')!;
    await step('lesson tree', async () => {
      await page.locator('.activitybar .action-item a[aria-label^="Wirelens"]').first().click();
      const tree = page.locator('.part.sidebar');
      await tree.locator('.monaco-list-row', { hasText: lesson.module }).first().waitFor({ timeout: STEP_TIMEOUT });
      await tree.locator('.monaco-list-row', { hasText: lesson.title }).first().click();
      await lessonFrame().locator('h1', { hasText: lesson.title.split(' ')[0]! }).waitFor({ timeout: STEP_TIMEOUT });
    });
    await screenshot(page, shots, '08-lesson-tree');
    assert.equal(await lessonTab(lesson.number).count(), 1);
  });

  it('makes no requests off the machine', () => {
    // Webview resources use https://*.vscode-resource.vscode-cdn.net URLs that VS Code's service worker
    // serves from the extension folder; everything else must be local.
    assert.deepEqual(session.offMachineRequests(), []);
  });
});
