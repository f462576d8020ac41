// The CLI's pure helpers: glob matching for `exclude`, offsets to lines and UTF-16 columns,
// argument parsing, `file:line:col` locations, SARIF artifact locations.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseArgs, UsageError } from '../../server/src/cli/args';
import { parseLocation } from '../../server/src/cli/explain';
import { tidyArgument } from '../../server/src/cli/files';
import { artifactLocation, sarifLevel } from '../../server/src/cli/formatSarif';
import { compileGlob } from '../../server/src/cli/glob';
import { lessonUrl } from '../../server/src/cli/lessonUrl';
import { parseNode, parseRtt, parseRuleOverride } from '../../server/src/cli/options';
import { LineMap } from '../../server/src/cli/positions';

describe('exclude globs', () => {
  const cases: Array<[string, string, boolean]> = [
    ['dist', 'dist/a.js', true],
    ['dist', 'packages/x/dist/a.js', true],
    ['dist', 'distant/a.js', false],
    ['dist/', 'dist/deep/a.js', true],
    ['/scripts', 'scripts/a.ts', true],
    ['/scripts', 'src/scripts/a.ts', false],
    ['src/*.ts', 'src/a.ts', true],
    ['src/*.ts', 'src/deep/a.ts', false],
    ['src/**/*.ts', 'src/a.ts', true],
    ['src/**/*.ts', 'src/x/y/a.ts', true],
    ['**/*.gen.ts', 'a.gen.ts', true],
    ['**/*.gen.ts', 'x/y/a.gen.ts', true],
    ['*.{gen,generated}.ts', 'x/a.generated.ts', true],
    ['*.{gen,generated}.ts', 'x/a.other.ts', false],
    ['file?.ts', 'file1.ts', true],
    ['file?.ts', 'file10.ts', false],
    ['[ab].ts', 'b.ts', true],
    ['[!ab].ts', 'b.ts', false],
    ['[!ab].ts', 'c.ts', true],
    ['./legacy/**', 'legacy/old/a.js', true],
    ['a\\*.ts', 'a*.ts', true],
    ['a\\*.ts', 'ab.ts', false],
    ['src/**', 'src', false],
    ['src/**', 'src/a.ts', true],
    ['*.ts', 'a.tsx', false],
  ];
  for (const [pattern, file, expected] of cases) {
    it(`${pattern} ${expected ? 'matches' : 'does not match'} ${file}`, () => assert.equal(compileGlob(pattern)(file), expected));
  }
  it('rejects unclosed brackets and braces', () => {
    assert.throws(() => compileGlob('[abc'), /unclosed "\["/);
    assert.throws(() => compileGlob('{a,b'), /unclosed "\{"/);
    assert.throws(() => compileGlob('  '), /empty/);
  });
});

describe('LineMap', () => {
  it('gives 1-based lines and UTF-16 columns', () => {
    const text = 'ab\n🙂x\r\ny\rz';
    const lines = new LineMap(text);
    assert.equal(lines.lineCount, 4);
    assert.deepEqual(lines.position(0), { line: 1, column: 1 });
    assert.deepEqual(lines.position(text.indexOf('x')), { line: 2, column: 3 });
    assert.deepEqual(lines.position(text.indexOf('y')), { line: 3, column: 1 });
    assert.deepEqual(lines.position(text.indexOf('z')), { line: 4, column: 1 });
    assert.deepEqual(lines.position(text.length), { line: 4, column: 2 });
    assert.equal(lines.lineEnd(2), text.indexOf('\r'));
    assert.equal(lines.offsetAt(2, 3), text.indexOf('x'));
    // The column just past the last character (before the line break) is still on the line.
    assert.equal(lines.offsetAt(2, 4), text.indexOf('\r'));
    assert.equal(lines.offsetAt(2, 5), undefined);
    assert.equal(lines.offsetAt(5, 1), undefined);
  });
});

describe('argument parsing', () => {
  const specs = { format: { value: true, short: 'f' }, rule: { value: true, repeatable: true }, summary: { value: false }, color: { value: false } };
  it('reads --flag value, --flag=value, short flags, repeats, negations and --', () => {
    const a = parseArgs(['src', '--format', 'json', '--rule=a=off', '--rule', 'b=hint', '--summary', '--no-color', '-f', 'sarif', '--', '--weird-file.ts'], {
      ...specs,
      format: { value: true, short: 'f', repeatable: true },
    });
    assert.deepEqual(a.positionals, ['src', '--weird-file.ts']);
    assert.deepEqual(a.flags.get('rule'), ['a=off', 'b=hint']);
    assert.deepEqual(a.flags.get('format'), ['json', 'sarif']);
    assert.deepEqual(a.flags.get('summary'), ['true']);
    assert.deepEqual(a.flags.get('color'), ['false']);
  });
  it('rejects unknown flags, missing values, values on switches and repeated single flags', () => {
    assert.throws(() => parseArgs(['--nope'], specs), UsageError);
    assert.throws(() => parseArgs(['--format'], specs), /needs a value/);
    assert.throws(() => parseArgs(['--summary=yes'], specs), /does not take a value/);
    assert.throws(() => parseArgs(['--format', 'json', '--format', 'text'], specs), /more than once/);
  });
  it('validates --rtt, --node and --rule', () => {
    assert.equal(parseRtt('80'), 80);
    assert.equal(parseRtt('0.5'), 0.5);
    for (const bad of ['0', '-1', '10001', 'abc', '1e3', '']) assert.throws(() => parseRtt(bad), UsageError, bad);
    assert.equal(parseNode('22'), 22);
    assert.equal(parseNode('v20.11.1'), 20);
    for (const bad of ['latest', '>=20', '3', '']) assert.throws(() => parseNode(bad), UsageError, bad);
    assert.deepEqual(parseRuleOverride('outbound-request-without-timeout=off'), ['outbound-request-without-timeout', 'off']);
    assert.throws(() => parseRuleOverride('outbound-request-without-timeout=warn'), /severity must be one of/);
  });
});

describe('locations and paths', () => {
  it('parses file:line[:col], including colons in the file part', () => {
    assert.deepEqual(parseLocation('src/a.ts:12'), { file: 'src/a.ts', line: 12 });
    assert.deepEqual(parseLocation('src/a.ts:12:5'), { file: 'src/a.ts', line: 12, column: 5 });
    assert.deepEqual(parseLocation('C:\\work\\a.ts:3:1'), { file: 'C:\\work\\a.ts', line: 3, column: 1 });
    assert.throws(() => parseLocation('src/a.ts'), UsageError);
    assert.throws(() => parseLocation('src/a.ts:x'), UsageError);
  });
  it('tidies command-line paths the way they are shown', () => {
    assert.equal(tidyArgument('./src/'), 'src');
    assert.equal(tidyArgument('.'), '');
    assert.equal(tidyArgument('./'), '');
    assert.equal(tidyArgument('a//b/../c'), 'a/c');
    assert.equal(tidyArgument('/abs/dir/'), '/abs/dir');
    assert.equal(tidyArgument('/'), '/');
    assert.equal(tidyArgument('../up'), '../up');
  });
  it('makes SARIF artifact locations relative to %SRCROOT%, absolute outside it', () => {
    assert.deepEqual(artifactLocation('/repo/src/a b.ts', '/repo'), { uri: 'src/a%20b.ts', uriBaseId: '%SRCROOT%' });
    assert.deepEqual(artifactLocation('/elsewhere/a.ts', '/repo'), { uri: 'file:///elsewhere/a.ts' });
    assert.equal(sarifLevel('hint'), 'note');
    assert.equal(sarifLevel('info'), 'note');
    assert.equal(sarifLevel('warning'), 'warning');
    assert.equal(sarifLevel('error'), 'error');
  });
  it('builds lesson URLs from one base', () => {
    assert.equal(lessonUrl('tcp-handshake'), 'https://wirelens.dev/lessons/tcp-handshake.html');
    assert.equal(lessonUrl('tcp-handshake', 'https://x.example/l'), 'https://x.example/l/tcp-handshake.html');
  });
});
