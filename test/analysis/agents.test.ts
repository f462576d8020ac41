// The agents service (keep-alive, idle timeout, whether options are fully known, whether an agent
// is used) and the escape service (where a freshly made object goes).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { idleTimeoutOf, isUsed, keepAliveOf, optionsFullyKnown } from '../../server/src/analysis/agents';
import { destinationOf } from '../../server/src/analysis/escape';
import { FileModel } from '../../server/src/analysis/fileModel';
import { parseFile } from '../../server/src/analysis/parse';

function firstAgent(code: string, file = 'x.ts') {
  const model = new FileModel(parseFile(file, code));
  const call = model.calls.find((c) => /Agent|Pool|Client/.test(c.api));
  assert.ok(call, 'no agent recognised');
  return { model, call };
}

describe('agents service', () => {
  it('keep-alive: explicit, default, unknown', () => {
    const state = (code: string) => {
      const { model, call } = firstAgent(code);
      return keepAliveOf(model, call).state;
    };
    assert.equal(state("import http from 'http';\nnew http.Agent({ keepAlive: true });"), 'on');
    assert.equal(state("import http from 'http';\nnew http.Agent({ keepAlive: false });"), 'off');
    assert.equal(state("import http from 'http';\nnew http.Agent({ maxSockets: 5 });"), 'default-off');
    assert.equal(state("import http from 'http';\nnew http.Agent();"), 'default-off');
    assert.equal(state("import http from 'http';\nexport const f = (o: any) => new http.Agent(o);"), 'unknown');
    assert.equal(state("import http from 'http';\nexport const f = (k: boolean) => new http.Agent({ keepAlive: k });"), 'unknown');
    assert.equal(state("import Agent from 'agentkeepalive';\nnew Agent({ maxSockets: 10 });"), 'on');
  });

  it('options filled in after the literal are not fully known', () => {
    const known = (code: string) => {
      const { model, call } = firstAgent(code);
      return optionsFullyKnown(model, call);
    };
    assert.equal(known("import https from 'https';\nconst o = { ca: 'x' };\nnew https.Agent(o);"), true);
    assert.equal(known("import https from 'https';\nconst o: any = {};\no.keepAlive = true;\nnew https.Agent(o);"), false);
    assert.equal(known("import https from 'https';\nconst o = {};\nObject.assign(o, JSON.parse('{}'));\nnew https.Agent(o);"), false);
    assert.equal(known("import https from 'https';\nconst base: any = {};\nbase.ca = 'x';\nnew https.Agent({ ...base, timeout: 1 });"), false);
  });

  it('idle timeout of free sockets', () => {
    const idle = (code: string) => {
      const { model, call } = firstAgent(code);
      return idleTimeoutOf(model, call);
    };
    assert.deepEqual(idle("import http from 'http';\nnew http.Agent({ keepAlive: true });"), { state: 'none' });
    assert.equal(idle("import http from 'http';\nnew http.Agent({ keepAlive: true, timeout: 4000 });").state, 'ms');
    assert.deepEqual(idle("import Agent from 'agentkeepalive';\nnew Agent();"), { state: 'ms', ms: 4000 });
    assert.equal((idle("import Agent from 'agentkeepalive';\nnew Agent({ freeSocketTimeout: 30_000 });") as { ms: number }).ms, 30000);
  });

  it('an agent is used when it is referenced or kept inline', () => {
    const used = (code: string) => {
      const { model, call } = firstAgent(code);
      return isUsed(model, model.nodeOf(call));
    };
    assert.equal(used("import http from 'http';\nconst a = new http.Agent();\nhttp.get('http://x', { agent: a });"), true);
    assert.equal(used("import http from 'http';\nhttp.get('http://x', { agent: new http.Agent() });"), true);
    assert.equal(used("import http from 'http';\nexport const a = new http.Agent();"), true);
    assert.equal(used("import http from 'http';\nfunction f() { const a = new http.Agent(); }"), false);
    assert.equal(used("import http from 'http';\nnew http.Agent();"), false);
  });
});

describe('escape service', () => {
  const dest = (code: string) => {
    const { model, call } = firstAgent(code);
    return destinationOf(model, model.nodeOf(call));
  };
  it('local uses', () => {
    assert.equal(dest("import http from 'http';\nexport function f() { const a = new http.Agent(); return http.get({ host: 'x', agent: a }); }"), 'local');
    assert.equal(dest("import https from 'https';\nimport axios from 'axios';\nexport function f(o: any) { const opts: any = {}; opts.httpsAgent = new https.Agent(); return axios(opts); }"), 'local');
  });
  it('stored where it outlives the call', () => {
    assert.equal(dest("import http from 'http';\nclass C { a?: http.Agent; f() { this.a = new http.Agent(); } }"), 'stored');
    assert.equal(dest("import http from 'http';\nlet a: any;\nexport function f() { a ??= new http.Agent(); }"), 'stored');
    assert.equal(dest("import http from 'http';\nconst m = new Map();\nexport function f(k: string) { const a = new http.Agent(); m.set(k, a); }"), 'stored');
    assert.equal(dest("import http from 'http';\nconst m = new Map();\nexport function f(k: string) { let a; a = new http.Agent(); m.set(k, a); }"), 'stored');
  });
  it('returned to the caller, inside what it configures', () => {
    assert.equal(dest("import http from 'http';\nexport function f() { return { agent: new http.Agent() }; }"), 'returned');
    assert.equal(dest("import https from 'https';\nimport axios from 'axios';\nexport const f = () => axios.create({ httpsAgent: new https.Agent() });"), 'returned');
    assert.equal(dest("import http from 'http';\nexport function f() { const agent = new http.Agent(); return { agent }; }"), 'returned');
  });
});
