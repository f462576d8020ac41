// Extension activation time in the VS Code extension host.
//
// It can only be measured inside a real extension host (code-server, set up by .ci/setup-e2e.sh and
// driven by test/e2e). The contract with that suite: it times `await extension.activate()` for the
// not-yet-active Wirelens extension (and, where it can, the host's own activation times) and writes
//   test-results/activation.json  →  { "activationMs": number, "measuredAt": ISO date, "how": string }
// The bench reports that file when it exists, with its date, and "n/a" otherwise.
// TODO(e2e): write test-results/activation.json from the extension-host suite.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './corpus.mjs';

export const activationResults = join(repoRoot, 'test-results', 'activation.json');

export function readActivation() {
  if (!existsSync(activationResults)) {
    return { activationMs: undefined, note: 'n/a: needs the extension-host suite (test/e2e, code-server) to write test-results/activation.json' };
  }
  try {
    const r = JSON.parse(readFileSync(activationResults, 'utf8'));
    if (typeof r.activationMs !== 'number') throw new Error('no activationMs');
    return { activationMs: r.activationMs, note: `from test-results/activation.json (${r.measuredAt ?? 'undated'}${r.how ? `; ${r.how}` : ''})` };
  } catch (err) {
    return { activationMs: undefined, note: `n/a: test-results/activation.json is unreadable (${err.message})` };
  }
}
