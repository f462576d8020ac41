// Files the server does not analyse are never skipped silently: over wirelens.maxFileBytes (counted in
// UTF-8 bytes, default 1 MB) or too deeply nested for the parser, the client is told why
// (`wirelens/fileSkipped`, shown in VS Code's language status item) and the log says so; when the file
// becomes analysable again the client hears `wirelens/fileAnalysed`. The CLI names such files too.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { CLI, PULL, PUSH, StdioServer } from './support/lspServer';

const CALL = "import axios from 'axios';\nexport const load = () => axios.get('https://api.example.com/users');\n";
/** Arrays nested 10,000 deep: the TypeScript parser runs out of stack on them. */
const DEEP = `${CALL}export const deep = ${'['.repeat(10_000)}${']'.repeat(10_000)};\n`;

type Skipped = { uri: string; reason: string };

describe('files that are not analysed say so', () => {
  it('over wirelens.maxFileBytes: fileSkipped naming the setting, no diagnostics or hovers, then fileAnalysed once it fits', async () => {
    const server = new StdioServer({ settings: { maxFileBytes: 2000 } });
    const uri = 'file:///tmp/wirelens-status/big.ts';
    try {
      await server.initialize(PULL);
      const big = CALL + `// ${'x'.repeat(2500)}\n`;
      await server.open(uri, big);
      assert.deepEqual((await server.diagnostics(uri)).items, []);
      const skipped = (await server.notification('wirelens/fileSkipped', (p: Skipped) => p.uri === uri)).params as Skipped;
      assert.match(skipped.reason, /larger than wirelens\.maxFileBytes \(2000 bytes\)/);
      assert.equal(await server.hover(uri, 1, 30), null, 'no hover in a skipped file');
      assert.ok(server.logMessages().some((m) => m.includes(uri) && m.includes('maxFileBytes')), 'the output channel says so');
      // Asking again does not repeat the notification.
      await server.diagnostics(uri);
      assert.equal(server.notifications.filter((n) => n.method === 'wirelens/fileSkipped').length, 1);
      // Delete the long comment: analysed again.
      await server.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ text: CALL }] });
      const items = (await server.diagnostics(uri)).items;
      assert.deepEqual(items.map((d) => d.code), ['outbound-request-without-timeout']);
      await server.notification('wirelens/fileAnalysed', (p: { uri: string }) => p.uri === uri);
      assert.equal((await server.stop()).code, 0);
    } finally {
      server.kill();
    }
  });

  it('counts UTF-8 bytes, not UTF-16 units, and applies the 1 MB default', async () => {
    const server = new StdioServer({ settings: { maxFileBytes: 3000 } });
    try {
      await server.initialize(PULL);
      // 1,000 euro signs: 1,000 UTF-16 units, 3,000 UTF-8 bytes, plus the call.
      const euros = 'file:///tmp/wirelens-status/euros.ts';
      await server.open(euros, `${CALL}// ${'€'.repeat(1000)}\n`);
      assert.deepEqual((await server.diagnostics(euros)).items, []);
      await server.notification('wirelens/fileSkipped', (p: Skipped) => p.uri === euros);
      server.settings = {};
      await server.connection.sendNotification('workspace/didChangeConfiguration', { settings: {} });
      assert.equal((await server.diagnostics(euros)).items.length, 1, 'under the default limit now');
      const huge = 'file:///tmp/wirelens-status/huge.ts';
      await server.open(huge, `${CALL}// ${'y'.repeat(1_100_000)}\n`);
      assert.deepEqual((await server.diagnostics(huge)).items, []);
      const skipped = (await server.notification('wirelens/fileSkipped', (p: Skipped) => p.uri === huge)).params as Skipped;
      assert.match(skipped.reason, /\(1000000 bytes\)/);
      assert.equal((await server.stop()).code, 0);
    } finally {
      server.kill();
    }
  });

  it('too deeply nested to parse: fileSkipped says it could not be analysed, the server lives on', async () => {
    for (const capabilities of [PULL, PUSH]) {
      const server = new StdioServer();
      const uri = 'file:///tmp/wirelens-status/deep.ts';
      try {
        await server.initialize(capabilities);
        await server.open(uri, DEEP);
        if (capabilities === PULL) assert.deepEqual((await server.diagnostics(uri)).items, []);
        const skipped = (await server.notification('wirelens/fileSkipped', (p: Skipped) => p.uri === uri)).params as Skipped;
        assert.match(skipped.reason, /could not be analysed: the code is nested too deeply for the parser/);
        assert.ok(server.logMessages().some((m) => m.includes('RangeError') && m.includes(uri)), 'the log has the detail');
        assert.equal(await server.hover(uri, 1, 30), null);
        // Fix the file (drop the nesting): findings and fileAnalysed come back.
        await server.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ range: { start: { line: 2, character: 0 }, end: { line: 3, character: 0 } }, text: '' }] });
        if (capabilities === PULL) assert.equal((await server.diagnostics(uri)).items.length, 1);
        await server.notification('wirelens/fileAnalysed', (p: { uri: string }) => p.uri === uri);
        const hover = await server.hover(uri, 1, 30);
        assert.ok(hover, 'hovers work again');
        assert.equal((await server.stop()).code, 0);
        assert.equal(server.stderr, '');
      } finally {
        server.kill();
      }
    }
  });

  it('the CLI names a file it could not analyse, lists it in SARIF, and goes on with the others', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'wirelens-status-cli-'));
    try {
      writeFileSync(path.join(dir, 'deep.ts'), DEEP);
      writeFileSync(path.join(dir, 'ok.ts'), CALL);
      const text = spawnSync(process.execPath, [CLI, 'check', '.'], { cwd: dir, encoding: 'utf8' });
      assert.match(text.stderr, /deep\.ts: could not be analysed: the code is nested too deeply for the parser/);
      assert.match(text.stdout, /ok\.ts:2:\d+ +warning +outbound-request-without-timeout/);
      assert.match(text.stdout, /1 file could not be analysed/);
      assert.equal(text.status, 1, 'findings in ok.ts');
      const sarif = spawnSync(process.execPath, [CLI, 'check', '.', '--format', 'sarif'], { cwd: dir, encoding: 'utf8' });
      const run = (JSON.parse(sarif.stdout) as { runs: Array<{ invocations: Array<{ executionSuccessful: boolean; toolExecutionNotifications: Array<{ message: { text: string } }> }> }> }).runs[0]!;
      assert.equal(run.invocations[0]!.executionSuccessful, false);
      assert.ok(run.invocations[0]!.toolExecutionNotifications.some((n) => /nested too deeply/.test(n.message.text)));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
