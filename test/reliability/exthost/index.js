// @ts-check
// Entry point of the reliability extension-host suite (`extensionTestsPath`), run by code-server's
// smoke-test driver (test/reliability/vscode-status.test.ts). Crash restarts take longer than the
// e2e suite's steps, hence the longer per-test timeout.
'use strict';
const { runMochaSuite } = require('../../e2e/exthost/mocha-suite');

/** @returns {Promise<void>} */
function run() {
  return runMochaSuite(__dirname, { timeout: 120_000 });
}

module.exports = { run };
