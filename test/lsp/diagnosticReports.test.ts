// Pull diagnostics with result ids: a report names its list, and when the client's id names the list
// the server would send again, the answer is "unchanged" (LSP 3.17 `textDocument/diagnostic`). An
// edit that moves or changes no diagnostic (most keystrokes) gets it; one that does, a full report.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PULL, StdioServer } from '../reliability/support/lspServer';

const URI = 'file:///tmp/wirelens-reports/a.js';
// Line 2 holds the one finding (axios.get without a timeout, at character 0).
const SOURCE = "const axios = require('axios');\n\naxios.get('https://api.example.com/users');\nconst unrelated = 1;\n";

type Report = { kind: 'full'; resultId?: string; items: Array<{ code?: string; range: { start: { line: number; character: number } } }> } | { kind: 'unchanged'; resultId: string };

describe('pull diagnostics: result ids', () => {
  it('answers "unchanged" exactly when the client holds the list the server would send', async () => {
    const server = new StdioServer();
    let version = 1;
    const pull = (previousResultId?: string) => server.connection.sendRequest<Report>('textDocument/diagnostic', { textDocument: { uri: URI }, ...(previousResultId !== undefined ? { previousResultId } : {}) });
    const edit = (line: number, character: number, deleted: number, text: string) =>
      server.connection.sendNotification('textDocument/didChange', {
        textDocument: { uri: URI, version: ++version },
        contentChanges: [{ range: { start: { line, character }, end: { line, character: character + deleted } }, text }],
      });
    try {
      await server.initialize(PULL);
      await server.open(URI, SOURCE, 1, 'javascript');
      const first = await pull();
      assert.equal(first.kind, 'full');
      assert.ok(first.kind === 'full' && typeof first.resultId === 'string' && first.items.length === 1);
      const id = first.resultId!;

      // Nothing changed: the client's list stands.
      assert.deepEqual(await pull(id), { kind: 'unchanged', resultId: id });
      // A space typed on a line without a diagnostic, and on the finding's line after it: nothing moves.
      await edit(3, 5, 0, ' ');
      assert.deepEqual(await pull(id), { kind: 'unchanged', resultId: id });
      await edit(2, 43, 0, ' ');
      assert.deepEqual(await pull(id), { kind: 'unchanged', resultId: id });

      // A client without an id, or with another one, gets the list in full (under a new id).
      const noId = await pull();
      assert.equal(noId.kind, 'full');
      const stale = await pull('not-an-id-the-server-gave');
      assert.equal(stale.kind, 'full');
      assert.ok(stale.kind === 'full' && stale.resultId !== id);

      // A space before the finding on its line moves it: a full report, with the new position.
      const before = stale.resultId!;
      await edit(2, 0, 0, ' ');
      const moved = await pull(before);
      assert.equal(moved.kind, 'full');
      assert.ok(moved.kind === 'full' && moved.items.length === 1 && moved.items[0]!.range.start.character === 1 && moved.resultId !== before);
      // A typo that breaks the call removes the finding: a full report with no items.
      await edit(2, 1, 5, 'axioz');
      const gone = await pull(moved.kind === 'full' ? moved.resultId : undefined);
      assert.equal(gone.kind, 'full');
      assert.ok(gone.kind === 'full' && gone.items.length === 0);
      assert.equal((await server.stop()).code, 0);
    } finally {
      server.kill();
    }
  });

  it('a reopened document starts again with a full report', async () => {
    const server = new StdioServer();
    try {
      await server.initialize(PULL);
      await server.open(URI, SOURCE, 1, 'javascript');
      const first = await server.connection.sendRequest<Report>('textDocument/diagnostic', { textDocument: { uri: URI } });
      assert.ok(first.kind === 'full' && first.resultId);
      await server.close(URI);
      await server.open(URI, SOURCE, 1, 'javascript');
      const again = await server.connection.sendRequest<Report>('textDocument/diagnostic', { textDocument: { uri: URI }, previousResultId: first.resultId });
      assert.equal(again.kind, 'full');
      assert.equal((await server.stop()).code, 0);
    } finally {
      server.kill();
    }
  });
});
