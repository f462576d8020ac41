// The tcpdump / ss TextMate grammar (syntaxes/tcpdump.tmLanguage.json), checked with vscode-tmgrammar-test
// against the assertion files beside this test (test/syntaxes/*.tcpdump: real tcpdump and ss output
// shapes, each token's expected scope under a caret). The tool reads the grammar through package.json's
// `languages`/`grammars` contribution, so the registration is tested too. vscode-tmgrammar-test lives in
// .cache/tmgrammar (`npm i --prefix .cache/tmgrammar vscode-tmgrammar-test@0.1.3`), not in the project's
// dependencies; without it the test fails under CI=true and skips elsewhere.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';

const ROOT = path.resolve(__dirname, '..', '..');
const TOOL = path.join(ROOT, '.cache', 'tmgrammar', 'node_modules', 'vscode-tmgrammar-test', 'dist', 'unit.js');
const INSTALL = 'npm i --prefix .cache/tmgrammar vscode-tmgrammar-test@0.1.3';
const IN_CI = !!process.env.CI && process.env.CI !== 'false' && process.env.CI !== '0';
const SKIP: string | false = existsSync(TOOL) || IN_CI ? false : `vscode-tmgrammar-test not installed; run \`${INSTALL}\` (CI must)`;
const CASES = readdirSync(__dirname).filter((f) => f.endsWith('.tcpdump')).map((f) => path.join('test', 'syntaxes', f));

function runTool(files: string[]): { status: number | null; output: string } {
  if (!existsSync(TOOL)) throw new Error(`vscode-tmgrammar-test missing at ${path.relative(ROOT, TOOL)}: run \`${INSTALL}\``);
  const result = spawnSync(process.execPath, [TOOL, '--config', 'package.json', ...files], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe('tcpdump / ss grammar', { skip: SKIP }, () => {
  it('is registered as the tcpdump language for *.tcpdump files', () => {
    const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
      contributes: { languages?: Array<{ id: string; extensions?: string[] }>; grammars?: Array<{ language?: string; scopeName: string; path: string }> };
    };
    const language = pkg.contributes.languages?.find((l) => l.id === 'tcpdump');
    assert.deepEqual(language?.extensions, ['.tcpdump']);
    const grammar = pkg.contributes.grammars?.find((g) => g.language === 'tcpdump');
    assert.ok(grammar, 'a grammar for the tcpdump language');
    const file = JSON.parse(readFileSync(path.join(ROOT, grammar.path), 'utf8')) as { scopeName: string };
    assert.equal(file.scopeName, grammar.scopeName);
    assert.equal(grammar.scopeName, 'source.tcpdump');
  });

  it('gives every asserted token of the tcpdump and ss samples its scope', () => {
    assert.ok(CASES.length >= 3, `assertion files: ${CASES.join(', ')}`);
    const { status, output } = runTool(CASES);
    assert.equal(status, 0, output);
    for (const file of CASES) assert.match(output, new RegExp(`✓ ${file.replace(/[.\\/]/g, '\\$&')} run successfuly`), output);
    // Enough assertions that the samples really pin the grammar down.
    const assertions = CASES.map((f) => readFileSync(path.join(ROOT, f), 'utf8').split('\n').filter((l) => /^#\s*(\^|<-)/.test(l)).length).reduce((a, b) => a + b, 0);
    assert.ok(assertions >= 120, `only ${assertions} assertions`);
  });

  it('reports a token whose scope differs (the check is not vacuous)', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'wirelens-grammar-'));
    try {
      const file = path.join(dir, 'wrong.tcpdump');
      const line = '12:34:56.860000 IP 198.51.100.7.80 > 192.0.2.10.50000: Flags [R], seq 44, win 0, length 0';
      const caret = `#${' '.repeat(line.indexOf('[R]'))}^ keyword.control.flag.syn.tcpdump`;
      writeFileSync(file, ['# SYNTAX TEST "source.tcpdump" "a RST is not a SYN"', line, caret, ''].join('\n'));
      const { status, output } = runTool([path.relative(ROOT, file)]);
      assert.notEqual(status, 0, output);
      assert.match(output, /missing required scopes: keyword\.control\.flag\.syn\.tcpdump/);
      assert.match(output, /invalid\.illegal\.flag\.rst\.tcpdump/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
