import { ruleTester } from './ruleTester';

ruleTester('retry-without-backoff-or-idempotency', {
  valid: [
    { name: 'exponential backoff with jitter, GET', code: "import axios from 'axios';\nconst sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));\nexport async function get(u: string) {\n  for (let attempt = 0; attempt < 5; attempt++) {\n    try { return await axios.get(u, { timeout: 2000 }); }\n    catch { await sleep(Math.random() * 100 * 2 ** attempt); }\n  }\n  throw new Error('unavailable');\n}" },
    { name: 'waits the server\'s Retry-After before one more try', code: "export async function check(u: string): Promise<boolean> {\n  const r = await fetch(u, { signal: AbortSignal.timeout(5000) });\n  const after = Number(r.headers.get('retry-after'));\n  if (after) { await new Promise((res) => setTimeout(res, after * 1000)); return check(u); }\n  return r.ok;\n}" },
    { name: 'reconnect with a fixed interval and an attempt limit', code: "const { Client } = require('pg');\nasync function connect(cfg) {\n  for (let attempt = 1; attempt <= 10; attempt++) {\n    const c = new Client(cfg);\n    try { await c.connect(); return c; }\n    catch (e) { await new Promise((r) => setTimeout(r, 1000)); }\n  }\n  throw new Error('no database');\n}\nmodule.exports = connect;", filename: 'db.js' },
    { name: 'got retry limited to idempotent methods', code: "import got from 'got';\nexport const api = got.extend({ timeout: { request: 5000 }, retry: { limit: 2, methods: ['GET', 'PUT', 'DELETE'] } });" },
    { name: 'POST retried with an idempotency key', code: "import axios from 'axios';\nconst sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));\nexport async function charge(body: object, key: string) {\n  for (let i = 0; i < 3; i++) {\n    try { return await axios.post('https://pay.example.com/charges', body, { timeout: 5000, headers: { 'Idempotency-Key': key } }); }\n    catch { await sleep(200 * 2 ** i); }\n  }\n}" },
    { name: 'axios-retry with exponential delay', code: "import axios from 'axios';\nimport axiosRetry from 'axios-retry';\naxiosRetry(axios, { retries: 3, retryDelay: axiosRetry.exponentialDelay });" },
    { name: 'retrying a local server', code: "const net = require('net');\nmodule.exports = function open(opt) {\n  const host = opt.local_host || 'localhost';\n  const conn = () => {\n    const local = net.connect({ host, port: opt.port });\n    local.once('error', () => setTimeout(conn, 1000));\n  };\n  conn();\n};", filename: 'tunnel.js' },
    { name: 'a loop over work items', code: "export async function drain(queue: string[]) {\n  while (queue.length) {\n    const u = queue.shift()!;\n    try { await fetch(u, { method: 'POST' }); } catch (e) { console.error(e); }\n  }\n}" },
  ],
  invalid: [
    {
      name: 'immediate retry loop (TS)',
      code: "export async function get(u: string) {\n  for (;;) {\n    try {\n      return await fetch(u, { signal: AbortSignal.timeout(5000) });\n    } catch {\n      // try again\n    }\n  }\n}",
      errors: [{ line: 2, column: 3, endColumn: 12, messageId: 'noDelay', severity: 'warning', related: 1 }],
      output: null,
    },
    {
      name: 'retry forever every second (JS, require)',
      code: "const axios = require('axios');\nfunction init(uri, cb) {\n  (function getUrl() {\n    axios.get(uri, { timeout: 5000 })\n      .then((res) => cb(null, res.data))\n      .catch(() => setTimeout(getUrl, 1000));\n  })();\n}\nmodule.exports = init;",
      filename: 'tunnel.js',
      errors: [{ line: 6, column: 20, messageId: 'fixedDelay', message: /every 1000 ms/ }],
    },
    {
      name: 'POST replayed after a network error',
      code: "import axios from 'axios';\nconst sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));\nexport async function submit(order: object) {\n  let attempt = 0;\n  while (true) {\n    try {\n      return await axios.post('https://api.example.com/orders', order, { timeout: 5000 });\n    } catch (e) {\n      if (++attempt > 3) throw e;\n      await sleep(250 * 2 ** attempt);\n    }\n  }\n}",
      errors: [{ line: 5, column: 3, messageId: 'nonIdempotentRetry', message: /\(POST\)/ }],
    },
    {
      name: 'got retry config that includes POST',
      code: "const got = require('got');\nmodule.exports = got.extend({ timeout: { request: 5000 }, retry: { limit: 3, methods: ['GET', 'POST'] } });",
      filename: 'client.js',
      errors: [{ line: 2, column: 78, messageId: 'nonIdempotentConfig', message: /replays POST/ }],
    },
    {
      name: 'axios-retry without a delay',
      code: "import axios from 'axios';\nimport axiosRetry from 'axios-retry';\naxiosRetry(axios, { retries: 5 });",
      errors: [{ line: 3, column: 1, messageId: 'axiosRetryNoDelay', message: /up to 5 times/ }],
    },
    {
      name: 'axios-retry through `.default` of a required module, after other calls',
      code: "const axios = require('axios');\nconst axiosRetry = require('axios-retry');\nconst client = axios.create();\naxiosRetry.default(client, { retries: 2 });",
      filename: 'client.js',
      errors: [{ line: 4, column: 1, messageId: 'axiosRetryNoDelay', message: /up to 2 times/ }],
    },
    {
      name: 'axios-retry retrying every method',
      code: "const axios = require('axios');\nconst axiosRetry = require('axios-retry');\naxiosRetry(axios, { retries: 3, retryDelay: axiosRetry.exponentialDelay, retryCondition: axiosRetry.isNetworkError });",
      filename: 'http.js',
      errors: [{ line: 3, column: 74, messageId: 'nonIdempotentConfig' }],
    },
    {
      name: 'reconnect after close at a fixed interval',
      code: "const net = require('net');\nfunction connect(self, host, port) {\n  const socket = net.createConnection(port, host);\n  socket.on('close', () => {\n    setTimeout(() => self.reconnect(host, port), 1000);\n  });\n  return socket;\n}\nmodule.exports = connect;",
      filename: 'broker.js',
      errors: [{ line: 5, column: 5, messageId: 'fixedDelay', message: /reconnect\(\) is retried every 1000 ms/ }],
    },
  ],
});
