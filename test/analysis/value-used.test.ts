// isValueUsed: whether an expression's value goes anywhere (rules about ignored return values ask it).
import assert from 'node:assert/strict';
import { it } from 'node:test';
import ts = require('typescript');
import { isValueUsed } from '../../server/src/analysis/context';
import { FileModel } from '../../server/src/analysis/fileModel';
import { parseFile } from '../../server/src/analysis/parse';

/** isValueUsed for every `x.write(…)` call in the code, in source order. */
function writes(code: string): boolean[] {
  const model = new FileModel(parseFile('a.ts', code));
  return model.facts.calls
    .filter((c) => ts.isCallExpression(c.node) && ts.isPropertyAccessExpression(c.node.expression) && c.node.expression.name.text === 'write')
    .sort((a, b) => a.node.pos - b.node.pos)
    .map((c) => isValueUsed(c.node as ts.CallExpression));
}

it('statements, void and comma operands discard the value', () => {
  assert.deepEqual(writes('s.write(a);\nvoid s.write(b);\n(s.write(c), 1);'), [false, false, false]);
});

it('tests, assignments, returns and awaits use it', () => {
  assert.deepEqual(writes('if (!s.write(a)) wait();\nconst ok = s.write(b);\nfunction f() { return s.write(c); }\nconst g = () => s.write(d);'), [true, true, true, true]);
});

it('a concise arrow body handed to a caller that drops results is discarded', () => {
  assert.deepEqual(writes('setInterval(() => s.write(a), 1000);\nitems.forEach((i) => s.write(i));\nsock.on("data", (d) => s.write(d));\nconst ok = items.every((i) => s.write(i));'), [false, false, false, true]);
});
