// `npm run docs`: regenerates what is derived from the rule metas — docs/rules.md and the
// per-rule severity entries of the `wirelens.rules` setting in package.json.
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { RULES } from '../server/src/rules';
import { renderRuleReference } from '../server/src/rules/reference';

const root = path.join(__dirname, '..');
writeFileSync(path.join(root, 'docs/rules.md'), renderRuleReference());

const pkgFile = path.join(root, 'package.json');
const pkg = JSON.parse(readFileSync(pkgFile, 'utf8'));
const rulesSetting = pkg.contributes.configuration.properties['wirelens.rules'];
rulesSetting.properties = Object.fromEntries(
  RULES.map((r) => [r.meta.id, { type: 'string', enum: ['off', 'hint', 'info', 'warning', 'error'], markdownDescription: `${r.meta.title} (default: ${r.meta.severity}).` }]),
);
writeFileSync(pkgFile, `${JSON.stringify(pkg, null, 2)}\n`);
process.stdout.write('wrote docs/rules.md and the wirelens.rules entries of package.json\n');
