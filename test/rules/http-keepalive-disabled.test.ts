import { ruleTester } from './ruleTester';

ruleTester('http-keepalive-disabled', {
  valid: [
    { name: 'keep-alive agent', code: "import https from 'node:https';\nexport const agent = new https.Agent({ keepAlive: true, timeout: 4000 });\nhttps.get('https://api.example.com', { agent }, (r) => r.resume());" },
    { name: 'keepAlive from configuration (unknown value)', code: "const http = require('http');\nmodule.exports = (cfg) => new http.Agent({ keepAlive: cfg.keepAlive });" },
    { name: 'agent options filled in later', code: "const https = require('https');\nconst opts = {};\nif (process.env.CA) opts.ca = process.env.CA;\nObject.assign(opts, JSON.parse(process.env.AGENT || '{}'));\nmodule.exports = new https.Agent(opts);" },
    { name: 'an agent that is never used', code: "import http from 'http';\nfunction unused() { const a = new http.Agent(); }" },
    { name: 'TLS probe that wants a fresh handshake each time', code: "import https from 'https';\nexport const probe = (host: string) => https.request({ host, method: 'HEAD', agent: new https.Agent({ maxCachedSessions: 0 }) });" },
    { name: 'server answering with Connection: close (drain on shutdown)', code: "import http from 'http';\nhttp.createServer((req, res) => { res.writeHead(503, { Connection: 'close' }); res.end(); }).listen(3000);" },
    { name: 'Response init with Connection: close', code: "export const onRequest = () => new Response('bye', { status: 200, headers: { connection: 'close' } });\nfetch('https://a.example.com');" },
    { name: 'WebSocket upgrade headers', code: "import http from 'http';\nhttp.request({ host: 'a.example.com', headers: { Connection: 'Upgrade', Upgrade: 'websocket' } });" },
    { name: 'a boolean named agent in unrelated config', code: "import http from 'http';\nexport const features = { agent: false, tools: [] };\nhttp.get('http://a.example.com/');" },
    { name: 'proxy with a keep-alive agent', code: "import http from 'http';\nimport { createProxyMiddleware } from 'http-proxy-middleware';\nconst agent = new http.Agent({ keepAlive: true });\nexport const proxy = createProxyMiddleware({ target: 'http://backend:8080', agent });" },
    { name: 'proxy that passes an agent on every web() call', code: "const httpProxy = require('http-proxy');\nconst http = require('http');\nconst agent = new http.Agent({ keepAlive: true });\nconst proxy = httpProxy.createProxyServer({});\nmodule.exports = (req, res) => proxy.web(req, res, { target: 'http://b:80', agent });" },
    { name: 'CONNECT request to a proxy (the connection becomes a tunnel)', code: "const http = require('http');\nmodule.exports = (proxy, target) => http.request({ host: proxy.host, port: proxy.port, method: 'CONNECT', path: target, agent: false });" },
    { name: 'browser bundle', code: "import http from 'http';\nwindow.addEventListener('load', () => {});\nexport const opts = { path: '/engine.io', agent: false, rejectUnauthorized: true };" },
    { name: 'keepAlive: false chosen against the stale-socket race (commented)', code: "import http from 'http';\n// keep-alive off: pooled sockets hit ECONNRESET when the upstream closes them first\nexport const agent = new http.Agent({ keepAlive: false, maxSockets: 20 });" },
    { name: 'agent: false in a test file', filename: 'test/client.test.ts', code: "import http from 'http';\nhttp.get({ host: '127.0.0.1', port: 8080, agent: false }, (r) => r.resume());" },
  ],
  invalid: [
    {
      name: 'agent: false in request options (TS, import)',
      code: "import https from 'node:https';\nexport function ping(host: string) {\n  return https.get({ host, path: '/health', agent: false }, (r) => r.resume());\n}",
      errors: [{ line: 3, column: 45, endColumn: 57, messageId: 'agentFalse', severity: 'warning' }],
      output: "import https from 'node:https';\nexport function ping(host: string) {\n  return https.get({ host, path: '/health' }, (r) => r.resume());\n}",
    },
    {
      name: 'agent: false on Node 18: no mechanical fix',
      config: { nodeMajor: 18 },
      code: "const http = require('http');\nhttp.request({ host: 'a.example.com', agent: false }).end();",
      errors: [{ line: 2, column: 39, messageId: 'agentFalse' }],
      output: null,
    },
    {
      name: 'agent: false in an options builder (JS, require)',
      code: "var https = require('https');\nfunction options(url, port) {\n  return {\n    hostname: url,\n    agent: false,\n    port\n  };\n}\nmodule.exports = (u) => https.get(options(u, 443));",
      errors: [{ line: 5, column: 5, messageId: 'agentFalse' }],
    },
    {
      name: 'keepAlive: false on an agent',
      code: "const http = require('node:http');\nmodule.exports.agent = new http.Agent({ keepAlive: false, maxSockets: 50 });",
      errors: [{ line: 2, column: 41, endColumn: 57, messageId: 'keepAliveOff' }],
      output: "const http = require('node:http');\nmodule.exports.agent = new http.Agent({ keepAlive: true, maxSockets: 50 });",
    },
    {
      name: 'new Agent() for custom TLS options loses keep-alive',
      code: "import axios from 'axios';\nimport https from 'https';\nexport const api = axios.create({\n  baseURL: 'https://api.example.com',\n  timeout: 5000,\n  httpsAgent: new https.Agent({ rejectUnauthorized: true, ca: process.env.CA }),\n});",
      errors: [{ line: 6, column: 15, endColumn: 30, messageId: 'agentDefault', message: /new https\.Agent\(\)/ }],
      output: "import axios from 'axios';\nimport https from 'https';\nexport const api = axios.create({\n  baseURL: 'https://api.example.com',\n  timeout: 5000,\n  httpsAgent: new https.Agent({ rejectUnauthorized: true, ca: process.env.CA, keepAlive: true }),\n});",
    },
    {
      name: 'new Agent() without arguments',
      code: "import http from 'http';\nconst agent = new http.Agent();\nhttp.get('http://a.example.com/', { agent });",
      errors: [{ line: 2, column: 15, messageId: 'agentDefault' }],
      output: "import http from 'http';\nconst agent = new http.Agent({ keepAlive: true });\nhttp.get('http://a.example.com/', { agent });",
    },
    {
      name: 'Connection: close header on fetch',
      code: "export async function send(body: string) {\n  const r = await fetch('https://hooks.example.com/x', {\n    method: 'POST',\n    headers: { 'Content-Type': 'application/json', Connection: 'close' },\n    body,\n  });\n  return r.json();\n}",
      errors: [{ line: 4, column: 52, messageId: 'connectionClose' }],
      output: "export async function send(body: string) {\n  const r = await fetch('https://hooks.example.com/x', {\n    method: 'POST',\n    headers: { 'Content-Type': 'application/json' },\n    body,\n  });\n  return r.json();\n}",
    },
    {
      name: 'proxy options assembled by hand (agent fallback, Connection: close)',
      code: "exports.setup = function (outgoing, options, req) {\n  outgoing.port = options.port || 80;\n  outgoing.method = req.method;\n  outgoing.headers = Object.assign({}, req.headers);\n  outgoing.agent = options.agent || false;\n  if (!outgoing.agent) outgoing.headers.connection = 'close';\n  return outgoing;\n};",
      errors: [
        { line: 5, column: 3, messageId: 'agentFalse' },
        { line: 6, column: 24, messageId: 'connectionClose' },
      ],
      output: null,
    },
    {
      name: 'setHeader on a client request',
      code: "const http = require('http');\nconst req = http.request({ host: 'a.example.com', method: 'POST', timeout: 1000 });\nreq.setHeader('Connection', 'close');\nreq.end('x');",
      errors: [{ line: 3, column: 1, messageId: 'connectionClose' }],
    },
    {
      name: 'http-proxy-middleware without an agent',
      code: "import express from 'express';\nimport { createProxyMiddleware } from 'http-proxy-middleware';\nconst app = express();\napp.use('/api', createProxyMiddleware({ target: 'http://backend:8080', changeOrigin: true }));",
      errors: [{ line: 4, column: 17, messageId: 'proxyNoAgent', severity: 'warning' }],
      output: null,
    },
    {
      name: 'http-proxy createProxyServer without an agent',
      code: "const httpProxy = require('http-proxy');\nconst proxy = httpProxy.createProxyServer({ target: 'http://127.0.0.1:9000' });\nmodule.exports = (req, res) => proxy.web(req, res);",
      errors: [{ line: 2, column: 15, messageId: 'proxyNoAgent' }],
    },
  ],
});
