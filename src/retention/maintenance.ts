/**
 * What the hourly cron does: deletes files and jobs past their tenant's retention, cleans up
 * presigned or multipart uploads that expired without becoming files, and deletes stage metrics older
 * than the longest stats window.
 */
import { sweepExpiredUploads } from "../uploads/sweep";
import { runRetention, type RetentionReport } from "./sweep";
import { pruneStageMetrics } from "../observability/stats-repo";
import { MAX_WINDOW_MS } from "../schemas/stats";

export async function runMaintenance(
  env: Env,
  now: number,
): Promise<RetentionReport & { uploads: number; metrics: number }> {
  const retention = await runRetention(env, now);
  const uploads = await sweepExpiredUploads(env, now);
  const metrics = await pruneStageMetrics(env.DB, now - MAX_WINDOW_MS);
  return { ...retention, uploads: uploads.swept, metrics };
}
