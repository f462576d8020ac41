// Requests that exist only for the reliability tests, and only when the process was started with
// WIRELENS_TEST_HOOKS=1 (never by the VS Code client on its own, never by other editors): crash the
// server the way a bug would (a notification), report memory after a full collection, and say which
// V8 flags the server set on itself as it started (requests).
import type { Connection } from 'vscode-languageserver/node';
import { flagsSetAtStart } from './runtimeTuning';

export const TEST_HOOKS_ENV = 'WIRELENS_TEST_HOOKS';
export const CRASH_FOR_TEST = 'wirelens/crashForTest';
export const MEMORY_FOR_TEST = 'wirelens/memoryForTest';
export const RUNTIME_FOR_TEST = 'wirelens/runtimeForTest';

export function registerTestHooks(connection: Connection, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env[TEST_HOOKS_ENV] !== '1') return false;
  // A notification (nothing to answer): an exception nobody catches, outside any handler, as a real bug would throw.
  connection.onNotification(CRASH_FOR_TEST, () => {
    setImmediate(() => {
      throw new Error('wirelens: crash requested by a test (wirelens/crashForTest)');
    });
  });
  connection.onRequest(MEMORY_FOR_TEST, () => {
    // `gc` exists when the test started the server with --expose-gc.
    const gc = (globalThis as { gc?: () => void }).gc;
    gc?.();
    gc?.();
    return { collected: !!gc, ...process.memoryUsage() };
  });
  connection.onRequest(RUNTIME_FOR_TEST, () => ({ execArgv: process.execArgv, flagsSetAtStart: flagsSetAtStart() }));
  return true;
}
