// usesOfFunction resolves only the call sites that name a function. Checked against resolving every
// call site of the file (what the call graph did before), for every function and class in the real
// code we keep (labelled excerpts, examples) and in hand-written shapes: prototypes, classes and
// their constructors, `.bind`, `self = this`, wrappers around the function value, private methods.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import ts = require('typescript');
import { localFunctionOf, usesOfFunction, type FunctionUse } from '../../server/src/analysis/callGraph';
import { FileModel } from '../../server/src/analysis/fileModel';
import { parseFile } from '../../server/src/analysis/parse';
import { unwrapExpression } from '../../server/src/analysis/resolve';

const isInline = (e: ts.Expression) => ts.isArrowFunction(e) || ts.isFunctionExpression(e) || ts.isClassExpression(e);

/** Every call site resolved, in the order the facts walk found them: the oracle. */
function bruteForceUses(model: FileModel, fn: ts.Node): FunctionUse[] {
  const uses: FunctionUse[] = [];
  for (const { node, scope } of model.facts.calls) {
    const calleeExpr = unwrapExpression(node.expression);
    const callee = isInline(calleeExpr) ? undefined : localFunctionOf(model, node.expression, scope);
    if (callee === fn) uses.push({ kind: 'call', site: node });
    if (callee && ts.isClassLike(callee) && callee.members.find(ts.isConstructorDeclaration) === fn) uses.push({ kind: 'call', site: node });
    for (const arg of node.arguments ?? []) {
      const e = unwrapExpression(arg);
      if ((ts.isIdentifier(e) || ts.isPropertyAccessExpression(e) || ts.isCallExpression(e)) && localFunctionOf(model, e, scope) === fn) uses.push({ kind: 'reference', site: node, arg });
    }
  }
  return uses;
}

function functionsIn(sf: ts.SourceFile): ts.Node[] {
  const out: ts.Node[] = [];
  const visit = (n: ts.Node) => {
    if (ts.isFunctionLike(n) || ts.isClassLike(n)) out.push(n);
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return out;
}

function assertSameUses(fileName: string, text: string): number {
  const model = new FileModel(parseFile(fileName, text));
  let compared = 0;
  for (const fn of functionsIn(model.sourceFile)) {
    const expected = bruteForceUses(model, fn);
    const actual = usesOfFunction(model, fn);
    const show = (u: readonly FunctionUse[]) => u.map((x) => `${x.kind}@${x.site.getStart()}${x.arg ? `:${x.arg.getStart()}` : ''}`);
    assert.deepEqual(show(actual), show(expected), `${fileName}: uses of the ${ts.SyntaxKind[fn.kind]} at ${fn.getStart()}`);
    compared += expected.length;
  }
  return compared;
}

function* sourceFiles(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* sourceFiles(path);
    else if (/\.[cm]?[jt]sx?$/.test(name) && !name.endsWith('.d.ts')) yield path;
  }
}

describe('usesOfFunction', () => {
  it('finds what resolving every call site finds, in real code', () => {
    let uses = 0;
    for (const path of [...sourceFiles('test/fixtures/real'), ...sourceFiles('examples')]) uses += assertSameUses(path, readFileSync(path, 'utf8'));
    assert.ok(uses > 100, `only ${uses} uses compared: the fixtures should exercise the call graph`);
  });

  it('finds what resolving every call site finds, in the shapes it follows', () => {
    const text = `
      function helper() {}
      const arrow = (() => {});
      const viaComma = (0, function () {});
      let later; later = function () {};
      function Legacy() { var self = this; self.tick(); this.tick(); }
      Legacy.prototype.tick = function () { this.tock(); };
      Legacy.prototype = { tock() { helper(); }, tuck: function () {} };
      class Client {
        #secret() {}
        field = () => this.#secret();
        constructor() { this.connect(); setTimeout(this.connect.bind(this), 10); }
        connect() { helper(); arrow(); viaComma(); later(); }
      }
      const Anonymous = class { constructor() {} };
      const options = { fetch: function named() { named(); } };
      function withDefaults({ send = helper } = {}) { send(); }
      new Client(); new Anonymous(); new Legacy();
      [1, 2].forEach(helper); emitter.on('x', arrow); run(Client.prototype.connect);
      withDefaults(); options.fetch();
    `;
    assert.ok(assertSameUses('shapes.js', text) >= 12);
  });
});
