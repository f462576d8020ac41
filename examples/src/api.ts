// The orders API: the public HTTP front of the example backend. It reads orders from PostgreSQL,
// asks the inventory and pricing services over HTTP, and charges through the payments API.
import axios from 'axios';
import express from 'express';
import { getOrder, saveOrder } from './db.js';
import { recordTiming } from './udp-sender.js';

const INVENTORY_URL = 'http://inventory.internal:8080';
const PRICING_URL = 'https://pricing.example.com';

// One axios instance for every call to the payments API. Nothing bounds its requests:
// axios waits forever by default.
const payments = axios.create({
  baseURL: 'https://payments.example.com/v2',
  headers: { 'content-type': 'application/json' },
});

const app = express();
app.use(express.json());

app.get('/orders/:id', async (req, res) => {
  const started = performance.now();
  const order = await getOrder(req.params.id);
  if (!order) {
    res.status(404).end();
    return;
  }
  // Bounded: if inventory does not answer within 2 s, this request fails fast instead of
  // holding a socket and the client's connection.
  const stock = await fetch(`${INVENTORY_URL}/stock/${encodeURIComponent(order.sku)}`, {
    signal: AbortSignal.timeout(2_000),
  });
  const { available } = (await stock.json()) as { available: number };
  res.json({ ...order, inStock: available > 0 });
  recordTiming('orders.get', performance.now() - started);
});

app.post('/orders', async (req, res) => {
  const started = performance.now();
  // Unbounded: a pricing service that accepts the connection and never answers holds this
  // request (and the caller's) until someone restarts something.
  const quote = await fetch(`${PRICING_URL}/quote`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ sku: req.body.sku, quantity: req.body.quantity }),
  });
  const { total } = (await quote.json()) as { total: number };

  const charge = await payments.post('/charges', { amount: total, currency: 'EUR' });
  const id = await saveOrder({ sku: req.body.sku, quantity: req.body.quantity, total, chargeId: charge.data.id });
  res.status(201).json({ id });
  recordTiming('orders.create', performance.now() - started);
});

// Behind a load balancer that keeps idle connections for 60 s, Node's 5 s keep-alive timeout
// closes connections the balancer still considers open: some requests get a 502.
app.listen(3000, () => {
  console.log('orders API listening on :3000');
});
