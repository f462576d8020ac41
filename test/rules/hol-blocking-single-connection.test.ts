import { ruleTester } from './ruleTester';

ruleTester('hol-blocking-single-connection', {
  valid: [
    { name: 'a pool', code: "import mysql from 'mysql2';\nimport express from 'express';\nconst pool = mysql.createPool({ connectionLimit: 10, connectTimeout: 10_000 });\nconst app = express();\napp.get('/u/:id', (req, res) => pool.query('SELECT 1', [req.params.id], (e, rows) => res.json(rows)));" },
    { name: 'single connection used by a script, not by handlers', code: "const { Client } = require('pg');\nconst client = new Client();\nasync function main() {\n  await client.connect();\n  await client.query('VACUUM');\n  await client.end();\n}\nmain();", filename: 'vacuum.js' },
    { name: 'connected and closed per call (a different problem)', code: "const express = require('express');\nconst { Client } = require('pg');\nconst client = new Client();\nconst router = express.Router();\nrouter.get('/', async (req, res) => {\n  await client.connect();\n  const r = await client.query('SELECT 1');\n  await client.end();\n  res.json(r.rows);\n});\nmodule.exports = router;", filename: 'route.js' },
    { name: 'agent with several sockets', code: "import https from 'https';\nexport const agent = new https.Agent({ keepAlive: true, maxSockets: 16, timeout: 4000 });" },
    { name: 'pipelining 1 (the default)', code: "import { Pool } from 'undici';\nexport const pool = new Pool('https://api.example.com', { pipelining: 1, connections: 8 });" },
    { name: 'test helper', filename: 'test/db.test.ts', code: "import mysql from 'mysql2';\nimport express from 'express';\nconst conn = mysql.createConnection({});\nconst app = express();\napp.get('/', (req, res) => conn.query('SELECT 1', () => res.end()));" },
  ],
  invalid: [
    {
      name: 'one mysql connection for all requests (JS, require)',
      code: "const mysql = require('mysql');\nconst express = require('express');\nconst conn = mysql.createConnection({ host: 'db', user: 'app' });\nconst app = express();\napp.get('/u/:id', (req, res) => {\n  conn.query('SELECT * FROM u WHERE id = ?', [req.params.id], (err, rows) => res.json(rows));\n});\napp.listen(3000);",
      filename: 'server.js',
      errors: [{ line: 3, column: 14, messageId: 'sharedConnection', severity: 'info', related: 1 }],
      output: null,
    },
    {
      name: 'module-level pg Client in a handler (TS, import)',
      code: "import { Client } from 'pg';\nimport express from 'express';\nconst db = new Client({ connectionString: process.env.DATABASE_URL });\nawait db.connect();\nexport const app = express();\napp.get('/orders', async (req, res) => {\n  const { rows } = await db.query('SELECT * FROM orders');\n  res.json(rows);\n});",
      errors: [{ line: 3, column: 12, messageId: 'sharedConnection' }],
    },
    {
      name: 'maxSockets: 1',
      code: "import http from 'node:http';\nexport const agent = new http.Agent({ keepAlive: true, timeout: 4000, maxSockets: 1 });",
      errors: [{ line: 2, column: 71, endColumn: 84, messageId: 'singleSocket', severity: 'info' }],
    },
    {
      name: 'undici pipelining',
      code: "const { Client } = require('undici');\nmodule.exports = new Client('https://api.example.com', { pipelining: 10 });",
      filename: 'c.js',
      errors: [{ line: 2, column: 58, messageId: 'pipelining', message: /up to 10 requests/ }],
    },
  ],
});
