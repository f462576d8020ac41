import { ruleTester } from './ruleTester';

ruleTester('server-headers-timeout-misordered', {
  valid: [
    { name: 'nested correctly', code: "import http from 'http';\nconst s = http.createServer(h);\ns.keepAliveTimeout = 65_000;\ns.headersTimeout = 66_000;" },
    { name: 'keepAlive above headers is fine on modern Node', code: "import http from 'http';\nconst s = http.createServer(h);\ns.keepAliveTimeout = 65_000;" },
    { name: 'headers below an explicit long requestTimeout', code: "import http from 'http';\nconst s = http.createServer(h);\ns.requestTimeout = 900_000;\ns.headersTimeout = 600_000;" },
    { name: 'values from the environment', code: "import http from 'http';\nconst s = http.createServer(h);\ns.headersTimeout = Number(process.env.HT);" },
  ],
  invalid: [
    {
      name: 'headersTimeout above the default requestTimeout',
      code: "import http from 'http';\nconst server = http.createServer(app);\nserver.headersTimeout = 4_260_000;",
      errors: [{ line: 3, column: 1, messageId: 'aboveRequest', severity: 'warning' }],
      output: "import http from 'http';\nconst server = http.createServer(app);\nserver.headersTimeout = 300_000;",
    },
    {
      name: 'requestTimeout lowered below headersTimeout',
      code: "import http from 'http';\nconst server = http.createServer(app);\nserver.headersTimeout = 66_000;\nserver.requestTimeout = 30_000;",
      errors: [{ line: 4, column: 1, messageId: 'aboveRequest' }],
      output: null,
    },
    {
      name: 'old Node: keepAliveTimeout at or above headersTimeout',
      code: "const http = require('http');\nconst server = http.createServer(app);\nserver.keepAliveTimeout = 65000;",
      filename: 'server.js',
      config: { nodeMajor: 12 },
      errors: [{ line: 3, column: 1, messageId: 'belowKeepAlive' }],
      output: "const http = require('http');\nconst server = http.createServer(app);\nserver.keepAliveTimeout = 65000;\nserver.headersTimeout = 66_000;",
    },
  ],
});
