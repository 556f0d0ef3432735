/**
 * What the hourly cron does: deletes files and jobs past their tenant's retention, cleans up
 * presigned or multipart uploads that expired without becoming files, deletes stage metrics older
 * than the longest stats window, and forgets erasure marks of jobs deleted more than a day ago.
 */
import { sweepExpiredUploads } from "../uploads/sweep";
import { runRetention, type RetentionReport } from "./sweep";
import { pruneStageMetrics } from "../observability/stats-repo";
import { MAX_WINDOW_MS } from "../schemas/stats";
import { pruneErasedJobs } from "../storage/file-jobs-repo";

const DAY_MS = 24 * 60 * 60 * 1000;

export async function runMaintenance(
  env: Env,
  now: number,
): Promise<RetentionReport & { uploads: number; metrics: number; erasureMarks: number }> {
  const retention = await runRetention(env, now);
  const uploads = await sweepExpiredUploads(env, now);
  const metrics = await pruneStageMetrics(env.DB, now - MAX_WINDOW_MS);
  const erasureMarks = await pruneErasedJobs(env.DB, now - DAY_MS);
  return { ...retention, uploads: uploads.swept, metrics, erasureMarks };
}
