// Invalid settings through the LSP: each one produces a message that names the setting and says what
// is used instead, shown once (not per document), and the defaults apply; valid settings sent later
// take over without a restart.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PULL, positionOf, StdioServer } from './support/lspServer';

const SOURCE = ["import axios from 'axios';", "export const load = () => axios.get('https://api.example.com/users');", ''].join('\n');
const CALL = positionOf(SOURCE, 'axios.get', 2);

const INVALID = {
  rttMs: 'fast',
  nodeVersion: 'banana',
  loadBalancerIdleTimeoutMs: -5,
  rules: { 'no-such-rule': 'off', 'outbound-request-without-timeout': 'loud' },
  lessonsBaseUrl: 'javascript:alert(1)',
  maxFileBytes: 'big',
};

describe('invalid settings over the LSP', () => {
  it('name the setting in a warning, once, and fall back to the defaults', async () => {
    const server = new StdioServer({ settings: INVALID });
    try {
      await server.initialize(PULL);
      await server.open('file:///tmp/wirelens-settings/a.ts', SOURCE);
      await server.open('file:///tmp/wirelens-settings/b.ts', SOURCE);
      const a = await server.diagnostics('file:///tmp/wirelens-settings/a.ts');
      await server.diagnostics('file:///tmp/wirelens-settings/b.ts');
      // Defaults: the rule keeps its default severity (warning), hovers cost at 50 ms RTT.
      assert.deepEqual(a.items.map((d) => [d.code, d.severity]), [['outbound-request-without-timeout', 2]]);
      const hover = await server.hover('file:///tmp/wirelens-settings/a.ts', CALL.line, CALL.character);
      assert.match(hover!.contents.value, /at 50 ms RTT/);
      const warnings = server.shownMessages();
      for (const w of warnings) assert.equal(w.type, 2, `shown as a warning: ${w.message}`);
      const messages = warnings.map((w) => w.message);
      const expect: Array<[string, RegExp]> = [
        ['rttMs', /wirelens\.rttMs must be a number of milliseconds.*"fast".*using 50/],
        ['nodeVersion', /wirelens\.nodeVersion must be a Node version.*"banana"/],
        ['loadBalancerIdleTimeoutMs', /wirelens\.loadBalancerIdleTimeoutMs must be a positive number.*-5.*using 60000/],
        ['unknown rule', /wirelens\.rules: unknown rule "no-such-rule"/],
        ['rule severity', /wirelens\.rules\.outbound-request-without-timeout must be one of off, hint, info, warning, error \(got "loud"\)/],
        ['lessonsBaseUrl', /wirelens\.lessonsBaseUrl must be an http\(s\) URL.*javascript:alert\(1\)/],
        ['maxFileBytes', /wirelens\.maxFileBytes must be a positive number of bytes.*"big".*1000000/],
      ];
      for (const [name, pattern] of expect) {
        const matching = messages.filter((m) => pattern.test(m));
        assert.equal(matching.length, 1, `one message about ${name} (two documents opened): ${JSON.stringify(messages)}`);
      }
      assert.equal(messages.length, expect.length, JSON.stringify(messages));

      // Valid settings arrive: they apply at once.
      server.settings = { rttMs: 80, rules: { 'outbound-request-without-timeout': 'error' } };
      await server.connection.sendNotification('workspace/didChangeConfiguration', { settings: {} });
      const after = await server.diagnostics('file:///tmp/wirelens-settings/a.ts');
      assert.deepEqual(after.items.map((d) => [d.code, d.severity]), [['outbound-request-without-timeout', 1]]);
      assert.match((await server.hover('file:///tmp/wirelens-settings/a.ts', CALL.line, CALL.character))!.contents.value, /at 80 ms RTT/);
      assert.equal((await server.stop()).code, 0);
    } finally {
      server.kill();
    }
  });

  it('survive settings of the wrong shape altogether', async () => {
    const server = new StdioServer();
    try {
      await server.initialize(PULL);
      await server.open('file:///tmp/wirelens-settings/c.ts', SOURCE);
      for (const settings of [null, 'wirelens', 42, [], { rules: 'all-off' }, { rules: [1, 2] }, { rttMs: { valueOf: 5 } }, { rttMs: 1e309 }, { rules: { __proto__: { x: 1 } } }]) {
        server.settings = settings;
        await server.connection.sendNotification('workspace/didChangeConfiguration', { settings: {} });
        const report = await server.diagnostics('file:///tmp/wirelens-settings/c.ts');
        assert.deepEqual(report.items.map((d) => [d.code, d.severity]), [['outbound-request-without-timeout', 2]], `analysis with defaults under ${JSON.stringify(settings)}`);
      }
      assert.equal((await server.stop()).code, 0);
      assert.equal(server.stderr, '');
    } finally {
      server.kill();
    }
  });
});
