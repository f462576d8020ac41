// The client's restart policy for a crashed language server (client/src/restartPolicy.ts): four
// restarts within three minutes, the fifth crash is final; writes to a server that is already gone
// never shut the client down (a burst of EPIPE errors once did, in the code-server crash test).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RestartPolicy, isWriteToDeadServer, keepConnectionAfterError } from '../../client/src/restartPolicy';

describe('restart policy', () => {
  it('restarts four crashes within three minutes and gives up on the fifth', () => {
    let now = 0;
    const policy = new RestartPolicy(4, 180_000, () => now);
    const answers = [0, 10_000, 20_000, 30_000, 40_000].map((t) => ((now = t), policy.restartAfterClose()));
    assert.deepEqual(answers, [true, true, true, true, false]);
  });

  it('forgets crashes older than the window', () => {
    let now = 0;
    const policy = new RestartPolicy(4, 180_000, () => now);
    for (const t of [0, 60_000, 120_000, 170_000]) ((now = t), assert.equal(policy.restartAfterClose(), true));
    // The first crash is now more than three minutes old: four in the window, restart.
    now = 181_000;
    assert.equal(policy.restartAfterClose(), true);
    // Five within three minutes (60 s … 200 s): give up.
    now = 200_000;
    assert.equal(policy.restartAfterClose(), false);
  });

  it('never lets writes to a dead server decide, and tolerates three other errors per connection', () => {
    const epipe = Object.assign(new Error('write EPIPE'), { code: 'EPIPE' });
    assert.equal(isWriteToDeadServer(epipe), true);
    assert.equal(isWriteToDeadServer(new Error('write EPIPE')), true);
    assert.equal(isWriteToDeadServer(Object.assign(new Error('Channel closed'), { code: 'ERR_IPC_CHANNEL_CLOSED' })), true);
    assert.equal(isWriteToDeadServer(new Error('Header must provide a Content-Length property.')), false);
    for (let count = 1; count <= 10; count++) assert.equal(keepConnectionAfterError(epipe, count), true, `EPIPE number ${count}`);
    const other = new Error('Unexpected message');
    assert.deepEqual([1, 2, 3, 4].map((count) => keepConnectionAfterError(other, count)), [true, true, true, false]);
  });
});
