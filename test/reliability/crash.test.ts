// The server side of crash recovery, over stdio: with WIRELENS_TEST_HOOKS=1 (and only then) the
// `wirelens/crashForTest` notification kills the server with an uncaught exception, as a bug would,
// which is what VS Code's client restarts (test/reliability/vscode-status.test.ts checks that part).
// A new server process then starts from nothing and answers as before.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PULL, StdioServer } from './support/lspServer';

const URI = 'file:///tmp/wirelens-crash/a.ts';
const SOURCE = "import axios from 'axios';\nexport const load = () => axios.get('https://api.example.com/users');\n";

describe('server crashes', () => {
  it('crashForTest ends the process with an uncaught exception; a fresh process answers again', async () => {
    const first = new StdioServer({ env: { WIRELENS_TEST_HOOKS: '1' } });
    try {
      await first.initialize(PULL);
      await first.open(URI, SOURCE);
      assert.equal((await first.diagnostics(URI)).items.length, 1);
      await first.connection.sendNotification('wirelens/crashForTest', {});
      const exit = await first.exited;
      assert.equal(exit.code, 1, 'a non-zero exit: the client sees a crash, not a shutdown');
      assert.match(first.stderr, /crash requested by a test/);
    } finally {
      first.kill();
    }
    const second = new StdioServer({ env: { WIRELENS_TEST_HOOKS: '1' } });
    try {
      await second.initialize(PULL);
      await second.open(URI, SOURCE);
      assert.equal((await second.diagnostics(URI)).items.length, 1);
      assert.equal((await second.stop()).code, 0);
    } finally {
      second.kill();
    }
  });

  it('ignores crashForTest without the environment switch', async () => {
    const server = new StdioServer({ env: { WIRELENS_TEST_HOOKS: '' } });
    try {
      await server.initialize(PULL);
      await server.open(URI, SOURCE);
      await server.connection.sendNotification('wirelens/crashForTest', {});
      assert.equal((await server.diagnostics(URI)).items.length, 1, 'still running after the notification');
      assert.equal((await server.stop()).code, 0);
    } finally {
      server.kill();
    }
  });
});
