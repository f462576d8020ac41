// @ts-check
// Runs first in the extension-host suite (files run in name order), before anything opens a
// JavaScript file: activates the not-yet-active extension and records what VS Code counts as its
// activation time ("Developer: Show Running Extensions"): loading the extension's main module plus
// the synchronous activate() call. Both are synchronous, so other extensions starting up in the same
// host cannot inflate them (they do inflate the wall time until activate()'s promise resolves, also
// recorded). The time is a measurement, not a pass/fail bound: speed is judged by the benchmarks
// (bench/activation.mjs reads what this writes to $WIRELENS_ACTIVATION_RESULTS). What is asserted is
// the behaviour the time depends on: activation hands back its API without waiting for the server.
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
    // Load the main module the way the host does (Node's require, whose cache the host shares), timing
    // it; then wrap its activate() so the host's call to it is timed too.
    const main = require.resolve(path.join(extension.extensionPath, extension.packageJSON.main));
    assert.equal(require.cache[main], undefined, 'the main module is not loaded yet');
    const msSince = (/** @type {bigint} */ t) => Number(process.hrtime.bigint() - t) / 1e6;
    // CPU time too: on a loaded machine wall time also counts waiting for a core. The extension
    // host thread's own (process.threadCpuUsage, Node >= 23.9) where there is one, else the process's.
    /** @type {(previous?: NodeJS.CpuUsage) => NodeJS.CpuUsage} */
    const cpuUsage = /** @type {any} */ (process).threadCpuUsage?.bind(process) ?? process.cpuUsage.bind(process);
    const cpuMsSince = (/** @type {NodeJS.CpuUsage} */ c) => {
      const d = cpuUsage(c);
      return (d.user + d.system) / 1000;
    };
    let t = process.hrtime.bigint();
    const c0 = cpuUsage();
    const loaded = require(main);
    const codeLoadingMs = msSince(t);
    const codeLoadingCpuMs = cpuMsSince(c0);
    /** @type {number | undefined} */
    let activateCallMs;
    /** @type {number | undefined} */
    let activateCallCpuMs;
    /** @type {Promise<{ ms: number, cpuMs: number }> | undefined} */
    let deferredDone;
    const cached = require.cache[main];
    assert.ok(cached);
    cached.exports = {
      ...loaded,
      activate: (/** @type {vscode.ExtensionContext} */ context) => {
        const t1 = process.hrtime.bigint();
        const c1 = cpuUsage();
        try {
          return loaded.activate(context);
        } finally {
          activateCallMs = msSince(t1);
          activateCallCpuMs = cpuMsSince(c1);
          // What activate() leaves for right after it returns (the extension loads and starts its
          // language client in a setImmediate): an immediate queued now runs after it, so this
          // times that deferred work, which is not activation but still runs on this thread.
          const t2 = process.hrtime.bigint();
          const c2 = cpuUsage();
          deferredDone = new Promise((resolve) => setImmediate(() => resolve({ ms: msSince(t2), cpuMs: cpuMsSince(c2) })));
        }
      },
      deactivate: () => loaded.deactivate(),
    };
    t = process.hrtime.bigint();
    const api = await extension.activate();
    const activateResolvedMs = msSince(t);
    assert.ok(activateCallMs !== undefined, "the host called the main module's activate()");
    const activationMs = codeLoadingMs + activateCallMs;
    const activationCpuMs = codeLoadingCpuMs + (activateCallCpuMs ?? 0);
    let serverReady = false;
    api.ready.then(() => (serverReady = true), () => undefined);
    // A settled promise runs its callbacks before this await resumes: if the server had already
    // answered `initialize`, serverReady would be true here.
    await Promise.resolve();
    assert.equal(serverReady, false, 'activate() returned only after the language server was ready');
    assert.ok(extension.isActive);
    const deferred = await deferredDone;
    await api.ready;
    const serverReadyMs = msSince(t);

    const out = process.env.WIRELENS_ACTIVATION_RESULTS;
    if (out) {
      fs.writeFileSync(out, JSON.stringify({
        activationMs,
        activationCpuMs,
        cpuClock: 'threadCpuUsage' in process ? 'extension host thread' : 'extension host process',
        codeLoadingMs,
        codeLoadingCpuMs,
        activateCallMs,
        activateCallCpuMs,
        activateResolvedMs,
        deferredMs: deferred?.ms,
        deferredCpuMs: deferred?.cpuMs,
        serverReadyMs,
        node: process.version,
        vscode: vscode.version,
        extensionPath: extension.extensionPath,
        how: 'code loading + activate() call, timed with process.hrtime in the extension host (what Show Running Extensions counts)',
      }));
    }
  });
});
