import { ruleTester } from './ruleTester';

ruleTester('http2-session-per-request', {
  valid: [
    {
      name: 'one long-lived session, reconnected on goaway',
      code: "import http2 from 'node:http2';\nlet session = http2.connect('https://api.push.apple.com');\nsession.on('error', console.error);\nsession.on('goaway', () => { session = http2.connect('https://api.push.apple.com'); });\nexport function push(path: string, body: string) {\n  const req = session.request({ ':method': 'POST', ':path': path });\n  req.end(body);\n}",
    },
    {
      name: 'the Node docs client example: a script with one request',
      code: "const http2 = require('node:http2');\nconst client = http2.connect('https://localhost:8443');\nclient.on('error', (err) => console.error(err));\nconst req = client.request({ ':path': '/' });\nreq.on('end', () => { client.close(); });\nreq.end();",
      filename: 'client.js',
    },
    {
      name: 'session cached per client instance (APNs provider)',
      code: "const http2 = require('http2');\nclass Client {\n  connect() {\n    if (this.session) return this.session;\n    this.session = http2.connect(this.address);\n    this.session.on('goaway', () => this.session.close());\n    return this.session;\n  }\n}",
      filename: 'client.js',
    },
    {
      name: 'a factory returning the session',
      code: "import * as http2 from 'http2';\nexport function open(origin: string) { const s = http2.connect(origin); s.on('error', () => s.destroy()); return s; }",
    },
    {
      name: 'lazily connected inside a handler',
      code: "import http2 from 'http2';\nlet upstream: http2.ClientHttp2Session | undefined;\napp.get('/x', (req, res) => {\n  upstream ??= http2.connect('https://backend:8443');\n  upstream.request({ ':path': '/x' }).pipe(res);\n});",
    },
    {
      name: 'test files',
      code: "import http2 from 'http2';\nexport async function get(p: string) { const s = http2.connect('https://x'); const r = s.request({ ':path': p }); r.end(); s.close(); }",
      filename: 'h2.test.ts',
    },
  ],
  invalid: [
    {
      name: 'session per call, closed after the request (the rules.md example)',
      code: "import http2 from 'node:http2';\nexport async function push(path: string, body: string) {\n  const s = http2.connect(APNS);\n  const req = s.request({ ':method': 'POST', ':path': path });\n  req.end(body);\n  s.close();\n}",
      errors: [{ line: 3, column: 13, endColumn: 26, messageId: 'perCall', severity: 'info', related: 2 }],
      output: null,
    },
    {
      name: 'session per incoming request (require)',
      code: "const http2 = require('http2');\nhttp.createServer((req, res) => {\n  const upstream = http2.connect('https://backend:8443');\n  const stream = upstream.request({ ':path': req.url });\n  stream.pipe(res);\n  stream.on('end', () => upstream.close());\n}).listen(8080);",
      filename: 'proxy.js',
      errors: [{ line: 3, column: 20, messageId: 'singleStream', message: /≈100–150 ms at 50 ms RTT/ }],
      output: null,
    },
    {
      name: 'a request object that owns its session and closes it with its stream (superagent)',
      code: "const http2 = require('http2');\nclass Request {\n  constructor(url, options) {\n    this.session = http2.connect(url, options);\n  }\n  getFrame() {\n    const frame = this.session.request({ ':path': '/' });\n    frame.on('close', () => this.session.close());\n    return frame;\n  }\n}",
      filename: 'http2wrapper.js',
      errors: [{ line: 4, column: 20, messageId: 'singleStream' }],
      output: null,
    },
    {
      name: 'session per loop iteration',
      code: "import { connect } from 'node:http2';\nexport async function warm(origins: string[]) {\n  for (const o of origins) {\n    const s = connect(o);\n    s.request({ ':path': '/health' }).end();\n  }\n}",
      errors: [{ line: 4, column: 15, messageId: 'perRequest' }],
      output: null,
    },
  ],
});
