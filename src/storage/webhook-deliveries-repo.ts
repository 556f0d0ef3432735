/** Webhook deliveries (one per event and endpoint) and their attempts in D1, scoped by tenant. */
export type DeliveryStatus = "pending" | "delivered" | "failed" | "gone";

export interface DeliveryRecord {
  tenantId: string;
  id: string;
  endpointId: string;
  jobId: string;
  eventType: string;
  payload: string;
  status: DeliveryStatus;
  attempts: number;
  lastStatus: number | null;
  lastError: string | null;
  createdAt: number;
  updatedAt: number;
  deliveredAt: number | null;
}

export interface AttemptRecord {
  attemptedAt: number;
  status: number | null;
  error: string | null;
  durationMs: number;
}

type DeliveryRow = {
  tenant_id: string;
  id: string;
  endpoint_id: string;
  job_id: string;
  event_type: string;
  payload: string;
  status: DeliveryStatus;
  attempts: number;
  last_status: number | null;
  last_error: string | null;
  created_at: number;
  updated_at: number;
  delivered_at: number | null;
};

const deliveryFromRow = (row: DeliveryRow): DeliveryRecord => ({
  tenantId: row.tenant_id,
  id: row.id,
  endpointId: row.endpoint_id,
  jobId: row.job_id,
  eventType: row.event_type,
  payload: row.payload,
  status: row.status,
  attempts: row.attempts,
  lastStatus: row.last_status,
  lastError: row.last_error,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
  deliveredAt: row.delivered_at,
});

/** Records a delivery the first time its message is seen; later sightings keep the existing row. */
export async function ensureDelivery(db: D1Database, delivery: DeliveryRecord): Promise<DeliveryRecord> {
  await db
    .prepare(
      `INSERT INTO webhook_deliveries (tenant_id, id, endpoint_id, job_id, event_type, payload, status, attempts,
                                       created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, 'pending', 0, ?, ?) ON CONFLICT DO NOTHING`,
    )
    .bind(
      delivery.tenantId,
      delivery.id,
      delivery.endpointId,
      delivery.jobId,
      delivery.eventType,
      delivery.payload,
      delivery.createdAt,
      delivery.updatedAt,
    )
    .run();
  const stored = await getDelivery(db, delivery.tenantId, delivery.endpointId, delivery.id);
  if (!stored) throw new Error(`delivery ${delivery.id} vanished`);
  return stored;
}

export async function getDelivery(
  db: D1Database,
  tenantId: string,
  endpointId: string,
  id: string,
): Promise<DeliveryRecord | null> {
  const row = await db
    .prepare("SELECT * FROM webhook_deliveries WHERE tenant_id = ? AND endpoint_id = ? AND id = ?")
    .bind(tenantId, endpointId, id)
    .first<DeliveryRow>();
  return row ? deliveryFromRow(row) : null;
}

export async function listDeliveries(
  db: D1Database,
  tenantId: string,
  filter: {
    endpointId?: string | undefined;
    jobId?: string | undefined;
    status?: DeliveryStatus | undefined;
  },
  limit: number,
): Promise<DeliveryRecord[]> {
  const where = ["tenant_id = ?"];
  const params: (string | number)[] = [tenantId];
  if (filter.endpointId) {
    where.push("endpoint_id = ?");
    params.push(filter.endpointId);
  }
  if (filter.jobId) {
    where.push("job_id = ?");
    params.push(filter.jobId);
  }
  if (filter.status) {
    where.push("status = ?");
    params.push(filter.status);
  }
  const { results } = await db
    .prepare(`SELECT * FROM webhook_deliveries WHERE ${where.join(" AND ")} ORDER BY created_at, id LIMIT ?`)
    .bind(...params, limit)
    .all<DeliveryRow>();
  return results.map(deliveryFromRow);
}

/** Records one attempt and the delivery's resulting state, in one batch. */
export async function recordAttempt(
  db: D1Database,
  delivery: DeliveryRecord,
  attempt: AttemptRecord,
  status: DeliveryStatus,
): Promise<void> {
  await db.batch([
    db
      .prepare(
        `INSERT INTO webhook_attempts (tenant_id, endpoint_id, delivery_id, attempted_at, status, error, duration_ms)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      )
      .bind(
        delivery.tenantId,
        delivery.endpointId,
        delivery.id,
        attempt.attemptedAt,
        attempt.status,
        attempt.error,
        attempt.durationMs,
      ),
    db
      .prepare(
        `UPDATE webhook_deliveries SET attempts = attempts + 1, status = ?, last_status = ?, last_error = ?,
           updated_at = ?, delivered_at = CASE WHEN ? = 'delivered' THEN ? ELSE delivered_at END
         WHERE tenant_id = ? AND endpoint_id = ? AND id = ?`,
      )
      .bind(
        status,
        attempt.status,
        attempt.error,
        attempt.attemptedAt,
        status,
        attempt.attemptedAt,
        delivery.tenantId,
        delivery.endpointId,
        delivery.id,
      ),
  ]);
}

export async function setDeliveryStatus(
  db: D1Database,
  delivery: DeliveryRecord,
  status: DeliveryStatus,
  error: string | null,
  now: number,
): Promise<void> {
  await db
    .prepare(
      `UPDATE webhook_deliveries SET status = ?, last_error = coalesce(?, last_error), updated_at = ?
       WHERE tenant_id = ? AND endpoint_id = ? AND id = ?`,
    )
    .bind(status, error, now, delivery.tenantId, delivery.endpointId, delivery.id)
    .run();
}

export async function listAttempts(db: D1Database, delivery: DeliveryRecord): Promise<AttemptRecord[]> {
  const { results } = await db
    .prepare(
      `SELECT attempted_at, status, error, duration_ms FROM webhook_attempts
       WHERE tenant_id = ? AND endpoint_id = ? AND delivery_id = ? ORDER BY attempted_at`,
    )
    .bind(delivery.tenantId, delivery.endpointId, delivery.id)
    .all<{ attempted_at: number; status: number | null; error: string | null; duration_ms: number }>();
  return results.map((row) => ({
    attemptedAt: row.attempted_at,
    status: row.status,
    error: row.error,
    durationMs: row.duration_ms,
  }));
}
