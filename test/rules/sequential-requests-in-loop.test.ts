import { ruleTester } from './ruleTester';

ruleTester('sequential-requests-in-loop', {
  valid: [
    { name: 'pagination with a cursor', code: "import axios from 'axios';\nexport async function all() {\n  let cursor;\n  const out = [];\n  for (let i = 0; i < 100; i++) {\n    const r = await axios.get('/items', { params: { cursor }, timeout: 1000 });\n    cursor = r.data.next;\n    if (!cursor) break;\n  }\n}" },
    { name: 'while loop (polling)', code: "while (!done) { done = (await fetch(url, { signal })).ok; }" },
    { name: 'deliberate pacing', code: "for (const u of urls) { await fetch(u, { signal }); await sleep(1000); }" },
    { name: 'not awaited in the loop', code: "const ps = [];\nfor (const u of urls) ps.push(fetch(u, { signal }));" },
  ],
  invalid: [
    {
      name: 'axios per url',
      code: "import axios from 'axios';\nexport async function load(urls: string[]) {\n  const docs = [];\n  for (const u of urls) docs.push((await axios.get(u, { timeout: 2000 })).data);\n  return docs;\n}",
      errors: [{ line: 4, column: 42, messageId: 'sequential', severity: 'hint' }],
    },
    {
      name: 'fetch per id',
      code: "for (const id of ids) {\n  const res = await fetch(`https://a.example.com/u/${id}`, { signal: AbortSignal.timeout(1000) });\n  users.push(await res.json());\n}",
      errors: [{ line: 2, column: 21, messageId: 'sequential' }],
    },
    {
      name: 'pg query per row, reported once per loop',
      code: "import { Pool } from 'pg';\nconst pool = new Pool({ connectionTimeoutMillis: 1000 });\nexport async function save(rows: any[]) {\n  for (const r of rows) {\n    await pool.query('insert into t values ($1)', [r.a]);\n    await pool.query('update s set n = n + 1');\n  }\n}",
      errors: [{ line: 5, column: 11, messageId: 'sequential' }],
    },
  ],
});
