// How often code runs: syntax (handlers, loops, initialisers) plus the file's own call graph
// (a helper a handler calls runs per request). Each case marks the node asked about with `/*@*/`
// right before a call.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import ts = require('typescript');
import { usesOfFunction } from '../../server/src/analysis/callGraph';
import { isInRequestHandler, isLazyInitialisation, runFrequency, type RunFrequency } from '../../server/src/analysis/context';
import { FileModel } from '../../server/src/analysis/fileModel';
import { parseFile } from '../../server/src/analysis/parse';

function modelOf(code: string, file = 'a.ts'): FileModel {
  return new FileModel(parseFile(file, code));
}

/** The call expression that starts right after the `/*@*\/` marker. */
function marked(model: FileModel): ts.Node {
  const text = model.sourceFile.text;
  const at = text.indexOf('/*@*/');
  assert.ok(at >= 0, 'no /*@*/ marker');
  const start = at + 5;
  const site = model.facts.calls.filter((c) => c.node.getStart(model.sourceFile) === start).sort((a, b) => a.node.end - b.node.end)[0];
  assert.ok(site, 'no call at the marker');
  return site.node;
}

interface Case {
  name: string;
  code: string;
  expected: RunFrequency;
  /** Without the file model (syntax only). */
  syntaxOnly?: RunFrequency;
}

const cases: Case[] = [
  { name: 'module top level', code: "/*@*/connect();", expected: 'once' },
  { name: 'inside an express handler', code: "app.get('/u', async (req, res) => { /*@*/connect(); });", expected: 'per-request' },
  { name: 'inside a loop', code: "function f(xs) { for (const x of xs) { /*@*/connect(); } }", expected: 'per-iteration' },
  { name: 'plain exported function', code: "export function load() { /*@*/connect(); }", expected: 'per-call' },
  { name: 'function named like an initialiser', code: "async function init() { /*@*/connect(); }", expected: 'once' },
  { name: 'constructor', code: "class Repo { constructor() { /*@*/connect(); } }", expected: 'once' },
  { name: 'immediately invoked async arrow', code: "(async () => { /*@*/connect(); })();", expected: 'once' },
  {
    name: 'helper declared as a function, called from a handler',
    code: "function hello() { return /*@*/connect(); }\nrouter.get('/', async (req, res) => { res.end(await hello()); });",
    expected: 'per-request',
    syntaxOnly: 'per-call',
  },
  {
    name: 'helper bound with let to an arrow, called from a handler',
    code: "let hello = async () => { await /*@*/connect(); };\nrouter.get('/', async (req, res) => { res.end(await hello()); });",
    expected: 'per-request',
    syntaxOnly: 'per-call',
  },
  {
    name: 'two levels of helpers',
    code: "function inner() { /*@*/connect(); }\nfunction outer() { inner(); }\napp.post('/x', (req, res) => { outer(); res.end(); });",
    expected: 'per-request',
  },
  {
    name: 'function registered by name as a route handler',
    code: "async function getUser(ctx) { /*@*/connect(); }\nrouter.get('/user', getUser);",
    expected: 'per-request',
    syntaxOnly: 'per-call',
  },
  {
    name: 'handler passed through bind',
    code: "class C { handle(r) { /*@*/connect(); } start() { server.on('request', this.handle.bind(this)); } }",
    expected: 'per-request',
  },
  {
    name: 'helper called in a loop',
    code: "function one(id) { return /*@*/connect(); }\nexport async function all(ids) { for (const id of ids) await one(id); }",
    expected: 'per-iteration',
  },
  {
    name: 'named like an initialiser but called from a handler',
    code: "async function connectDb() { return /*@*/connect(); }\napp.get('/', async (req, res) => { const db = await connectDb(); });",
    expected: 'per-request',
  },
  {
    name: 'recursive helper',
    code: "function again(n) { /*@*/connect(); if (n) again(n - 1); }",
    expected: 'per-call',
  },
  {
    name: 'lazily initialised with ??=',
    code: "let client;\nfunction make() { return /*@*/connect(); }\napp.get('/', (req, res) => { client ??= make(); });",
    expected: 'once',
  },
  {
    name: 'lazily initialised behind if (!client)',
    code: "let client;\nasync function make() { return /*@*/connect(); }\napp.get('/', async (req, res) => { if (!client) { client = await make(); } });",
    expected: 'once',
  },
  {
    name: 'lazily initialised with || assignment',
    code: "let client;\nfunction make() { return /*@*/connect(); }\napp.get('/', (req, res) => { client = client || make(); });",
    expected: 'once',
  },
  {
    name: 'class method called through this from a handler',
    code: "class Api { query() { return /*@*/connect(); } routes(app) { app.get('/q', (req, res) => this.query()); } }",
    expected: 'per-request',
  },
  {
    name: 'prototype method called through self',
    code: "function Backend() { var self = this; emitter.on('request', function (r) { self.send(r); }); }\nBackend.prototype.send = function (r) { /*@*/connect(); };",
    expected: 'per-request',
  },
  {
    name: 'constructor of a class instantiated per request',
    code: "class Session { constructor() { /*@*/connect(); } }\napp.get('/', (req, res) => { new Session(); });",
    expected: 'per-request',
    syntaxOnly: 'once',
  },
  {
    name: 'constructor of a class instantiated once',
    code: "class Session { constructor() { /*@*/connect(); } }\nexport const s = new Session();",
    expected: 'once',
  },
  {
    name: 'helper called only from the top level of a script',
    code: "async function sendOnce() { await /*@*/connect(); }\nsendOnce();",
    expected: 'once',
    syntaxOnly: 'per-call',
  },
  {
    name: 'helper called from the top level but also exported',
    code: "async function send() { await /*@*/connect(); }\nsend();\nmodule.exports = { send };",
    expected: 'per-call',
  },
  {
    name: 'exported const helper called once at the top level',
    code: "export const send = async () => { await /*@*/connect(); };\nsend();",
    expected: 'per-call',
  },
  {
    name: 'helper called from main',
    code: "async function publish() { await /*@*/connect(); }\nasync function main() { await publish(); }\nmain();",
    expected: 'once',
  },
  { name: 'AWS Lambda handler (exports.handler)', code: "exports.handler = async (event, context) => { /*@*/connect(); };", expected: 'per-request' },
  { name: 'exported const handler', code: "export const handler = async (event) => { /*@*/connect(); };", expected: 'per-request' },
  { name: 'exported function handler', code: "export async function handler(event) { /*@*/connect(); }", expected: 'per-request' },
  { name: 'a local function named handler is not an entry point', code: "function handler(x) { /*@*/connect(); }", expected: 'per-call' },
  { name: 'kafkajs eachMessage', code: "await consumer.run({ eachMessage: async ({ message }) => { /*@*/connect(); } });", expected: 'per-request' },
  { name: 'kafkajs eachMessage method shorthand', code: "await consumer.run({ async eachMessage({ message }) { /*@*/connect(); } });", expected: 'per-request' },
  { name: 'amqp channel.consume', code: "ch.consume('q', (msg) => { /*@*/connect(); });", expected: 'per-request' },
  { name: "ws 'message' listener", code: "ws.on('message', (data) => { /*@*/connect(); });", expected: 'per-request' },
  { name: "'connection' listener is not per request", code: "wss.on('connection', (sock) => { /*@*/connect(); });", expected: 'per-call' },
];

describe('runFrequency', () => {
  for (const c of cases) {
    it(c.name, () => {
      const model = modelOf(c.code);
      const node = marked(model);
      assert.equal(runFrequency(node, model), c.expected);
      if (c.syntaxOnly) assert.equal(runFrequency(node), c.syntaxOnly);
    });
  }
});

describe('usesOfFunction', () => {
  it('finds calls and references of a local function, not of a shadowing one', () => {
    const model = modelOf("function f() {}\nf();\nsetTimeout(f, 10);\nfunction g(f) { f(); }");
    const fn = model.sourceFile.statements[0];
    const uses = usesOfFunction(model, fn);
    assert.deepEqual(uses.map((u) => u.kind), ['call', 'reference']);
  });
  it('records `new C()` on the class and on its constructor', () => {
    const model = modelOf('class C { constructor() {} }\nnew C();');
    const cls = model.sourceFile.statements[0] as ts.ClassDeclaration;
    assert.equal(usesOfFunction(model, cls).length, 1);
    assert.equal(usesOfFunction(model, cls.members[0]).length, 1);
  });
});

describe('isLazyInitialisation', () => {
  const lazy = (code: string) => {
    const model = modelOf(code);
    return isLazyInitialisation(marked(model));
  };
  it('??= and ||=', () => {
    assert.equal(lazy('x ??= /*@*/make();'), true);
    assert.equal(lazy('x ||= /*@*/make();'), true);
  });
  it('x = x || make() and x || (x = make())', () => {
    assert.equal(lazy('x = x || /*@*/make();'), true);
    assert.equal(lazy('this.c || (this.c = /*@*/make());'), true);
  });
  it('if (!x) / if (x == null) guards', () => {
    assert.equal(lazy('if (!this.pool) { this.pool = await /*@*/make(); }'), true);
    assert.equal(lazy('if (client === undefined) client = /*@*/make();'), true);
  });
  it('a plain assignment or declaration is not lazy', () => {
    assert.equal(lazy('x = /*@*/make();'), false);
    assert.equal(lazy('const y = /*@*/make();'), false);
    assert.equal(lazy('if (ready) x = /*@*/make();'), false);
  });
});

describe('isInRequestHandler through edits', () => {
  it('answers again for a function kept by a re-parse when a node above it is new', () => {
    // A re-parse keeps a node whose text did not change and may give it new nodes above: the answer
    // kept with the function must not outlive the nodes it was read from.
    const model = modelOf("app.get('/x', (a, b) => { /*@*/send(); });\nfoo((a, b) => 0);");
    const inner = marked(model);
    assert.equal(isInRequestHandler(inner), true);
    const fn = ts.findAncestor(inner, ts.isArrowFunction)!;
    const registration = fn.parent as ts.CallExpression;
    const other = (model.sourceFile.statements[1] as ts.ExpressionStatement).expression as ts.CallExpression;
    // The same function, now an argument of `foo(…)`, as if an edit had re-created the call around it.
    (fn as { parent: ts.Node }).parent = other;
    (other.arguments as unknown as ts.Node[])[0] = fn;
    assert.equal(isInRequestHandler(inner), false);
    // And back under the registration: a handler again.
    (fn as { parent: ts.Node }).parent = registration;
    assert.equal(isInRequestHandler(inner), true);
  });
});
