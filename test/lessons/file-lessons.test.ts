// What the lesson commands ask the language server (over stdio, like the VS Code client): the
// custom request wirelens/fileLessons ("Lessons for This File") and the hover link's arguments,
// which carry the call's document and line so the panel can show the user's own call.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { explainCall } from '../../server/src/analysis/wire';
import { analyzeText } from '../../server/src/analysis/index';
import { toServerSettings } from '../../server/src/lsp/settings';
import { lessonById } from '../../server/src/lessons/catalog';
import { LspHarness, PULL_CAPABILITIES } from '../lsp/harness';

const URI = 'file:///tmp/wirelens-lessons/api.ts';
const SOURCE = [
  "import axios from 'axios';",
  "import https from 'node:https';",
  '',
  'export async function users() {',
  "  const res = await fetch('https://api.example.com/users');",
  "  const other = await axios.get('https://other.example.com/x');",
  '  return [res, other];',
  '}',
  'export const agent = new https.Agent({ keepAlive: true, rejectUnauthorized: false });',
  '',
].join('\n');

interface FileLesson {
  lesson: string;
  api?: string;
  rule?: string;
  line: number;
}

describe('lesson requests to the language server', () => {
  it('wirelens/fileLessons lists the lesson behind every call and finding, with 1-based lines', async () => {
    const lsp = new LspHarness();
    try {
      await lsp.initialize(PULL_CAPABILITIES, { lessonLinks: 'command', clientCommands: true });
      await lsp.open(URI, SOURCE);
      const got = await lsp.connection.sendRequest<FileLesson[]>('wirelens/fileLessons', { textDocument: { uri: URI } });
      // The same answer, computed from the analysis directly with the server's settings (none sent).
      const config = toServerSettings({}, URI).analysis;
      const analysis = analyzeText('/tmp/wirelens-lessons/api.ts', SOURCE, config);
      const lineOf = (offset: number) => SOURCE.slice(0, offset).split('\n').length;
      const expected: FileLesson[] = [
        ...analysis.calls.map((c) => ({ lesson: explainCall(c, config).lesson, api: c.api, line: lineOf(c.calleeRange.start) })),
        ...analysis.findings.map((f) => ({ lesson: f.lesson, rule: f.ruleId, line: lineOf(f.range.start) })),
      ];
      assert.deepEqual(got, expected);
      assert.ok(got.some((g) => g.api === 'fetch' && g.line === 5));
      assert.ok(got.some((g) => g.rule === 'outbound-request-without-timeout' && g.line === 6));
      assert.ok(got.some((g) => g.rule === 'tls-certificate-validation-disabled' && g.line === 9));
      for (const g of got) assert.ok(lessonById(g.lesson), `${g.lesson} is a lesson`);
      assert.deepEqual(await lsp.connection.sendRequest('wirelens/fileLessons', { textDocument: { uri: 'file:///not/open.ts' } }), []);
      // Malformed parameters are answered with an error, not a crash (the server keeps serving).
      await assert.rejects(lsp.connection.sendRequest('wirelens/fileLessons', {}), /textDocument\.uri/);
      assert.equal((await lsp.connection.sendRequest<FileLesson[]>('wirelens/fileLessons', { textDocument: { uri: URI } })).length, got.length);
    } finally {
      await lsp.stop();
    }
  });

  it('the hover link passes the lesson, the API and where the call is', async () => {
    const lsp = new LspHarness();
    try {
      await lsp.initialize(PULL_CAPABILITIES, { lessonLinks: 'command', clientCommands: true });
      await lsp.open(URI, SOURCE);
      const hover = await lsp.connection.sendRequest<{ contents: { value: string } }>('textDocument/hover', { textDocument: { uri: URI }, position: { line: 4, character: 23 } });
      const m = /command:wirelens\.openLesson\?([^ )"]+)/.exec(hover.contents.value);
      assert.ok(m, hover.contents.value);
      const args = JSON.parse(decodeURIComponent(m[1]!)) as unknown[];
      assert.equal(args.length, 3);
      assert.ok(lessonById(args[0] as string));
      assert.equal(args[1], 'fetch');
      assert.deepEqual(args[2], { uri: URI, line: 5 });
    } finally {
      await lsp.stop();
    }
  });
});
