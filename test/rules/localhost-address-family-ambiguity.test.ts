import { ruleTester } from './ruleTester';

const NODE18 = { nodeMajor: 18 };

ruleTester('localhost-address-family-ambiguity', {
  valid: [
    { name: 'no IPv4-only bind in the file', code: "import net from 'net';\nnet.connect({ host: 'localhost', port: 3000 });", config: NODE18 },
    { name: 'server bound to both families', code: "import net from 'net';\nnet.createServer(h).listen(3000, '::');\nnet.connect({ host: 'localhost', port: 3000 });", config: NODE18 },
    { name: 'client dials 127.0.0.1', code: "import net from 'net';\nnet.createServer(h).listen(3000, '127.0.0.1');\nnet.connect({ host: '127.0.0.1', port: 3000 });", config: NODE18 },
    { name: 'Node 20 races both families', code: "import net from 'net';\nnet.createServer(h).listen(3000, '0.0.0.0');\nnet.connect({ host: 'localhost', port: 3000 });", config: { nodeMajor: 20 } },
    { name: 'Node 16 put IPv4 first', code: "import http from 'http';\nhttp.createServer(h).listen(3000, '0.0.0.0');\nhttp.get('http://localhost:3000/health');", config: { nodeMajor: 16 } },
  ],
  invalid: [
    {
      name: 'net client against a 0.0.0.0 server',
      code: "import net from 'net';\nnet.createServer(h).listen(3000, '0.0.0.0');\nnet.connect({ host: 'localhost', port: 3000 });",
      config: NODE18,
      errors: [{ line: 3, column: 21, messageId: 'ipv6First', severity: 'info', related: 1 }],
      output: "import net from 'net';\nnet.createServer(h).listen(3000, '0.0.0.0');\nnet.connect({ host: '127.0.0.1', port: 3000 });",
    },
    {
      name: 'URL with localhost against a 127.0.0.1 server',
      code: "import express from 'express';\nexpress().listen(8080, '127.0.0.1');\nawait fetch('http://localhost:8080/health');",
      config: NODE18,
      errors: [{ line: 3, column: 13, messageId: 'ipv6First' }],
      output: "import express from 'express';\nexpress().listen(8080, '127.0.0.1');\nawait fetch('http://127.0.0.1:8080/health');",
    },
    {
      name: 'Node 20 with autoSelectFamily turned off',
      code: "import net from 'net';\nnet.createServer(h).listen(3000, '0.0.0.0');\nnet.connect({ host: 'localhost', port: 3000, autoSelectFamily: false });",
      config: { nodeMajor: 20 },
      errors: [{ line: 3, column: 21, messageId: 'ipv6First' }],
    },
  ],
});
