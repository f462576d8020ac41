// @ts-check
// Entry point of the extension-host suite (`extensionTestsPath`) for code-server's smoke-test driver
// (test/e2e/vscode-exthost.test.ts) and @vscode/test-electron (test/e2e/exthost/runTest.ts).
'use strict';
const { runMochaSuite } = require('../mocha-suite');

/** @returns {Promise<void>} */
function run() {
  return runMochaSuite(__dirname, { timeout: 60_000 });
}

module.exports = { run };
