// @ts-check
// Inside VS Code's extension host: the language status item says when the file in front is not
// analysed (over wirelens.maxFileBytes, or too deeply nested to parse), and when the language server
// crashed and was restarted (with the output channel one click away); after five crashes in three
// minutes the client stops restarting it and the item says that too. Crashes are real: the server
// process (a child of this extension host) is killed with SIGKILL, as the OOM killer would.
'use strict';
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const vscode = require('vscode');
const { childProcesses } = require('../../e2e/exthost/childProcesses');

const ROOT = path.resolve(__dirname, '..', '..', '..');
const manifest = require(path.join(ROOT, 'package.json'));
const EXTENSION_ID = `${manifest.publisher}.${manifest.name}`;
const SERVER_SCRIPT = path.join(ROOT, 'dist', 'server.js');
const CALL = "const axios = require('axios');\nexports.load = () => axios.get('https://api.example.com/users');\n";

/** Our language server processes: children of this extension host running dist/server.js. */
function serverPids() {
  return childProcesses().filter((child) => child.argv.includes(SERVER_SCRIPT)).map((child) => child.pid);
}

/**
 * Resolves once the status item satisfies `predicate`, checking now and on each change.
 * @param {any} api
 * @param {(s: any) => boolean} predicate
 * @param {string} what
 */
function waitForStatus(api, predicate, what, timeoutMs = 60_000) {
  return new Promise((resolve, reject) => {
    /** @type {vscode.Disposable | undefined} */
    let sub;
    const timer = setTimeout(() => {
      sub?.dispose();
      reject(new Error(`status never showed ${what}; now: ${JSON.stringify(api.status())}`));
    }, timeoutMs);
    const check = () => {
      const s = api.status();
      if (!predicate(s)) return false;
      clearTimeout(timer);
      sub?.dispose();
      resolve(s);
      return true;
    };
    if (!check()) sub = api.onDidChangeStatus(check);
  });
}

describe('Wirelens status item and server restarts', () => {
  /** @type {any} */
  let api;
  /** @type {vscode.Uri} */
  let folder;

  /** @param {string} name @param {string} text */
  async function show(name, text) {
    const uri = vscode.Uri.joinPath(folder, name);
    fs.writeFileSync(uri.fsPath, text);
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    return doc;
  }

  before(async () => {
    const ws = vscode.workspace.workspaceFolders?.[0];
    assert.ok(ws, 'a workspace is open');
    folder = ws.uri;
    await vscode.workspace.getConfiguration('wirelens').update('maxFileBytes', 4000, vscode.ConfigurationTarget.Workspace);
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension);
    api = await extension.activate();
    await show('small.js', CALL);
    await api.ready;
  });

  it('says it is running, and links to the output channel', async () => {
    const s = await waitForStatus(api, (x) => x.text === '$(pulse) Wirelens', 'running');
    assert.equal(s.severity, 'information');
    assert.equal(s.command, 'wirelens.showOutput');
    await vscode.commands.executeCommand('wirelens.showOutput');
  });

  it('says when the file in front is over wirelens.maxFileBytes, and stops saying it for other files', async () => {
    await show('big.js', `${CALL}// ${'x'.repeat(5000)}\n`);
    const s = await waitForStatus(api, (x) => /not analysed/.test(x.text), 'a skipped file');
    assert.equal(s.severity, 'warning');
    assert.match(s.detail, /larger than wirelens\.maxFileBytes \(4000 bytes\)/);
    await show('small.js', CALL);
    await waitForStatus(api, (x) => x.text === '$(pulse) Wirelens', 'running again for the small file');
  });

  it('says when the file in front is too deeply nested to parse', async () => {
    // Room for 5 kB of brackets, 2,500 levels: more than the parser's stack allows, within the size limit.
    await vscode.workspace.getConfiguration('wirelens').update('maxFileBytes', 6000, vscode.ConfigurationTarget.Workspace);
    await show('deep.js', `${CALL}exports.deep = ${'['.repeat(2_500)}${']'.repeat(2_500)};\n`);
    const s = await waitForStatus(api, (x) => /could not be analysed/.test(x.detail ?? ''), 'a file that failed to parse');
    assert.match(s.detail, /nested too deeply for the parser/);
    await show('small.js', CALL);
    await waitForStatus(api, (x) => x.text === '$(pulse) Wirelens', 'running again');
  });

  it('restarts a crashed server and says so, with the output one click away', async () => {
    const [pid, ...others] = serverPids();
    assert.ok(pid, 'the language server runs as a child of the extension host');
    assert.deepEqual(others, []);
    process.kill(pid, 'SIGKILL');
    const s = await waitForStatus(api, (x) => x.restarts === 1 && /restarted ×1/.test(x.text), 'a restart');
    assert.equal(s.severity, 'warning');
    assert.match(s.detail, /stopped unexpectedly and was restarted once; see the output/);
    assert.equal(s.command, 'wirelens.showOutput');
    const [again] = serverPids();
    assert.ok(again && again !== pid, 'a new server process');
    // The new server analyses: a hover over the call.
    const doc = await show('small.js', CALL);
    /** @type {vscode.Hover[]} */
    const hovers = await vscode.commands.executeCommand('vscode.executeHoverProvider', doc.uri, doc.positionAt(CALL.indexOf('axios.get') + 2));
    const text = hovers.flatMap((h) => h.contents).map((c) => (typeof c === 'string' ? c : c.value)).join('\n');
    assert.match(text, /SYN/, 'the restarted server answers hovers');
  });

  it('stops restarting after five crashes in three minutes, and says so', async () => {
    // Crashes 2 to 4 are restarted; the fifth is not (client/src/restartPolicy.ts).
    for (let crash = 2; crash <= 5; crash++) {
      const [pid] = serverPids();
      assert.ok(pid, `a server to crash (crash ${crash})`);
      process.kill(pid, 'SIGKILL');
      if (crash < 5) await waitForStatus(api, (x) => x.restarts === crash && /restarted ×/.test(x.text), `restart ${crash}`);
    }
    const s = await waitForStatus(api, (x) => x.text === '$(error) Wirelens stopped', 'the server given up');
    assert.equal(s.severity, 'error');
    assert.equal(s.crashes, 5);
    assert.equal(s.restarts, 4);
    assert.match(s.detail, /stopped unexpectedly 5 times and is no longer restarted; see the output/);
    assert.deepEqual(serverPids(), [], 'no server process left');
  });

  after(async () => {
    await vscode.workspace.getConfiguration('wirelens').update('maxFileBytes', undefined, vscode.ConfigurationTarget.Workspace);
  });
});
