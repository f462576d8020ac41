import { ruleTester } from './ruleTester';

ruleTester('client-keepalive-outlives-server', {
  valid: [
    { name: 'idle timeout below the server\'s', code: "import http from 'node:http';\nexport const agent = new http.Agent({ keepAlive: true, timeout: 4000 });" },
    { name: 'agentkeepalive defaults (4 s free-socket timeout)', code: "const Agent = require('agentkeepalive');\nmodule.exports = new Agent({ maxSockets: 100 });" },
    { name: 'keep-alive off', code: "import https from 'https';\nexport const agent = new https.Agent({ maxSockets: 10, keepAlive: false });" },
    { name: 'retries requests that lose the race on a reused socket', code: "const http = require('http');\nconst agent = new http.Agent({ keepAlive: true });\nfunction get(opts, cb, retried) {\n  const req = http.get({ ...opts, agent }, cb);\n  req.on('error', (e) => { if (!retried && req.reusedSocket && e.code === 'ECONNRESET') get(opts, cb, true); else cb(e); });\n}\nmodule.exports = get;" },
    { name: 'options from the caller', code: "import http from 'http';\nexport const make = (o: http.AgentOptions) => new http.Agent(o);" },
    { name: 'test file', filename: 'test/pool.spec.ts', code: "import http from 'http';\nconst agent = new http.Agent({ keepAlive: true });\nhttp.get({ host: '127.0.0.1', agent });" },
    { name: 'Node 26 server default (65 s) is above a 60 s idle timeout', config: { nodeMajor: 26 }, code: "import http from 'http';\nexport const agent = new http.Agent({ keepAlive: true, timeout: 60_000 });" },
  ],
  invalid: [
    {
      name: 'keep-alive agent without an idle timeout (TS, import)',
      code: "import http from 'node:http';\nexport const agent = new http.Agent({ keepAlive: true, maxSockets: 50 });",
      errors: [{ line: 2, column: 22, endColumn: 36, messageId: 'noIdleTimeout', severity: 'info', message: /after 5 s/ }],
      output: "import http from 'node:http';\nexport const agent = new http.Agent({ keepAlive: true, maxSockets: 50, timeout: 4000 });",
    },
    {
      name: 'keepAlive from configuration (JS, require)',
      code: "const https = require('https');\nconst DEFAULTS = { keepAlive: true };\nmodule.exports = function create(config) {\n  const { keepAlive } = { ...DEFAULTS, ...config };\n  return { agent: new https.Agent({ keepAlive }) };\n};",
      filename: 'client.js',
      errors: [{ line: 5, column: 19, messageId: 'noIdleTimeout' }],
      output: "const https = require('https');\nconst DEFAULTS = { keepAlive: true };\nmodule.exports = function create(config) {\n  const { keepAlive } = { ...DEFAULTS, ...config };\n  return { agent: new https.Agent({ keepAlive, timeout: 4000 }) };\n};",
    },
    {
      name: 'agentkeepalive free-socket timeout longer than the server',
      code: "import Agent from 'agentkeepalive';\nexport const agent = new Agent({ freeSocketTimeout: 60_000 });",
      errors: [{ line: 2, column: 22, messageId: 'idleTooLong', message: /60000 ms/ }],
      output: null,
    },
    {
      name: 'Node 26: 65 s server default, still no idle timeout',
      config: { nodeMajor: 26 },
      code: "import https from 'https';\nimport axios from 'axios';\nexport const api = axios.create({ timeout: 5000, httpsAgent: new https.Agent({ keepAlive: true }) });",
      errors: [{ line: 3, column: 62, messageId: 'noIdleTimeout', message: /after 65 s/ }],
      output: "import https from 'https';\nimport axios from 'axios';\nexport const api = axios.create({ timeout: 5000, httpsAgent: new https.Agent({ keepAlive: true, timeout: 64000 }) });",
    },
  ],
});
