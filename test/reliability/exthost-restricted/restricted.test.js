// @ts-check
// Inside VS Code's extension host, in Restricted Mode (workspace trust on, this folder not trusted).
// The workspace is hostile (written by test/reliability/untrusted-workspace.test.ts): its
// .vscode/settings.json points lesson links at another site and raises wirelens.maxFileBytes to
// 1 TB, its node_modules hold modules named like the ones we use that leave a mark when loaded, and
// one file calls hosts made of Markdown, HTML and command links. Wirelens must run (analysis is
// safe untrusted), take the restricted settings from user settings only, apply the harmless ones,
// load nothing from the workspace, and keep hover links to its own command.
'use strict';
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const vscode = require('vscode');

const ROOT = path.resolve(__dirname, '..', '..', '..');
const manifest = require(path.join(ROOT, 'package.json'));
const EXTENSION_ID = `${manifest.publisher}.${manifest.name}`;
const USER_LESSONS_URL = 'https://user.example/lessons/';
const WORKSPACE_LESSONS_URL = 'https://evil.example/phish/';
const CALL = "const axios = require('axios');\nexports.load = () => axios.get('https://api.example.com/users');\n";
/** @type {Record<string, unknown>} */
const notes = /** @type {any} */ (globalThis).__wirelensNotes ?? {};

/**
 * Resolves once `read()` returns something truthy, checking now and whenever `event` fires.
 * @template T
 * @param {vscode.Event<any>} event
 * @param {() => T | undefined} read
 * @param {string} what
 * @returns {Promise<T>}
 */
function when(event, read, what, timeoutMs = 60_000) {
  return new Promise((resolve, reject) => {
    /** @type {vscode.Disposable | undefined} */
    let sub;
    const timer = setTimeout(() => {
      sub?.dispose();
      reject(new Error(`timed out waiting for ${what}`));
    }, timeoutMs);
    const check = () => {
      const value = read();
      if (!value) return false;
      clearTimeout(timer);
      sub?.dispose();
      resolve(value);
      return true;
    };
    if (!check()) sub = event(check);
  });
}

/** @param {vscode.Hover[]} hovers */
const markdownOf = (hovers) => hovers.flatMap((h) => h.contents).filter((c) => typeof c !== 'string' && 'value' in c);

describe('Wirelens in Restricted Mode (an untrusted, hostile workspace)', () => {
  /** @type {any} */
  let api;
  /** @type {vscode.Uri} */
  let folder;

  /** @param {string} name */
  async function show(name) {
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder, name));
    await vscode.window.showTextDocument(doc);
    return doc;
  }

  before(async () => {
    const ws = vscode.workspace.workspaceFolders?.[0];
    assert.ok(ws, 'a workspace is open');
    folder = ws.uri;
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension);
    api = await extension.activate();
    await show('client.js');
    await api.ready;
  });

  it('the workspace is untrusted, and Wirelens runs in it', async () => {
    assert.equal(vscode.workspace.isTrusted, false, 'code-server opened the folder in Restricted Mode');
    assert.equal(vscode.extensions.getExtension(EXTENSION_ID)?.isActive, true);
  });

  it('VS Code itself hides the workspace values of restricted settings (restrictedConfigurations)', () => {
    const config = vscode.workspace.getConfiguration('wirelens', folder);
    const inspected = config.inspect('lessonsBaseUrl');
    notes.lessonsBaseUrlInspect = inspected;
    notes.maxFileBytesInspect = config.inspect('maxFileBytes');
    assert.equal(config.get('lessonsBaseUrl'), USER_LESSONS_URL);
    assert.equal(config.get('maxFileBytes'), 1_000_000);
    assert.equal(config.get('rttMs'), 123, 'an unrestricted workspace setting applies');
  });

  it('diagnostics link to the lesson site from user settings, never the workspace\'s', async () => {
    const doc = await show('client.js');
    const diagnostics = await when(vscode.languages.onDidChangeDiagnostics, () => {
      const mine = vscode.languages.getDiagnostics(doc.uri).filter((d) => d.source === 'wirelens' || /wirelens/i.test(String(d.source)));
      return mine.length > 0 ? mine : undefined;
    }, 'Wirelens diagnostics on client.js');
    const targets = diagnostics.map((d) => (typeof d.code === 'object' && d.code ? d.code.target.toString(true) : ''));
    notes.diagnosticTargets = targets;
    for (const target of targets) {
      assert.ok(target.startsWith(USER_LESSONS_URL), `links to the user's site: ${target}`);
      assert.ok(!target.includes('evil.example'), target);
    }
  });

  it('harmless workspace settings still apply: hovers cost at the workspace\'s RTT', async () => {
    const doc = await show('client.js');
    /** @type {vscode.Hover[]} */
    const hovers = await vscode.commands.executeCommand('vscode.executeHoverProvider', doc.uri, doc.positionAt(CALL.indexOf('axios.get') + 2));
    const text = markdownOf(hovers).map((m) => /** @type {vscode.MarkdownString} */ (m).value).join('\n');
    assert.match(text, /at 123 ms RTT/);
  });

  it('a file over the default size limit is not analysed, whatever the workspace sets', async () => {
    await show('big.js');
    const s = await when(api.onDidChangeStatus, () => {
      const now = api.status();
      return /not analysed/.test(now.text) ? now : undefined;
    }, 'big.js reported as not analysed');
    assert.match(s.detail, /larger than wirelens\.maxFileBytes \(1000000 bytes\)/);
    assert.equal(vscode.languages.getDiagnostics(vscode.Uri.joinPath(folder, 'big.js')).filter((d) => /wirelens/i.test(String(d.source))).length, 0);
    await show('client.js');
  });

  it('hovers over hostile string literals: our hover trusts only our own command, and the hostile links are text', async () => {
    const doc = await show('hostile.js');
    const text = doc.getText();
    const offsets = [...text.matchAll(/axios\.get|fetch\(/g)].map((m) => (m.index ?? 0) + 2);
    assert.ok(offsets.length >= 3);
    for (const offset of offsets) {
      /** @type {vscode.Hover[]} */
      const hovers = await vscode.commands.executeCommand('vscode.executeHoverProvider', doc.uri, doc.positionAt(offset));
      const ours = /** @type {vscode.MarkdownString[]} */ (markdownOf(hovers)).filter((m) => /RTT/.test(m.value));
      assert.equal(ours.length, 1, `one Wirelens hover at ${doc.positionAt(offset).line + 1}`);
      const md = ours[0];
      assert.deepEqual(md.isTrusted, { enabledCommands: ['wirelens.openLesson'] }, 'only our command is trusted (never `true`)');
      assert.ok(!md.supportHtml, 'no HTML in hovers');
      // Every live command link (an unescaped `command:` scheme inside a link target) is ours.
      const commandLinks = [...md.value.matchAll(/\]\((command:[^)\s]*)/g)].map((m) => m[1]);
      assert.ok(commandLinks.length >= 1, 'the lesson link is there');
      for (const link of commandLinks) assert.match(link, /^command:wirelens\.openLesson\?/, link);
      assert.doesNotMatch(md.value, /(?<!\\)javascript:/, 'no live javascript: link');
      assert.doesNotMatch(md.value, /<(script|img|a)\b/i, 'no raw HTML');
    }
  });

  it('nothing from the workspace was loaded or run', () => {
    const marks = fs.readdirSync(folder.fsPath).filter((f) => f.startsWith('PWNED-'));
    assert.deepEqual(marks, []);
  });
});
