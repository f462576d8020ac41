// The CLI over a checkout that tries to run its own programs through git. A repository's
// .git/config can name a `core.fsmonitor` command, which `git ls-files` and `git check-ignore` run
// (found while auditing issue 6: `wirelens check` on such a folder ran it); and a `git` file inside
// the folder would run if PATH had an empty or relative entry (the folder is git's working
// directory). Each trap writes a mark file if it runs; the CLI must list and analyse the files
// anyway, with none of the marks written. A control proves each trap works when git is run plainly.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { gitExecutable } from '../../server/src/cli/git';
import { CLI } from './support/lspServer';

const HAS_GIT = gitExecutable() !== undefined;
const SOURCE = "const axios = require('axios');\nexports.load = () => axios.get('https://api.example.com/users');\n";

describe('the CLI in a hostile git checkout', { skip: HAS_GIT ? false : 'git is not installed' }, () => {
  let dir = '';
  let repo = '';
  let fsmonitorMark = '';
  let fakeGitMark = '';

  const git = (args: string[], cwd = repo) => {
    const r = spawnSync('git', args, { cwd, encoding: 'utf8' });
    assert.equal(r.status, 0, `git ${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
  };

  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'wirelens-hostile-git-'));
    repo = path.join(dir, 'checkout');
    fsmonitorMark = path.join(dir, 'fsmonitor-ran');
    fakeGitMark = path.join(dir, 'fake-git-ran');
    mkdirSync(path.join(repo, 'src'), { recursive: true });
    mkdirSync(path.join(repo, 'build'), { recursive: true });
    writeFileSync(path.join(repo, 'src', 'api.js'), SOURCE);
    writeFileSync(path.join(repo, 'build', 'out.js'), SOURCE);
    writeFileSync(path.join(repo, '.gitignore'), 'build/\n');
    git(['init', '-q'], repo);
    git(['add', 'src/api.js', '.gitignore']);
    git(['-c', 'user.email=t@example.com', '-c', 'user.name=t', 'commit', '-qm', 'x']);
    // The traps: an fsmonitor command in the repository's config, a `git` program in each folder.
    git(['config', 'core.fsmonitor', `touch ${JSON.stringify(fsmonitorMark)}; printf ''`]);
    for (const folder of [repo, path.join(repo, 'src'), path.join(repo, 'build')]) {
      writeFileSync(path.join(folder, 'git'), `#!/bin/sh\ntouch ${JSON.stringify(fakeGitMark)}\nexit 1\n`);
      chmodSync(path.join(folder, 'git'), 0o755);
    }
  });

  after(() => rmSync(dir, { recursive: true, force: true }));

  it('control: run plainly, git does run the fsmonitor command and a PATH with an empty entry finds the folder\'s git', () => {
    spawnSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: repo });
    assert.ok(existsSync(fsmonitorMark), 'git ran core.fsmonitor (the trap works)');
    rmSync(fsmonitorMark);
    spawnSync('git', ['status'], { cwd: repo, env: { ...process.env, PATH: `:${process.env.PATH}` } });
    assert.ok(existsSync(fakeGitMark), 'the folder\'s git ran (the trap works)');
    rmSync(fakeGitMark);
  });

  it('wirelens check lists and analyses the checkout through git, and runs neither trap', () => {
    const env = { ...process.env, PATH: `:.:src:${process.env.PATH}` };
    const runs = [
      ['check', '.', '--format', 'json'],
      // From inside src/: SARIF paths are relative to the work tree's top, which git rev-parse finds.
      ['check', '.', '--format', 'sarif'],
      // A git-ignored folder named on the command line: git check-ignore decides it is walked.
      ['check', 'build', '--format', 'json'],
    ];
    const outputs = runs.map((args) => {
      const cwd = args.includes('sarif') ? path.join(repo, 'src') : repo;
      const r = spawnSync(process.execPath, [CLI, ...args], { cwd, env, encoding: 'utf8' });
      assert.ok(r.status === 0 || r.status === 1, `wirelens ${args.join(' ')}: exit ${r.status}\n${r.stderr}`);
      return r.stdout;
    });
    assert.equal(existsSync(fsmonitorMark), false, 'the repository\'s core.fsmonitor command ran');
    assert.equal(existsSync(fakeGitMark), false, 'a git program inside the checkout ran');
    const all = JSON.parse(outputs[0]!) as Array<{ file: string }>;
    const files = [...new Set(all.map((f) => f.file))];
    assert.deepEqual(files, ['src/api.js'], 'git listed the files (build/ is ignored) and they were analysed');
    type SarifResult = { locations: Array<{ physicalLocation: { artifactLocation: { uri: string } } }> };
    const sarif = JSON.parse(outputs[1]!) as { runs: Array<{ results: SarifResult[]; originalUriBaseIds: Record<string, { uri: string }> }> };
    assert.ok(sarif.runs[0]!.results.length > 0);
    assert.equal(sarif.runs[0]!.originalUriBaseIds['%SRCROOT%']?.uri, `file://${repo}/`, 'git rev-parse found the work tree');
    assert.equal(sarif.runs[0]!.results[0]!.locations[0]!.physicalLocation.artifactLocation.uri, 'src/api.js');
    assert.ok((JSON.parse(outputs[2]!) as unknown[]).length > 0, 'the ignored folder named on the command line was walked');
  });

  it('gitExecutable looks only in absolute PATH entries', () => {
    assert.equal(gitExecutable(['', '.', 'src', path.join(repo, 'src')].join(path.delimiter)), path.join(repo, 'src', 'git'), 'an absolute entry is searched');
    assert.equal(gitExecutable(['', '.', 'src'].join(path.delimiter)), undefined, 'empty and relative entries are not');
  });
});
