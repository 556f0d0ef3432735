/**
 * What the hourly cron does: deletes files and jobs past their tenant's retention, and cleans up
 * presigned or multipart uploads that expired without becoming files.
 */
import { sweepExpiredUploads } from "../uploads/sweep";
import { runRetention, type RetentionReport } from "./sweep";

export async function runMaintenance(env: Env, now: number): Promise<RetentionReport & { uploads: number }> {
  const retention = await runRetention(env, now);
  const uploads = await sweepExpiredUploads(env, now);
  return { ...retention, uploads: uploads.swept };
}
