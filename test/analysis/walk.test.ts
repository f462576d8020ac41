import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import ts = require('typescript');
import { parseFile } from '../../server/src/analysis/parse';
import { someNode, walkTree } from '../../server/src/analysis/walk';

describe('walkTree', () => {
  it('visits in source order, skips and stops', () => {
    const sf = parseFile('a.ts', 'a(b(c), d); e();');
    const names: string[] = [];
    walkTree(sf, (n) => {
      if (ts.isIdentifier(n)) names.push(n.text);
      if (ts.isCallExpression(n) && ts.isIdentifier(n.expression) && n.expression.text === 'b') return 'skip';
      if (ts.isIdentifier(n) && n.text === 'd') return 'stop';
    });
    assert.deepEqual(names, ['a', 'd']);
  });
  it('survives nesting far deeper than the call stack allows for recursion', () => {
    const sf = parseFile('a.ts', `const v = ${Array.from({ length: 30000 }, (_, i) => `x${i}`).join(' + ')};`);
    let count = 0;
    walkTree(sf, (n) => {
      if (ts.isIdentifier(n)) count++;
    });
    assert.equal(count, 30001);
    assert.equal(someNode(sf, (n) => ts.isIdentifier(n) && n.text === 'x29999'), true);
  });
});
