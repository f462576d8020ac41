// Preloaded (NODE_OPTIONS=--require) into the language server: records every path the process asks
// the file system about, one line each in $WIRELENS_FS_LOG, so a test can check that documents with
// virtual URIs (vscode-vfs:, untitled:) never lead the server to the disk.
'use strict';
const fs = require('node:fs');

const logFile = process.env.WIRELENS_FS_LOG;
const write = fs.appendFileSync;
let recording = false;

function wrap(object, name) {
  const original = object[name];
  if (typeof original !== 'function') return;
  object[name] = function recorded(...args) {
    if (logFile && !recording && (typeof args[0] === 'string' || args[0] instanceof URL)) {
      recording = true;
      try {
        write(logFile, `${name} ${String(args[0])}\n`);
      } finally {
        recording = false;
      }
    }
    return original.apply(this, args);
  };
}

for (const name of ['readFileSync', 'openSync', 'statSync', 'lstatSync', 'existsSync', 'readdirSync', 'accessSync', 'readFile', 'open', 'stat', 'lstat', 'readdir', 'access', 'createReadStream']) wrap(fs, name);
for (const name of ['readFile', 'open', 'stat', 'lstat', 'readdir', 'access']) wrap(fs.promises, name);
