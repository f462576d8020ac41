// Runs the extension-host suite (test/e2e/exthost/suite) in desktop VS Code via @vscode/test-electron,
// the usual way for VS Code extensions. It downloads VS Code from update.code.visualstudio.com, so it
// is not part of `npm test` (whose machines reach only npm and apt; there the same suite runs in
// code-server, see test/e2e/vscode-exthost.test.ts). Run it where downloads work:
//
//   node esbuild.mjs && node --import tsx test/e2e/exthost/runTest.ts
//
// On a Linux machine without a display, wrap it in `xvfb-run -a`. VSCODE_TEST_VERSION picks the
// VS Code version (default: stable). The suite needs VS Code 1.101 or newer: mocha 12 loads ES
// modules through require(), which needs the Node 22.12+ of Electron 35.
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';
import { REPO_ROOT, SAMPLE_WORKSPACE } from '../setup';

async function main(): Promise<number> {
  if (!existsSync(path.join(REPO_ROOT, 'dist', 'client.js')) || !existsSync(path.join(REPO_ROOT, 'dist', 'server.js'))) {
    console.error('dist/ is not built: run `node esbuild.mjs` first');
    return 1;
  }
  // A scratch folder outside the repository: the analysis treats files under test/ or e2e/ as test
  // code, and the suite edits the workspace.
  const scratch = mkdtempSync(path.join(tmpdir(), 'wirelens-electron-'));
  const workspace = path.join(scratch, 'service');
  const userData = path.join(scratch, 'ud');
  const results = path.join(scratch, 'results.json');
  cpSync(SAMPLE_WORKSPACE, workspace, { recursive: true });
  mkdirSync(path.join(userData, 'User'), { recursive: true });
  cpSync(path.join(__dirname, '..', 'settings.json'), path.join(userData, 'User', 'settings.json'));
  try {
    await runTests({
      version: process.env.VSCODE_TEST_VERSION ?? 'stable',
      // The download goes into the git-ignored .cache/, not test-electron's default .vscode-test/.
      cachePath: path.join(REPO_ROOT, '.cache', 'vscode-test'),
      extensionDevelopmentPath: REPO_ROOT,
      extensionTestsPath: path.join(__dirname, 'suite', 'index.js'),
      extensionTestsEnv: { WIRELENS_EXTHOST_RESULTS: results },
      launchArgs: [workspace, '--user-data-dir', userData, '--disable-extensions', '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes'],
    });
    if (existsSync(results)) console.log(readFileSync(results, 'utf8'));
    return 0;
  } catch (err) {
    console.error(`extension-host tests failed: ${String(err)}`);
    if (existsSync(results)) console.error(readFileSync(results, 'utf8'));
    return 1;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

void main().then((code) => process.exit(code));
