// Preloaded with NODE_OPTIONS=--require into the language server, the CLI and the lesson renderer:
// every way Node opens a network connection, listens, resolves a name or starts a process is replaced
// by a function that records the attempt (one JSON line in $WIRELENS_NETWORK_LOG) and throws. The
// tests then assert that the log is empty (or, for processes, names only what is allowed).
'use strict';
const fs = require('node:fs');

const logFile = process.env.WIRELENS_NETWORK_LOG;

function record(kind, what) {
  const line = JSON.stringify({ pid: process.pid, kind, what: String(what).slice(0, 300), stack: new Error().stack.split('\n').slice(2, 8).join(' | ') });
  if (logFile) fs.appendFileSync(logFile, `${line}\n`);
}

function trap(object, name, kind, describe = (args) => JSON.stringify(args[0] ?? null)) {
  const original = object && object[name];
  if (typeof original !== 'function') return;
  object[name] = function trapped(...args) {
    let what;
    try {
      what = describe(args);
    } catch {
      what = name;
    }
    record(kind, `${name}(${what})`);
    throw new Error(`wirelens network test: ${kind} ${name} is not allowed`);
  };
}

const net = require('node:net');
trap(net.Socket.prototype, 'connect', 'connect');
trap(net, 'connect', 'connect');
trap(net, 'createConnection', 'connect');
trap(net.Server.prototype, 'listen', 'listen');
const tls = require('node:tls');
trap(tls, 'connect', 'connect');
const dgram = require('node:dgram');
trap(dgram, 'createSocket', 'udp');
const dns = require('node:dns');
for (const name of Object.keys(dns)) if (/^(lookup|resolve)/.test(name)) trap(dns, name, 'dns');
for (const name of Object.keys(dns.promises)) if (/^(lookup|resolve)/.test(name)) trap(dns.promises, name, 'dns');
for (const mod of ['node:http', 'node:https']) {
  const m = require(mod);
  trap(m, 'request', 'http', (args) => (typeof args[0] === 'string' ? args[0] : JSON.stringify(args[0]?.host ?? args[0]?.hostname ?? args[0]?.href ?? '')));
  trap(m, 'get', 'http', (args) => (typeof args[0] === 'string' ? args[0] : JSON.stringify(args[0]?.host ?? args[0]?.href ?? '')));
}
trap(require('node:http2'), 'connect', 'http2');
trap(globalThis, 'fetch', 'fetch', (args) => String(args[0]));
if (typeof globalThis.WebSocket === 'function') trap(globalThis, 'WebSocket', 'websocket', (args) => String(args[0]));
const childProcess = require('node:child_process');
for (const name of ['spawn', 'spawnSync', 'exec', 'execSync', 'execFile', 'execFileSync', 'fork']) {
  const original = childProcess[name];
  childProcess[name] = function recorded(...args) {
    // Processes are recorded, not refused: the CLI asks git which files are tracked. The test decides.
    record('process', `${name}(${JSON.stringify([args[0], Array.isArray(args[1]) ? args[1] : undefined])})`);
    return original.apply(this, args);
  };
}
