// PostgreSQL access for the orders API: one pool for the process, parameterised queries.
import pg from 'pg';

export interface Order {
  id: string;
  sku: string;
  quantity: number;
  total: number;
  chargeId: string;
}

// No `connectionTimeoutMillis`: when all 10 connections are busy (or the database is
// unreachable), `pool.query` waits for a free connection forever.
const pool = new pg.Pool({
  host: 'db.internal',
  port: 5432,
  database: 'orders',
  user: 'orders_api',
  password: process.env.PGPASSWORD,
  max: 10,
});

export async function getOrder(id: string): Promise<Order | undefined> {
  const { rows } = await pool.query<Order>('SELECT id, sku, quantity, total, charge_id AS "chargeId" FROM orders WHERE id = $1', [id]);
  return rows[0];
}

export async function saveOrder(order: Omit<Order, 'id'>): Promise<string> {
  const { rows } = await pool.query<{ id: string }>(
    'INSERT INTO orders (sku, quantity, total, charge_id) VALUES ($1, $2, $3, $4) RETURNING id',
    [order.sku, order.quantity, order.total, order.chargeId],
  );
  return rows[0].id;
}

// Correct: a transaction checks a client out and gives it back on every path.
export async function cancelOrders(ids: readonly string[]): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    for (const id of ids) await client.query('UPDATE orders SET status = $2 WHERE id = $1', [id, 'cancelled']);
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK');
    throw err;
  } finally {
    client.release();
  }
}
