// The status item and crash restarts in a real VS Code: code-server loads the extension from this
// repository and runs the mocha suite in test/reliability/exthost inside its extension host (see
// runExtensionHostSuite in test/e2e/setup.ts). Needs the end-to-end toolchain
// (`bash .ci/setup-e2e.sh`): skipped with a message on a dev machine without it, failed in CI.
import * as path from 'node:path';
import { it } from 'node:test';
import { e2eSkip, runExtensionHostSuite } from '../e2e/setup';

it('VS Code: the status item reports skipped files and crash restarts (code-server extension host)', { skip: e2eSkip, timeout: 420_000 }, async () => {
  await runExtensionHostSuite({
    suiteDir: path.join(__dirname, 'exthost'),
    label: 'reliability-status',
    shotsName: 'reliability-status',
    mode: 'status',
    suiteTimeoutMs: 360_000,
  });
});
