/**
 * Retention: files and jobs older than their tenant's retention (the tenant's `retentionDays`, else
 * RETENTION_DAYS; 0 keeps everything) are deleted with everything derived from them, exactly as an
 * explicit DELETE would. Runs from the cron trigger; each run handles a bounded number of items and
 * the next run continues, and running it twice changes nothing more.
 */
import { getConfig } from "../config";
import { deleteFile } from "../files/delete-file";
import { deleteJob } from "../jobs/delete-job";
import { parseSettings } from "../tenancy/settings";
import type { Jurisdiction, Tenant } from "../tenancy/tenant";

const DAY_MS = 24 * 60 * 60 * 1000;
const PAGE = 100;

export interface RetentionReport {
  files: number;
  jobs: number;
}

type ExpiredRow = {
  tenant_id: string;
  id: string;
  jurisdiction: Jurisdiction | null;
  settings: string | null;
};

/**
 * Rows of `table` older than their tenant's retention. The per-tenant retention is resolved in SQL,
 * so one query finds expired rows across all tenants.
 */
function expired(db: D1Database, table: "files" | "jobs", now: number, defaultDays: number, limit: number) {
  return db
    .prepare(
      `SELECT x.tenant_id, x.id, t.jurisdiction, t.settings FROM ${table} x
       LEFT JOIN tenants t ON t.id = x.tenant_id
       WHERE coalesce(json_extract(t.settings, '$.retentionDays'), ?1) > 0
         AND x.created_at < ?2 - coalesce(json_extract(t.settings, '$.retentionDays'), ?1) * ${DAY_MS}
       ORDER BY x.created_at LIMIT ?3`,
    )
    .bind(defaultDays, now, limit)
    .all<ExpiredRow>();
}

const tenantOf = (row: ExpiredRow): Tenant => ({
  id: row.tenant_id,
  jurisdiction: row.jurisdiction ?? "default",
  settings: row.settings ? parseSettings(row.settings) : {},
});

export async function runRetention(env: Env, now: number, budget = 500): Promise<RetentionReport> {
  const defaultDays = getConfig(env).RETENTION_DAYS;
  const report: RetentionReport = { files: 0, jobs: 0 };
  // Jobs first: their outputs live under their files, so a job is cleaned while its files exist.
  for (const table of ["jobs", "files"] as const) {
    while (report.files + report.jobs < budget) {
      const { results } = await expired(env.DB, table, now, defaultDays, PAGE);
      if (results.length === 0) break;
      for (const row of results) {
        const tenant = tenantOf(row);
        if (table === "jobs") {
          await deleteJob(env, tenant, row.id);
          // A job whose Durable Object is already gone still leaves its listing row: drop it too.
          await env.DB.prepare("DELETE FROM jobs WHERE tenant_id = ? AND id = ?")
            .bind(row.tenant_id, row.id)
            .run();
          report.jobs++;
        } else {
          await deleteFile(env, tenant, row.id);
          report.files++;
        }
      }
    }
  }
  return report;
}
