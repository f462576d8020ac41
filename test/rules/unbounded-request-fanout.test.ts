import { ruleTester } from './ruleTester';

ruleTester('unbounded-request-fanout', {
  valid: [
    { name: 'concurrency capped with a limiter', code: "import axios from 'axios';\nimport pLimit from 'p-limit';\nconst limit = pLimit(16);\nexport const send = (users: any[]) => Promise.all(users.map((u) => limit(() => axios.post('/hook', u))));" },
    { name: 'small literal list', code: "export const warm = () => Promise.all(['/a', '/b', '/c'].map((p) => fetch(`https://a.example.com${p}`)));" },
    { name: 'no network call in the callback', code: "export const f = (xs: number[]) => Promise.all(xs.map(async (x) => x * 2));" },
    { name: 'client with its own connection limit', code: "import { Pool } from 'undici';\nconst pool = new Pool('https://a.example.com', { connections: 8 });\nexport const get = (ids: string[]) => Promise.all(ids.map((id) => pool.request({ path: `/u/${id}`, method: 'GET' })));" },
    { name: 'start-up over configuration', code: "import { MongoClient } from 'mongodb';\nasync function init(cfg: any) { return Promise.all(cfg.dbs.map((d: string) => MongoClient.connect(d))); }" },
  ],
  invalid: [
    {
      name: 'axios post per user',
      code: "import axios from 'axios';\nexport async function notify(users: any[]) {\n  await Promise.all(users.map((u) => axios.post(hook, u, { timeout: 5000 })));\n}",
      errors: [{ line: 3, column: 9, endColumn: 20, messageId: 'fanout', severity: 'warning', related: 1 }],
    },
    {
      name: 'fetch through a named async callback',
      code: "async function load(id: string) {\n  return fetch(`https://a.example.com/items/${id}`, { signal: AbortSignal.timeout(1000) });\n}\nexport const all = (ids: string[]) => Promise.allSettled(ids.map(load));",
      errors: [{ line: 4, column: 39, messageId: 'fanout' }],
    },
    {
      name: 'through a local helper',
      code: "import https from 'https';\nconst check = (h: string) => new Promise((r) => https.get({ host: h, timeout: 1000 }, r));\nexport const batch = async (hosts: string[]) => Promise.all(hosts.map((h) => check(h)));",
      errors: [{ line: 3, column: 49, messageId: 'fanout' }],
    },
  ],
});
