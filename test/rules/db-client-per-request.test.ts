import { ruleTester } from './ruleTester';

ruleTester('db-client-per-request', {
  valid: [
    {
      name: 'one pool at module scope, queried per request',
      code: "import { Pool } from 'pg';\nconst pool = new Pool({ max: 10, connectionTimeoutMillis: 5000 });\napp.get('/u/:id', async (req, res) => res.json((await pool.query(sql, [req.params.id])).rows));",
    },
    {
      name: 'serverless handler that connects lazily and keeps the client',
      code: "const { MongoClient } = require('mongodb');\nlet cached;\nmodule.exports = async (req, res) => {\n  if (!cached) {\n    cached = await MongoClient.connect(process.env.MONGO_URL);\n  }\n  res.json(await cached.db().collection('u').findOne());\n};",
      filename: 'api/users.js',
    },
    {
      name: 'cached through a derived value in a helper the handler calls',
      code: "import { MongoClient } from 'mongodb';\nlet cachedDb;\nasync function connectToDatabase(uri: string) {\n  if (cachedDb) return cachedDb;\n  const client = await MongoClient.connect(uri);\n  const db = client.db('app');\n  cachedDb = db;\n  return db;\n}\nexport default async function handler(req, res) {\n  const db = await connectToDatabase(process.env.URI!);\n  res.json(await db.collection('x').find().toArray());\n}",
    },
    {
      name: 'Lambda handler reusing a client kept across warm invocations',
      code: "const { Client } = require('pg');\nlet client;\nexports.handler = async (event) => {\n  if (!client) {\n    client = new Client();\n    await client.connect();\n  }\n  return (await client.query('select 1')).rows;\n};",
      filename: 'lambda.js',
    },
    {
      name: 'one-shot admin function nobody routes to',
      code: "const pg = require('pg');\nasync function createDatabase(config, name) {\n  const client = new pg.Client(config);\n  try {\n    await client.connect();\n    await client.query(`CREATE DATABASE ${name}`);\n  } finally {\n    await client.end();\n  }\n}\nmodule.exports = { createDatabase };",
      filename: 'index.js',
    },
    {
      name: 'client created at startup, handlers registered inside main',
      code: "import pg from 'pg';\nasync function main() {\n  const client = new pg.Client();\n  await client.connect();\n  app.get('/', async (req, res) => res.json((await client.query('select 1')).rows));\n}\nmain();",
    },
    {
      name: 'shared node-redis client connected on demand but never closed per request',
      code: "import { createClient } from 'redis';\nconst client = createClient({ url: process.env.REDIS_URL });\napp.get('/k', async (req, res) => {\n  if (!client.isOpen) await client.connect();\n  res.send(await client.get('k'));\n});",
    },
    {
      name: 'client per instance of a service built once',
      code: "import Redis from 'ioredis';\nclass Cache { constructor() { this.redis = new Redis(6379, 'cache'); } get(k) { return this.redis.get(k); } }\nexport const cache = new Cache();",
      filename: 'cache.js',
    },
    {
      name: 'test files may create a client per test',
      code: "import { Client } from 'pg';\napp.get('/x', async (req, res) => { const c = new Client(); await c.connect(); await c.end(); });",
      filename: 'test/db.test.ts',
    },
    {
      name: 'clients kept in a map per configured connection',
      code: "const Redis = require('ioredis');\nconst connections = new Map();\napp.post('/connections', (req, res) => {\n  const client = new Redis(req.body.port, req.body.host);\n  connections.set(req.body.name, client);\n  res.end();\n});",
      filename: 'a.js',
    },
  ],
  invalid: [
    {
      name: 'new pg.Client per request, connected and ended',
      code: "import pg from 'pg';\napp.get('/u/:id', async (req, res) => {\n  const c = new pg.Client(cfg); await c.connect();\n  res.json((await c.query(sql, [req.params.id])).rows); await c.end();\n});",
      errors: [{ line: 3, column: 13, endColumn: 26, messageId: 'newClient', severity: 'warning', related: 1 }],
      output: null,
    },
    {
      name: 'MongoClient.connect in a Next.js-style API handler (require)',
      code: "const { MongoClient } = require('mongodb');\nmodule.exports = async function handler(req, res) {\n  const client = await MongoClient.connect(process.env.MONGO_URL);\n  const users = await client.db().collection('users').find().toArray();\n  res.json(users);\n};",
      filename: 'pages/api/users.js',
      errors: [{ line: 3, column: 24, messageId: 'newClient', message: /MongoDB connection .*4–6 round trips, ≈200–300 ms at 50 ms RTT/, related: 0 }],
      output: null,
    },
    {
      name: 'shared client connected and ended in a helper the route calls',
      code: "const express = require('express'),\n  { Client } = require('pg');\nconst client = new Client(),\n  router = express.Router();\nlet hello = async () => {\n  await client.connect();\n  const res = await client.query('SELECT 1');\n  await client.end();\n  return res.rows[0];\n};\nrouter.get('/', async (req, res) => {\n  res.end(await hello());\n});",
      filename: 'routes/psql.js',
      errors: [{ line: 6, column: 9, endColumn: 23, messageId: 'connectPerRequest', related: 2 }],
      output: null,
    },
    {
      name: 'ioredis client per Koa request',
      code: "import Redis from 'ioredis';\nrouter.get('/count', async (ctx, next) => {\n  const redis = new Redis(process.env.REDIS_URL);\n  ctx.body = await redis.incr('hits');\n  redis.disconnect();\n});",
      errors: [{ line: 3, column: 17, messageId: 'newClient', message: /Redis connection/ }],
      output: null,
    },
    {
      name: 'mysql connection in a handler registered by name',
      code: "import mysql from 'mysql2/promise';\nasync function listUsers(req, res) {\n  const conn = await mysql.createConnection({ host: 'db', user: 'app' });\n  const [rows] = await conn.query('SELECT * FROM users');\n  await conn.end();\n  res.json(rows);\n}\napp.get('/users', listUsers);",
      errors: [{ line: 3, column: 22, messageId: 'newClient', related: 1 }],
      output: null,
    },
    {
      name: 'a pool per request',
      code: "const { Pool } = require('pg');\nhttp.createServer(async (req, res) => {\n  const pool = new Pool();\n  res.end(JSON.stringify((await pool.query('select now()')).rows));\n});",
      filename: 'server.cjs',
      errors: [{ line: 3, column: 16, messageId: 'newPool' }],
      output: null,
    },
    {
      name: 'Next.js API route connecting and closing the module-level MongoClient',
      code: "import { MongoClient } from 'mongodb';\nconst client = new MongoClient(process.env.MONGODB_URI!);\nexport default async function handler(req, res) {\n  try {\n    await client.connect();\n    res.json(await client.db('app').collection('t').find({}).toArray());\n  } finally {\n    await client.close();\n  }\n}",
      errors: [{ line: 5, column: 11, messageId: 'connectPerRequest', message: /MongoDB client/ }],
      output: null,
    },
    {
      name: 'client made in the route and closed in a nested helper',
      code: "const { MongoClient } = require('mongodb');\nrouter.get('/', function (req, res) {\n  const client = new MongoClient(uri);\n  async function run() {\n    try { res.send(await client.db('x').collection('y').find({}).toArray()); }\n    finally { await client.close(); }\n  }\n  run().catch(console.dir);\n});",
      filename: 'routes/db.js',
      errors: [{ line: 3, column: 18, messageId: 'newClient', related: 1 }],
      output: null,
    },
    {
      name: 'a Postgres client per Lambda invocation',
      code: "const { Client } = require('pg');\nexports.handler = async (event) => {\n  const client = new Client({ connectionString: process.env.DATABASE_URL });\n  await client.connect();\n  const { rows } = await client.query('select * from items where id = $1', [event.id]);\n  await client.end();\n  return rows;\n};",
      filename: 'lambda.js',
      errors: [{ line: 3, column: 18, messageId: 'newClient' }],
      output: null,
    },
    {
      name: 'a Postgres client per Kafka message',
      code: "import { Client } from 'pg';\nawait consumer.run({\n  eachMessage: async ({ message }) => {\n    const db = new Client();\n    await db.connect();\n    await db.query('insert into events values ($1)', [message.value]);\n    await db.end();\n  },\n});",
      errors: [{ line: 4, column: 16, messageId: 'newClient' }],
      output: null,
    },
  ],
});
