// @ts-check
// Entry point of the Restricted Mode extension-host suite (`extensionTestsPath`), run inside VS Code's
// extension host by code-server's smoke-test driver with workspace trust on and the folder untrusted
// (test/reliability/untrusted-workspace.test.ts). Results go, as JSON, to $WIRELENS_EXTHOST_RESULTS
// so the outer test checks which tests ran.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

/** @returns {Promise<void>} */
async function run() {
  const mochaModule = require('mocha');
  /** @type {typeof import('mocha')} */
  const Mocha = mochaModule.default ?? mochaModule;
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 120_000, reporter: 'spec' });
  for (const file of fs.readdirSync(__dirname).filter((f) => f.endsWith('.test.js')).sort()) mocha.addFile(path.join(__dirname, file));
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

module.exports = { run };
