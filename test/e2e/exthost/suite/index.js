// @ts-check
// Entry point of the extension-host test suite (`extensionTestsPath`). The same file serves both
// runners: code-server's smoke-test driver (test/e2e/vscode-exthost.test.ts) and @vscode/test-electron
// (test/e2e/exthost/runTest.ts). Both require this module inside the extension host and await run():
// a rejection means failure. Results also go, as JSON, to $WIRELENS_EXTHOST_RESULTS when it is set,
// so the outer test can check which tests ran, not only the exit code.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

/** @returns {Promise<void>} */
async function run() {
  // mocha 12 is an ES module whose CommonJS build loads ES modules through require(): this needs
  // Node >= 20.19 / 22.12 (code-server's Node 24; VS Code desktop 1.101+).
  const mochaModule = require('mocha');
  /** @type {typeof import('mocha')} */
  const Mocha = mochaModule.default ?? mochaModule;
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 60_000, reporter: 'spec' });
  for (const file of fs.readdirSync(__dirname).filter((f) => f.endsWith('.test.js')).sort()) {
    mocha.addFile(path.join(__dirname, file));
  }

  /** @type {{ passed: string[]; failed: Array<{ title: string; error: string }>; pending: string[] }} */
  const results = { passed: [], failed: [], pending: [] };
  const failures = await new Promise((resolve, reject) => {
    try {
      const runner = mocha.run((count) => resolve(count));
      runner.on('pass', (test) => results.passed.push(test.fullTitle()));
      runner.on('pending', (test) => results.pending.push(test.fullTitle()));
      runner.on('fail', (test, err) => results.failed.push({ title: test.fullTitle(), error: String((err && err.stack) || err) }));
    } catch (err) {
      reject(err);
    }
  });

  const out = process.env.WIRELENS_EXTHOST_RESULTS;
  if (out) fs.writeFileSync(out, JSON.stringify(results, null, 2));
  if (failures > 0) throw new Error(`${failures} extension-host test(s) failed:\n${results.failed.map((f) => `${f.title}\n${f.error}`).join('\n\n')}`);
  if (results.passed.length === 0) throw new Error('no extension-host tests ran');
}

module.exports = { run };
