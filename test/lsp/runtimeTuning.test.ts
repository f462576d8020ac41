// V8's inlining budget and worker pool (server/src/lsp/runtimeTuning.ts): which flags the server sets on
// itself as it starts, and that a real server under Node sets them (or leaves a budget on its command
// line alone), with a V8 that knows the flag (an unknown one makes V8 print "unrecognized flag"); the
// Node options the client starts it with, and that a server started so runs with the smaller pool.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readdirSync } from 'node:fs';
import { INLINING_BUDGET_FLAG, flagsToSetAtStart, serverNodeArgs, tuneAtStart, workerThreadsFor } from '../../server/src/lsp/runtimeTuning';
import { PULL, StdioServer } from '../reliability/support/lspServer';

const NODE = { node: '20.20.2', v8: '11.3.244.8-node.33' };
const ELECTRON = { ...NODE, electron: '29.4.0' };

describe('V8 tuning at start', () => {
  it('sets the inlining budget in Node when the command line does not', () => {
    assert.match(INLINING_BUDGET_FLAG, /^--max-inlined-bytecode-size-cumulative=\d+$/);
    assert.deepEqual(flagsToSetAtStart([], NODE), [INLINING_BUDGET_FLAG]);
    assert.deepEqual(flagsToSetAtStart(['--expose-gc', '--max-old-space-size=4096'], NODE), [INLINING_BUDGET_FLAG]);
  });

  it('leaves a budget given on the command line alone, however it is spelt', () => {
    assert.deepEqual(flagsToSetAtStart([INLINING_BUDGET_FLAG], NODE), []);
    assert.deepEqual(flagsToSetAtStart(['--max_inlined_bytecode_size_cumulative=920'], NODE), []);
    assert.deepEqual(flagsToSetAtStart(['--max-inlined-bytecode-size-cumulative', '300'], NODE), []);
    // Another flag whose name starts the same way is not the budget.
    assert.deepEqual(flagsToSetAtStart(['--max-inlined-bytecode-size=460'], NODE), [INLINING_BUDGET_FLAG]);
  });

  it('sets nothing under Electron, whose flags come on the command line only', () => {
    assert.deepEqual(flagsToSetAtStart([], ELECTRON), []);
  });

  it('tuneAtStart hands each flag to the setter and remembers them', () => {
    const set: string[] = [];
    assert.deepEqual(tuneAtStart((f) => set.push(f), [], NODE), [INLINING_BUDGET_FLAG]);
    assert.deepEqual(set, [INLINING_BUDGET_FLAG]);
    set.length = 0;
    assert.deepEqual(tuneAtStart((f) => set.push(f), [], ELECTRON), []);
    assert.deepEqual(set, []);
  });

  it('gives V8 half the cores for its workers, at least one and at most Node\'s four', () => {
    assert.deepEqual([1, 2, 3, 4, 6, 8, 16, 64].map(workerThreadsFor), [1, 1, 1, 2, 3, 4, 4, 4]);
    assert.deepEqual(serverNodeArgs(2), [INLINING_BUDGET_FLAG, '--v8-pool-size=1']);
    assert.deepEqual(serverNodeArgs(12), [INLINING_BUDGET_FLAG, '--v8-pool-size=4']);
  });

  const runtimeOf = async (server: StdioServer) => {
    await server.initialize(PULL);
    return server.connection.sendRequest<{ execArgv: string[]; flagsSetAtStart: string[] }>('wirelens/runtimeForTest', {});
  };

  it('a server started by other editors (plain node) sets the budget on itself', async () => {
    const server = new StdioServer({ env: { WIRELENS_TEST_HOOKS: '1' } });
    try {
      const runtime = await runtimeOf(server);
      assert.deepEqual(runtime.flagsSetAtStart, [INLINING_BUDGET_FLAG]);
      assert.deepEqual(runtime.execArgv, []);
      await server.open('file:///tmp/wirelens-tuning/a.js', "const axios = require('axios');\naxios.get('https://api.example.com/x');\n");
      assert.equal((await server.diagnostics('file:///tmp/wirelens-tuning/a.js')).items.length, 1);
      assert.equal((await server.stop()).code, 0);
      assert.doesNotMatch(server.stderr, /unrecognized flag/i);
    } finally {
      server.kill();
    }
  });

  it('a server started with the budget on its command line (the VS Code client) keeps it', async () => {
    const server = new StdioServer({ env: { WIRELENS_TEST_HOOKS: '1' }, nodeArgs: [INLINING_BUDGET_FLAG] });
    try {
      const runtime = await runtimeOf(server);
      assert.deepEqual(runtime.flagsSetAtStart, []);
      assert.deepEqual(runtime.execArgv, [INLINING_BUDGET_FLAG]);
      assert.equal((await server.stop()).code, 0);
      assert.doesNotMatch(server.stderr, /unrecognized flag|bad option/i);
    } finally {
      server.kill();
    }
  });

  // Node names none of its threads, so the pool shows in how many the process has: the same server
  // with Node's default pool of four, and with one.
  it('a server started as the VS Code client starts it runs with the smaller pool', { skip: process.platform !== 'linux' && 'counts threads in /proc' }, async () => {
    const threads = async (nodeArgs: string[]) => {
      const server = new StdioServer({ env: { WIRELENS_TEST_HOOKS: '1' }, nodeArgs });
      try {
        const runtime = await runtimeOf(server);
        assert.deepEqual(runtime.execArgv, nodeArgs);
        await server.open('file:///tmp/wirelens-tuning/b.js', "const axios = require('axios');\naxios.get('https://api.example.com/x');\n");
        assert.equal((await server.diagnostics('file:///tmp/wirelens-tuning/b.js')).items.length, 1);
        const count = readdirSync(`/proc/${server.process.pid}/task`).length;
        assert.equal((await server.stop()).code, 0);
        assert.doesNotMatch(server.stderr, /unrecognized flag|bad option/i);
        return count;
      } finally {
        server.kill();
      }
    };
    const withDefaultPool = await threads([INLINING_BUDGET_FLAG]);
    const asTheClientStartsIt = await threads(serverNodeArgs(2));
    assert.equal(withDefaultPool - asTheClientStartsIt, 4 - workerThreadsFor(2));
  });
});
