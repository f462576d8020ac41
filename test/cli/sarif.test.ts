// `wirelens check --format sarif`: valid SARIF 2.1.0 (checked against the OASIS schema with
// ajv's draft-07 support), with rules, help, lesson URIs, relative locations and fixes.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import Ajv from 'ajv';
import { AXIOS_WITHOUT_TIMEOUT, EXPRESS_LISTEN, FETCH_WITH_TIMEOUT, git, makeProject, ROOT, runCli, spawnCli, TLS_DISABLED } from './helpers';

const schema = JSON.parse(readFileSync(path.join(__dirname, 'fixtures', 'sarif-schema-2.1.0.json'), 'utf8')) as Record<string, unknown>;

function validator() {
  const ajv = new Ajv({ allErrors: true, strict: false });
  // The schema uses these formats; check them rather than ignore them.
  ajv.addFormat('uri', (s: string) => /^[a-z][a-z0-9+.-]*:/i.test(s) && URL.canParse(s));
  ajv.addFormat('uri-reference', (s: string) => URL.canParse(s, 'file:///base/') && !/\s/.test(s));
  ajv.addFormat('date-time', (s: string) => !Number.isNaN(Date.parse(s)) && /^\d{4}-\d\d-\d\dT/.test(s));
  return ajv.compile(schema);
}

const cleanups: Array<() => void> = [];
after(() => cleanups.forEach((c) => c()));

interface SarifLog {
  $schema: string;
  version: string;
  runs: Array<{
    tool: { driver: { name: string; version: string; informationUri: string; rules: Array<Record<string, any>> } };
    originalUriBaseIds: Record<string, { uri: string }>;
    columnKind: string;
    results: Array<Record<string, any>>;
    invocations: Array<{ executionSuccessful: boolean }>;
  }>;
}

describe('wirelens check --format sarif', () => {
  it('the validator rejects what the schema forbids (so a pass means something)', async () => {
    const validate = validator();
    assert.equal(validate({ version: '2.1.0', runs: [{ tool: { driver: { name: 'x' } }, results: [{ message: { text: 'm' }, level: 'fatal' }] }] }), false);
    assert.equal(validate({ version: '2.0.0', runs: [] }), false);
    assert.equal(validate({ version: '2.1.0', runs: [{ tool: { driver: { name: 'x', informationUri: 'not a uri' } } }] }), false);
    assert.equal(validate({ version: '2.1.0', runs: [{ tool: { driver: { name: 'x' } }, results: [] }] }), true);
  });

  it('is valid SARIF 2.1.0 with rules, levels, relative locations, related locations and fixes', async () => {
    const p = makeProject({ 'src/client.ts': AXIOS_WITHOUT_TIMEOUT, 'src/tls.ts': TLS_DISABLED, 'src/server.ts': EXPRESS_LISTEN, 'src/ok.ts': FETCH_WITH_TIMEOUT, 'src/dir with space/x y.ts': AXIOS_WITHOUT_TIMEOUT });
    cleanups.push(p.cleanup);
    git(p.dir, 'init', '-q');
    const r = spawnCli(['check', 'src', '--format', 'sarif'], p.dir);
    assert.equal(r.status, 1, r.stderr);
    const log = JSON.parse(r.stdout) as SarifLog;
    const validate = validator();
    assert.ok(validate(log), JSON.stringify(validate.errors, null, 2));

    assert.equal(log.version, '2.1.0');
    const run = log.runs[0];
    const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
    assert.equal(run.tool.driver.name, 'Wirelens');
    assert.equal(run.tool.driver.version, pkg.version);
    assert.match(run.tool.driver.informationUri, /^https:\/\//);
    assert.equal(run.columnKind, 'utf16CodeUnits');
    assert.equal(run.originalUriBaseIds['%SRCROOT%'].uri, `file://${p.dir}/`);

    const ids = run.tool.driver.rules.map((rule) => rule.id);
    assert.ok(ids.includes('outbound-request-without-timeout') && ids.includes('tls-certificate-validation-disabled') && ids.includes('server-keepalive-timeout-below-lb-idle'));
    for (const rule of run.tool.driver.rules) {
      assert.ok(rule.shortDescription.text.length > 0, `${rule.id} title`);
      assert.ok(rule.fullDescription.text.length > 20, `${rule.id} description`);
      assert.match(rule.helpUri, new RegExp(`^https://wirelens\\.dev/lessons/[a-z0-9-]+\\.html$`));
      assert.ok(rule.help.text.includes(rule.helpUri) && rule.help.markdown.includes(`](${rule.helpUri})`), `${rule.id} help links the lesson`);
      assert.ok(['error', 'warning', 'note'].includes(rule.defaultConfiguration.level));
    }

    const byRule = (id: string) => run.results.filter((res) => res.ruleId === id);
    const axios = byRule('outbound-request-without-timeout');
    assert.deepEqual(axios.map((res) => res.locations[0].physicalLocation.artifactLocation), [
      { uri: 'src/client.ts', uriBaseId: '%SRCROOT%' },
      { uri: 'src/dir%20with%20space/x%20y.ts', uriBaseId: '%SRCROOT%' },
    ]);
    assert.deepEqual(axios[0].locations[0].physicalLocation.region, { startLine: 2, startColumn: 26, endLine: 2, endColumn: 35 });
    assert.equal(axios[0].level, 'warning');
    assert.equal(run.tool.driver.rules[axios[0].ruleIndex].id, 'outbound-request-without-timeout');
    assert.match(axios[0].message.text, /^axios\.get has no timeout/);

    // Information-level findings are SARIF notes; related locations point at the second place.
    const server = byRule('server-keepalive-timeout-below-lb-idle')[0];
    assert.equal(server.level, 'note');
    assert.deepEqual(server.relatedLocations[0].physicalLocation.region, { startLine: 2, startColumn: 13, endLine: 2, endColumn: 22 });

    // Mechanical fixes travel as replacements.
    const withFix = run.results.find((res) => res.fixes);
    assert.ok(withFix, 'at least one result carries a fix');
    const replacement = withFix.fixes[0].artifactChanges[0].replacements[0];
    assert.ok(typeof replacement.insertedContent.text === 'string' && replacement.deletedRegion.startLine >= 1);
    assert.equal(run.invocations[0].executionSuccessful, true);
  });

  it('is valid with no results, and with rule severities overridden', async () => {
    const p = makeProject({ 'a.ts': FETCH_WITH_TIMEOUT, 'b.ts': TLS_DISABLED });
    cleanups.push(p.cleanup);
    const clean = await runCli(['check', 'a.ts', '--format', 'sarif'], p.dir);
    assert.equal(clean.status, 0, clean.stderr);
    const log = JSON.parse(clean.stdout) as SarifLog;
    assert.ok(validator()(log));
    assert.deepEqual(log.runs[0].results, []);
    const hinted = JSON.parse((await runCli(['check', 'b.ts', '--format', 'sarif', '--rule', 'tls-certificate-validation-disabled=hint'], p.dir)).stdout) as SarifLog;
    assert.ok(validator()(hinted));
    assert.equal(hinted.runs[0].results[0].level, 'note');
    const errored = JSON.parse((await runCli(['check', 'b.ts', '--format', 'sarif', '--rule', 'tls-certificate-validation-disabled=error'], p.dir)).stdout) as SarifLog;
    assert.equal(errored.runs[0].results[0].level, 'error');
  });

  it('writes the report to --output for CI uploads, keeping the exit code', async () => {
    const p = makeProject({ 'b.ts': TLS_DISABLED });
    cleanups.push(p.cleanup);
    const r = await runCli(['check', '.', '--format', 'sarif', '--output', 'out/wirelens.sarif'], p.dir);
    assert.equal(r.status, 2, 'a missing output folder is reported');
    assert.match(r.stderr, /--output: cannot write out\/wirelens\.sarif/);
    const ok = await runCli(['check', '.', '--format', 'sarif', '-o', 'wirelens.sarif'], p.dir);
    assert.equal(ok.status, 1, ok.stderr);
    assert.equal(ok.stdout, '');
    const log = JSON.parse(readFileSync(path.join(p.dir, 'wirelens.sarif'), 'utf8')) as SarifLog;
    assert.ok(validator()(log));
    assert.equal(log.runs[0].results.length, 1);
  });

  it('uses lessonsBaseUrl from the settings for help URIs', async () => {
    const p = makeProject({ 'wirelens.json': JSON.stringify({ lessonsBaseUrl: 'https://docs.internal.example/wirelens' }), 'b.ts': TLS_DISABLED });
    cleanups.push(p.cleanup);
    const log = JSON.parse((await runCli(['check', '.', '--format', 'sarif'], p.dir)).stdout) as SarifLog;
    assert.ok(validator()(log));
    for (const rule of log.runs[0].tool.driver.rules) assert.match(rule.helpUri, /^https:\/\/docs\.internal\.example\/wirelens\/[a-z0-9-]+\.html$/);
  });
});
