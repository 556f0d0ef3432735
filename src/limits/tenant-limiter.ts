/**
 * The per-tenant limiter: one Durable Object per tenant. It holds the tenant's request token bucket
 * (in memory: it needs no durability, an evicted object starts again with a full bucket) and the
 * tenant's concurrency slots (in SQLite: which jobs hold how many in-flight files, and who waits).
 * When slots free up, the oldest waiting jobs are woken so they dispatch more files.
 */
import { DurableObject } from "cloudflare:workers";
import { jobStub } from "../jobs/job-client";
import { configureLogging, errorText, log } from "../observability/log";
import type { Jurisdiction } from "../tenancy/tenant";
import { reserve, toWake, type Holding } from "./slots";
import { fullBucket, take, type BucketLimits, type BucketState, type TakeResult } from "./token-bucket";

export interface JobRef {
  tenantId: string;
  jurisdiction: Jurisdiction;
  jobId: string;
}

type HoldingRow = {
  job_id: string;
  jurisdiction: Jurisdiction;
  held: number;
  waiting: number;
  waiting_since: number | null;
  expires_at: number;
};

const toHolding = (row: HoldingRow): Holding & { key: HoldingRow } => ({
  held: row.held,
  waiting: row.waiting,
  waitingSince: row.waiting_since,
  expiresAt: row.expires_at,
  key: row,
});

export class TenantLimiter extends DurableObject<Env> {
  private bucket: BucketState | null = null;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    configureLogging(env);
    ctx.storage.sql.exec(`CREATE TABLE IF NOT EXISTS holdings (
      job_id TEXT PRIMARY KEY, tenant_id TEXT NOT NULL, jurisdiction TEXT NOT NULL,
      held INTEGER NOT NULL, waiting INTEGER NOT NULL, waiting_since INTEGER, expires_at INTEGER NOT NULL)`);
  }

  takeRequest(limits: BucketLimits): TakeResult {
    const now = Date.now();
    this.bucket ??= fullBucket(limits, now);
    return take(this.bucket, limits, now);
  }

  /**
   * A job has `inFlight` files dispatched or processing and would dispatch `wanted` more: returns how
   * many it may have in flight in total under the tenant's `max`.
   */
  async reserveSlots(
    job: JobRef,
    inFlight: number,
    wanted: number,
    max: number,
    ttlMs: number,
  ): Promise<number> {
    const now = Date.now();
    const rows = this.rows();
    const current = rows.find((row) => row.job_id === job.jobId) ?? null;
    const others = rows.filter((row) => row.job_id !== job.jobId).map(toHolding);
    const result = reserve(others, current ? toHolding(current) : null, inFlight, wanted, max, now, ttlMs);
    if (result.holding) {
      const h = result.holding;
      this.ctx.storage.sql.exec(
        `INSERT INTO holdings (job_id, tenant_id, jurisdiction, held, waiting, waiting_since, expires_at)
         VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (job_id) DO UPDATE SET held = excluded.held,
           waiting = excluded.waiting, waiting_since = excluded.waiting_since, expires_at = excluded.expires_at`,
        job.jobId,
        job.tenantId,
        job.jurisdiction,
        h.held,
        h.waiting,
        h.waitingSince,
        h.expiresAt,
      );
    } else {
      this.ctx.storage.sql.exec("DELETE FROM holdings WHERE job_id = ?", job.jobId);
    }
    const freed = (current?.held ?? 0) - result.allowed;
    if (freed > 0) this.wake(job.tenantId, freed, job.jobId);
    await this.scheduleExpiry();
    return result.allowed;
  }

  /** Holdings of jobs that stopped reporting expire; their slots go to whoever waits. */
  override async alarm(): Promise<void> {
    const now = Date.now();
    const expired = this.rows().filter((row) => row.expires_at <= now);
    this.ctx.storage.sql.exec("DELETE FROM holdings WHERE expires_at <= ?", now);
    const freed = expired.reduce((sum, row) => sum + row.held, 0);
    const tenantId = this.ctx.storage.sql
      .exec<{ tenant_id: string }>("SELECT tenant_id FROM holdings LIMIT 1")
      .toArray()[0]?.tenant_id;
    if (freed > 0 && tenantId) this.wake(tenantId, freed, null);
    await this.scheduleExpiry();
  }

  private rows(): HoldingRow[] {
    return this.ctx.storage.sql
      .exec<HoldingRow>("SELECT job_id, jurisdiction, held, waiting, waiting_since, expires_at FROM holdings")
      .toArray();
  }

  private wake(tenantId: string, freed: number, except: string | null): void {
    const waiters = this.rows()
      .filter((row) => row.job_id !== except)
      .map(toHolding);
    for (const row of toWake(waiters, freed)) {
      const stub = jobStub(
        this.env,
        { id: tenantId, jurisdiction: row.jurisdiction, settings: {} },
        row.job_id,
      );
      this.ctx.waitUntil(
        stub.wake().catch((error: unknown) => {
          log("error", "waking a job failed", { tenantId, jobId: row.job_id, error: errorText(error) });
        }),
      );
    }
  }

  private async scheduleExpiry(): Promise<void> {
    const next = this.ctx.storage.sql
      .exec<{ at: number | null }>("SELECT min(expires_at) AS at FROM holdings")
      .toArray()[0]?.at;
    if (next == null) await this.ctx.storage.deleteAlarm();
    else await this.ctx.storage.setAlarm(next);
  }
}

export function tenantLimiter(env: Env, tenantId: string): DurableObjectStub<TenantLimiter> {
  return env.LIMITER.get(env.LIMITER.idFromName(tenantId));
}
