import { ruleTester } from './ruleTester';

ruleTester('pool-acquire-without-timeout', {
  valid: [
    {
      name: 'pg pool with connectionTimeoutMillis',
      code: "import { Pool } from 'pg';\nexport const pool = new Pool({ max: 20, connectionTimeoutMillis: 3_000, idleTimeoutMillis: 30_000 });",
    },
    {
      name: 'timeout from the environment',
      code: "const { Pool } = require('pg');\nmodule.exports = new Pool({ connectionString: process.env.DATABASE_URL, connectionTimeoutMillis: Number(process.env.PG_CONNECT_TIMEOUT) });",
      filename: 'db.js',
    },
    {
      name: 'config passed in by the caller',
      code: "import { Pool, type PoolConfig } from 'pg';\nexport function makePool(config: PoolConfig) { return new Pool(config); }",
    },
    {
      name: 'config spread from elsewhere',
      code: "import { Pool } from 'pg';\nimport { base } from './config';\nexport const pool = new Pool({ ...base, max: 5 });",
    },
    {
      name: 'caller config or a local default that sets the timeout',
      code: "const pg = require('pg');\nfunction store(options) {\n  let cfg = options.cfg;\n  if (!cfg) {\n    cfg = { connectionTimeoutMillis: 5000 };\n    cfg.connectionString = process.env.DATABASE_URL;\n  }\n  return new pg.Pool(cfg);\n}",
      filename: 'a.js',
    },
    {
      name: 'mysql pool with a bounded queue',
      code: "import mysql from 'mysql2/promise';\nexport const pool = mysql.createPool({ host: 'db', connectionLimit: 10, queueLimit: 100 });",
    },
    {
      name: 'mysql pool that fails fast',
      code: "import mysql from 'mysql2';\nexport const pool = mysql.createPool({ host: 'db', waitForConnections: false, queueLimit: 0 });",
    },
    {
      name: 'test files',
      code: "import { Pool } from 'pg';\nconst pool = new Pool();",
      filename: 'src/__tests__/db.test.ts',
    },
  ],
  invalid: [
    {
      name: 'pg pool without the option (TypeScript import)',
      code: "import { Pool } from 'pg';\nexport const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 20 });",
      errors: [{ line: 2, column: 21, endColumn: 29, messageId: 'pgMissing', message: /its 20 connections/, severity: 'warning' }],
      output: "import { Pool } from 'pg';\nexport const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 20, connectionTimeoutMillis: 5_000 });",
    },
    {
      name: 'pg pool configured from the environment alone (require, no arguments)',
      code: "const pg = require('pg');\nconst pool = new pg.Pool();\nmodule.exports = pool;",
      filename: 'db.js',
      errors: [{ line: 2, column: 14, messageId: 'pgMissing', message: /its 10 connections/ }],
      output: "const pg = require('pg');\nconst pool = new pg.Pool({ connectionTimeoutMillis: 5_000 });\nmodule.exports = pool;",
    },
    {
      name: 'explicit zero',
      code: "import pg from 'pg';\nexport const pool = new pg.Pool({\n  max: 20,\n  connectionTimeoutMillis: 0,\n});",
      errors: [{ line: 2, column: 21, messageId: 'pgZero', related: 1 }],
      output: "import pg from 'pg';\nexport const pool = new pg.Pool({\n  max: 20,\n  connectionTimeoutMillis: 5_000,\n});",
    },
    {
      name: 'config object in a const',
      code: "import { Pool } from 'pg';\nconst config = {\n  host: 'db',\n  max: 10,\n};\nexport const pool = new Pool(config);",
      errors: [{ line: 6, column: 21, messageId: 'pgMissing' }],
      output: "import { Pool } from 'pg';\nconst config = {\n  host: 'db',\n  max: 10,\n  connectionTimeoutMillis: 5_000,\n};\nexport const pool = new Pool(config);",
    },
    {
      name: 'default config built locally when the caller passes none (connect-pg-simple)',
      code: "class Store {\n  constructor(options = {}) {\n    const conString = options.conString || process.env['DATABASE_URL'];\n    let conObject = options.conObject;\n    if (!conObject) {\n      conObject = {};\n      if (conString) {\n        conObject.connectionString = conString;\n      }\n    }\n    this.pool = new (require('pg')).Pool(conObject);\n  }\n}",
      filename: 'index.js',
      errors: [{ line: 11, column: 17, messageId: 'pgDefaultConfig' }],
      output: null,
    },
    {
      name: 'pg-pool package',
      code: "import Pool from 'pg-pool';\nexport const pool = new Pool({ database: 'app' });",
      errors: [{ line: 2, column: 21, messageId: 'pgMissing' }],
    },
    {
      name: 'mysql2 pool with the documented unbounded queue',
      code: "const mysql = require('mysql2');\nconst pool = mysql.createPool({\n  host: 'localhost',\n  waitForConnections: true,\n  connectionLimit: 10,\n  queueLimit: 0,\n});",
      filename: 'db.js',
      errors: [{ line: 2, column: 14, messageId: 'mysqlUnbounded', related: 1 }],
      output: null,
    },
  ],
});
