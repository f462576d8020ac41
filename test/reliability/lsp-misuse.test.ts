// The language server driven badly, over stdio: positions outside the document or not integers,
// documents never opened, versions out of order, malformed parameters and JSON-RPC garbage, requests
// after shutdown, floods of cancellations, and a thousand documents opened and closed. Every request
// gets a correct answer or a proper LSP error, the server never dies, and its memory comes back.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { CancellationTokenSource } from 'vscode-jsonrpc/node';
import { sourceSeeds } from './fuzz/corpus';
import { PULL, PUSH, positionOf, StdioServer } from './support/lspServer';

const URI = 'file:///tmp/wirelens-misuse/api.ts';
const SOURCE = ["import axios from 'axios';", '', 'export async function load() {', "  return axios.get('https://api.example.com/users');", '}', ''].join('\n');
const CALL = positionOf(SOURCE, 'axios.get', 2);

/** JSON-RPC error codes (LSP spec). */
const INVALID_PARAMS = -32602;
const INVALID_REQUEST = -32600;
const METHOD_NOT_FOUND = -32601;
const REQUEST_CANCELLED = -32800;

async function rejectsWith(promise: Promise<unknown>, code: number, message?: RegExp): Promise<void> {
  await assert.rejects(promise, (err: { code?: number; message?: string }) => {
    assert.equal(err.code, code, `error code of: ${err.message}`);
    if (message) assert.match(err.message ?? '', message);
    return true;
  });
}

async function alive(server: StdioServer): Promise<void> {
  const hover = await server.hover(URI, CALL.line, CALL.character);
  // (API names are Markdown-escaped: `axios\.get`)
  assert.ok(hover && hover.contents.value.startsWith('**axios\\.get**'), `the server still answers a hover on the call: ${JSON.stringify(hover)}`);
}

/** How the server exited, or 'still running' after `ms` (then the caller's finally kills it). */
function exitWithin(server: StdioServer, ms: number): Promise<{ code: number | null; signal: NodeJS.Signals | null } | 'still running'> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<'still running'>((resolve) => (timer = setTimeout(() => resolve('still running'), ms)));
  return Promise.race([server.exited, deadline]).finally(() => clearTimeout(timer));
}

describe('LSP misuse over stdio', () => {
  it('answers positions past the end with clamping, and rejects negative or fractional ones with InvalidParams', async () => {
    const server = new StdioServer();
    try {
      await server.initialize(PULL);
      await server.open(URI, SOURCE);
      assert.equal(await server.hover(URI, 10_000, 0), null, 'a line past the end is the end of the document: no call there');
      const clamped = await server.hover(URI, CALL.line, 10_000);
      assert.equal(clamped, null, 'a character past the end of the line is the end of that line (after the call)');
      await rejectsWith(server.hover(URI, -1, 0), INVALID_PARAMS, /unsigned integer/);
      await rejectsWith(server.hover(URI, 0, -3), INVALID_PARAMS);
      await rejectsWith(server.hover(URI, 1.5, 2), INVALID_PARAMS);
      await rejectsWith(server.connection.sendRequest('textDocument/hover', { textDocument: { uri: URI }, position: { line: '3', character: 4 } }), INVALID_PARAMS);
      await rejectsWith(server.connection.sendRequest('textDocument/hover', { textDocument: { uri: URI } }), INVALID_PARAMS);
      await rejectsWith(
        server.connection.sendRequest('textDocument/codeAction', { textDocument: { uri: URI }, range: { start: { line: -1, character: 0 }, end: { line: 0, character: 0 } }, context: { diagnostics: [] } }),
        INVALID_PARAMS,
      );
      // A range beyond the document is fine (clamped): no actions, no error.
      const far = await server.connection.sendRequest('textDocument/codeAction', { textDocument: { uri: URI }, range: { start: { line: 500, character: 0 }, end: { line: 900, character: 9 } }, context: { diagnostics: [] } });
      assert.deepEqual(far, []);
      await alive(server);
      assert.equal((await server.stop()).code, 0);
      assert.equal(server.stderr, '');
    } finally {
      server.kill();
    }
  });

  it('answers requests about documents that were never opened with empty results', async () => {
    const server = new StdioServer();
    try {
      await server.initialize(PULL);
      await server.open(URI, SOURCE);
      const unknown = 'file:///never/opened.ts';
      assert.equal(await server.hover(unknown, 0, 0), null);
      assert.deepEqual(await server.diagnostics(unknown), { kind: 'full', items: [] });
      assert.deepEqual(await server.connection.sendRequest('textDocument/codeAction', { textDocument: { uri: unknown }, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } }, context: { diagnostics: [] } }), []);
      assert.deepEqual(await server.connection.sendRequest('wirelens/fileLessons', { textDocument: { uri: unknown } }), []);
      // Notifications about unknown documents are ignored.
      await server.connection.sendNotification('textDocument/didChange', { textDocument: { uri: unknown, version: 2 }, contentChanges: [{ text: 'fetch(x)' }] });
      await server.connection.sendNotification('textDocument/didClose', { textDocument: { uri: unknown } });
      // A document closed twice, and one reopened after closing, behave.
      await server.close(URI);
      await server.close(URI);
      assert.equal(await server.hover(URI, CALL.line, CALL.character), null, 'closed: nothing to hover');
      await server.open(URI, SOURCE);
      await alive(server);
      assert.equal((await server.stop()).code, 0);
    } finally {
      server.kill();
    }
  });

  it('ignores changes with stale versions and keeps the newest text', async () => {
    const server = new StdioServer();
    try {
      await server.initialize(PULL);
      await server.open(URI, SOURCE, 1);
      const line = { start: { line: 5, character: 0 }, end: { line: 5, character: 0 } };
      await server.connection.sendNotification('textDocument/didChange', { textDocument: { uri: URI, version: 5 }, contentChanges: [{ range: line, text: "fetch('https://five.example.com/');\n" }] });
      // Late and duplicate versions (a confused client): ignored rather than applied out of order.
      await server.connection.sendNotification('textDocument/didChange', { textDocument: { uri: URI, version: 3 }, contentChanges: [{ text: 'stale text' }] });
      await server.connection.sendNotification('textDocument/didChange', { textDocument: { uri: URI, version: 5 }, contentChanges: [{ text: 'duplicate version' }] });
      await server.connection.sendNotification('textDocument/didChange', { textDocument: { uri: URI, version: 6 }, contentChanges: [{ range: { start: { line: 6, character: 0 }, end: { line: 6, character: 0 } }, text: "fetch('https://six.example.com/');\n" }] });
      const report = await server.diagnostics(URI);
      const lines = report.items.filter((d) => d.code === 'outbound-request-without-timeout').map((d) => d.range.start.line).sort();
      assert.deepEqual(lines, [3, 5, 6], 'the findings of versions 1, 5 and 6, nothing of the stale versions');
      // Edits with ranges outside the document are clamped like positions, not applied elsewhere.
      await server.connection.sendNotification('textDocument/didChange', { textDocument: { uri: URI, version: 7 }, contentChanges: [{ range: { start: { line: 900, character: 0 }, end: { line: 901, character: 0 } }, text: '\n// appended\n' }] });
      const after = await server.diagnostics(URI);
      assert.equal(after.items.filter((d) => d.code === 'outbound-request-without-timeout').length, 3);
      // A range given end first is the same range: line 6 (version 6's fetch) goes, in the text analysed too.
      await server.connection.sendNotification('textDocument/didChange', { textDocument: { uri: URI, version: 8 }, contentChanges: [{ range: { start: { line: 7, character: 0 }, end: { line: 6, character: 0 } }, text: '' }] });
      const reversed = await server.diagnostics(URI);
      assert.deepEqual(reversed.items.filter((d) => d.code === 'outbound-request-without-timeout').map((d) => d.range.start.line).sort(), [3, 5]);
      await alive(server);
      assert.equal((await server.stop()).code, 0);
    } finally {
      server.kill();
    }
  });

  it('rejects malformed parameters and unknown methods with proper errors, and survives JSON-RPC garbage', async () => {
    const server = new StdioServer();
    try {
      await server.initialize(PULL);
      await server.open(URI, SOURCE);
      await rejectsWith(server.connection.sendRequest('textDocument/hover', {}), INVALID_PARAMS, /textDocument\.uri/);
      await rejectsWith(server.connection.sendRequest('textDocument/diagnostic', { textDocument: { uri: 42 } }), INVALID_PARAMS);
      await rejectsWith(server.connection.sendRequest('textDocument/codeAction', { textDocument: { uri: URI }, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } }), INVALID_PARAMS, /context/);
      await rejectsWith(server.connection.sendRequest('wirelens/fileLessons', null), INVALID_PARAMS);
      await rejectsWith(server.connection.sendRequest('workspace/executeCommand', { command: 'wirelens.openLesson', arguments: ['../../../../etc/passwd'] }), INVALID_PARAMS, /unknown lesson/);
      await rejectsWith(server.connection.sendRequest('workspace/executeCommand', { command: 'rm -rf /', arguments: [] }), INVALID_PARAMS, /unknown command/);
      await rejectsWith(server.connection.sendRequest('wirelens/noSuchRequest', {}), METHOD_NOT_FOUND);
      // Test-only hooks do not exist unless the test environment switches them on.
      await rejectsWith(server.connection.sendRequest('wirelens/memoryForTest', {}), METHOD_NOT_FOUND);
      await server.connection.sendNotification('wirelens/crashForTest', {});
      // Malformed notifications: dropped.
      await server.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: 'file:///x.ts', languageId: 'typescript', version: 1, text: 42 } });
      await server.connection.sendNotification('textDocument/didOpen', {});
      await server.connection.sendNotification('textDocument/didChange', { textDocument: { uri: URI, version: 99 }, contentChanges: [{ range: { start: { line: 0 } }, text: 5 }] });
      // Raw garbage on the wire: a body that is not JSON, a JSON object that is no message.
      server.process.stdin.write('Content-Length: 5\r\n\r\nhello');
      server.process.stdin.write('Content-Length: 2\r\n\r\n{}');
      server.process.stdin.write('Content-Length: 44\r\n\r\n{"jsonrpc":"2.0","id":"x","method":"nope/x"}');
      await server.close(URI);
      await server.open(URI, SOURCE, 1);
      await alive(server);
      assert.equal((await server.stop()).code, 0);
    } finally {
      server.kill();
    }
  });

  it('answers requests after shutdown with InvalidRequest, and exits 0 on exit (1 without shutdown)', async () => {
    const server = new StdioServer();
    try {
      await server.initialize(PUSH);
      await server.open(URI, SOURCE);
      await alive(server);
      await server.connection.sendRequest('shutdown');
      await rejectsWith(server.hover(URI, CALL.line, CALL.character), INVALID_REQUEST, /shutting down/);
      await rejectsWith(server.connection.sendRequest('wirelens/fileLessons', { textDocument: { uri: URI } }), INVALID_REQUEST);
      await server.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: 'file:///late.ts', languageId: 'typescript', version: 1, text: SOURCE } });
      await server.connection.sendNotification('exit');
      assert.deepEqual(await server.exited, { code: 0, signal: null });
    } finally {
      server.kill();
    }
    const abrupt = new StdioServer();
    try {
      await abrupt.initialize(PUSH);
      await abrupt.connection.sendNotification('exit');
      assert.equal((await abrupt.exited).code, 1, 'exit without shutdown: exit code 1 (LSP spec)');
    } finally {
      abrupt.kill();
    }
  });

  it('exits by itself when its client goes without a word: input closed, or the client process gone', async () => {
    // An editor that crashes sends no shutdown; a server left running would hold memory and files forever.
    const closed = new StdioServer();
    try {
      await closed.initialize(PUSH);
      await closed.open(URI, SOURCE);
      await alive(closed);
      closed.process.stdin.end();
      assert.deepEqual(await exitWithin(closed, 10_000), { code: 1, signal: null }, 'exits on its own once its input ends (1: no shutdown came)');
    } finally {
      closed.kill();
    }
    // The client's pid from initialize is watched: the server ends when that process does.
    const client = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    const clientGone = new Promise((resolve) => client.once('exit', resolve));
    const orphaned = new StdioServer();
    try {
      await orphaned.initialize(PUSH, {}, { processId: client.pid });
      await orphaned.open(URI, SOURCE);
      await alive(orphaned);
      client.kill('SIGKILL');
      await clientGone;
      // vscode-languageserver looks at the client's pid every 3 s.
      assert.deepEqual(await exitWithin(orphaned, 10_000), { code: 1, signal: null }, 'exits on its own once its client process is gone');
    } finally {
      orphaned.kill();
      client.kill('SIGKILL');
    }
  });

  it('survives a cancellation storm: every request answered or cancelled, none lost', async () => {
    const server = new StdioServer();
    try {
      await server.initialize(PULL);
      const seeds = sourceSeeds().slice(0, 20);
      for (const [i, seed] of seeds.entries()) await server.open(`file:///tmp/storm/${i}.js`, seed.text, 1, 'javascript');
      // Cancellations for requests that do not exist (yet, or any more).
      for (let id = 0; id < 2000; id++) await server.connection.sendNotification('$/cancelRequest', { id: 100_000 + id });
      const outcomes = { answered: 0, cancelled: 0 };
      const requests: Array<Promise<void>> = [];
      for (let round = 0; round < 25; round++) {
        for (const [i] of seeds.entries()) {
          const uri = `file:///tmp/storm/${i}.js`;
          const source = new CancellationTokenSource();
          const pending = [
            server.connection.sendRequest('textDocument/diagnostic', { textDocument: { uri } }, source.token),
            server.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: round, character: 4 } }, source.token),
          ];
          // Cancel half at once, the rest never (they must be answered).
          if ((round + i) % 2 === 0) source.cancel();
          for (const p of pending) {
            requests.push(
              p.then(
                () => void outcomes.answered++,
                (err: { code?: number }) => {
                  assert.equal(err.code, REQUEST_CANCELLED, `a cancelled request fails only with RequestCancelled (got ${JSON.stringify(err)})`);
                  outcomes.cancelled++;
                },
              ),
            );
          }
        }
      }
      await Promise.all(requests);
      assert.equal(outcomes.answered + outcomes.cancelled, 25 * seeds.length * 2);
      assert.ok(outcomes.answered >= 25 * seeds.length, `the requests not cancelled were answered (${JSON.stringify(outcomes)})`);
      await server.open(URI, SOURCE);
      await alive(server);
      assert.equal((await server.stop()).code, 0);
      assert.equal(server.stderr, '');
    } finally {
      server.kill();
    }
  });

  it('opens, analyses and closes 1,000 documents, and its memory returns to the baseline', { timeout: 300_000 }, async () => {
    const server = new StdioServer({ env: { WIRELENS_TEST_HOOKS: '1' }, nodeArgs: ['--expose-gc'] });
    type Memory = { collected: boolean; heapUsed: number; rss: number };
    const memory = () => server.connection.sendRequest<Memory>('wirelens/memoryForTest', {});
    try {
      await server.initialize(PULL);
      const seeds = sourceSeeds();
      const uriOf = (i: number) => `file:///tmp/wirelens-many/dir${i % 37}/file${i}${path.extname(seeds[i % seeds.length]!.name)}`;
      // Warm up (code compiled, caches filled once), then take the baseline.
      const cycle = async (count: number) => {
        for (let i = 0; i < count; i++) await server.open(uriOf(i), seeds[i % seeds.length]!.text, 1, 'javascript');
        for (let i = 0; i < count; i += 1) {
          const report = await server.diagnostics(uriOf(i));
          assert.equal(report.kind, 'full');
        }
        for (let i = 0; i < count; i++) await server.close(uriOf(i));
      };
      await cycle(200);
      const baseline = await memory();
      assert.ok(baseline.collected, 'the server runs with --expose-gc');
      const rssBefore = server.rssKb();
      await cycle(1000);
      // Everything closed: the documents must be gone from the server.
      assert.equal(await server.hover(uriOf(7), 0, 0), null);
      const after = await memory();
      const rssAfter = server.rssKb();
      const grewMb = (after.heapUsed - baseline.heapUsed) / 1e6;
      console.log(`lsp-misuse: heap ${(baseline.heapUsed / 1e6).toFixed(1)} MB → ${(after.heapUsed / 1e6).toFixed(1)} MB after 1,000 documents opened and closed; RSS ${(rssBefore / 1024).toFixed(0)} → ${(rssAfter / 1024).toFixed(0)} MB`);
      assert.ok(grewMb < 8, `heap grew by ${grewMb.toFixed(1)} MB after closing everything (a leak)`);
      assert.ok(rssAfter - rssBefore < 300 * 1024, `RSS grew by ${((rssAfter - rssBefore) / 1024).toFixed(0)} MB`);
      await server.open(URI, SOURCE);
      await alive(server);
      assert.equal((await server.stop()).code, 0);
    } finally {
      server.kill();
    }
  });
});
