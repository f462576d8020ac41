// Measures the extension's activation in code-server's extension host, several times: each run is a
// fresh code-server started exactly as the e2e tests start it (test/e2e/setup.ts), running only the
// activation test of the extension-host suite (test/e2e/exthost/suite/activation.test.js) against
// the extension unpacked from the .vsix, i.e. the minified bundles users get. Started by
// bench/activation.mjs (`node --import tsx bench/activation-run.ts <vsix or extension folder> <runs> <out.json>`).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { runExtensionHostSuite } from '../test/e2e/setup';

async function main(): Promise<void> {
  const [vsix, runsArg, out] = process.argv.slice(2);
  const runs = Number(runsArg);
  const scratch = mkdtempSync(path.join(tmpdir(), 'wirelens-bench-activation-'));
  try {
    // A .vsix is a zip whose extension/ folder is what VS Code installs (a folder is taken as it is).
    let extensionPath = path.resolve(vsix);
    if (!statSync(vsix).isDirectory()) {
      execFileSync('unzip', ['-q', vsix, 'extension/*', '-d', scratch]);
      extensionPath = path.join(scratch, 'extension');
    }
    const samples: Array<Record<string, unknown>> = [];
    for (let i = 0; i < runs; i++) {
      const file = path.join(scratch, `activation-${i}.json`);
      await runExtensionHostSuite({
        suiteDir: path.join(__dirname, '..', 'test', 'e2e', 'exthost', 'suite'),
        files: ['activation.test.js'],
        extensionPath,
        label: 'bench-activation',
        shotsName: 'bench-activation',
        mode: 'act',
        suiteTimeoutMs: 120_000,
        quiet: true,
        env: { WIRELENS_ACTIVATION_RESULTS: file },
      });
      samples.push(JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>);
      process.stderr.write(`bench/activation: run ${i + 1}/${runs}: ${Number(samples[i]!.activationMs).toFixed(1)} ms\n`);
    }
    writeFileSync(out, JSON.stringify({ samples }));
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`bench/activation: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  },
);
