// The language server over stdio, driven like an editor would: pull and push diagnostics,
// incremental edits, hover, code actions, shutdown.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { describe, it } from 'node:test';
import { LspHarness, PULL_CAPABILITIES, PUSH_CAPABILITIES, SERVER } from './harness';

const URI = 'file:///tmp/wirelens-lsp/api.ts';
const SOURCE = [
  "import axios from 'axios';",
  "import https from 'node:https';",
  '',
  'export async function users() {',
  "  const res = await fetch('https://api.example.com/users');",
  "  const other = await axios.get('https://other.example.com/x');",
  '  return [res, other];',
  '}',
  'export const agent = new https.Agent({ keepAlive: true, timeout: 4000, rejectUnauthorized: false });',
  '',
].join('\n');

type Diag = { code?: string; range: { start: { line: number; character: number } }; data?: unknown };
type Action = { title: string; isPreferred?: boolean; edit?: { changes: Record<string, Array<{ range: unknown; newText: string }>> }; command?: { command: string; arguments?: unknown[] } };

describe('language server over stdio', () => {
  it('is built', () => assert.ok(existsSync(SERVER), `${SERVER} missing: run node esbuild.mjs`));

  it('answers pull diagnostics, hover, code actions and follows incremental edits', async () => {
    const lsp = new LspHarness();
    const init = await lsp.initialize(PULL_CAPABILITIES, { lessonLinks: 'command', clientCommands: true });
    assert.equal(init.capabilities.textDocumentSync && (init.capabilities.textDocumentSync as { change: number }).change, 2, 'incremental sync');
    assert.ok(init.capabilities.diagnosticProvider, 'pull diagnostics offered');
    assert.ok(init.capabilities.hoverProvider);
    await lsp.open(URI, SOURCE);

    const report = await lsp.connection.sendRequest<{ kind: string; items: Diag[] }>('textDocument/diagnostic', { textDocument: { uri: URI } });
    assert.equal(report.kind, 'full');
    const codes = report.items.map((d) => `${d.code}@${d.range.start.line}:${d.range.start.character}`).sort();
    assert.deepEqual(codes, ['outbound-request-without-timeout@4:20', 'outbound-request-without-timeout@5:22', 'tls-certificate-validation-disabled@8:71']);
    const axiosDiag = report.items.find((d) => d.range.start.line === 5)! as Diag & { source: string; codeDescription: { href: string }; severity: number };
    assert.equal(axiosDiag.source, 'wirelens');
    assert.match(axiosDiag.codeDescription.href, /retransmission-and-timeouts/);
    assert.equal(axiosDiag.severity, 2);
    // The fixes are not in the answer (code actions take them from the current analysis): rule and lesson only.
    assert.deepEqual((axiosDiag as Diag & { data: unknown }).data, { rule: 'outbound-request-without-timeout', lesson: 'retransmission-and-timeouts' });

    const hover = await lsp.connection.sendRequest<{ contents: { kind: string; value: string } } | null>('textDocument/hover', { textDocument: { uri: URI }, position: { line: 4, character: 23 } });
    assert.ok(hover, 'hover on fetch');
    assert.equal(hover.contents.kind, 'markdown');
    assert.match(hover.contents.value, /SYN/);
    assert.match(hover.contents.value, /New connection:\*\* 3 RTT ≈ \*\*150 ms/);
    assert.match(hover.contents.value, /Reused connection:\*\* 1 RTT ≈ \*\*50 ms/);
    assert.match(hover.contents.value, /command:wirelens\.openLesson\?/);
    const none = await lsp.connection.sendRequest('textDocument/hover', { textDocument: { uri: URI }, position: { line: 6, character: 4 } });
    assert.equal(none, null, 'no hover away from calls');

    const actions = await lsp.connection.sendRequest<Action[]>('textDocument/codeAction', {
      textDocument: { uri: URI },
      range: axiosDiag.range,
      context: { diagnostics: [axiosDiag] },
    });
    const titles = actions.map((a) => a.title);
    assert.ok(titles.includes('Add `timeout: 10_000`'), titles.join(' | '));
    assert.ok(titles.some((t) => t.startsWith('Open lesson')));
    assert.ok(titles.includes('Disable outbound-request-without-timeout for this line'));
    assert.ok(titles.includes('Disable outbound-request-without-timeout in this file'));
    // A client that drops `data` gets the same fixes: they come from the analysis, not the diagnostic.
    const withoutData = await lsp.connection.sendRequest<Action[]>('textDocument/codeAction', {
      textDocument: { uri: URI },
      range: axiosDiag.range,
      context: { diagnostics: [{ ...axiosDiag, data: undefined }] },
    });
    assert.deepEqual(withoutData.map((a) => a.title), titles);
    const fix = actions.find((a) => a.isPreferred)!;
    const [edit] = fix.edit!.changes[URI];
    assert.equal(edit.newText, ', { timeout: 10_000 }');

    // Apply the fix as an incremental edit: the finding goes away.
    await lsp.connection.sendNotification('textDocument/didChange', { textDocument: { uri: URI, version: 2 }, contentChanges: [{ range: edit.range, text: edit.newText }] });
    const after = await lsp.connection.sendRequest<{ items: Diag[] }>('textDocument/diagnostic', { textDocument: { uri: URI } });
    assert.deepEqual(after.items.map((d) => d.code).sort(), ['outbound-request-without-timeout', 'tls-certificate-validation-disabled']);
    assert.ok(!after.items.some((d) => d.range.start.line === 5));

    // Typing a new call in an incremental edit is seen.
    await lsp.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri: URI, version: 3 },
      contentChanges: [{ range: { start: { line: 9, character: 0 }, end: { line: 9, character: 0 } }, text: "axios.post('https://x.example.com/y', {});\n" }],
    });
    const third = await lsp.connection.sendRequest<{ items: Diag[] }>('textDocument/diagnostic', { textDocument: { uri: URI } });
    assert.ok(third.items.some((d) => d.range.start.line === 9 && d.code === 'outbound-request-without-timeout'));

    assert.equal(await lsp.stop(), 0);
    assert.equal(lsp.stderr, '');
  });

  it('pushes diagnostics to clients without pull support, and clears them on close', async () => {
    const lsp = new LspHarness();
    const init = await lsp.initialize(PUSH_CAPABILITIES);
    assert.equal(init.capabilities.diagnosticProvider, undefined);
    await lsp.open(URI, SOURCE);
    const first = await lsp.nextDiagnostics(URI, (p) => p.diagnostics.length > 0);
    assert.equal(first.diagnostics.length, 3);
    // Hover links go to the lesson file for editors without VS Code's command links.
    const hover = await lsp.connection.sendRequest<{ contents: { value: string } }>('textDocument/hover', { textDocument: { uri: URI }, position: { line: 5, character: 25 } });
    assert.match(hover.contents.value, /file:\/\/.*media\/lessons\/.*\.md/);
    await lsp.connection.sendNotification('textDocument/didClose', { textDocument: { uri: URI } });
    const cleared = await lsp.nextDiagnostics(URI, (p) => p.diagnostics.length === 0);
    assert.equal(cleared.diagnostics.length, 0);
    assert.equal(await lsp.stop(), 0);
  });

  it('honours rule settings and suppression comments', async () => {
    const lsp = new LspHarness(['--stdio'], { rules: { 'tls-certificate-validation-disabled': 'off', 'outbound-request-without-timeout': 'error' } });
    await lsp.initialize(PULL_CAPABILITIES);
    const text = SOURCE.replace("  const other", '  // wirelens-disable-next-line outbound-request-without-timeout\n  const other');
    await lsp.open(URI, text);
    const report = await lsp.connection.sendRequest<{ items: Array<Diag & { severity: number }> }>('textDocument/diagnostic', { textDocument: { uri: URI } });
    assert.deepEqual(report.items.map((d) => [d.code, d.severity, d.range.start.line]), [['outbound-request-without-timeout', 1, 4]]);
    assert.equal(await lsp.stop(), 0);
  });
});
