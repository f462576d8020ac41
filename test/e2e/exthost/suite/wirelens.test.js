// @ts-check
// Runs inside the VS Code extension host (mocha, bdd), against the `vscode` API: the extension
// activates, its language server's diagnostics, hover and code actions reach VS Code, and the
// preferred quick fix removes its diagnostic. The workspace is a copy of test/e2e/fixtures/workspace.
'use strict';
const assert = require('node:assert/strict');
const path = require('node:path');
const os = require('node:os');
const vscode = require('vscode');
const { childProcesses } = require('../childProcesses');

const ROOT = path.resolve(__dirname, '..', '..', '..', '..');
const manifest = require(path.join(ROOT, 'package.json'));
const EXTENSION_ID = `${manifest.publisher}.${manifest.name}`;
const FILE = 'orders.js';
const TIMEOUT_RULE = 'outbound-request-without-timeout';
const TLS_RULE = 'tls-certificate-validation-disabled';

/** @param {vscode.Diagnostic} d */
function codeOf(d) {
  return typeof d.code === 'object' && d.code !== null ? String(d.code.value) : String(d.code);
}

/** @param {vscode.Uri} uri */
function ourDiagnostics(uri) {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'wirelens');
}

/** @param {readonly vscode.Diagnostic[]} ds */
function describeDiagnostics(ds) {
  return ds.map((d) => `${codeOf(d)}@${d.range.start.line + 1}:${d.range.start.character + 1}`).join(', ') || '(none)';
}

/**
 * Resolves with our diagnostics for `uri` once `predicate` holds, checking now and on every change
 * event for that document; rejects after `timeoutMs` with what was there.
 * @param {vscode.Uri} uri
 * @param {(ds: vscode.Diagnostic[]) => boolean} predicate
 * @returns {Promise<vscode.Diagnostic[]>}
 */
function waitForDiagnostics(uri, predicate, timeoutMs = 30_000) {
  return new Promise((resolve, reject) => {
    const check = () => {
      const ds = ourDiagnostics(uri);
      if (!predicate(ds)) return;
      clearTimeout(timer);
      sub.dispose();
      resolve(ds);
    };
    const sub = vscode.languages.onDidChangeDiagnostics((e) => {
      if (e.uris.some((u) => u.toString() === uri.toString())) check();
    });
    const timer = setTimeout(() => {
      sub.dispose();
      reject(new Error(`diagnostics did not reach the expected state in ${timeoutMs} ms; now: ${describeDiagnostics(ourDiagnostics(uri))}`));
    }, timeoutMs);
    check();
  });
}

/**
 * The quick fixes among code actions (commands and refactorings left out).
 * @param {Array<vscode.CodeAction | vscode.Command>} actions
 * @returns {vscode.CodeAction[]}
 */
function quickFixesOf(actions) {
  return /** @type {vscode.CodeAction[]} */ (actions).filter((a) => a.kind && (a.kind.value === 'quickfix' || a.kind.value.startsWith('quickfix.')));
}

/** @param {vscode.MarkdownString | vscode.MarkedString} content */
function markdownText(content) {
  if (typeof content === 'string') return content;
  return content.value;
}

/**
 * Markdown source as read: backslash escapes removed (`SYN\\-ACK` is shown as `SYN-ACK`).
 * @param {string} text
 */
function unescapeMarkdown(text) {
  return text.replace(/\\([\\`*_{}[\]()#+\-.!<>|~])/g, '$1');
}

describe('Wirelens in the extension host', function () {
  this.timeout(60_000);
  /** @type {vscode.TextDocument} */
  let doc;
  /** @type {(text: string, offsetInText?: number) => vscode.Position} */
  let positionOf;

  before(async () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'the tests run with the sample workspace open');
    doc = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder.uri, FILE));
    await vscode.window.showTextDocument(doc);
    positionOf = (text, offsetInText = 0) => {
      const index = doc.getText().indexOf(text);
      assert.ok(index >= 0, `${text} not found in ${FILE}`);
      return doc.positionAt(index + offsetInText);
    };
  });

  after(async () => {
    // Leave no unsaved edit behind (VS Code desktop would otherwise hold the window open on exit).
    if (doc?.isDirty) await vscode.commands.executeCommand('workbench.action.files.revert');
  });

  it('activates for a JavaScript file and starts its language server', async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is loaded`);
    const api = await extension.activate();
    assert.ok(extension.isActive);
    assert.ok(api && typeof api.ready?.then === 'function', 'activate() returns { ready: Promise }');
    await api.ready;
    // The client starts the server with V8's inlining budget and worker pool on its command line
    // (server/src/lsp/runtimeTuning.ts); the command lines are readable on Linux.
    if (process.platform === 'linux') {
      const serverModule = path.join(extension.extensionPath, 'dist', 'server.js');
      const servers = childProcesses().map((child) => child.argv).filter((argv) => argv.includes(serverModule));
      assert.equal(servers.length, 1, `one server process: ${JSON.stringify(servers)}`);
      assert.ok(servers[0].some((arg) => /^--max-inlined-bytecode-size-cumulative=\d+$/.test(arg)) && servers[0].indexOf(serverModule) > 0, `the budget comes before the module: ${servers[0].join(' ')}`);
      // And V8's worker pool: half the cores, at least one, at most four.
      const workers = Math.max(1, Math.min(4, Math.floor((os.availableParallelism?.() ?? os.cpus().length) / 2)));
      const pool = servers[0].indexOf(`--v8-pool-size=${workers}`);
      assert.ok(pool > 0 && pool < servers[0].indexOf(serverModule), `--v8-pool-size=${workers} comes before the module: ${servers[0].join(' ')}`);
    }
  });

  it(`reports ${TIMEOUT_RULE} on axios.get without a timeout`, async () => {
    const axiosLine = positionOf('axios.get(url)').line;
    const ds = await waitForDiagnostics(doc.uri, (all) => all.some((d) => codeOf(d) === TIMEOUT_RULE && d.range.start.line === axiosLine));
    const d = ds.find((x) => codeOf(x) === TIMEOUT_RULE && x.range.start.line === axiosLine);
    assert.ok(d);
    assert.deepEqual(d.range.start, positionOf('axios.get(url)'), 'the diagnostic starts at the callee');
    assert.notEqual(d.severity, vscode.DiagnosticSeverity.Hint, 'listed in the Problems panel (hints are not)');
    assert.match(d.message, /timeout/);
    assert.ok(typeof d.code === 'object' && d.code.target instanceof vscode.Uri, 'the code links to its lesson (codeDescription.href)');
    // The other two findings of the file are there too.
    assert.ok(ds.some((x) => codeOf(x) === TIMEOUT_RULE && x.range.start.line === positionOf("fetch('https").line), describeDiagnostics(ds));
    assert.ok(ds.some((x) => codeOf(x) === TLS_RULE && x.range.start.line === positionOf('rejectUnauthorized: false').line), describeDiagnostics(ds));
  });

  it('explains the wire when hovering fetch, with a trusted lesson link', async () => {
    /** @type {vscode.Hover[]} */
    const hovers = await vscode.commands.executeCommand('vscode.executeHoverProvider', doc.uri, positionOf("fetch('https", 2));
    const contents = hovers.flatMap((h) => h.contents);
    const ours = contents.find((c) => /SYN/.test(markdownText(c)));
    assert.ok(ours, `a hover with the packets; got:\n${contents.map(markdownText).join('\n---\n')}`);
    const text = unescapeMarkdown(markdownText(ours));
    assert.match(text, /SYN-ACK/);
    assert.match(text, /round trip|RTT/i);
    assert.match(text, /\b150 ms\b/, 'a cold HTTPS connection costs 3 round trips = 150 ms at the default 50 ms RTT');
    assert.match(text, /\]\(command:wirelens\.openLesson\?/, 'an "Open lesson" command link');
    assert.ok(typeof ours !== 'string', 'a MarkdownString');
    const trust = ours.isTrusted;
    assert.ok(trust === true || (typeof trust === 'object' && trust.enabledCommands.includes('wirelens.openLesson')), 'the lesson command is trusted');
  });

  it('offers the preferred quick fix for the axios call', async () => {
    const diagnostic = ourDiagnostics(doc.uri).find((d) => codeOf(d) === TIMEOUT_RULE && d.range.start.line === positionOf('axios.get(url)').line);
    assert.ok(diagnostic);
    /** @type {Array<vscode.CodeAction | vscode.Command>} */
    const actions = await vscode.commands.executeCommand('vscode.executeCodeActionProvider', doc.uri, diagnostic.range);
    // The API's CodeActions do not carry their diagnostics back, so select by kind: quick fixes
    // (the TypeScript extension adds refactorings here too, some of them preferred).
    const quickFixes = quickFixesOf(actions);
    const titles = quickFixes.map((a) => a.title);
    const preferred = quickFixes.filter((a) => a.isPreferred);
    assert.equal(preferred.length, 1, `exactly one preferred quick fix among: ${titles.join(' | ')}`);
    assert.ok(preferred[0].edit, 'the fix is an edit, not a command');
    assert.match(preferred[0].title, /timeout/);
    assert.ok(titles.some((t) => /^Open lesson/.test(t)), titles.join(' | '));
    assert.ok(titles.some((t) => t === `Disable ${TIMEOUT_RULE} for this line`), titles.join(' | '));
  });

  it('applying the preferred fix adds a timeout and removes the diagnostic', async () => {
    const axiosLine = positionOf('axios.get(url)').line;
    const diagnostic = ourDiagnostics(doc.uri).find((d) => codeOf(d) === TIMEOUT_RULE && d.range.start.line === axiosLine);
    assert.ok(diagnostic);
    /** @type {vscode.CodeAction[]} */
    const actions = await vscode.commands.executeCommand('vscode.executeCodeActionProvider', doc.uri, diagnostic.range);
    const fix = quickFixesOf(actions).find((a) => a.isPreferred);
    assert.ok(fix?.edit, 'the preferred fix carries its edit');
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    assert.match(doc.lineAt(axiosLine).text, /axios\.get\(url, \{ timeout: 10_000 \}\)/);
    // Re-analysed, not just cleared: the axios finding is gone while the fetch finding stays.
    const fetchLine = positionOf("fetch('https").line;
    await waitForDiagnostics(
      doc.uri,
      (all) => !all.some((d) => codeOf(d) === TIMEOUT_RULE && d.range.start.line === axiosLine) && all.some((d) => codeOf(d) === TIMEOUT_RULE && d.range.start.line === fetchLine),
    );
  });
});
