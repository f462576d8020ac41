// `npm run accuracy`: scores the CLI on test/fixtures/real and writes docs/accuracy.md.
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { loadReasons, renderAccuracy, ROOT, runCli, score } from './score';

const s = score(runCli());
writeFileSync(path.join(ROOT, 'docs/accuracy.md'), renderAccuracy(s, loadReasons()));
process.stdout.write(`precision ${(s.precision * 100).toFixed(1)} %, recall ${(s.recall * 100).toFixed(1)} % (${s.tp} TP, ${s.fp} FP, ${s.fn} FN) → docs/accuracy.md\n`);
