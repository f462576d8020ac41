import { ruleTester } from './ruleTester';

ruleTester('tls-certificate-validation-disabled', {
  valid: [
    { name: 'private CA instead', code: "import https from 'https';\nimport fs from 'fs';\nconst agent = new https.Agent({ ca: fs.readFileSync('ca.pem') });" },
    { name: 'rejectUnauthorized: true', code: "import tls from 'tls';\ntls.connect({ host: 'a', port: 443, rejectUnauthorized: true });" },
    { name: 'decided at run time', code: "const agent = new (require('https').Agent)({ rejectUnauthorized: process.env.NODE_ENV === 'production' });", filename: 'a.js' },
    { name: 'env var set to false has no effect in Node', code: "process.env.NODE_TLS_REJECT_UNAUTHORIZED = 'false';" },
    { name: 'env var set to 1', code: "process.env.NODE_TLS_REJECT_UNAUTHORIZED = '1';" },
    { name: 'server not asking for client certificates', code: "import https from 'https';\nhttps.createServer({ key, cert, requestCert: true, rejectUnauthorized: false }, handler);" },
    { name: 'test code talking to a self-signed local server', filename: 'test/client.test.ts', code: "const agent = new (require('https').Agent)({ rejectUnauthorized: false });" },
    { name: 'a test-*.js file', filename: 'src/test-https.js', code: "require('https').get({ host: 'localhost', rejectUnauthorized: false });" },
    { name: 'checkServerIdentity that checks', code: "import tls from 'tls';\ntls.connect({ host: 'a', checkServerIdentity: (host, cert) => tls.checkServerIdentity(host, cert) });" },
  ],
  invalid: [
    {
      name: 'agent with rejectUnauthorized: false',
      code: "import https from 'https';\nconst agent = new https.Agent({ keepAlive: true, rejectUnauthorized: false });",
      errors: [{ line: 2, column: 50, endColumn: 75, messageId: 'rejectUnauthorized', severity: 'warning' }],
      output: "import https from 'https';\nconst agent = new https.Agent({ keepAlive: true });",
    },
    {
      name: 'pg ssl options',
      code: "import { Pool } from 'pg';\nconst pool = new Pool({\n  connectionString,\n  ssl: { rejectUnauthorized: false },\n  max: 5,\n});",
      errors: [{ line: 4, column: 10, messageId: 'rejectUnauthorized' }],
      output: "import { Pool } from 'pg';\nconst pool = new Pool({\n  connectionString,\n  ssl: {},\n  max: 5,\n});",
    },
    {
      name: 'process-wide env switch',
      code: "import axios from 'axios';\nprocess.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';\nexport const x = 1;",
      errors: [{ line: 2, column: 1, messageId: 'envVariable' }],
      output: "import axios from 'axios';\nexport const x = 1;",
    },
    {
      name: 'env switch through element access and a number',
      code: "process.env['NODE_TLS_REJECT_UNAUTHORIZED'] = 0 as any;",
      errors: [{ line: 1, column: 1, messageId: 'envVariable' }],
    },
    {
      name: 'env for a child process',
      code: "spawn('node', ['x.js'], { env: { ...process.env, NODE_TLS_REJECT_UNAUTHORIZED: '0' } });",
      errors: [{ line: 1, column: 50, messageId: 'envVariable' }],
      output: "spawn('node', ['x.js'], { env: { ...process.env } });",
    },
    {
      name: 'no-op checkServerIdentity',
      code: "import tls from 'tls';\ntls.connect({ host: 'a', port: 443, checkServerIdentity: () => undefined });",
      errors: [{ line: 2, column: 37, messageId: 'checkServerIdentity' }],
      output: "import tls from 'tls';\ntls.connect({ host: 'a', port: 443 });",
    },
    {
      name: 'global agent options write',
      code: "import https from 'https';\nhttps.globalAgent.options.rejectUnauthorized = false;",
      errors: [{ line: 2, column: 1, messageId: 'rejectUnauthorized' }],
    },
  ],
});
