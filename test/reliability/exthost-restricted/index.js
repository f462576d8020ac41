// @ts-check
// Entry point of the Restricted Mode extension-host suite (`extensionTestsPath`), run inside VS Code's
// extension host by code-server's smoke-test driver with workspace trust on and the folder untrusted
// (test/reliability/untrusted-workspace.test.ts). Results, with the tests' notes, go as JSON to
// $WIRELENS_EXTHOST_RESULTS so the outer test checks which tests ran.
'use strict';
const { runMochaSuite } = require('../../e2e/exthost/mocha-suite');

/** @returns {Promise<void>} */
function run() {
  return runMochaSuite(__dirname, { timeout: 120_000 });
}

module.exports = { run };
