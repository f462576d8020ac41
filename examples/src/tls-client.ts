// Talks to the bank's settlement API over HTTPS with a client certificate.
import fs from 'node:fs';
import https from 'node:https';

const isDevelopment = process.env.NODE_ENV === 'development';

// Misuse: "only in development" settings leak. With `rejectUnauthorized: false` any certificate
// is accepted, so anyone on the path can pose as the bank.
const devAgent = new https.Agent({ keepAlive: true, rejectUnauthorized: false, timeout: 4_000 });

// Correct: trust the bank's CA explicitly and keep connections alive between settlements, closing
// idle ones (4 s) before the server does (Node's default keep-alive timeout is 5 s).
const agent = new https.Agent({
  keepAlive: true,
  timeout: 4_000,
  ca: fs.readFileSync('/etc/orders/bank-ca.pem'),
  cert: fs.readFileSync('/etc/orders/client.pem'),
  key: fs.readFileSync('/etc/orders/client-key.pem'),
});

export function settle(batchId: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = https.request(
      {
        host: 'settlement.bank.example',
        path: `/batches/${encodeURIComponent(batchId)}/settle`,
        method: 'POST',
        agent: isDevelopment ? devAgent : agent,
        timeout: 5_000,
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('timeout', () => req.destroy(new Error('settlement API timed out')));
    req.on('error', reject);
    req.end();
  });
}
