/**
 * Runs the claimed stages of one file: loads the source once, sniffs it once, runs each stage whose
 * dependencies are done, and turns every outcome into a report for the Job DO. A stage's StageError
 * is a permanent failure of that stage; anything else is transient and asks for a retry.
 */
import type { FileClaim, FileReport, TaskReport } from "../jobs/contracts";
import { STAGE_REGISTRY } from "../pipeline/registry";
import { sniff, SNIFF_BYTES } from "../pipeline/sniff";
import { StageError, type JsonObject, type ProcessingLimits, type StageErrorCode } from "../pipeline/stage";
import { STAGE_DEPENDENCIES, type StageName } from "../pipeline/stage-names";
import { fileSourceKey } from "../storage/r2-layout";
import { R2OutputStore } from "./r2-output-store";

export interface ProcessSettings {
  limits: ProcessingLimits;
  retryDelaySeconds: number;
}

const describe = (error: unknown): string =>
  error instanceof Error ? `${error.name}: ${error.message}` : String(error);

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
    error: { code: "transient_error", message: describe(error) },
    retryDelaySeconds: settings.retryDelaySeconds,
  }));

export async function processClaim(
  bucket: R2Bucket,
  claim: FileClaim,
  settings: ProcessSettings,
): Promise<FileReport> {
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
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await source.arrayBuffer());
  } catch (error) {
    return retryAll(claim, settings, error);
  }
  const sniffed = sniff(bytes.subarray(0, SNIFF_BYTES));
  const outputs = new R2OutputStore(bucket, claim);
  const previous: Partial<Record<StageName, JsonObject>> = { ...claim.previous };
  const tasks: TaskReport[] = [];

  for (const stageName of claim.stages) {
    // A stage whose dependency did not complete is left for the Job DO to skip or re-queue.
    if (STAGE_DEPENDENCIES[stageName].some((needed) => previous[needed] === undefined)) continue;
    const stage = STAGE_REGISTRY[stageName];
    if (!stage) {
      tasks.push({
        stage: stageName,
        status: "failed",
        error: { code: "unsupported_type", message: `stage '${stageName}' is not available` },
        durationMs: 0,
      });
      continue;
    }
    const started = Date.now();
    try {
      const outcome = await stage.run({
        file: {
          id: claim.fileId,
          name: claim.file.name,
          size: claim.file.size,
          contentType: claim.file.contentType,
        },
        bytes,
        sniffed,
        options: claim.options,
        limits: settings.limits,
        previous,
        outputs: outputs.forStage(stageName),
      });
      const durationMs = Date.now() - started;
      if (outcome.status === "completed") {
        previous[stageName] = outcome.result;
        tasks.push({
          stage: stageName,
          status: "completed",
          result: outcome.result,
          outputs: outputs.outputsOf(stageName),
          durationMs,
        });
      } else {
        tasks.push({ stage: stageName, status: "skipped", reason: outcome.reason, durationMs });
      }
    } catch (error) {
      const durationMs = Date.now() - started;
      if (error instanceof StageError) {
        tasks.push({
          stage: stageName,
          status: "failed",
          error: { code: error.code, message: error.message },
          durationMs,
        });
      } else {
        console.error(
          JSON.stringify({
            msg: "stage error",
            stage: stageName,
            fileId: claim.fileId,
            error: describe(error),
          }),
        );
        tasks.push({
          stage: stageName,
          status: "retry",
          error: { code: "transient_error", message: describe(error) },
          retryDelaySeconds: settings.retryDelaySeconds,
        });
      }
    }
  }
  return { fileId: claim.fileId, token: claim.token, tasks };
}
