// @ts-check
// The one runner behind every extension-host suite's `extensionTestsPath` module (test/e2e/exthost/suite,
// test/reliability/exthost). It runs inside VS Code's extension host, started by either code-server's
// smoke-test driver (runExtensionHostSuite in test/e2e/setup.ts) or @vscode/test-electron
// (test/e2e/exthost/runTest.ts); both require the suite's index.js and await its run(): a rejection
// means failure. Results also go, as JSON, to $WIRELENS_EXTHOST_RESULTS when it is set, so the outer
// test can check which tests ran, not only the exit code.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

/**
 * The suite's test files: every `*.test.js` of `suiteDir` in name order, or only those named in
 * $WIRELENS_EXTHOST_FILES (comma-separated; the bench runs the activation test alone).
 * @param {string} suiteDir
 * @returns {string[]}
 */
function suiteFiles(suiteDir) {
  const only = (process.env.WIRELENS_EXTHOST_FILES ?? '').split(',').filter(Boolean);
  return fs.readdirSync(suiteDir).filter((f) => f.endsWith('.test.js') && (only.length === 0 || only.includes(f))).sort();
}

/**
 * Runs the suite's test files with mocha's bdd interface.
 * @param {string} suiteDir
 * @param {{ timeout: number }} options per-test timeout in ms
 * @returns {Promise<void>}
 */
async function runMochaSuite(suiteDir, options) {
  // mocha 12 is an ES module whose CommonJS build loads ES modules through require(): this needs
  // Node >= 20.19 / 22.12 (code-server's Node 24; VS Code desktop 1.101+).
  const mochaModule = require('mocha');
  /** @type {typeof import('mocha')} */
  const Mocha = mochaModule.default ?? mochaModule;
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: options.timeout, reporter: 'spec' });
  for (const file of suiteFiles(suiteDir)) mocha.addFile(path.join(suiteDir, file));

  // `notes`: what tests want the outer test to see besides pass/fail (globalThis.__wirelensNotes).
  /** @type {{ passed: string[]; failed: Array<{ title: string; error: string }>; pending: string[]; notes: Record<string, unknown> }} */
  const results = { passed: [], failed: [], pending: [], notes: {} };
  /** @type {any} */ (globalThis).__wirelensNotes = results.notes;
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

module.exports = { runMochaSuite };
