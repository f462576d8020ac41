// The extension's server, the CLI and the lesson renderer open no network connection and start no
// process of their own: run under a preload (NODE_OPTIONS=--require) that records and refuses every
// connect, listen, DNS query, HTTP request, fetch and WebSocket, while the server analyses the examples
// and real-package fixtures and answers a hover on every call, every code action and every lesson link;
// while the CLI checks, explains and summarises captures; and while every lesson page is rendered.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { sourceSeeds } from './fuzz/corpus';
import { CLI, PULL, ROOT, StdioServer } from './support/lspServer';

const PRELOAD = path.join(__dirname, 'support', 'noNetwork.cjs');

interface Attempt {
  pid: number;
  kind: string;
  what: string;
  stack: string;
}

let dir = '';
let logFile = '';
const env = () => ({ NODE_OPTIONS: `--require ${PRELOAD}`, WIRELENS_NETWORK_LOG: logFile });
const attempts = (): Attempt[] => (existsSync(logFile) ? readFileSync(logFile, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Attempt) : []);

/** Positions just before every `(` that follows a name: every call's callee, where hovers attach. */
function calleePositions(text: string): Array<{ line: number; character: number }> {
  const out: Array<{ line: number; character: number }> = [];
  const lines = text.split('\n');
  lines.forEach((line, i) => {
    for (const m of line.matchAll(/[\w$](?=\s*\()/g)) out.push({ line: i, character: m.index! });
  });
  return out;
}

describe('no network connections and no processes', () => {
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'wirelens-net-'));
    logFile = path.join(dir, 'attempts.jsonl');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('the preload catches what it must (so the other tests can fail)', () => {
    const probe = [
      "try { fetch('http://127.0.0.1:9/'); } catch {}",
      "try { require('node:net').connect(9, '127.0.0.1'); } catch {}",
      "try { require('node:dns').lookup('example.com', () => {}); } catch {}",
      "try { require('node:http').get('http://127.0.0.1:9/'); } catch {}",
      "try { require('node:dgram').createSocket('udp4'); } catch {}",
      "try { require('node:net').createServer().listen(0); } catch {}",
    ].join('\n');
    try {
      const r = spawnSync(process.execPath, ['-e', probe], { env: { ...process.env, ...env() }, encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      const kinds = attempts().map((a) => a.kind).sort();
      assert.deepEqual(kinds, ['connect', 'dns', 'fetch', 'http', 'listen', 'udp']);
    } finally {
      rmSync(logFile, { force: true });
    }
  });

  it('the language server: every example and fixture analysed, every call hovered, every action and lesson link taken', { timeout: 300_000 }, async () => {
    const server = new StdioServer({ env: env() });
    try {
      await server.initialize(PULL, { lessonLinks: 'file' }, { rootUri: pathToFileURL(ROOT).toString(), workspaceFolders: [{ uri: pathToFileURL(ROOT).toString(), name: 'wirelens' }] });
      let hovers = 0;
      let shown = 0;
      let actions = 0;
      for (const seed of sourceSeeds()) {
        const uri = pathToFileURL(path.join(ROOT, seed.name)).toString();
        await server.open(uri, seed.text, 1, seed.name.endsWith('.ts') ? 'typescript' : 'javascript');
        const report = await server.diagnostics(uri);
        for (const d of report.items) {
          const list = await server.connection.sendRequest<unknown[]>('textDocument/codeAction', { textDocument: { uri }, range: d.range, context: { diagnostics: [d] } });
          actions += list.length;
        }
        for (const at of calleePositions(seed.text)) if (await server.hover(uri, at.line, at.character)) hovers++;
        await server.connection.sendRequest('wirelens/fileLessons', { textDocument: { uri } });
        await server.close(uri);
      }
      for (const file of readdirSync(path.join(ROOT, 'media', 'lessons')).filter((f) => f.endsWith('.md'))) {
        await server.connection.sendRequest('workspace/executeCommand', { command: 'wirelens.openLesson', arguments: [file.slice(0, -3)] });
        shown++;
      }
      console.log(`no-network: server answered ${hovers} hovers with content, ${actions} code actions, opened ${shown} lessons`);
      assert.ok(hovers > 200 && actions > 20 && shown > 20, 'the run exercised the server');
      assert.equal((await server.stop()).code, 0);
      assert.deepEqual(attempts(), [], 'no network use and no process from the language server');
    } finally {
      server.kill();
    }
  });

  it('the CLI: check (text, SARIF), explain and capture use no network; the only process is git', () => {
    const pcap = path.join(ROOT, 'test', 'capture', 'fixtures', 'pcapng-test-suite', 'output_le', 'basic', 'test001.pcapng');
    const runs: string[][] = [
      ['check', 'examples', 'test/fixtures/real', '--summary'],
      ['check', 'examples', '--format', 'sarif'],
      ['explain', 'examples/src/api.ts:1'],
      ...(existsSync(pcap) ? [['capture', pcap, '--format', 'json']] : []),
    ];
    for (const args of runs) {
      const r = spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, env: { ...process.env, ...env() }, encoding: 'utf8' });
      assert.ok(r.status !== null && r.status <= 1, `wirelens ${args.join(' ')}: exit ${r.status}\n${r.stderr}`);
    }
    const network = attempts().filter((a) => a.kind !== 'process');
    assert.deepEqual(network, [], 'no network use from the CLI');
    const processes = attempts().filter((a) => a.kind === 'process');
    // git by its absolute path (found on PATH by the CLI), with the repository's fsmonitor command switched off.
    for (const p of processes) assert.match(p.what, /^spawn(Sync)?\(\["\/[^"]*\/git",\["-c","core\.fsmonitor=false",/, `only git is started, safely: ${p.what}`);
    rmSync(logFile, { force: true });
  });

  it('the lesson renderer: every lesson and its page render with no network', () => {
    const script = `
      const fs = require('node:fs'); const path = require('node:path');
      const { renderLesson, renderLessonPage } = require(${JSON.stringify(path.join(ROOT, 'dist', 'lessons.js'))});
      const media = ${JSON.stringify(path.join(ROOT, 'media'))};
      let n = 0;
      for (const file of fs.readdirSync(path.join(media, 'lessons')).filter((f) => f.endsWith('.md'))) {
        const id = file.slice(0, -3);
        const lesson = renderLesson(fs.readFileSync(path.join(media, 'lessons', file), 'utf8'), {
          id, loadDiagram: (d) => { const p = path.join(media, 'diagrams', d + '.json'); return fs.existsSync(p) ? fs.readFileSync(p, 'utf8') : undefined; },
        });
        renderLessonPage({ lesson, mode: 'panel', cspSource: 'vscode-webview://x', nonce: 'n0nce', scriptUri: 'lesson.js', styleUris: ['lesson.css'], context: { api: 'fetch', file: 'a.ts', line: 1, code: "fetch('https://evil.example/')" } });
        n++;
      }
      process.stdout.write(String(n));
    `;
    const r = spawnSync(process.execPath, ['-e', script], { env: { ...process.env, ...env() }, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.ok(Number(r.stdout) > 20, `lessons rendered: ${r.stdout}`);
    assert.deepEqual(attempts(), [], 'no network use from the lesson renderer');
  });
});
