/**
 * Retention: files and jobs past their tenant's retention (the tenant's `retentionDays`, else
 * RETENTION_DAYS; 0 keeps everything) are deleted with everything derived from them, exactly as an
 * explicit DELETE would. A file ages from its last use (the last job created with it or changed while
 * naming it, else its upload), so a file a fresh job still serves is kept with that job's outputs; a
 * job ages from its last change.
 *
 * Runs from the cron trigger. Each item is deleted on its own: one that fails is logged and counted and
 * the sweep goes on past it (the walk is by keyset, so a failing item is not picked again in the same
 * run; the next run tries it again). Each run handles a bounded number of items, which keeps it inside
 * a Worker's subrequest limit (an item costs about six: lookups, the Job DO, R2 calls of up to 1,000
 * keys, one D1 batch); what is left continues in the next run, and running it twice changes nothing more.
 */
import { getConfig } from "../config";
import { deleteFile } from "../files/delete-file";
import { deleteJob } from "../jobs/delete-job";
import { deleteJobRowStatement } from "../storage/jobs-repo";
import { errorText, log } from "../observability/log";
import { parseSettings } from "../tenancy/settings";
import type { Jurisdiction, Tenant } from "../tenancy/tenant";

const DAY_MS = 24 * 60 * 60 * 1000;
const PAGE = 100;
/** Items per run: at ~6 subrequests each, well inside the 1,000 a Worker invocation may make. */
export const RETENTION_ITEMS_PER_RUN = 120;

export interface RetentionReport {
  files: number;
  jobs: number;
  /** Items whose deletion failed this run (logged; the next run tries them again). */
  failed: number;
}

type ExpiredRow = {
  tenant_id: string;
  id: string;
  aged_at: number;
  jurisdiction: Jurisdiction | null;
  settings: string | null;
};

/**
 * The moment a row's age counts from. A file: the latest of its upload, the last job created with it
 * and the last change of any job naming it (a retried job uses its files again). A job: its last change.
 */
const AGED_AT = {
  files: `max(x.created_at, coalesce(x.last_used_at, 0), coalesce((
      SELECT max(j.updated_at) FROM file_jobs fj JOIN jobs j ON j.tenant_id = fj.tenant_id AND j.id = fj.job_id
      WHERE fj.tenant_id = x.tenant_id AND fj.file_id = x.id), 0))`,
  jobs: "max(x.created_at, x.updated_at)",
} as const;

interface Cursor {
  agedAt: number;
  id: string;
}

/**
 * Rows of `table` older than their tenant's retention, oldest first, after `cursor`. The per-tenant
 * retention is resolved in SQL, so one query finds expired rows across all tenants.
 */
function expired(
  db: D1Database,
  table: "files" | "jobs",
  now: number,
  defaultDays: number,
  cursor: Cursor,
  limit: number,
) {
  const agedAt = AGED_AT[table];
  return db
    .prepare(
      `SELECT x.tenant_id, x.id, ${agedAt} AS aged_at, t.jurisdiction, t.settings FROM ${table} x
       LEFT JOIN tenants t ON t.id = x.tenant_id
       WHERE coalesce(json_extract(t.settings, '$.retentionDays'), ?1) > 0
         AND ${agedAt} < ?2 - coalesce(json_extract(t.settings, '$.retentionDays'), ?1) * ${DAY_MS}
         AND (${agedAt}, x.id) > (?3, ?4)
       ORDER BY ${agedAt}, x.id LIMIT ?5`,
    )
    .bind(defaultDays, now, cursor.agedAt, cursor.id, limit)
    .all<ExpiredRow>();
}

const tenantOf = (row: ExpiredRow): Tenant => ({
  id: row.tenant_id,
  jurisdiction: row.jurisdiction ?? "default",
  settings: row.settings ? parseSettings(row.settings) : {},
});

async function deleteExpired(env: Env, table: "files" | "jobs", row: ExpiredRow): Promise<void> {
  const tenant = tenantOf(row);
  if (table === "files") {
    await deleteFile(env, tenant, row.id);
    return;
  }
  await deleteJob(env, tenant, row.id);
  // A job whose Durable Object is already gone still leaves its listing row: drop it too.
  await deleteJobRowStatement(env.DB, row.tenant_id, row.id).run();
}

export async function runRetention(
  env: Env,
  now: number,
  budget = RETENTION_ITEMS_PER_RUN,
): Promise<RetentionReport> {
  const defaultDays = getConfig(env).RETENTION_DAYS;
  const report: RetentionReport = { files: 0, jobs: 0, failed: 0 };
  let attempted = 0;
  // Jobs first: their outputs live under their files, so a job is cleaned while its files exist.
  for (const table of ["jobs", "files"] as const) {
    let cursor: Cursor = { agedAt: Number.MIN_SAFE_INTEGER, id: "" };
    while (attempted < budget) {
      const { results } = await expired(
        env.DB,
        table,
        now,
        defaultDays,
        cursor,
        Math.min(PAGE, budget - attempted),
      );
      for (const row of results) {
        attempted++;
        cursor = { agedAt: row.aged_at, id: row.id };
        try {
          await deleteExpired(env, table, row);
          report[table]++;
        } catch (error) {
          report.failed++;
          log("error", "retention could not delete an item", {
            tenantId: row.tenant_id,
            kind: table === "files" ? "file" : "job",
            id: row.id,
            error: errorText(error),
          });
        }
      }
      if (results.length < PAGE) break;
    }
  }
  return report;
}
