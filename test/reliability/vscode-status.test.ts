// The status item and crash restarts in a real VS Code: code-server loads the extension from this
// repository and runs the mocha suite in test/reliability/exthost inside its extension host (see
// test/e2e/vscode-exthost.test.ts for how the smoke-test driver runs it). Needs the end-to-end
// toolchain (`bash .ci/setup-e2e.sh`): skipped with a message on a dev machine without it, failed in CI.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { it } from 'node:test';
import { CodeServer, REPO_ROOT, RunDir, e2eSkip, keepLog, launchChromium, requireE2eTools, freshResultsDir, screenshot } from '../e2e/setup';

const SUITE_DIR = path.join(__dirname, 'exthost');
const SHOTS = 'reliability-status';

interface SuiteResults {
  passed: string[];
  failed: Array<{ title: string; error: string }>;
  pending: string[];
}

function declaredTests(): number {
  return readdirSync(SUITE_DIR)
    .filter((f) => f.endsWith('.test.js'))
    .reduce((n, f) => n + (readFileSync(path.join(SUITE_DIR, f), 'utf8').match(/^\s*it\(/gm)?.length ?? 0), 0);
}

it('VS Code: the status item reports skipped files and crash restarts (code-server extension host)', { skip: e2eSkip, timeout: 420_000 }, async () => {
  const tools = requireE2eTools();
  const run = new RunDir('status');
  const workspace = run.copyWorkspace();
  const resultsFile = path.join(run.root, 'status-results.json');
  const logs: string[] = [];
  const shots = freshResultsDir(SHOTS);
  let passed = false;
  const server = await CodeServer.start(tools, run, { smokeTestDriver: true, env: { WIRELENS_EXTHOST_RESULTS: resultsFile } });
  const context = await launchChromium(tools, run).catch(async (err: unknown) => {
    await server.stop();
    throw err;
  });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    let reportExit: (code: number) => void = () => undefined;
    const exited = new Promise<number>((resolve) => (reportExit = resolve));
    await page.exposeFunction('codeAutomationLog', (type: string, args: unknown[]) => logs.push(`[${type}] ${(args ?? []).map(String).join(' ')}`));
    await page.exposeFunction('codeAutomationExit', (code: number) => reportExit(code));
    const remote = (p: string) => `vscode-remote://remote${p}`;
    await page.goto(server.workbenchUrl(workspace, [
      ['extensionDevelopmentPath', remote(REPO_ROOT)],
      ['extensionTestsPath', remote(path.join(SUITE_DIR, 'index.js'))],
    ]));
    let timer: NodeJS.Timeout | undefined;
    const code = await Promise.race([exited, new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), 360_000)))]);
    clearTimeout(timer);
    await screenshot(page, shots, '01-after-suite');
    assert.ok(existsSync(resultsFile), `the suite wrote no results (exit ${code}); extension host log:\n${logs.join('\n')}`);
    const results = JSON.parse(readFileSync(resultsFile, 'utf8')) as SuiteResults;
    assert.deepEqual(results.failed, [], results.failed.map((f) => `${f.title}\n${f.error}`).join('\n\n'));
    assert.equal(code, 0, `extension host exit code; log:\n${logs.join('\n')}`);
    assert.deepEqual(results.pending, []);
    assert.equal(results.passed.length, declaredTests(), `tests that passed: ${results.passed.join(' | ')}`);
    passed = true;
  } finally {
    await context.close().catch(() => undefined);
    await server.stop();
    if (passed) run.remove();
    else {
      keepLog(shots, run);
      console.log(`[reliability-status] run kept for inspection: ${run.root}`);
    }
  }
});
