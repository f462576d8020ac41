// @ts-check
// Runs first in the extension-host suite (files run in name order), before anything opens a
// JavaScript file: activates the not-yet-active extension and records how long `activate()` took,
// from the call to the resolved API (loading dist/client.js included, as VS Code counts it). The
// time is a measurement, not a pass/fail bound (speed is judged by the benchmarks: bench/activation.mjs
// reads what this writes to $WIRELENS_ACTIVATION_RESULTS). What is asserted is the behaviour the
// time depends on: activation hands back its API without waiting for the language server.
'use strict';
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const vscode = require('vscode');

const ROOT = path.resolve(__dirname, '..', '..', '..', '..');
const manifest = require(path.join(ROOT, 'package.json'));
const EXTENSION_ID = `${manifest.publisher}.${manifest.name}`;

describe('Wirelens activation', function () {
  it('activates without waiting for its language server, and records how long activate() took', async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is loaded`);
    assert.equal(extension.isActive, false, 'nothing has activated the extension yet (no JavaScript file is open)');
    const t0 = process.hrtime.bigint();
    const api = await extension.activate();
    const activationMs = Number(process.hrtime.bigint() - t0) / 1e6;
    let serverReady = false;
    api.ready.then(() => (serverReady = true), () => undefined);
    // A settled promise runs its callbacks before this await resumes: if the server had already
    // answered `initialize`, serverReady would be true here.
    await Promise.resolve();
    assert.equal(serverReady, false, 'activate() returned only after the language server was ready');
    assert.ok(extension.isActive);
    await api.ready;
    const readyMs = Number(process.hrtime.bigint() - t0) / 1e6;

    const out = process.env.WIRELENS_ACTIVATION_RESULTS;
    if (out) {
      fs.writeFileSync(out, JSON.stringify({
        activationMs,
        serverReadyMs: readyMs,
        node: process.version,
        vscode: vscode.version,
        extensionPath: extension.extensionPath,
        how: 'process.hrtime around vscode.extensions.getExtension(id).activate() in the extension host, first activation',
      }));
    }
  });
});
