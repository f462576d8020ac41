// The capture viewer in a real VS Code (code-server + Chromium, the packaged .vsix): a .pcapng in the
// workspace opens in the Wirelens capture editor by default; its page (read inside the webview's
// nested iframes) lists the conversations and draws the chosen one as a ladder; an event's lesson
// link opens that lesson in the lesson panel. The capture is written by the engine's test writer.
// Screenshots land in test-results/capture-viewer-e2e/.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FrameLocator, Page } from 'playwright-core';
import { EVENT_LESSONS } from '../../server/src/capture/index';
import { lessonById } from '../../server/src/lessons/catalog';
import { eventsCapture } from '../capture/viewerCaptures';
import { STEP_TIMEOUT, WorkbenchSession, e2eSkip, screenshot } from './setup';

const CAPTURE = 'slow-orders.pcapng';
const LESSON = lessonById(EVENT_LESSONS.retransmission)!;

describe('capture viewer in VS Code (code-server)', { skip: e2eSkip, timeout: 420_000 }, () => {
  const session = new WorkbenchSession('capture-viewer', 'capture-viewer-e2e', 'capture');
  let page: Page;
  let shots: string;
  const step = session.step.bind(session);

  /** The content frame of the first webview whose page matches `selector` (the capture page, the lesson page). */
  async function webviewWith(selector: string): Promise<FrameLocator> {
    const deadline = Date.now() + STEP_TIMEOUT;
    for (;;) {
      const outer = page.locator('iframe.webview.ready');
      const count = await outer.count();
      // Each webview in turn gets a moment for the element to appear (several may be open).
      for (let i = 0; i < Math.max(1, count); i++) {
        const frame = (count ? outer.nth(i) : outer.first()).contentFrame().frameLocator('iframe#active-frame');
        const found = await frame.locator(selector).first().waitFor({ timeout: 1_500 }).then(() => true, () => false);
        if (found) return frame;
      }
      if (Date.now() > deadline) throw new Error(`no webview shows ${selector}`);
    }
  }

  before(async () => {
    await session.start({ explorerFile: CAPTURE, prepareWorkspace: (workspace) => writeFileSync(path.join(workspace, CAPTURE), eventsCapture()) });
    ({ page, shots } = session);
  });

  after(() => session.stop());

  it('opens a capture in the capture editor and draws a conversation', async () => {
    await step('capture opened', async () => {
      await page.keyboard.press('Control+P');
      const input = page.locator('.quick-input-widget input');
      await input.waitFor({ state: 'visible', timeout: STEP_TIMEOUT });
      await input.fill(CAPTURE);
      await page.locator('.quick-input-list .monaco-list-row', { hasText: CAPTURE }).first().waitFor({ timeout: STEP_TIMEOUT });
      await page.keyboard.press('Enter');
      await page.locator('.tabs-container .tab.active', { hasText: CAPTURE }).waitFor({ timeout: STEP_TIMEOUT });
    });
    const frame = await step('ladder drawn', async () => {
      const f = await webviewWith('body.wl-ready');
      await f.locator('.wl-ladder svg.wl-diagram').waitFor({ timeout: STEP_TIMEOUT });
      return f;
    });
    await screenshot(page, shots, '01-capture');
    // No text editor: the capture is not shown as binary text.
    assert.equal(await page.locator('.editor-instance .monaco-editor').count(), 0, 'the capture opened in a text editor');
    assert.match(await frame.locator('.wl-cap-title').innerText(), new RegExp(CAPTURE.replace('.', '\\.')));
    const conversations = frame.locator('.wl-conv-list [role="option"]');
    assert.ok((await conversations.count()) >= 3, 'the conversations are listed');
    // Choose the TLS conversation: its ladder, with the server name from the ClientHello.
    await step('conversation chosen', async () => {
      await conversations.filter({ hasText: 'TLS' }).first().click();
      await frame.locator('.wl-cap-ladder-title', { hasText: 'api.example.test' }).waitFor({ timeout: STEP_TIMEOUT });
    });
    assert.ok((await frame.locator('.wl-ladder [data-kind="message"]').count()) >= 5, 'one arrow per packet');
    assert.match(await frame.locator('.wl-ladder svg title').first().textContent() ?? '', /TLS .*203\.0\.113\.5:443/);
    await screenshot(page, shots, '02-conversation');
  });

  it('follows an event to its lesson', async () => {
    const frame = await webviewWith('body.wl-ready');
    const event = frame.locator('.wl-event-list [role="option"]', { hasText: 'retransmission' }).first();
    await step('lesson from event', async () => {
      await event.locator('.wl-lesson-chip').click();
      const lesson = await webviewWith('main.wl-lesson h1');
      await lesson.locator('h1', { hasText: LESSON.title.split(/[,:]/)[0]! }).waitFor({ timeout: STEP_TIMEOUT });
    });
    await screenshot(page, shots, '03-lesson');
    assert.equal(await page.locator('.tabs-container .tab', { hasText: LESSON.number }).count(), 1, 'the lesson panel opened');
    // The capture stays open beside it.
    assert.equal(await page.locator('.tabs-container .tab', { hasText: CAPTURE }).count(), 1);
  });

  it('makes no requests off the machine', () => {
    assert.deepEqual(session.offMachineRequests(), []);
  });
});
