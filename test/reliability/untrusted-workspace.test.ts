// Restricted Mode in a real VS Code: code-server with workspace trust ON (the shared e2e setup turns
// it off, so this file starts code-server itself) opens a hostile, untrusted folder and runs the
// mocha suite in test/reliability/exthost-restricted inside its extension host. User settings set a
// lesson site of their own; the folder's .vscode/settings.json sets another one, a 1 TB size limit
// and an RTT. Needs the end-to-end toolchain (`bash .ci/setup-e2e.sh`): skipped with a message on a
// dev machine without it, failed in CI.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { it } from 'node:test';
import type { BrowserContext } from 'playwright-core';
import { CodeServer, REPO_ROOT, RunDir, e2eSkip, freshResultsDir, keepLog, launchChromium, requireE2eTools, screenshot } from '../e2e/setup';

const SUITE_DIR = path.join(__dirname, 'exthost-restricted');
const SHOTS = 'reliability-restricted';
const CALL = "const axios = require('axios');\nexports.load = () => axios.get('https://api.example.com/users');\n";

interface SuiteResults {
  passed: string[];
  failed: Array<{ title: string; error: string }>;
  pending: string[];
  notes: Record<string, unknown>;
}

function declaredTests(): number {
  return readdirSync(SUITE_DIR)
    .filter((f) => f.endsWith('.test.js'))
    .reduce((n, f) => n + (readFileSync(path.join(SUITE_DIR, f), 'utf8').match(/^\s*it\(/gm)?.length ?? 0), 0);
}

/** A module that leaves a mark in the workspace if anything loads it. */
function trapModule(workspace: string, name: string): void {
  const dir = path.join(workspace, 'node_modules', name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name, version: '99.0.0', main: 'index.js' }));
  writeFileSync(path.join(dir, 'index.js'), `require('fs').writeFileSync(${JSON.stringify(path.join(workspace, `PWNED-${name.replace(/\W/g, '_')}`))}, 'loaded');\nmodule.exports = {};\n`);
}

/** The hostile folder: settings that try to redirect and unlimit, modules that mark when loaded, hostile literals. */
function prepareWorkspace(workspace: string): void {
  mkdirSync(path.join(workspace, '.vscode'), { recursive: true });
  writeFileSync(path.join(workspace, '.vscode', 'settings.json'), JSON.stringify({
    'wirelens.lessonsBaseUrl': 'https://evil.example/phish/',
    'wirelens.maxFileBytes': 1e12,
    'wirelens.rttMs': 123,
  }, null, 2));
  writeFileSync(path.join(workspace, 'client.js'), CALL);
  writeFileSync(path.join(workspace, 'big.js'), `${CALL}// ${'x'.repeat(1_200_000)}\n`);
  writeFileSync(path.join(workspace, 'hostile.js'), [
    "const axios = require('axios');",
    "exports.a = () => axios.get('https://evil.example.com/](command:workbench.action.terminal.new)');",
    "exports.b = () => fetch('https://x.example/<img src=x onerror=alert(1)>[y](javascript:alert(1))');",
    "exports.c = () => axios.get('https://a.example/\\n\\n# Heading\\n\\n[z](command:wirelens.turnOffRule?%5B%22x%22%5D) $(bug)');",
    '',
  ].join('\n'));
  // Names the extension and its server use, and ones a careless resolver would look up in the workspace.
  for (const name of ['axios', 'typescript', 'vscode-languageserver', 'vscode-languageclient', 'markdown-it', 'highlight.js', 'wirelens']) trapModule(workspace, name);
  writeFileSync(path.join(workspace, 'package.json'), JSON.stringify({ name: 'hostile', engines: { node: '>=18' }, scripts: { postinstall: 'touch PWNED-script', prepare: 'touch PWNED-script' } }));
  writeFileSync(path.join(workspace, 'wirelens.json'), JSON.stringify({ lessonsBaseUrl: 'https://evil.example/cli/', plugins: ['./node_modules/wirelens'] }));
}

/** User settings of the run: trust on, no prompt or banner (nobody answers them), a lesson site of the user's. */
function writeUserSettings(run: RunDir): void {
  const file = path.join(run.userData, 'User', 'settings.json');
  const settings = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  Object.assign(settings, {
    'security.workspace.trust.enabled': true,
    'security.workspace.trust.startupPrompt': 'never',
    'security.workspace.trust.banner': 'never',
    'security.workspace.trust.emptyWindow': false,
    'wirelens.lessonsBaseUrl': 'https://user.example/lessons/',
  });
  writeFileSync(file, JSON.stringify(settings, null, 2));
}

it('VS Code Restricted Mode: restricted settings from user settings only, nothing from the workspace loaded (code-server extension host)', { skip: e2eSkip, timeout: 420_000 }, async () => {
  const tools = requireE2eTools();
  const run = new RunDir('restricted');
  const workspace = run.copyWorkspace('untrusted');
  prepareWorkspace(workspace);
  writeUserSettings(run);
  const resultsFile = path.join(run.root, 'restricted-results.json');
  const logs: string[] = [];
  const shots = freshResultsDir(SHOTS);
  let passed = false;
  const server = await CodeServer.start(tools, run, { smokeTestDriver: true, workspaceTrust: true, env: { WIRELENS_EXTHOST_RESULTS: resultsFile } });
  let context: BrowserContext | undefined;
  try {
    context = await launchChromium(tools, run);
    const page = context.pages()[0] ?? (await context.newPage());
    let reportExit: (code: number) => void = () => undefined;
    const exited = new Promise<number>((resolve) => (reportExit = resolve));
    await page.exposeFunction('codeAutomationLog', (type: string, args: unknown[]) => logs.push(`[${type}] ${(args ?? []).map(String).join(' ')}`));
    await page.exposeFunction('codeAutomationExit', (code: number) => reportExit(code));
    const remote = (p: string) => `vscode-remote://remote${p}`;
    const payload = [['extensionDevelopmentPath', remote(REPO_ROOT)], ['extensionTestsPath', remote(path.join(SUITE_DIR, 'index.js'))]];
    await page.goto(`${server.url}?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`);
    let timer: NodeJS.Timeout | undefined;
    const code = await Promise.race([exited, new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), 300_000)))]);
    clearTimeout(timer);
    await screenshot(page, shots, '01-after-suite');
    assert.ok(existsSync(resultsFile), `the suite wrote no results (exit ${code}); extension host log:\n${logs.join('\n')}`);
    const results = JSON.parse(readFileSync(resultsFile, 'utf8')) as SuiteResults;
    console.log(`[reliability-restricted] ${JSON.stringify(results.notes)}`);
    assert.deepEqual(results.failed, [], results.failed.map((f) => `${f.title}\n${f.error}`).join('\n\n'));
    assert.equal(code, 0, `extension host exit code; log:\n${logs.join('\n')}`);
    assert.deepEqual(results.pending, []);
    assert.equal(results.passed.length, declaredTests(), `tests that passed: ${results.passed.join(' | ')}`);
    // Checked from outside too: no module of the workspace was loaded by any process.
    assert.deepEqual(readdirSync(workspace).filter((f) => f.startsWith('PWNED-')), []);
    passed = true;
  } finally {
    await context?.close().catch(() => undefined);
    await server.stop();
    if (passed) run.remove();
    else {
      keepLog(shots, run);
      console.log(`[reliability-restricted] run kept for inspection: ${run.root}`);
    }
  }
});
