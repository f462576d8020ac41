import { ruleTester } from './ruleTester';

ruleTester('pool-connection-not-released', {
  valid: [
    {
      name: 'node-postgres transaction with try/catch/finally',
      code: "import { Pool } from 'pg';\nconst pool = new Pool();\nexport async function transfer() {\n  const client = await pool.connect();\n  try {\n    await client.query('BEGIN');\n    await client.query('UPDATE a SET n = n - 1');\n    await client.query('COMMIT');\n  } catch (e) {\n    await client.query('ROLLBACK');\n    throw e;\n  } finally {\n    client.release();\n  }\n}",
    },
    {
      name: 'pg callback API releasing in the query callback',
      code: "const { Pool } = require('pg');\nconst pool = new Pool();\npool.connect((err, client, done) => {\n  if (err) throw err;\n  client.query('SELECT NOW()', (err, res) => {\n    done();\n    if (err) console.log(err.stack);\n    else console.log(res.rows[0]);\n  });\n});",
      filename: 'a.js',
    },
    {
      name: 'mysql getConnection with release before handling the result',
      code: "const mysql = require('mysql');\nconst pool = mysql.createPool({ connectionLimit: 10 });\npool.getConnection(function (err, connection) {\n  if (err) throw err;\n  connection.query('SELECT 1', function (error, results) {\n    connection.release();\n    if (error) throw error;\n  });\n});",
      filename: 'a.js',
    },
    {
      name: 'a helper that returns the client hands it to the caller',
      code: "import { Pool } from 'pg';\nconst pool = new Pool();\nexport async function getClient() {\n  const client = await pool.connect();\n  await client.query('SET search_path TO app');\n  return client;\n}",
    },
    {
      name: 'the client is passed to code that releases it elsewhere',
      code: "import { Pool } from 'pg';\nconst pool = new Pool();\nexport async function run(fn) {\n  const client = await pool.connect();\n  return withClient(client, fn);\n}",
    },
    {
      name: 'LISTEN client kept for notifications',
      code: "import { Pool } from 'pg';\nconst pool = new Pool();\nexport async function listen() {\n  const client = await pool.connect();\n  client.on('notification', (msg) => console.log(msg.payload));\n  await client.query('LISTEN events');\n}",
    },
    {
      name: "mssql's pool.connect() returns the pool, not a checkout",
      code: "import { pool } from './db';\nexport async function q() {\n  await pool.connect();\n  const r = await pool.request().query('select 1');\n  return r.recordset;\n}",
    },
    {
      name: "mssql's connect().then(() => …) on an imported pool",
      code: "import { pool } from './db';\npool.connect().then(() => console.log('connected to SQL Server'));",
    },
    {
      name: 'unknown pool whose result is never released is not treated as a checkout',
      code: "import { pool } from './db';\nexport async function q() {\n  const conn = await pool.connect();\n  return conn.query('select 1');\n}",
    },
    {
      name: 'pool from the request object, released first thing in the query callback',
      code: "router.post('/login', function (req, res) {\n  req.pool.getConnection(function (err, connection) {\n    if (err) { res.sendStatus(500); return; }\n    connection.query('CALL login(?, ?)', [req.body.email, req.body.password], function (err, rows) {\n      connection.release();\n      if (err) { res.sendStatus(500); return; }\n      res.json(rows[0]);\n    });\n  });\n});",
      filename: 'routes/index.js',
    },
    {
      name: 'a plain Client ended in finally is not a pool checkout',
      code: "const pg = require('pg');\nasync function createDb(cfg) {\n  const client = new pg.Client(cfg);\n  try {\n    await client.connect();\n    await client.query('CREATE DATABASE x');\n  } finally {\n    await client.end();\n  }\n}",
      filename: 'a.js',
    },
    {
      name: 'await using',
      code: "import { Pool } from 'pg';\nconst pool = new Pool();\nexport async function f() {\n  await using client = await pool.connect();\n  await client.query('select 1');\n}",
    },
  ],
  invalid: [
    {
      name: 'early return inside a transaction (pg, TypeScript)',
      code: "import { Pool } from 'pg';\nconst pool = new Pool({ max: 20 });\napp.post('/seat', async (req, res) => {\n  const c = await pool.connect();\n  await c.query('BEGIN');\n  if (!(await c.query(q)).rowCount) return res.send('taken');\n  await c.query('COMMIT');\n  c.release();\n  res.send('ok');\n});",
      errors: [{ line: 4, column: 19, endColumn: 31, messageId: 'exception', message: /pool's 20 connections.*forever/, severity: 'warning', related: 5 }],
      output:
        "import { Pool } from 'pg';\nconst pool = new Pool({ max: 20 });\napp.post('/seat', async (req, res) => {\n  const c = await pool.connect();\n  try {\n    await c.query('BEGIN');\n    if (!(await c.query(q)).rowCount) return res.send('taken');\n    await c.query('COMMIT');\n    res.send('ok');\n  } finally {\n    c.release();\n  }\n});",
    },
    {
      name: 'release after the query, no try: leaks when the query rejects',
      code: "const { Pool } = require('pg');\nconst pool = new Pool({ connectionTimeoutMillis: 5000 });\nasync function getUser(id) {\n  const client = await pool.connect();\n  const res = await client.query('SELECT * FROM users WHERE id = $1', [id]);\n  client.release();\n  return res.rows[0];\n}",
      filename: 'users.js',
      errors: [{ line: 4, column: 24, messageId: 'exception', message: /line 5 rejects.*until the acquire timeout/ }],
      output: "const { Pool } = require('pg');\nconst pool = new Pool({ connectionTimeoutMillis: 5000 });\nasync function getUser(id) {\n  const client = await pool.connect();\n  try {\n    const res = await client.query('SELECT * FROM users WHERE id = $1', [id]);\n    return res.rows[0];\n  } finally {\n    client.release();\n  }\n}",
    },
    {
      name: 'callback API: early return on a query error skips done()',
      code: "const { Pool } = require('pg');\nconst pool = new Pool();\nfunction load(cb) {\n  pool.connect(function (err, client, done) {\n    if (err) return cb(err);\n    client.query('SELECT 1', function (err, result) {\n      if (err) return cb(err);\n      done();\n      cb(null, result.rows);\n    });\n  });\n}",
      filename: 'a.js',
      errors: [{ line: 4, column: 3, messageId: 'return', message: /return at line 7/ }],
      output: null,
    },
    {
      name: 'mysql callback: the first query\'s error path returns before the nested release',
      code: "var mysql = require('mysql');\nvar pool = mysql.createPool(db);\nfunction build(row, cb) {\n  pool.getConnection(function (err, connection) {\n    if (err) return cb(err);\n    connection.query(q1, [row.name], function (err, a) {\n      if (err) return cb(err);\n      connection.query(q2, [row.agency], function (err, b) {\n        connection.release();\n        if (err) return cb(err);\n        cb(null, a, b);\n      });\n    });\n  });\n}",
      filename: 'build.js',
      errors: [{ line: 4, column: 3, messageId: 'return', message: /line 7/ }],
      output: null,
    },
    {
      name: 'mysql transaction: beginTransaction error returns without release (pool from the request)',
      code: "router.post('/pw', function (req, res) {\n  req.pool.getConnection(function (err, connection) {\n    if (err) return res.sendStatus(500);\n    connection.beginTransaction(function (err) {\n      if (err) return res.send('db error');\n      connection.query(sql, function (err) {\n        connection.release();\n        res.send(err ? 'failed' : 'ok');\n      });\n    });\n  });\n});",
      filename: 'routes/users.js',
      errors: [{ line: 2, column: 3, messageId: 'return', message: /line 5/ }],
      output: null,
    },
    {
      name: 'mysql2 promise pool from pool.promise(), released only on success',
      code: "import mysql from 'mysql2';\nconst pool = mysql.createPool({ host: 'db' }).promise();\nexport async function count() {\n  const conn = await pool.getConnection();\n  const [rows] = await conn.query('SELECT COUNT(*) AS n FROM t');\n  conn.release();\n  return rows;\n}",
      errors: [{ line: 4, column: 22, messageId: 'exception', message: /unbounded queue/ }],
    },
    {
      name: 'pool imported from the app db module (name-based), explicit throw',
      code: "import { pool } from '../db';\nexport async function reserve(id: string) {\n  const client = await pool.connect();\n  const { rowCount } = await client.query('UPDATE seats SET taken = true WHERE id = $1', [id]);\n  if (!rowCount) throw new Error('taken');\n  client.release();\n}",
      errors: [{ line: 3, column: 24, messageId: 'exception', related: 2 }],
      output: "import { pool } from '../db';\nexport async function reserve(id: string) {\n  const client = await pool.connect();\n  try {\n    const { rowCount } = await client.query('UPDATE seats SET taken = true WHERE id = $1', [id]);\n    if (!rowCount) throw new Error('taken');\n  } finally {\n    client.release();\n  }\n}",
    },
    {
      name: 'discarded checkout',
      code: "import pg from 'pg';\nconst pool = new pg.Pool();\nexport async function warm() {\n  await pool.connect();\n}",
      errors: [{ line: 4, column: 9, messageId: 'discarded', related: 1 }],
      output: null,
    },
    {
      name: 'startup check that checks a client out and never gives it back',
      code: "import pg from 'pg';\nexport const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL });\npool.connect()\n  .then(() => console.log('Connected to PostgreSQL'))\n  .catch((err) => console.error(err.message));",
      errors: [{ line: 3, column: 1, messageId: 'discarded' }],
      output: null,
    },
    {
      name: 'promise chain without catch',
      code: "const { Pool } = require('pg');\nconst pool = new Pool();\nmodule.exports = () => pool.connect().then((client) =>\n  client.query('SELECT 1').then((res) => {\n    client.release();\n    return res.rows;\n  }));",
      filename: 'a.js',
      errors: [{ line: 3, column: 24, messageId: 'rejection', message: /promise at line 4/ }],
      output: null,
    },
    {
      name: 'no fix when an existing release destroys the client',
      code: "import { Pool } from 'pg';\nconst pool = new Pool();\nexport async function f() {\n  const c = await pool.connect();\n  const r = await c.query('select 1');\n  if (!r.rowCount) { c.release(true); return null; }\n  c.release();\n  return r.rows;\n}",
      errors: [{ line: 4, column: 19, messageId: 'exception' }],
      output: null,
    },
    {
      name: 'the fix moves a release that shares its line into finally',
      code: "import { Pool } from 'pg';\nconst pool = new Pool();\nexport async function f() {\n  const c = await pool.connect();\n  await c.query('select 1'); c.release();\n}",
      errors: [{ line: 4, column: 19, messageId: 'exception' }],
      output: "import { Pool } from 'pg';\nconst pool = new Pool();\nexport async function f() {\n  const c = await pool.connect();\n  try {\n    await c.query('select 1');\n  } finally {\n    c.release();\n  }\n}",
    },
  ],
});
