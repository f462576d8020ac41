// Entry point of the bundled server (dist/server.js). The transport comes from the command line:
// `--stdio` for other editors, node IPC when VS Code's client starts it.
import * as nodeModule from 'node:module';
import * as v8 from 'node:v8';
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { tuneAtStart } from './runtimeTuning';
import { startServer } from './server';

// Before any of the server's code runs hot enough to be optimised (the modules above only define functions).
tuneAtStart(v8.setFlagsFromString);

if (process.argv.includes('--version')) {
  process.stdout.write('wirelens-language-server 0.1.0\n');
} else {
  startServer(createConnection(ProposedFeatures.all));
  flushCompileCacheSoon();
}

/**
 * With NODE_COMPILE_CACHE set (the VS Code client sets it; Node >= 22.1), Node writes V8's compiled
 * code of this bundle to disk only when the process exits, and an editor often ends its server with
 * a signal, so the cache would never be written. Write it once the bundle has been compiled (Node
 * >= 23 has flushCompileCache; on older Nodes this does nothing).
 */
function flushCompileCacheSoon(): void {
  const flush = (nodeModule as { flushCompileCache?: () => void }).flushCompileCache;
  if (!flush || !process.env.NODE_COMPILE_CACHE) return;
  setImmediate(() => {
    try {
      flush();
    } catch {
      // a cache that cannot be written only costs the next start its speed-up
    }
  });
}
