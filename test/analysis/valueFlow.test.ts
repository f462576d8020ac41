// Where an object made in a function goes: kept beyond the call, returned, or passed on.
// The object is the `new`/call right after the `/*@*/` marker.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { enclosingFunction } from '../../server/src/analysis/context';
import { FileModel } from '../../server/src/analysis/fileModel';
import { parseFile } from '../../server/src/analysis/parse';
import { flowOfValue } from '../../server/src/analysis/valueFlow';

function flow(code: string) {
  const model = new FileModel(parseFile('a.ts', code));
  const at = code.indexOf('/*@*/') + 5;
  const site = model.facts.calls.filter((c) => c.node.getStart(model.sourceFile) === at).sort((a, b) => a.node.end - b.node.end)[0];
  assert.ok(site, 'no call at the marker');
  const fn = enclosingFunction(site.node);
  assert.ok(fn, 'marker outside a function');
  const f = flowOfValue(model, site.node, fn);
  return { kept: f.kept, returned: f.returned, passedOn: f.passedOn };
}

const none = { kept: false, returned: false, passedOn: false };

describe('flowOfValue', () => {
  it('a local used through its methods goes nowhere', () => {
    assert.deepEqual(flow('async function f() { const c = /*@*/new C(); await c.connect(); const r = await c.query(q); await c.end(); return r.rows; }'), none);
  });
  it('assigned to a module variable is kept', () => {
    assert.deepEqual(flow('let cached;\nasync function f() { cached = await /*@*/connect(); }'), { ...none, kept: true });
  });
  it('assigned to a local first, then to module state', () => {
    assert.deepEqual(flow('let cached;\nasync function f() { const c = await /*@*/connect(); cached = c; }'), { ...none, kept: true });
  });
  it('derived value stored (client.db())', () => {
    assert.deepEqual(flow('let db;\nasync function f() { const client = await /*@*/connect(); const d = client.db("x"); db = d; return d; }'), { kept: true, returned: true, passedOn: false });
  });
  it('awaited results are not holders of the object', () => {
    assert.deepEqual(flow('let last;\nasync function f() { const c = /*@*/new C(); const r = await c.query(q); last = r; }'), none);
  });
  it('stored on this', () => {
    assert.deepEqual(flow('class A { open() { this.client = /*@*/new C(); } }'), { ...none, kept: true });
  });
  it('put in a cache map', () => {
    assert.deepEqual(flow('const m = new Map();\nfunction f(k) { const c = /*@*/new C(); m.set(k, c); }'), { ...none, kept: true });
  });
  it('returned directly or through a variable', () => {
    assert.deepEqual(flow('function f() { return /*@*/new C(); }'), { ...none, returned: true });
    assert.deepEqual(flow('function f() { const c = /*@*/new C(); c.init(); return c; }'), { ...none, returned: true });
    assert.deepEqual(flow('const f = () => /*@*/new C();'), { ...none, returned: true });
  });
  it('returning a method call on it does not return it', () => {
    assert.deepEqual(flow('function f(id) { const c = /*@*/new C(); return c.get({ id }); }'), none);
  });
  it('passed to another function', () => {
    assert.deepEqual(flow('async function f() { const c = /*@*/new C(); await work(c); }'), { ...none, passedOn: true });
    assert.deepEqual(flow('function f() { register(/*@*/new C()); }'), { ...none, passedOn: true });
  });
  it('carried in an object literal', () => {
    assert.deepEqual(flow('function f() { const client = /*@*/new C(); return { client }; }'), { ...none, kept: true });
  });
  it('a local reassigned to another local still counts as the same value', () => {
    assert.deepEqual(flow('let shared;\nfunction f() { let a; const c = /*@*/new C(); a = c; shared = a; }'), { ...none, kept: true });
  });
});
