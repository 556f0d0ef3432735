/**
 * How many of a job's waiting files may be dispatched now, under the tenant's concurrency cap. The Job
 * DO tells the tenant's limiter how many files it has in flight and how many more it wants; the limiter
 * answers with the total it may have in flight. The DO only calls when something changed (files to
 * dispatch, or fewer in flight than it holds, which gives slots back) or when its holding needs
 * refreshing, so a job that is simply running costs no limiter calls.
 */
import type { JobRef } from "../limits/tenant-limiter";
import type { JobStore } from "./job-store";

export interface SlotLimiter {
  reserveSlots(job: JobRef, inFlight: number, wanted: number, max: number, ttlMs: number): Promise<number>;
}

export interface SlotSettings {
  /** How long a holding lasts without being refreshed (a job that stops reporting loses its slots). */
  ttlMs: number;
}

/** Returns how many of `wanted` dispatches may go out now (all of them when the limiter cannot be asked). */
export async function dispatchBudget(
  store: JobStore,
  limiter: SlotLimiter,
  wanted: number,
  settings: SlotSettings,
  transaction: <T>(fn: () => T) => T,
  refresh: boolean,
): Promise<number> {
  const job = store.job();
  if (!job) return 0;
  const inFlight = store.inFlightCount();
  if (wanted === 0 && inFlight >= job.slots_held && !(refresh && job.slots_held > 0)) return 0;
  const allowed = await limiter.reserveSlots(
    { tenantId: job.tenant_id, jurisdiction: job.jurisdiction, jobId: job.id },
    inFlight,
    wanted,
    job.max_in_flight,
    settings.ttlMs,
  );
  transaction(() => {
    store.updateJob({ slots_held: allowed });
  });
  return Math.max(0, Math.min(wanted, allowed - inFlight));
}
