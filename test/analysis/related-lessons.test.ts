// The hover's "Related lessons": chosen by what the call does, through the real analysis (the
// same path as the hover), never naming the hover's own lesson, and every trigger in the table
// fires on some real code (a trigger that never fires would make the catalog test's reachability a lie).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultConfig } from '../../server/src/analysis/config';
import { explanationToMarkdown, explanationToText } from '../../server/src/analysis/explainText';
import { analyzeText } from '../../server/src/analysis/index';
import { MAX_RELATED_LESSONS, RELATED_LESSON_TRIGGERS } from '../../server/src/analysis/relatedLessons';
import { explainCall, type Explanation } from '../../server/src/analysis/wire';
import { lessonById } from '../../server/src/lessons/catalog';

interface Case {
  name: string;
  code: string;
  /** The API of the call whose hover is checked. */
  api: string;
  nodeMajor?: number;
  /** The related lesson ids, in order. */
  related: string[];
}

const CASES: Case[] = [
  {
    name: 'http.request with agent: false: a cold connection per request',
    code: "import http from 'node:http';\nhttp.request({ host: 'api.example.com', path: '/', agent: false, timeout: 5000 });",
    api: 'http.request',
    related: ['ephemeral-ports', 'congestion-control', 'happy-eyeballs'],
  },
  {
    name: 'https.get on Node 18 (global agent without keep-alive): TLS paid again',
    code: "import https from 'node:https';\nhttps.get('https://api.example.com/users', { timeout: 5000 }, () => {});",
    api: 'https.get',
    nodeMajor: 18,
    related: ['ephemeral-ports', 'congestion-control', 'tls-resumption-and-0rtt'],
  },
  {
    name: 'https.get on Node 22 (keep-alive global agent): no cold-connection lessons',
    code: "import https from 'node:https';\nhttps.get('https://api.example.com/users', { timeout: 5000 }, () => {});",
    api: 'https.get',
    nodeMajor: 22,
    related: ['tls-resumption-and-0rtt', 'happy-eyeballs'],
  },
  {
    name: 'new http.Agent() without keepAlive',
    code: "import http from 'node:http';\nexport const agent = new http.Agent({ maxSockets: 10 });",
    api: 'http.Agent',
    related: ['ephemeral-ports', 'congestion-control'],
  },
  {
    name: 'new http.Agent({ keepAlive: true }): nothing related',
    code: "import http from 'node:http';\nexport const agent = new http.Agent({ keepAlive: true });",
    api: 'http.Agent',
    related: [],
  },
  {
    name: 'net.connect to a hostname on Node 20: Nagle, Happy Eyeballs, NAT',
    code: "import net from 'node:net';\nexport const s = net.connect({ host: 'cache.internal', port: 7000 });",
    api: 'net.connect',
    nodeMajor: 20,
    related: ['nagle-and-nodelay', 'happy-eyeballs', 'nat-and-conntrack'],
  },
  {
    name: 'net.connect to an IP literal: no Happy Eyeballs',
    code: "import net from 'node:net';\nexport const s = net.connect(7000, '10.0.0.5');",
    api: 'net.connect',
    related: ['nagle-and-nodelay', 'nat-and-conntrack'],
  },
  {
    name: 'tls.connect: resumption first',
    code: "import tls from 'node:tls';\nexport const s = tls.connect({ host: 'broker.example.com', port: 8883, servername: 'broker.example.com' });",
    api: 'tls.connect',
    related: ['tls-resumption-and-0rtt', 'nagle-and-nodelay', 'happy-eyeballs'],
  },
  {
    name: 'net.createServer: accepted sockets have Nagle on',
    code: "import net from 'node:net';\nexport const server = net.createServer((socket) => socket.end());",
    api: 'net.createServer',
    related: ['nagle-and-nodelay'],
  },
  {
    name: 'http2.connect: HTTP/3 removes the TCP head-of-line blocking',
    code: "import http2 from 'node:http2';\nexport const session = http2.connect('https://api.example.com');",
    api: 'http2.connect',
    related: ['happy-eyeballs', 'nat-and-conntrack', 'quic-and-http3'],
  },
  {
    name: 'a WebSocket client stays open while idle',
    code: "import WebSocket from 'ws';\nexport const ws = new WebSocket('wss://stream.example.com/feed');",
    api: 'ws.WebSocket',
    related: ['tls-resumption-and-0rtt', 'happy-eyeballs', 'nat-and-conntrack'],
  },
  {
    name: 'a pg Pool keeps idle connections',
    code: "import { Pool } from 'pg';\nexport const pool = new Pool({ host: '10.1.2.3', max: 10 });",
    api: 'pg.Pool',
    related: ['nat-and-conntrack'],
  },
  {
    name: 'UDP send: conntrack forgets the mapping',
    code: "import dgram from 'node:dgram';\nconst socket = dgram.createSocket('udp4');\nsocket.send('x', 8125, '10.0.0.9');",
    api: 'socket.send',
    related: ['nat-and-conntrack'],
  },
  {
    name: 'http.createServer: behind a proxy',
    code: "import http from 'node:http';\nexport const server = http.createServer((req, res) => res.end('ok'));",
    api: 'http.createServer',
    related: ['proxies-and-load-balancers'],
  },
  {
    name: 'express app.listen: behind a proxy',
    code: "import express from 'express';\nconst app = express();\napp.listen(3000);",
    api: 'app.listen',
    related: ['proxies-and-load-balancers'],
  },
  {
    name: 'http-proxy without an agent: a proxy with a new upstream connection per request',
    code: "import httpProxy from 'http-proxy';\nexport const proxy = httpProxy.createProxyServer({ target: 'http://10.0.0.2:8080' });",
    api: 'httpProxy.createProxyServer',
    related: ['ephemeral-ports', 'proxies-and-load-balancers'],
  },
  {
    name: 'fetch to a loopback IP: nothing related',
    code: "export const r = await fetch('http://127.0.0.1:3000/health', { signal: AbortSignal.timeout(1000) });",
    api: 'fetch',
    related: [],
  },
];

function explain(c: Case): Explanation {
  const config = { ...defaultConfig(), ...(c.nodeMajor ? { nodeMajor: c.nodeMajor } : {}) };
  const analysis = analyzeText('/tmp/wirelens-related/x.ts', c.code, config);
  const call = analysis.calls.find((k) => k.api === c.api);
  assert.ok(call, `${c.name}: no ${c.api} recognised (found ${analysis.calls.map((k) => k.api).join(', ')})`);
  return explainCall(call, config);
}

describe('related lessons in the hover', () => {
  for (const c of CASES) {
    it(c.name, () => {
      const e = explain(c);
      assert.deepEqual(e.related.map((r) => r.lesson), c.related);
      assert.ok(!e.related.some((r) => r.lesson === e.lesson), 'the hover\'s own lesson is not repeated');
      for (const r of e.related) {
        assert.ok(lessonById(r.lesson), `${r.lesson} is a lesson`);
        assert.ok(r.why.length > 20 && r.why.length <= 200, `why: ${r.why}`);
      }
    });
  }

  it('every trigger in the table fires on at least one of the cases above', () => {
    const fired = new Set<string>();
    for (const c of CASES) {
      const e = explain(c);
      for (const trigger of RELATED_LESSON_TRIGGERS) if (e.related.some((r) => r.lesson === trigger.lesson && r.why)) fired.add(trigger.id);
    }
    assert.deepEqual(RELATED_LESSON_TRIGGERS.map((t) => t.id).filter((id) => !fired.has(id)), []);
  });

  it('never lists more than the cap', () => {
    for (const c of CASES) assert.ok(explain(c).related.length <= MAX_RELATED_LESSONS, c.name);
  });

  it('the Markdown lists them as links built by the caller, after the main lesson; the text names them', () => {
    const e = explain(CASES[0]!);
    const md = explanationToMarkdown(e, { rttMs: 50, lessonLink: 'command:wirelens.openLesson?main', relatedLink: (id) => `command:wirelens.openLesson?${id}` });
    const main = md.indexOf('Open lesson:');
    const related = md.indexOf('**Related lessons**');
    assert.ok(main >= 0 && related > main, md);
    for (const r of e.related) {
      const entry = lessonById(r.lesson)!;
      assert.ok(md.includes(`(command:wirelens.openLesson?${r.lesson} "Open the ${entry.number} lesson beside the editor") — ${r.why}`), md);
    }
    // Without a link builder (a client that cannot follow them) the section is left out.
    assert.ok(!explanationToMarkdown(e, { rttMs: 50 }).includes('Related lessons'));
    const text = explanationToText(e, 50);
    for (const r of e.related) assert.ok(text.includes(`Related: ${lessonById(r.lesson)!.number} `), text);
  });
});
