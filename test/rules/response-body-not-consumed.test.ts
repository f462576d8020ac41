import { ruleTester } from './ruleTester';

ruleTester('response-body-not-consumed', {
  valid: [
    { name: 'read on every path', code: "export async function getUser(id: string) {\n  const r = await fetch(`https://api.example.com/u/${id}`, { signal: AbortSignal.timeout(5000) });\n  if (!r.ok) throw new Error(`HTTP ${r.status}: ${await r.text()}`);\n  return r.json();\n}" },
    { name: 'response returned to the caller (ownership transfer)', code: "const fetch = require('node-fetch');\nmodule.exports = (hookURL, payload) => new Promise((resolve, reject) => {\n  fetch(hookURL, { method: 'POST', body: JSON.stringify(payload) })\n    .then((res) => resolve(res))\n    .catch((err) => reject(err));\n});", filename: 'send.js' },
    { name: 'error path reads the body, success path hands it back', code: "const fetch = require('node-fetch').default;\nfunction send(url) {\n  return fetch(url).then((res) => {\n    if (res.status >= 400) {\n      return res.text().then((body) => { throw new Error(body); });\n    }\n    return res;\n  });\n}\nmodule.exports = send;", filename: 'requests.js' },
    { name: 'HEAD request', code: "export async function exists(u: string) {\n  const r = await fetch(u, { method: 'HEAD', redirect: 'manual' });\n  return r.headers.get('location');\n}" },
    { name: 'node:http without a response listener (Node discards it)', code: "const http = require('http');\nmodule.exports = (data) => {\n  const req = http.request({ hostname: 'hooks', port: 80, method: 'POST', timeout: 1000 });\n  req.on('error', () => req.abort());\n  req.end(data);\n};", filename: 'callback.js' },
    { name: 'node:http response released by destroying its socket', code: "import https from 'node:https';\nexport const cert = (host: string) => new Promise((resolve) => {\n  https.request({ host, method: 'GET' }, (res) => {\n    const c = (res.socket as any).getPeerCertificate();\n    res.socket.destroy();\n    resolve(c);\n  }).end();\n});" },
    { name: '304 carries no body', code: "export async function revalidate(u: string, etag: string) {\n  const r = await fetch(u, { headers: { 'if-none-match': etag } });\n  if (r.status === 304) return undefined;\n  return r.json();\n}" },
    { name: 'undici body dumped before returning', code: "import { request } from 'undici';\nexport async function status(u: string) {\n  const { statusCode, body } = await request(u);\n  await body.dump();\n  return statusCode;\n}" },
    { name: 'a test reading only the status', filename: 'test/routes.test.ts', code: "it('404', async () => {\n  const r = await fetch('http://127.0.0.1:3000/missing');\n  expect(r.status).toBe(404);\n});" },
    { name: 'browser code (the browser pools its own connections)', code: "document.querySelector('#ping')!.addEventListener('click', async () => {\n  const r = await fetch('/api/ping');\n  if (!r.ok) return;\n  console.log(await r.text());\n});" },
    { name: 'request already destroyed', code: "const http = require('http');\nconst req = http.request({ host: 'a.example.com' }, (res) => {\n  if (req.destroyed) return;\n  res.pipe(process.stdout);\n});\nreq.end();", filename: 'r.js' },
    { name: 'finally cancels whatever happened', code: "export async function f(u: string) {\n  const r = await fetch(u);\n  try {\n    if (!r.ok) return null;\n    return await r.json();\n  } finally {\n    if (!r.bodyUsed) await r.body?.cancel();\n  }\n}" },
  ],
  invalid: [
    {
      name: 'throw on !ok (TS, global fetch)',
      code: "export async function load(u: string) {\n  const r = await fetch(u);\n  if (!r.ok) throw new Error(`HTTP ${r.status}`);\n  return r.json();\n}",
      errors: [{ line: 2, column: 19, endColumn: 24, messageId: 'fetch', severity: 'warning', related: 1, message: /on the throw at line 3/ }],
      output: "export async function load(u: string) {\n  const r = await fetch(u);\n  if (!r.ok) { await r.body?.cancel(); throw new Error(`HTTP ${r.status}`); }\n  return r.json();\n}",
    },
    {
      name: 'early return in a block (node-fetch, require)',
      code: "const fetch = require('node-fetch');\nasync function load(u) {\n  const res = await fetch(u, { timeout: 5000 });\n  if (res.status !== 200) {\n    return null;\n  }\n  return res.json();\n}\nmodule.exports = load;",
      filename: 'load.js',
      errors: [{ line: 3, column: 21, messageId: 'fetch' }],
      output: "const fetch = require('node-fetch');\nasync function load(u) {\n  const res = await fetch(u, { timeout: 5000 });\n  if (res.status !== 200) {\n    res.body?.resume();\n    return null;\n  }\n  return res.json();\n}\nmodule.exports = load;",
    },
    {
      name: 'webhook POST whose response is only logged (undici fetch)',
      code: "import { fetch } from 'undici';\nexport async function forward(target: string, body: string) {\n  try {\n    const response = await fetch(target, { method: 'POST', body });\n    console.info(`POST ${response.url} - ${response.status}`);\n  } catch (err) {\n    console.error(err);\n  }\n}",
      errors: [{ line: 4, column: 28, messageId: 'fetch', message: /by the end of its block \(line 6\)/ }],
      output: "import { fetch } from 'undici';\nexport async function forward(target: string, body: string) {\n  try {\n    const response = await fetch(target, { method: 'POST', body });\n    console.info(`POST ${response.url} - ${response.status}`);\n    await response.body?.cancel();\n  } catch (err) {\n    console.error(err);\n  }\n}",
    },
    {
      name: 'awaited and discarded',
      code: "export async function ping() {\n  await fetch('https://hooks.example.com/ping', { method: 'POST' });\n}",
      errors: [{ line: 2, column: 9, messageId: 'fetch', message: /discarded unread/ }],
      output: null,
    },
    {
      name: 'node:http non-200 path (JS, require)',
      code: "const https = require('https');\nfunction get(url, cb) {\n  https.get(url, (res) => {\n    if (res.statusCode !== 200) return cb(new Error('HTTP ' + res.statusCode));\n    let data = '';\n    res.on('data', (c) => (data += c));\n    res.on('end', () => cb(null, data));\n  });\n}\nmodule.exports = get;",
      filename: 'get.js',
      errors: [{ line: 3, column: 3, messageId: 'node', related: 1 }],
      output: "const https = require('https');\nfunction get(url, cb) {\n  https.get(url, (res) => {\n    if (res.statusCode !== 200) { res.resume(); return cb(new Error('HTTP ' + res.statusCode)); }\n    let data = '';\n    res.on('data', (c) => (data += c));\n    res.on('end', () => cb(null, data));\n  });\n}\nmodule.exports = get;",
    },
    {
      name: 'certificate read, response never consumed (ESM import)',
      code: "import https from 'node:https';\nexport function peerCert(host: string) {\n  return new Promise((resolve, reject) => {\n    const req = https.get({ host, agent: false }, (res) => {\n      resolve((res.socket as any).getPeerCertificate());\n    });\n    req.on('error', reject);\n  });\n}",
      errors: [{ line: 4, column: 17, messageId: 'node' }],
      output: "import https from 'node:https';\nexport function peerCert(host: string) {\n  return new Promise((resolve, reject) => {\n    const req = https.get({ host, agent: false }, (res) => {\n      resolve((res.socket as any).getPeerCertificate());\n      res.resume();\n    });\n    req.on('error', reject);\n  });\n}",
    },
    {
      name: 'undici.request body dropped on a bad status',
      code: "import { request } from 'undici';\nexport async function json(u: string) {\n  const { statusCode, body } = await request(u, { headersTimeout: 5000 });\n  if (statusCode >= 400) throw new Error(`status ${statusCode}`);\n  return body.json();\n}",
      errors: [{ line: 3, column: 38, messageId: 'undici' }],
      output: "import { request } from 'undici';\nexport async function json(u: string) {\n  const { statusCode, body } = await request(u, { headersTimeout: 5000 });\n  if (statusCode >= 400) { await body.dump(); throw new Error(`status ${statusCode}`); }\n  return body.json();\n}",
    },
    {
      name: 'skipped items in a loop',
      code: "export async function all(urls: string[]) {\n  const out: unknown[] = [];\n  for (const u of urls) {\n    const r = await fetch(u);\n    if (r.status === 404) continue;\n    out.push(await r.json());\n  }\n  return out;\n}",
      errors: [{ line: 4, column: 21, messageId: 'fetch', message: /`continue` at line 5/ }],
      output: "export async function all(urls: string[]) {\n  const out: unknown[] = [];\n  for (const u of urls) {\n    const r = await fetch(u);\n    if (r.status === 404) { await r.body?.cancel(); continue; }\n    out.push(await r.json());\n  }\n  return out;\n}",
    },
  ],
});
