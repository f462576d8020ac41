// `npm run docs`: regenerates the documents that are derived from the code.
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { renderRuleReference } from '../server/src/rules/reference';

const file = path.join(__dirname, 'rules.md');
writeFileSync(file, renderRuleReference());
process.stdout.write(`wrote ${path.relative(process.cwd(), file)}\n`);
