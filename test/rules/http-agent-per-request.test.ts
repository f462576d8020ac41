import { ruleTester } from './ruleTester';

ruleTester('http-agent-per-request', {
  valid: [
    { name: 'agent at module scope', code: "import https from 'node:https';\nimport axios from 'axios';\nconst agent = new https.Agent({ keepAlive: true });\nexport const userinfo = (t: string) => axios.get('https://idp.example.com/userinfo', { httpsAgent: agent, timeout: 3000 });" },
    { name: 'memoised on the instance', code: "const https = require('https');\nclass Client {\n  request(path) {\n    this.agent = this.agent || new https.Agent({ keepAlive: true });\n    return https.get({ host: 'a.example.com', path, agent: this.agent });\n  }\n}\nmodule.exports = Client;" },
    { name: 'memoised in a module cache', code: "import { Agent, request } from 'undici';\nconst agents = new Map<string, Agent>();\nexport async function get(origin: string, path: string) {\n  let a = agents.get(origin);\n  if (!a) { a = new Agent({ keepAliveTimeout: 4000 }); agents.set(origin, a); }\n  return request(origin + path, { dispatcher: a });\n}" },
    { name: 'lazy module-level singleton', code: "import http from 'http';\nlet shared: http.Agent | undefined;\nexport function send(host: string) {\n  if (!shared) shared = new http.Agent({ keepAlive: true });\n  return http.request({ host, agent: shared });\n}" },
    { name: 'factory returning a configured client', code: "import axios from 'axios';\nimport https from 'https';\nexport function makeClient(ca: string) {\n  return axios.create({ baseURL: 'https://api.example.com', httpsAgent: new https.Agent({ keepAlive: true, ca }) });\n}" },
    { name: 'created in a constructor', code: "const { Pool } = require('undici');\nclass Api {\n  constructor(url) { this.pool = new Pool(url, { connections: 10 }); }\n  get(path) { return this.pool.request({ path, method: 'GET' }); }\n}\nmodule.exports = Api;" },
    { name: 'per-call function that sends nothing itself', code: "const https = require('https');\nmodule.exports = function configure(opts) {\n  const agent = new https.Agent({ keepAlive: true, ca: opts.ca });\n  return { agent };\n};" },
    { name: 'per-test agent', filename: 'src/__tests__/client.test.ts', code: "import http from 'http';\nit('works', async () => {\n  const agent = new http.Agent({ keepAlive: true });\n  http.get({ host: '127.0.0.1', agent });\n});" },
  ],
  invalid: [
    {
      // The value goes round `a` and `b`: following their reads must end (it ran out of stack; fuzz seed 1661955731 case 7759).
      name: 'an agent passed back and forth between two variables',
      code: "const http = require('http');\nfunction f() {\n  let a = new http.Agent();\n  let b = a;\n  a = b;\n  http.get('http://x', { agent: a });\n}",
      errors: [{ line: 3, column: 11, messageId: 'perCall' }],
    },
    {
      name: 'axios.create with a new agent per call (TS, import)',
      code: "import axios from 'axios';\nimport https from 'node:https';\nexport async function userinfo(token: string) {\n  return axios.create({ httpsAgent: new https.Agent({ keepAlive: true }), timeout: 3000 }).post('https://idp.example.com/userinfo', {}, { headers: { authorization: token } });\n}",
      errors: [{ line: 4, column: 37, endColumn: 52, messageId: 'perCall', severity: 'warning', related: 1, message: /per call/ }],
      output: null,
    },
    {
      name: 'agent per incoming request (JS, require)',
      code: "const express = require('express');\nconst http = require('http');\nconst app = express();\napp.get('/proxy', (req, res) => {\n  const agent = new http.Agent({ keepAlive: true });\n  http.get({ host: 'backend', path: req.path, agent, timeout: 2000 }, (r) => r.pipe(res));\n});",
      errors: [{ line: 5, column: 17, messageId: 'perCall', message: /per incoming request/ }],
    },
    {
      name: 'undici Client per loop iteration',
      code: "import { Client } from 'undici';\nexport async function ping(origins: string[]) {\n  for (const o of origins) {\n    const client = new Client(o, { headersTimeout: 2000 });\n    const { body } = await client.request({ path: '/health', method: 'GET' });\n    await body.dump();\n    await client.close();\n  }\n}",
      errors: [{ line: 4, column: 20, messageId: 'perCall', message: /per loop iteration/ }],
    },
    {
      name: 'per-request TLS options build a fresh agent',
      code: "const https = require('https');\nconst axios = require('axios');\nconst instance = axios.create({ timeout: 5000 });\nmodule.exports = function requestWrapper(options) {\n  const axiosOptions = { url: options.uri, method: options.method };\n  if (options.ca) {\n    axiosOptions.httpsAgent = new https.Agent({ ca: options.ca, keepAlive: true });\n  }\n  return instance(axiosOptions);\n};",
      errors: [{ line: 7, column: 31, messageId: 'perCall' }],
    },
  ],
});
