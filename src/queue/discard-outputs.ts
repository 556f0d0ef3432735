/**
 * After a report, the consumer removes what it wrote that the job will not serve, so nothing is left
 * orphaned in R2 or searchable in D1:
 *
 * - a report refused for good (the job was cancelled or deleted, or the file was deleted from it):
 *   every output this run wrote, and what it indexed for the file in this job;
 * - an accepted report: the outputs of stages that did not complete (a failed or retried stage's
 *   partial outputs are never served; a retry writes them again).
 *
 * A report refused for a stale lease keeps everything: a newer claim of the same file owns the same
 * deterministic keys and may be writing them right now. Keys go in R2 calls of up to 1,000; the index
 * clean-up is one D1 batch. A failure here is logged, not retried: the file's or job's deletion and
 * retention still sweep what it left.
 */
import type { FileClaim, FileReport, ReportResult } from "../jobs/contracts";
import { deleteKeys } from "../erasure/delete-keys";
import { removeFileOfJobFromIndexStatement } from "../search/d1-search-index";
import type { StageName } from "../pipeline/stage-names";
import { errorText, log } from "../observability/log";
import type { R2OutputStore } from "./r2-output-store";

export interface ReportedRun {
  claim: FileClaim;
  report: FileReport;
  outputs: R2OutputStore | null;
}

const NOTHING_KEPT: ReadonlySet<StageName> = new Set();

export async function discardUnservedOutputs(
  bucket: R2Bucket,
  db: D1Database,
  runs: readonly ReportedRun[],
  results: readonly ReportResult[],
): Promise<void> {
  const resultOf = new Map(results.map((result) => [result.fileId, result]));
  const keys: string[] = [];
  const unindex: D1PreparedStatement[] = [];
  for (const { claim, report, outputs } of runs) {
    const result = resultOf.get(report.fileId);
    if (!result) continue;
    if (result.accepted) {
      const completed = report.tasks.filter((task) => task.status === "completed").map((task) => task.stage);
      keys.push(...(outputs?.writtenKeysExcept(new Set(completed)) ?? []));
    } else if (result.reason !== "stale_lease") {
      keys.push(...(outputs?.writtenKeysExcept(NOTHING_KEPT) ?? []));
      if (claim.stages.includes("index")) unindex.push(removeFileOfJobFromIndexStatement(db, claim));
    }
  }
  try {
    if (unindex.length > 0) await db.batch(unindex);
    await deleteKeys(bucket, keys);
  } catch (error) {
    log("error", "discarding unserved outputs failed", { keys: keys.length, error: errorText(error) });
  }
}
