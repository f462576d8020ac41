// `wirelens check`: exit codes, the text and JSON shapes, which files are analysed, settings.
import assert from 'node:assert/strict';
import { chmodSync, existsSync, symlinkSync } from 'node:fs';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { AXIOS_WITHOUT_TIMEOUT, BIN, EXPRESS_LISTEN, FETCH_WITH_TIMEOUT, FETCH_WITHOUT_TIMEOUT, git, makeProject, ROOT, runCli, spawnCli, TLS_DISABLED } from './helpers';

const cleanups: Array<() => void> = [];
after(() => cleanups.forEach((c) => c()));
function project(files: Record<string, string | Buffer>) {
  const p = makeProject(files);
  cleanups.push(p.cleanup);
  return p.dir;
}

type JsonFinding = Record<string, unknown>;
function json(stdout: string): JsonFinding[] {
  const parsed = JSON.parse(stdout) as unknown;
  assert.ok(Array.isArray(parsed), 'stdout is one JSON array');
  return parsed as JsonFinding[];
}

describe('wirelens check: exit codes', () => {
  it('is built', () => assert.ok(existsSync(path.join(ROOT, 'dist', 'cli.js')), `dist/cli.js missing; ${BIN} needs node esbuild.mjs`));

  it('exits 0 and says so when nothing is found', async () => {
    const dir = project({ 'src/ok.ts': FETCH_WITH_TIMEOUT, 'src/plain.ts': 'export const x = 1;\n' });
    const r = spawnCli(['check', '.'], dir);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^No findings in 2 files \(\d+\.\d\d s\)\.\n$/);
  });

  it('exits 1 when something is found', async () => {
    const dir = project({ 'a.ts': AXIOS_WITHOUT_TIMEOUT });
    const r = spawnCli(['check', 'a.ts'], dir);
    assert.equal(r.status, 1, r.stderr);
  });

  const usageErrors: Array<[string, string[], RegExp]> = [
    ['an unknown flag', ['check', '--frobnicate'], /unknown option --frobnicate/],
    ['a bad --rtt', ['check', '--rtt', 'fast'], /--rtt must be a round-trip time in milliseconds/],
    ['a zero --rtt', ['check', '--rtt=0'], /--rtt must be/],
    ['a negative --rtt', ['check', '--rtt', '-5'], /--rtt must be/],
    ['a missing --rtt value', ['check', '--rtt'], /--rtt needs a value/],
    ['an unknown rule id', ['check', '--rule', 'no-such-rule=off'], /unknown rule "no-such-rule"; known rules: .*outbound-request-without-timeout/],
    ['a bad severity', ['check', '--rule', 'outbound-request-without-timeout=loud'], /severity must be one of off, hint, info, warning, error/],
    ['a --rule without =', ['check', '--rule', 'outbound-request-without-timeout'], /--rule must look like <rule-id>=<severity>/],
    ['a bad --format', ['check', '--format', 'xml'], /--format must be one of text, json, sarif/],
    ['a bad --node', ['check', '--node', 'latest'], /--node must be a Node\.js version/],
    ['a missing path', ['check', 'does-not-exist'], /no such file or folder: does-not-exist/],
    ['an unknown command', ['lint'], /unknown command "lint"/],
    ['no command', [], /Usage:/],
  ];
  it('exits 2 from the real process too (bin/wirelens.js passes the code on)', () => {
    const dir = project({ 'a.ts': AXIOS_WITHOUT_TIMEOUT });
    const r = spawnCli(['check', '--rtt', 'fast'], dir);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /^wirelens: --rtt must be a round-trip time in milliseconds/);
    assert.equal(r.stdout, '');
  });

  for (const [what, args, message] of usageErrors) {
    it(`exits 2 with a clear message on ${what}`, async () => {
      const dir = project({ 'a.ts': AXIOS_WITHOUT_TIMEOUT });
      const r = await runCli(args, dir);
      assert.equal(r.status, 2, `stdout: ${r.stdout}\nstderr: ${r.stderr}`);
      assert.match(r.stderr, message);
      assert.equal(r.stdout, '', 'nothing on stdout for a usage error');
    });
  }

  it('prints help and the version with exit 0', async () => {
    const dir = project({});
    const help = spawnCli(['--help'], dir);
    assert.equal(help.status, 0);
    assert.match(help.stdout, /wirelens check \[paths…\]/);
    const checkHelp = await runCli(['check', '--help'], dir);
    assert.equal(checkHelp.status, 0);
    assert.match(checkHelp.stdout, /--format text\|json\|sarif/);
    const version = spawnCli(['--version'], dir);
    assert.equal(version.status, 0);
    const pkg = require(path.join(ROOT, 'package.json')) as { version: string };
    assert.equal(version.stdout, `${pkg.version}\n`);
  });
});

describe('wirelens check: text output', () => {
  it('prints file:line:col  severity  rule  message, the lesson, and a summary', async () => {
    const dir = project({ 'src/client.ts': AXIOS_WITHOUT_TIMEOUT });
    const r = await runCli(['check', 'src'], dir);
    assert.equal(r.status, 1, r.stderr);
    const lines = r.stdout.split('\n');
    assert.match(lines[0], /^src\/client\.ts:2:26 {2}warning {2}outbound-request-without-timeout {2}axios\.get has no timeout/);
    assert.match(lines[1], /^ {4}lesson: L07 Retransmission, RTO and why calls hang without timeouts \((.*media\/lessons\/retransmission-and-timeouts\.md|https:\/\/wirelens\.dev\/lessons\/retransmission-and-timeouts\.html)\)$/);
    assert.match(r.stdout, /\n1 finding \(1 warning\) in 1 file of 1 file \(\d+\.\d\d s\)\.\n$/);
  });

  it('shows where else it matters (related locations)', async () => {
    const dir = project({ 'server.ts': EXPRESS_LISTEN });
    const r = await runCli(['check', 'server.ts'], dir);
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stdout, /^server\.ts:3:1 {2}info {5}server-keepalive-timeout-below-lb-idle {2}/m);
    assert.match(r.stdout, /^ {4}related: server\.ts:2:13 {2}express\(\) creates the server here$/m);
  });

  it('--summary adds the round-trip cost of each call at the RTT', async () => {
    const dir = project({ 'a.ts': FETCH_WITH_TIMEOUT });
    const r = await runCli(['check', '.', '--summary', '--rtt', '80'], dir);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /Round-trip costs at 80 ms RTT/);
    // fetch over HTTPS: TCP + TLS 1.3 + request = 3 RTT cold, 1 RTT on a reused connection.
    assert.match(r.stdout, /^ {2}a\.ts:1 +fetch +HTTPS · api\.example\.com:443 +cold 3 RTT = 240 ms +reused 1 RTT = 80 ms$/m);
  });

  it('runs on examples/ by default (what npm start does), with findings and costs', async () => {
    const r = spawnCli(['check', '--summary'], ROOT);
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stdout, /^examples\/src\/api\.ts:\d+:\d+ {2}warning {2}outbound-request-without-timeout/m);
    assert.match(r.stdout, /^examples\/src\/tls-client\.ts:\d+:\d+ {2}warning {2}tls-certificate-validation-disabled/m);
    assert.match(r.stdout, /^examples\/src\/api\.ts:\d+:\d+ {2}info {5}server-keepalive-timeout-below-lb-idle/m);
    assert.match(r.stdout, /examples\/src\/db\.ts:\d+ +pg\.query +PostgreSQL +cold 5 RTT = 250 ms +reused 1 RTT = 50 ms/);
    assert.match(r.stdout, /examples\/src\/udp-sender\.ts:\d+ +socket\.send +UDP/);
    // The correct calls stay silent: the bounded fetch and the agent that trusts a CA.
    const findings = await runCli(['check', '--format', 'json'], ROOT);
    const lines = json(findings.stdout).map((f) => `${f.file}:${f.line}:${f.rule}`);
    // The raw TCP server's misuse (a 'data' chunk parsed as a whole message) is found.
    assert.ok(lines.some((l) => l.startsWith('examples/src/tcp-server.ts') && l.endsWith('stream-chunk-treated-as-message')), lines.join('\n'));
    assert.equal(lines.filter((l) => l.includes('tls-certificate-validation-disabled')).length, 1, lines.join('\n'));
  });

  it('analyses the folder given after the command (npm start -- other/folder)', async () => {
    const dir = project({ 'other/folder/x.ts': TLS_DISABLED, 'examples/y.ts': AXIOS_WITHOUT_TIMEOUT });
    const r = await runCli(['check', '--summary', 'other/folder'], dir);
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stdout, /^other\/folder\/x\.ts:2:72 {2}warning {2}tls-certificate-validation-disabled/m);
    assert.doesNotMatch(r.stdout, /examples\/y\.ts/);
  });
});

describe('wirelens check: JSON output', () => {
  it('prints exactly one array of findings in the documented shape', async () => {
    const dir = project({ 'src/a.ts': AXIOS_WITHOUT_TIMEOUT, 'src/b.ts': TLS_DISABLED, 'src/c.ts': FETCH_WITH_TIMEOUT });
    const r = spawnCli(['check', 'src', '--format', 'json'], dir);
    assert.equal(r.status, 1, r.stderr);
    const findings = json(r.stdout);
    assert.deepEqual(findings, [
      {
        file: 'src/a.ts',
        line: 2,
        column: 26,
        endLine: 2,
        endColumn: 35,
        rule: 'outbound-request-without-timeout',
        severity: 'warning',
        message: findings[0].message,
        lesson: 'retransmission-and-timeouts',
      },
      {
        file: 'src/b.ts',
        line: 2,
        column: 72,
        endLine: 2,
        endColumn: 97,
        rule: 'tls-certificate-validation-disabled',
        severity: 'warning',
        message: findings[1].message,
        lesson: 'tls-handshake',
      },
    ]);
    assert.match(String(findings[0].message), /^axios\.get has no timeout/);
    assert.deepEqual(Object.keys(findings[0]), ['file', 'line', 'column', 'endLine', 'endColumn', 'rule', 'severity', 'message', 'lesson']);
  });

  it('prints [] and exits 0 when nothing is found', async () => {
    const dir = project({ 'a.ts': FETCH_WITH_TIMEOUT });
    const r = await runCli(['check', '--format=json', '.'], dir);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), []);
  });

  it('names files as given, or relative to the folder given', async () => {
    const dir = project({ 'pkg/src/deep/a.ts': AXIOS_WITHOUT_TIMEOUT, 'b.ts': TLS_DISABLED });
    const r = await runCli(['check', '--format', 'json', './pkg/', 'b.ts'], dir);
    assert.deepEqual(json(r.stdout).map((f) => f.file), ['pkg/src/deep/a.ts', 'b.ts']);
    const inside = await runCli(['check', '--format', 'json', '.'], path.join(dir, 'pkg'));
    assert.deepEqual(json(inside.stdout).map((f) => f.file), ['src/deep/a.ts']);
    const absolute = await runCli(['check', '--format', 'json', path.join(dir, 'pkg')], dir);
    assert.deepEqual(json(absolute.stdout).map((f) => f.file), [`${path.join(dir, 'pkg').split(path.sep).join('/')}/src/deep/a.ts`]);
  });

  it('counts columns in UTF-16 code units, 1-based, after multi-byte characters', async () => {
    const prefix = "const label = 'Grüße 日本 🙂'; ";
    const line = `${prefix}export const agent = new https.Agent({ rejectUnauthorized: false, keepAlive: true, timeout: 4000 });`;
    const dir = project({ 'a.ts': `import https from 'node:https';\n${line}\n` });
    const r = await runCli(['check', '--format', 'json', 'a.ts'], dir);
    const finding = json(r.stdout).find((f) => f.rule === 'tls-certificate-validation-disabled')!;
    const expected = line.indexOf('rejectUnauthorized') + 1;
    assert.equal(finding.line, 2);
    assert.equal(finding.column, expected);
    // Not bytes and not code points: the emoji is 2 UTF-16 units, 4 UTF-8 bytes, 1 code point.
    assert.notEqual(finding.column, Buffer.byteLength(line.slice(0, expected - 1)) + 1);
    assert.notEqual(finding.column, [...line.slice(0, expected - 1)].length + 1);
    assert.equal(finding.endColumn, line.indexOf('false') + 'false'.length + 1);
  });

  it('ignores a byte order mark and counts CRLF lines like editors', async () => {
    const dir = project({ 'a.ts': `\uFEFFimport axios from 'axios';\r\n\r\nexport const get = () => axios.get('https://api.example.com/users');\r\n` });
    const [finding] = json((await runCli(['check', '--format', 'json', 'a.ts'], dir)).stdout);
    assert.equal(finding.line, 3);
    assert.equal(finding.column, 26);
  });
});

describe('wirelens check: which files', () => {
  it('skips git-ignored files and node_modules inside a git work tree, and includes untracked files', async () => {
    const dir = project({
      '.gitignore': 'generated/\n*.local.ts\n',
      'src/tracked.ts': AXIOS_WITHOUT_TIMEOUT,
      'src/untracked.ts': TLS_DISABLED,
      'src/secret.local.ts': AXIOS_WITHOUT_TIMEOUT,
      'generated/client.ts': AXIOS_WITHOUT_TIMEOUT,
      'node_modules/lib/index.js': AXIOS_WITHOUT_TIMEOUT,
      'src/types.d.ts': AXIOS_WITHOUT_TIMEOUT,
      'README.md': AXIOS_WITHOUT_TIMEOUT,
    });
    git(dir, 'init', '-q');
    git(dir, 'add', 'src/tracked.ts', '.gitignore');
    const r = await runCli(['check', '--format', 'json', '.'], dir);
    assert.equal(r.status, 1, r.stderr);
    assert.deepEqual(json(r.stdout).map((f) => f.file), ['src/tracked.ts', 'src/untracked.ts']);
  });

  it('skips tracked files under node_modules too, and tracked files deleted from disk', async () => {
    const dir = project({ 'node_modules/x/a.js': AXIOS_WITHOUT_TIMEOUT, 'gone.ts': AXIOS_WITHOUT_TIMEOUT, 'kept.ts': AXIOS_WITHOUT_TIMEOUT });
    git(dir, 'init', '-q');
    git(dir, 'add', '-f', 'node_modules/x/a.js', 'gone.ts', 'kept.ts');
    git(dir, 'rm', '-q', '--cached', '--', 'gone.ts');
    git(dir, 'add', 'gone.ts');
    // Deleting from the work tree after staging: git still lists it as cached.
    require('node:fs').rmSync(path.join(dir, 'gone.ts'));
    const r = await runCli(['check', '--format', 'json', '.'], dir);
    assert.deepEqual(json(r.stdout).map((f) => f.file), ['kept.ts']);
  });

  it('walks folders outside git, skipping node_modules and dot-folders', async () => {
    const dir = project({
      'src/a.ts': AXIOS_WITHOUT_TIMEOUT,
      'src/b.mjs': "import axios from 'axios';\nexport const get = () => axios.get('https://api.example.com/users');\n",
      'lib/c.cjs': "const axios = require('axios');\nmodule.exports = () => axios.get('https://api.example.com/users');\n",
      'node_modules/dep/index.js': AXIOS_WITHOUT_TIMEOUT,
      'src/node_modules/nested/index.js': AXIOS_WITHOUT_TIMEOUT,
      '.cache/x.ts': AXIOS_WITHOUT_TIMEOUT,
      'types/a.d.ts': AXIOS_WITHOUT_TIMEOUT,
    });
    symlinkSync(path.join(dir, 'src'), path.join(dir, 'src-link'), 'dir');
    const r = await runCli(['check', '--format', 'json', '.'], dir);
    assert.equal(r.status, 1, r.stderr);
    assert.deepEqual(json(r.stdout).map((f) => f.file), ['lib/c.cjs', 'src/a.ts', 'src/b.mjs']);
  });

  it('analyses a git-ignored file when it is named on the command line', async () => {
    const dir = project({ '.gitignore': 'scratch.ts\n', 'scratch.ts': AXIOS_WITHOUT_TIMEOUT });
    git(dir, 'init', '-q');
    assert.deepEqual(json((await runCli(['check', '--format', 'json', '.'], dir)).stdout), []);
    assert.deepEqual(json((await runCli(['check', '--format', 'json', 'scratch.ts'], dir)).stdout).map((f) => f.file), ['scratch.ts']);
  });

  it('analyses a git-ignored folder when it is named, still skipping node_modules inside it', async () => {
    const dir = project({ '.gitignore': 'vendor/\n', 'vendor/lib/a.ts': AXIOS_WITHOUT_TIMEOUT, 'vendor/node_modules/x/b.js': AXIOS_WITHOUT_TIMEOUT, 'src/c.ts': FETCH_WITH_TIMEOUT });
    git(dir, 'init', '-q');
    assert.deepEqual(json((await runCli(['check', '--format', 'json', '.'], dir)).stdout), []);
    assert.deepEqual(json((await runCli(['check', '--format', 'json', 'vendor'], dir)).stdout).map((f) => f.file), ['vendor/lib/a.ts']);
  });

  it('reports unreadable and broken files on stderr and goes on', async () => {
    const dir = project({
      'a-broken.ts': 'export const f = ( => { fetch(\'https://x.example.com\'\n',
      'b-binary.js': Buffer.from([0x00, 0xff, 0xfe, 0x01, 0x80, 0x81, 0x0a, 0xc3, 0x28]),
      'c-unreadable.ts': AXIOS_WITHOUT_TIMEOUT,
      'd-good.ts': AXIOS_WITHOUT_TIMEOUT,
    });
    const unreadable = path.join(dir, 'c-unreadable.ts');
    chmodSync(unreadable, 0o000);
    const canStillRead = (() => {
      try {
        require('node:fs').readFileSync(unreadable);
        return true; // root reads anything: the permission case cannot be produced here
      } catch {
        return false;
      }
    })();
    const r = await runCli(['check', '--format', 'json', '.'], dir);
    chmodSync(unreadable, 0o644);
    assert.equal(r.status, 1, r.stderr);
    const files = json(r.stdout).map((f) => f.file);
    assert.ok(files.includes('d-good.ts'), files.join(','));
    if (!canStillRead) {
      assert.match(r.stderr, /c-unreadable\.ts: cannot read: EACCES/);
      assert.ok(!files.includes('c-unreadable.ts'));
    }
    assert.doesNotMatch(r.stderr, /internal error/);
  });

  it('skips files over maxFileBytes with a note', async () => {
    const big = `${AXIOS_WITHOUT_TIMEOUT}${'// padding\n'.repeat(200)}`;
    const dir = project({ 'wirelens.json': JSON.stringify({ maxFileBytes: 1000 }), 'big.ts': big, 'small.ts': AXIOS_WITHOUT_TIMEOUT });
    const r = await runCli(['check', '--format', 'json', '.'], dir);
    assert.deepEqual(json(r.stdout).map((f) => f.file), ['small.ts']);
    assert.match(r.stderr, /big\.ts is \d+ bytes, over maxFileBytes \(1000\); skipped/);
  });
});

describe('wirelens check: settings', () => {
  it('reads wirelens.json from the folder or the nearest one above, up to the git root', async () => {
    const dir = project({
      'wirelens.json': JSON.stringify({ rules: { 'outbound-request-without-timeout': 'off' } }),
      'app/src/a.ts': AXIOS_WITHOUT_TIMEOUT + TLS_DISABLED.replace("import https from 'node:https';\n", "import https from 'node:https';\n"),
    });
    git(dir, 'init', '-q');
    const r = await runCli(['check', '--format', 'json', 'app'], dir);
    assert.deepEqual(json(r.stdout).map((f) => f.rule), ['tls-certificate-validation-disabled']);
  });

  it('does not read settings from above the git root', async () => {
    const outer = project({ 'wirelens.json': JSON.stringify({ rules: { 'outbound-request-without-timeout': 'off' } }), 'repo/a.ts': AXIOS_WITHOUT_TIMEOUT });
    git(path.join(outer, 'repo'), 'init', '-q');
    const r = await runCli(['check', '--format', 'json', '.'], path.join(outer, 'repo'), { GIT_CEILING_DIRECTORIES: outer });
    assert.deepEqual(json(r.stdout).map((f) => f.rule), ['outbound-request-without-timeout']);
  });

  it('reads the "wirelens" key of package.json, and engines.node for the Node version', async () => {
    const dir = project({
      'package.json': JSON.stringify({ name: 'x', engines: { node: '>=22' }, wirelens: { rttMs: 120, loadBalancerIdleTimeoutMs: '60s', rules: { 'server-keepalive-timeout-below-lb-idle': 'error' } } }),
      'server.ts': EXPRESS_LISTEN,
      'client.ts': FETCH_WITH_TIMEOUT,
    });
    const r = await runCli(['check', '--summary', '.'], dir);
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, /^wirelens: warning: package\.json \("wirelens" key\): wirelens\.loadBalancerIdleTimeoutMs must be a positive number/m);
    assert.match(r.stdout, /Round-trip costs at 120 ms RTT/);
    assert.match(r.stdout, /^server\.ts:3:1 {2}error {4}server-keepalive-timeout-below-lb-idle {2}This server keeps idle connections for Node 22's default 5 s/m);
  });

  it('lets flags override the settings file (--rule, --rtt, --node)', async () => {
    const dir = project({
      'wirelens.json': JSON.stringify({ rttMs: 120, nodeVersion: '20', rules: { 'outbound-request-without-timeout': 'off' } }),
      'a.ts': FETCH_WITH_TIMEOUT,
      'b.ts': AXIOS_WITHOUT_TIMEOUT,
      'server.ts': EXPRESS_LISTEN,
    });
    const fromFile = await runCli(['check', '--summary', '.'], dir);
    assert.match(fromFile.stdout, /Round-trip costs at 120 ms RTT/);
    assert.doesNotMatch(fromFile.stdout, /outbound-request-without-timeout/);
    const overridden = await runCli(['check', '--summary', '.', '--rtt', '10', '--node', '22', '--rule', 'outbound-request-without-timeout=error', '--rule', 'server-keepalive-timeout-below-lb-idle=hint'], dir);
    assert.match(overridden.stdout, /Round-trip costs at 10 ms RTT/);
    assert.match(overridden.stdout, /^b\.ts:2:26 {2}error {4}outbound-request-without-timeout/m);
    assert.match(overridden.stdout, /^server\.ts:3:1 {2}hint {5}server-keepalive-timeout-below-lb-idle {2}This server keeps idle connections for Node 22's/m);
    const off = await runCli(['check', '.', '--rule', 'server-keepalive-timeout-below-lb-idle=off', '--format', 'json'], dir);
    assert.equal(off.status, 0, off.stdout);
  });

  it('warns about bad settings, naming the file and the setting, and uses the defaults', async () => {
    const dir = project({
      'wirelens.json': JSON.stringify({ rttMs: -3, rules: { 'outbound-request-without-timeout': 'loud', 'made-up': 'off' }, exclude: 'dist', colour: true }),
      'a.ts': FETCH_WITH_TIMEOUT,
    });
    const r = await runCli(['check', '--summary', '.'], dir);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /^wirelens: warning: wirelens\.json: wirelens\.rttMs must be a number/m);
    assert.match(r.stderr, /wirelens\.rules\.outbound-request-without-timeout must be one of/);
    assert.match(r.stderr, /wirelens\.rules: unknown rule "made-up"/);
    assert.match(r.stderr, /wirelens\.exclude must be an array of glob strings/);
    assert.match(r.stderr, /unknown setting "colour"/);
    assert.match(r.stdout, /Round-trip costs at 50 ms RTT/);
  });

  it('warns about a wirelens.json that is not JSON and uses the defaults', async () => {
    const dir = project({ 'wirelens.json': '{ rttMs: 10, }', 'a.ts': AXIOS_WITHOUT_TIMEOUT });
    const r = await runCli(['check', '.', '--format', 'json'], dir);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /wirelens\.json: not valid JSON/);
  });

  it('excludes files matching the exclude globs, relative to the settings file', async () => {
    const dir = project({
      'wirelens.json': JSON.stringify({ exclude: ['generated', 'src/**/*.fixture.ts', '*.gen.{js,ts}'] }),
      'generated/a.ts': AXIOS_WITHOUT_TIMEOUT,
      'src/deep/b.fixture.ts': AXIOS_WITHOUT_TIMEOUT,
      'src/deep/c.gen.ts': AXIOS_WITHOUT_TIMEOUT,
      'src/deep/d.ts': AXIOS_WITHOUT_TIMEOUT,
    });
    const r = await runCli(['check', '--format', 'json', '.'], dir);
    assert.deepEqual(json(r.stdout).map((f) => f.file), ['src/deep/d.ts']);
    const named = await runCli(['check', '--format', 'json', 'generated/a.ts'], dir);
    assert.deepEqual(json(named.stdout), []);
    assert.match(named.stderr, /generated\/a\.ts is excluded by the exclude setting in wirelens\.json/);
  });

  it('uses an explicit --config file and rejects a missing one', async () => {
    const dir = project({ 'conf/strict.json': JSON.stringify({ rules: { 'tls-certificate-validation-disabled': 'error' } }), 'a.ts': TLS_DISABLED });
    const r = await runCli(['check', '.', '--config', 'conf/strict.json', '--format', 'json'], dir);
    assert.equal(json(r.stdout)[0].severity, 'error');
    const missing = await runCli(['check', '.', '--config', 'nope.json'], dir);
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /--config: nope\.json has no "wirelens" settings/);
  });
});

describe('wirelens check: default target', () => {
  it('checks the current folder when there is no examples/ folder', async () => {
    const dir = project({ 'a.ts': FETCH_WITHOUT_TIMEOUT });
    const r = await runCli(['check', '--format', 'json'], dir);
    assert.deepEqual(json(r.stdout).map((f) => f.file), ['a.ts']);
  });
});
