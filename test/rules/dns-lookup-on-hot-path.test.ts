import { ruleTester } from './ruleTester';

ruleTester('dns-lookup-on-hot-path', {
  valid: [
    { name: 'at start-up', code: "import dns from 'dns';\nconst { address } = await dns.promises.lookup('db.internal');" },
    { name: 'dns.resolve in a handler uses c-ares', code: "import dns from 'dns';\nimport express from 'express';\nconst app = express();\napp.get('/x', async (req, res) => { await dns.promises.resolve4('a.example.com'); });" },
    { name: 'in an init function', code: "import { lookup } from 'dns/promises';\nasync function init() { return lookup('db'); }" },
  ],
  invalid: [
    {
      name: 'lookup in an express handler',
      code: "import dns from 'dns';\nimport express from 'express';\nconst app = express();\napp.get('/x', async (req, res) => {\n  const { address } = await dns.promises.lookup(req.query.host);\n});",
      errors: [{ line: 5, column: 29, messageId: 'hotPath', severity: 'info' }],
    },
    {
      name: 'callback lookup in a request listener',
      code: "const dns = require('dns');\nrequire('http').createServer((req, res) => {\n  dns.lookup('api.example.com', (err, addr) => res.end(addr));\n}).listen(80);",
      filename: 's.js',
      errors: [{ line: 3, column: 3, messageId: 'hotPath' }],
    },
    {
      name: 'lookup per loop iteration',
      code: "import { lookup } from 'node:dns/promises';\nfor (const h of hosts) {\n  await lookup(h);\n}",
      errors: [{ line: 3, column: 9, messageId: 'hotPath' }],
    },
  ],
});
