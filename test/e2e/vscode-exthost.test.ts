// Extension-host integration tests in a real VS Code: code-server loads the extension from this
// repository (extensionDevelopmentPath) and runs the mocha suite in test/e2e/exthost/suite inside
// its Node extension host (extensionTestsPath), passed through the workbench's `?payload=` URL
// parameter (honoured only with the smoke-test driver enabled). The workbench reports the outcome
// through window.codeAutomationExit(code); the suite also writes which tests passed. The same suite
// runs under @vscode/test-electron with test/e2e/exthost/runTest.ts where desktop VS Code can be
// downloaded.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { it } from 'node:test';
import { CodeServer, REPO_ROOT, RunDir, e2eSkip, keepLog, launchChromium, requireE2eTools, freshResultsDir, screenshot } from './setup';

const SUITE_DIR = path.join(__dirname, 'exthost', 'suite');
const SHOTS = 'vscode-exthost';

interface SuiteResults {
  passed: string[];
  failed: Array<{ title: string; error: string }>;
  pending: string[];
}

/** How many tests the suite declares, so a run that silently skips some cannot pass. */
function declaredTests(): number {
  return readdirSync(SUITE_DIR)
    .filter((f) => f.endsWith('.test.js'))
    .reduce((n, f) => n + (readFileSync(path.join(SUITE_DIR, f), 'utf8').match(/^\s*it\(/gm)?.length ?? 0), 0);
}

it('the mocha suite passes inside the VS Code extension host (code-server)', { skip: e2eSkip, timeout: 300_000 }, async () => {
  const tools = requireE2eTools();
  const run = new RunDir('exthost');
  const workspace = run.copyWorkspace();
  const resultsFile = path.join(run.root, 'exthost-results.json');
  const logs: string[] = [];
  const timings: Record<string, number> = {};
  const shots = freshResultsDir(SHOTS);
  let t0 = Date.now();
  const lap = (name: string) => {
    timings[name] = Date.now() - t0;
    t0 = Date.now();
  };
  let passed = false;
  const server = await CodeServer.start(tools, run, { smokeTestDriver: true, env: { WIRELENS_EXTHOST_RESULTS: resultsFile } });
  lap('code-server up');
  const context = await launchChromium(tools, run).catch(async (err: unknown) => {
    await server.stop();
    throw err;
  });
  lap('chromium up');
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    let reportExit: (code: number) => void = () => undefined;
    const exited = new Promise<number>((resolve) => (reportExit = resolve));
    // The smoke-test driver calls these from the workbench: the extension host's log lines and its exit code.
    await page.exposeFunction('codeAutomationLog', (type: string, args: unknown[]) => logs.push(`[${type}] ${(args ?? []).map(String).join(' ')}`));
    await page.exposeFunction('codeAutomationExit', (code: number) => reportExit(code));
    // `remote` is the authority of code-server's single remote; paths are absolute on this machine.
    const remote = (p: string) => `vscode-remote://remote${p}`;
    await page.goto(server.workbenchUrl(workspace, [
      ['extensionDevelopmentPath', remote(REPO_ROOT)],
      ['extensionTestsPath', remote(path.join(SUITE_DIR, 'index.js'))],
    ]));
    let timer: NodeJS.Timeout | undefined;
    const code = await Promise.race([exited, new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), 180_000)))]);
    clearTimeout(timer);
    lap('suite');
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
    console.log(`[vscode-exthost] timings (ms): ${JSON.stringify(timings)}`);
    if (passed) {
      run.remove();
    } else {
      keepLog(shots, run);
      console.log(`[vscode-exthost] run kept for inspection: ${run.root}`);
    }
  }
});
