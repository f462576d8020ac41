import { ruleTester } from './ruleTester';

ruleTester('server-timeouts-disabled', {
  valid: [
    { name: 'defaults kept', code: "import http from 'http';\nhttp.createServer(handler).listen(80);" },
    { name: 'limits raised, not removed', code: "import http from 'http';\nconst server = http.createServer({ requestTimeout: 600_000 }, handler);\nserver.headersTimeout = 90_000;\nserver.listen(80);" },
    { name: 'socket timeout 0 is the default since Node 13', code: "import http from 'http';\nconst server = http.createServer(handler);\nserver.timeout = 0;\nserver.listen(80);" },
    { name: 'not a server object', code: "const settings = { requestTimeout: 0 };\nconfig.headersTimeout = 0;" },
    { name: 'value from configuration', code: "import http from 'http';\nconst server = http.createServer(handler);\nserver.requestTimeout = cfg.requestTimeout;" },
  ],
  invalid: [
    {
      name: 'constructor options set to 0',
      code: "import http from 'http';\nconst server = http.createServer({ requestTimeout: 0, headersTimeout: 0 }, app);",
      errors: [
        { line: 2, column: 36, messageId: 'disabled', severity: 'warning' },
        { line: 2, column: 55, messageId: 'disabled' },
      ],
    },
    {
      name: 'one option set to 0, fixed',
      code: "import http from 'http';\nhttp.createServer({ headersTimeout: 0, maxHeaderSize: 16384 }, app).listen(80);",
      errors: [{ line: 2, column: 21, messageId: 'disabled' }],
      output: "import http from 'http';\nhttp.createServer({ maxHeaderSize: 16384 }, app).listen(80);",
    },
    {
      name: 'assignment on the server',
      code: "import https from 'https';\nconst server = https.createServer(opts, app);\nserver.requestTimeout = 0;\nserver.listen(443);",
      errors: [{ line: 3, column: 1, messageId: 'disabled' }],
      output: "import https from 'https';\nconst server = https.createServer(opts, app);\nserver.listen(443);",
    },
    {
      name: 'assignment on the server express returns',
      code: "const express = require('express');\nconst server = express().listen(3000);\nserver.headersTimeout = 0;",
      filename: 'app.js',
      errors: [{ line: 3, column: 1, messageId: 'disabled' }],
      output: "const express = require('express');\nconst server = express().listen(3000);\n",
    },
  ],
});
