import { ruleTester } from './ruleTester';

const NODE18 = { nodeMajor: 18 };

ruleTester('server-close-without-idle-drain', {
  valid: [
    { name: 'Node 19+ closes idle connections itself', code: "import http from 'http';\nconst server = http.createServer(h);\nserver.listen(80);\nprocess.on('SIGTERM', () => server.close());", config: { nodeMajor: 20 } },
    { name: 'drained', code: "import http from 'http';\nconst server = http.createServer(h);\nprocess.on('SIGTERM', () => { server.close(); server.closeIdleConnections(); });", config: NODE18 },
    { name: 'close outside a signal handler', code: "import http from 'http';\nconst server = http.createServer(h);\nexport const stop = () => server.close();", config: NODE18 },
    { name: 'a shutdown library drains it', code: "import http from 'http';\nimport stoppable from 'stoppable';\nconst server = stoppable(http.createServer(h));\nprocess.on('SIGTERM', () => server.close());", config: NODE18 },
  ],
  invalid: [
    {
      name: 'SIGTERM handler that only closes',
      code: "import http from 'http';\nconst server = http.createServer(h);\nserver.listen(80);\nprocess.on('SIGTERM', () => {\n  server.close(() => process.exit(0));\n});",
      config: NODE18,
      errors: [{ line: 5, column: 3, messageId: 'noDrain', severity: 'info' }],
      output: "import http from 'http';\nconst server = http.createServer(h);\nserver.listen(80);\nprocess.on('SIGTERM', () => {\n  server.close(() => process.exit(0));\n  server.closeIdleConnections();\n});",
    },
    {
      name: 'express server from listen',
      code: "const app = require('express')();\nconst server = app.listen(3000);\n['SIGINT', 'SIGTERM'].forEach((s) => process.once('SIGINT', function () { server.close(); }));",
      filename: 'app.js',
      config: NODE18,
      errors: [{ line: 3, column: 75, messageId: 'noDrain' }],
    },
    {
      name: 'Node 16 has no closeIdleConnections: no fix',
      code: "import http from 'http';\nconst server = http.createServer(h);\nprocess.on('SIGINT', () => server.close());",
      config: { nodeMajor: 16 },
      errors: [{ line: 3, column: 28, messageId: 'noDrain' }],
      output: null,
    },
  ],
});
