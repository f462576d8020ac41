import { ruleTester } from './ruleTester';

ruleTester('tls-weak-protocol-or-cipher', {
  valid: [
    { name: 'minVersion TLS 1.2', code: "import https from 'https';\nhttps.createServer({ key, cert, minVersion: 'TLSv1.2' }, app);" },
    { name: 'cipher list that removes weak suites', code: "import tls from 'tls';\ntls.connect({ host: 'a', ciphers: 'HIGH:!aNULL:!MD5:!RC4' });" },
    { name: 'TLS 1.3 only', code: "import tls from 'tls';\ntls.createServer({ minVersion: 'TLSv1.3' });" },
    { name: 'test files', filename: 'test/tls.test.ts', code: "import tls from 'tls';\ntls.connect({ host: 'a', minVersion: 'TLSv1' });" },
  ],
  invalid: [
    {
      name: 'TLS 1.0 method',
      code: "import https from 'https';\nhttps.createServer({ key, cert, secureProtocol: 'TLSv1_method' }, app);",
      errors: [{ line: 2, column: 33, messageId: 'oldProtocol', severity: 'warning' }],
      output: "import https from 'https';\nhttps.createServer({ key, cert, minVersion: 'TLSv1.2' }, app);",
    },
    {
      name: 'pinned TLS 1.2 method turns 1.3 off',
      code: "import tls from 'tls';\ntls.connect({ host: 'a', secureProtocol: 'TLSv1_2_method' });",
      errors: [{ line: 2, column: 26, messageId: 'pinnedMethod', severity: 'info' }],
      output: "import tls from 'tls';\ntls.connect({ host: 'a', minVersion: 'TLSv1.2' });",
    },
    {
      name: 'minVersion TLS 1.0',
      code: "const tls = require('tls');\ntls.connect({ host: 'a', minVersion: 'TLSv1' });",
      filename: 'a.js',
      errors: [{ line: 2, column: 26, messageId: 'oldProtocol' }],
      output: "const tls = require('tls');\ntls.connect({ host: 'a', minVersion: 'TLSv1.2' });",
    },
    {
      name: 'RC4 and 3DES ciphers',
      code: "import https from 'https';\nhttps.createServer({ key, cert, ciphers: 'RC4-SHA:DES-CBC3-SHA' }, app);",
      errors: [{ line: 2, column: 33, messageId: 'weakCipher' }],
      output: "import https from 'https';\nhttps.createServer({ key, cert }, app);",
    },
    {
      name: "cipher string 'ALL'",
      code: "import https from 'https';\nconst opts = { hostname: h, ciphers: 'ALL' };",
      errors: [{ line: 2, column: 29, messageId: 'weakCipher' }],
    },
    {
      name: 'process-wide minimum lowered',
      code: "import tls from 'tls';\ntls.DEFAULT_MIN_VERSION = 'TLSv1';",
      errors: [{ line: 2, column: 1, messageId: 'oldProtocol' }],
    },
  ],
});
