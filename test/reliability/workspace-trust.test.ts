// Untrusted workspaces. Every contributed setting is classified: the ones a workspace must not choose
// in Restricted Mode are in the manifest's restrictedConfigurations, every other one is listed here with
// why it is harmless from a hostile checkout (a new setting fails this test until someone decides).
// The client's trust logic (client/src/trustedSettings.ts) is checked on its own and through the
// server's settings parser: in Restricted Mode a workspace's lesson URL and size limit never reach the
// server, the user's own values do, and every other setting still applies.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { applyWorkspaceTrust, ignoredWorkspaceKeys, restrictedKeys, userLevelValue, type SettingInspection, type TrustContext } from '../../client/src/trustedSettings';
import { toServerSettings } from '../../server/src/lsp/settings';
import { DEFAULT_LESSONS_BASE_URL } from '../../server/src/lessons/links';
import { PULL, StdioServer } from './support/lspServer';

const ROOT = path.resolve(__dirname, '..', '..');
const manifest = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  capabilities: { untrustedWorkspaces: { supported: unknown; description?: string; restrictedConfigurations?: string[] }; virtualWorkspaces: unknown };
  contributes: { configuration: { properties: Record<string, unknown> } };
};

/** Settings a workspace may set even untrusted, and why that is safe. */
const HARMLESS_FROM_A_WORKSPACE: Record<string, string> = {
  'wirelens.rttMs': 'a number (0–10,000 ms) used in arithmetic and hover text',
  'wirelens.nodeVersion': 'a Node major version picking built-in defaults from a table; nothing is run or loaded for it',
  'wirelens.loadBalancerIdleTimeoutMs': 'a number compared with server timeouts',
  'wirelens.rules': 'rule ids mapped to severities; unknown ids and values are reported and ignored',
  'wirelens.exclude': 'globs compiled by our own matcher (no regular expressions from the user, no file system access)',
};
/** Settings only user settings may set in Restricted Mode, and why. */
const RESTRICTED: Record<string, string> = {
  'wirelens.lessonsBaseUrl': 'every diagnostic links to it (codeDescription.href): a workspace could send the user to a site of its choosing',
  'wirelens.maxFileBytes': 'the limit that keeps the server away from a checkout\'s huge files: the checkout must not raise it',
};

/** A fake `inspect()` over levels given per key. */
function inspector(levels: Record<string, SettingInspection>): (key: string) => SettingInspection | undefined {
  return (key) => levels[key];
}

describe('untrusted workspaces', () => {
  it('the manifest declares limited support with exactly the restricted settings, and a reason', () => {
    const trust = manifest.capabilities.untrustedWorkspaces;
    assert.equal(trust.supported, 'limited');
    assert.ok(trust.description && trust.description.length > 20, 'limited support needs a description (VS Code shows it)');
    assert.deepEqual([...(trust.restrictedConfigurations ?? [])].sort(), Object.keys(RESTRICTED).sort());
    assert.equal(manifest.capabilities.virtualWorkspaces, true);
  });

  it('every contributed setting is either restricted or known to be harmless from a workspace', () => {
    const contributed = Object.keys(manifest.contributes.configuration.properties).sort();
    const classified = [...Object.keys(RESTRICTED), ...Object.keys(HARMLESS_FROM_A_WORKSPACE)].sort();
    assert.deepEqual(contributed, classified, 'a new setting must be classified here (restrictedConfigurations or harmless, with why)');
    for (const [key, schema] of Object.entries(manifest.contributes.configuration.properties)) {
      // No setting is a path, a command or an executable: nothing for a workspace to point at a program.
      const { type, format } = schema as { type?: unknown; format?: unknown };
      assert.doesNotMatch(key, /path|command|executable|binary|program|script|module|server|url(?!$)/i, key);
      assert.ok(['number', 'string', 'object', 'array'].includes(String(type)) && format === undefined, `${key}: ${String(type)}`);
    }
  });

  it('restrictedKeys reads the manifest, relative to the section', () => {
    assert.deepEqual(restrictedKeys(manifest, 'wirelens').sort(), ['lessonsBaseUrl', 'maxFileBytes']);
    assert.deepEqual(restrictedKeys({}, 'wirelens'), []);
    assert.deepEqual(restrictedKeys({ capabilities: { untrustedWorkspaces: { restrictedConfigurations: ['other.x', 7, 'wirelens.y'] } } }, 'wirelens'), ['y']);
  });

  const section = { rttMs: 120, rules: { 'outbound-request-without-timeout': 'error' }, lessonsBaseUrl: 'https://evil.example/phish/', maxFileBytes: 1e12 };
  const levels: Record<string, SettingInspection> = {
    lessonsBaseUrl: { defaultValue: DEFAULT_LESSONS_BASE_URL, workspaceValue: 'https://evil.example/phish/' },
    maxFileBytes: { defaultValue: 1_000_000, globalValue: 2_000_000, workspaceFolderValue: 1e12 },
    rttMs: { defaultValue: 50, workspaceValue: 120 },
  };
  const untrusted: TrustContext = { trusted: false, restricted: restrictedKeys(manifest, 'wirelens'), inspect: inspector(levels) };

  it('untrusted: restricted keys take the user value or fall back to the default; the rest is kept', () => {
    const sent = applyWorkspaceTrust(section, untrusted) as Record<string, unknown>;
    assert.equal(sent.maxFileBytes, 2_000_000, 'the user\'s own value');
    assert.equal('lessonsBaseUrl' in sent, false, 'no user value: left to the server\'s default');
    assert.equal(sent.rttMs, 120, 'harmless workspace settings still apply');
    assert.deepEqual(sent.rules, section.rules);
    assert.equal(section.lessonsBaseUrl, 'https://evil.example/phish/', 'the input is not modified');
    const server = toServerSettings(sent, 'file:///w/a.js');
    assert.equal(server.lessonsBaseUrl, DEFAULT_LESSONS_BASE_URL);
    assert.equal(server.maxFileBytes, 2_000_000);
    assert.equal(server.analysis.rttMs, 120);
    assert.deepEqual(server.problems, []);
    assert.deepEqual(ignoredWorkspaceKeys(untrusted).sort(), ['lessonsBaseUrl', 'maxFileBytes']);
  });

  it('trusted (or trust granted): the workspace values apply unchanged', () => {
    const trusted = { ...untrusted, trusted: true };
    assert.equal(applyWorkspaceTrust(section, trusted), section);
    assert.deepEqual(ignoredWorkspaceKeys(trusted), []);
    const server = toServerSettings(applyWorkspaceTrust(section, trusted), 'file:///w/a.js');
    assert.equal(server.lessonsBaseUrl, 'https://evil.example/phish/');
    assert.equal(server.maxFileBytes, 1e12);
  });

  it('a language-specific user value wins over the plain one; workspace language values never do', () => {
    assert.equal(userLevelValue({ globalValue: 1, globalLanguageValue: 2, workspaceLanguageValue: 3 }), 2);
    assert.equal(userLevelValue({ workspaceValue: 3, workspaceLanguageValue: 4, defaultValue: 5 }), undefined);
    const sent = applyWorkspaceTrust({ maxFileBytes: 9 }, { trusted: false, restricted: ['maxFileBytes'], inspect: () => ({ workspaceLanguageValue: 9 }) });
    assert.deepEqual(sent, {});
    assert.deepEqual(ignoredWorkspaceKeys({ trusted: false, restricted: ['maxFileBytes'], inspect: () => ({ workspaceLanguageValue: 9 }) }), ['maxFileBytes']);
  });

  it('settings of the wrong shape pass through (the server reports them and uses defaults)', () => {
    for (const odd of [null, undefined, 'all', 42, ['x']]) assert.equal(applyWorkspaceTrust(odd, untrusted), odd);
  });

  it('through the language server: what the client sends is what the diagnostics link to', async () => {
    // The server asks the client for settings (workspace/configuration); the client answers with the
    // section after applyWorkspaceTrust, as the extension's middleware does.
    const server = new StdioServer({ settings: applyWorkspaceTrust(section, untrusted) });
    try {
      await server.initialize(PULL);
      const uri = 'file:///tmp/wirelens-trust/a.js';
      await server.open(uri, "const axios = require('axios');\nexports.load = () => axios.get('https://api.example.com/users');\n", 1, 'javascript');
      const hrefs = async () => (await server.diagnostics(uri)).items.map((d) => (d as { codeDescription?: { href: string } }).codeDescription?.href ?? '');
      const before = await hrefs();
      assert.ok(before.length > 0, 'the sample has findings');
      for (const href of before) assert.ok(href.startsWith(DEFAULT_LESSONS_BASE_URL), href);
      // Trust granted: the client sends didChangeConfiguration and the server reads its settings again.
      server.settings = applyWorkspaceTrust(section, { ...untrusted, trusted: true });
      await server.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
      const after = await hrefs();
      assert.equal(after.length, before.length);
      for (const href of after) assert.ok(href.startsWith('https://evil.example/phish/'), href);
      assert.equal((await server.stop()).code, 0);
    } finally {
      server.kill();
    }
  });
});
