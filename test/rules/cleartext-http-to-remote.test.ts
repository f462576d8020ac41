import { ruleTester } from './ruleTester';

ruleTester('cleartext-http-to-remote', {
  valid: [
    { name: 'https with a token', code: "import axios from 'axios';\naxios.post('https://billing.example.com/charge', body, { headers: { Authorization: token } });" },
    { name: 'http without credentials', code: "await fetch('http://metadata.example.com/status');" },
    { name: 'loopback sidecar', code: "import axios from 'axios';\naxios.get('http://127.0.0.1:15000/stats', { headers: { Authorization: t } });" },
    { name: 'host unknown', code: "await fetch(`http://${host}/x`, { headers: { Authorization: token } });" },
  ],
  invalid: [
    {
      name: 'Authorization header over http',
      code: "import axios from 'axios';\nawait axios.post('http://billing.internal/charge', body, { headers: { Authorization: token } });",
      errors: [{ line: 2, column: 18, messageId: 'cleartext', severity: 'warning' }],
      output: null,
    },
    {
      name: 'password in the URL',
      code: "import { createClient } from 'redis';\nconst c = createClient({ url: 'redis://default:s3cret@cache.example.com:6379' });",
      errors: [],
    },
    {
      name: 'basic auth option with fetch',
      code: "await fetch('http://api.example.com/v1/items', { headers: { 'X-Api-Key': key } });",
      errors: [{ line: 1, column: 13, messageId: 'cleartext' }],
    },
    {
      name: 'token in the query string',
      code: "const https = require('http');\nhttps.get('http://api.example.com/feed?access_token=abc', cb);",
      filename: 'feed.js',
      errors: [{ line: 2, column: 11, messageId: 'cleartext' }],
    },
  ],
});
