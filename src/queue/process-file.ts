/**
 * The queue consumer's adapter around the shared stage runner (pipeline/run-stages.ts): loads a claimed
 * file's source once, builds the ports the stages need for this claim (R2 outputs, the D1 search index
 * scoped to the tenant, job and file, the enrichment provider), runs the stages, and turns every outcome
 * into a report for the Job DO. A StageError is a permanent failure of that stage; anything else is
 * transient and asks for a retry.
 */
import type { FileClaim, FileReport, TaskReport } from "../jobs/contracts";
import { enrichmentProviderFor } from "../pipeline/enrich/select";
import { describeError, runStages, type StageRun } from "../pipeline/run-stages";
import type { ProcessingLimits, StageErrorCode, StageServices } from "../pipeline/stage";
import type { StageName } from "../pipeline/stage-names";
import { D1SearchIndex } from "../search/d1-search-index";
import { RefusedSearchIndex } from "../search/refused-search-index";
import { fileSourceKey } from "../storage/r2-layout";
import { indexedBytesQuota } from "../tenancy/quotas";
import { searchIndexAllowedIn } from "../tenancy/residency";
import { R2OutputStore } from "./r2-output-store";

export interface ProcessSettings {
  limits: ProcessingLimits;
  retryDelaySeconds: number;
}

/** The same outcome for every stage of the claim (the file could not even be loaded). */
function reportAll(claim: FileClaim, task: (stage: StageName) => TaskReport): FileReport {
  return { fileId: claim.fileId, token: claim.token, tasks: claim.stages.map(task) };
}

const failAll = (claim: FileClaim, code: StageErrorCode, message: string): FileReport =>
  reportAll(claim, (stage) => ({ stage, status: "failed", error: { code, message }, durationMs: 0 }));

const retryAll = (claim: FileClaim, settings: ProcessSettings, error: unknown): FileReport =>
  reportAll(claim, (stage) => ({
    stage,
    status: "retry",
    error: { code: "transient_error", message: describeError(error) },
    retryDelaySeconds: settings.retryDelaySeconds,
  }));

/** The ports of one claim: its search index entries are the claimed file's, in the claim's tenant. */
function servicesFor(env: Env, claim: FileClaim): StageServices {
  return {
    searchIndex: searchIndexAllowedIn(claim.jurisdiction)
      ? new D1SearchIndex(env.DB, {
          tenantId: claim.tenantId,
          jobId: claim.jobId,
          fileId: claim.fileId,
          fileName: claim.file.name,
          quotaBytes: () => indexedBytesQuota(env, claim.tenantId),
        })
      : new RefusedSearchIndex(claim.jurisdiction),
    enrichment: enrichmentProviderFor(env),
  };
}

/** A processed claim: its report, and what it wrote (for discarding what the job refuses to serve). */
export interface ClaimRun {
  report: FileReport;
  outputs: R2OutputStore | null;
}

export async function processClaim(
  bucket: R2Bucket,
  claim: FileClaim,
  settings: ProcessSettings,
  env: Env,
): Promise<ClaimRun> {
  const bytes = await loadSource(bucket, claim, settings);
  if (!(bytes instanceof Uint8Array)) return { report: bytes, outputs: null };
  const outputs = new R2OutputStore(bucket, claim);
  const { runs } = await runStages({
    stages: claim.stages,
    file: {
      id: claim.fileId,
      name: claim.file.name,
      size: claim.file.size,
      contentType: claim.file.contentType,
    },
    bytes,
    options: claim.options,
    limits: settings.limits,
    previous: claim.previous,
    outputsFor: (stage) => outputs.forStage(stage),
    services: servicesFor(env, claim),
  });
  const tasks = runs.flatMap((run) => toTaskReport(run, outputs, settings));
  return { report: { fileId: claim.fileId, token: claim.token, tasks }, outputs };
}

/** The claimed file's bytes, or the report for every stage when they cannot be had. */
async function loadSource(
  bucket: R2Bucket,
  claim: FileClaim,
  settings: ProcessSettings,
): Promise<Uint8Array | FileReport> {
  let source: R2ObjectBody | null;
  try {
    source = await bucket.get(fileSourceKey(claim.tenantId, claim.fileId));
  } catch (error) {
    return retryAll(claim, settings, error);
  }
  if (!source) return failAll(claim, "source_missing", "the file's bytes are gone (was the file deleted?)");
  if (source.size > settings.limits.maxFileBytes) {
    await source.body.cancel();
    return failAll(
      claim,
      "file_too_large",
      `the file is ${source.size} bytes; stages read at most ${settings.limits.maxFileBytes} bytes`,
    );
  }
  try {
    return new Uint8Array(await source.arrayBuffer());
  } catch (error) {
    return retryAll(claim, settings, error);
  }
}

/** A stage run as the Job DO wants it; a waiting stage is left out (the Job DO skips or re-queues it). */
function toTaskReport(run: StageRun, outputs: R2OutputStore, settings: ProcessSettings): TaskReport[] {
  switch (run.status) {
    case "waiting":
      return [];
    case "completed":
      return [{ ...run, outputs: outputs.outputsOf(run.stage) }];
    case "retry":
      return [
        {
          stage: run.stage,
          status: "retry",
          error: run.error,
          retryDelaySeconds: settings.retryDelaySeconds,
        },
      ];
    case "failed":
    case "skipped":
      return [run];
  }
}
