// Untrusted and virtual workspaces. Virtual documents (vscode-vfs:, untitled:, any non-file URI) are
// analysed from the text the client sends, and the server never touches the disk for them. In a hostile
// checkout (package.json a symlink to /dev/zero, a FIFO, a directory, 5 MB of JSON, nonsense values)
// the server and the CLI answer promptly with defaults, and nothing from the workspace is executed.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { CLI, PULL, positionOf, StdioServer } from './support/lspServer';

const RECORD_FS = path.join(__dirname, 'support', 'recordFs.cjs');
/** The hover of an http.request says whether Node's global agent keeps connections alive: it depends on engines.node. */
const SOURCE = "import http from 'node:http';\nexport const ping = () => http.request('http://api.example.com/health');\n";
const CALL = positionOf(SOURCE, 'http.request', 5);
const OLD_NODE = /the global agent on Node 14 does not keep connections alive/;

let dir = '';
before(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'wirelens-ws-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

describe('virtual workspaces', () => {
  it('analyses non-file documents from their text and never reads the disk for them', async () => {
    const project = path.join(dir, 'virtual-mirror');
    mkdirSync(project);
    // A real folder with engines.node 14: a file: URI there must read it (the control), a virtual
    // URI with the same path must not.
    writeFileSync(path.join(project, 'package.json'), JSON.stringify({ engines: { node: '14' } }));
    const fsLog = path.join(dir, 'fs.log');
    const server = new StdioServer({ env: { NODE_OPTIONS: `--require ${RECORD_FS}`, WIRELENS_FS_LOG: fsLog } });
    try {
      await server.initialize(PULL, { lessonLinks: 'site' }, { workspaceFolders: [{ uri: `vscode-vfs://github${project}`, name: 'virtual' }] });
      const virtual = [`vscode-vfs://github${project}/api.ts`, 'untitled:Untitled-1', `memfs:${project}/api.js`];
      const before = existsSync(fsLog) ? readFileSync(fsLog, 'utf8') : '';
      for (const uri of virtual) {
        await server.open(uri, SOURCE, 1, uri.endsWith('.js') ? 'javascript' : 'typescript');
        const report = await server.diagnostics(uri);
        assert.deepEqual(report.items.map((d) => d.code), ['outbound-request-without-timeout'], `diagnostics for ${uri}`);
        const hover = await server.hover(uri, CALL.line, CALL.character);
        assert.ok(hover, `a hover in ${uri}`);
        assert.doesNotMatch(hover.contents.value, OLD_NODE, 'no engines.node read for a virtual document');
      }
      const during = (existsSync(fsLog) ? readFileSync(fsLog, 'utf8') : '').slice(before.length);
      assert.equal(during, '', 'no file system access while analysing virtual documents');
      // The control: the same text in a file: document in that folder reads its package.json.
      const real = pathToFileURL(path.join(project, 'api.ts')).toString();
      await server.open(real, SOURCE);
      const hover = await server.hover(real, CALL.line, CALL.character);
      assert.match(hover!.contents.value, OLD_NODE, 'engines.node of the nearest package.json applies to file: documents');
      assert.match(readFileSync(fsLog, 'utf8').slice(before.length), /package\.json/, 'and the recorder sees that read');
      assert.equal((await server.stop()).code, 0);
    } finally {
      server.kill();
    }
  });
});

describe('hostile workspaces', () => {
  const hostile: Array<[string, (pkg: string) => void]> = [
    ['a symlink to /dev/zero', (pkg) => symlinkSync('/dev/zero', pkg)],
    ['a symlink to /dev/urandom', (pkg) => symlinkSync('/dev/urandom', pkg)],
    ['a FIFO nobody writes to', (pkg) => assert.equal(spawnSync('mkfifo', [pkg]).status, 0, 'mkfifo')],
    ['a directory', (pkg) => mkdirSync(pkg)],
    ['5 MB of JSON', (pkg) => writeFileSync(pkg, JSON.stringify({ engines: { node: '14' }, filler: 'x'.repeat(5_000_000) }))],
    ['invalid JSON', (pkg) => writeFileSync(pkg, '{ "engines": { "node": "14" ')],
    ['nonsense values', (pkg) => writeFileSync(pkg, JSON.stringify({ engines: { node: { toString: 'x' } }, wirelens: { rttMs: 'fast', rules: 'all' } }))],
  ];

  it('package.json as a device, a FIFO, a directory, huge or nonsense: the server answers with defaults', { timeout: 120_000 }, async () => {
    const server = new StdioServer();
    try {
      await server.initialize(PULL);
      for (const [name, make] of hostile) {
        const project = path.join(dir, `server-${name.replace(/\W+/g, '-')}`);
        mkdirSync(project, { recursive: true });
        make(path.join(project, 'package.json'));
        // A file that would leave a mark if anything ran it.
        const marker = path.join(project, 'executed');
        writeFileSync(path.join(project, 'index.js'), `require('fs').writeFileSync(${JSON.stringify(marker)}, 'ran');\n${SOURCE.replace("import http from 'node:http';", "const http = require('http');")}`);
        const uri = pathToFileURL(path.join(project, 'index.js')).toString();
        await server.open(uri, readFileSync(path.join(project, 'index.js'), 'utf8'), 1, 'javascript');
        const report = await server.diagnostics(uri);
        assert.deepEqual(report.items.map((d) => d.code), ['outbound-request-without-timeout'], `package.json is ${name}`);
        const hover = await server.hover(uri, CALL.line + 1, CALL.character);
        assert.ok(hover, `hover with package.json ${name}`);
        // Nothing usable in it (the 5 MB one is over the size read): the server's own Node version applies.
        assert.doesNotMatch(hover.contents.value, OLD_NODE);
        assert.ok(!existsSync(marker), 'nothing from the workspace was executed');
      }
      assert.equal((await server.stop()).code, 0);
    } finally {
      server.kill();
    }
  });

  it('the CLI checks such a folder promptly too (settings files as devices or FIFOs are ignored)', { timeout: 120_000 }, () => {
    for (const [name, make] of hostile) {
      const project = path.join(dir, `cli-${name.replace(/\W+/g, '-')}`);
      mkdirSync(project, { recursive: true });
      make(path.join(project, 'package.json'));
      if (name.startsWith('a symlink')) symlinkSync('/dev/zero', path.join(project, 'wirelens.json'));
      if (name === 'a FIFO nobody writes to') spawnSync('mkfifo', [path.join(project, 'wirelens.json')]);
      writeFileSync(path.join(project, 'api.js'), SOURCE);
      const r = spawnSync(process.execPath, [CLI, 'check', '.', '--format', 'json'], { cwd: project, encoding: 'utf8', timeout: 60_000 });
      assert.equal(r.error, undefined, `the CLI finished with package.json ${name}`);
      assert.equal(r.status, 1, `${name}: ${r.stderr}`);
      assert.deepEqual((JSON.parse(r.stdout) as Array<{ rule: string }>).map((f) => f.rule), ['outbound-request-without-timeout'], name);
    }
  });
});
