/**
 * The stage-running core shared by the queue consumer and the synchronous endpoint: sniffs the bytes
 * once, runs each requested stage whose dependencies have completed (in this run or an earlier one), and
 * turns what every stage did into a plain outcome. A `StageError` is a permanent failure of that stage
 * for this file; any other exception is transient (`retry`): the caller decides whether to retry it (the
 * queue) or report it (the synchronous endpoint). A stage whose dependency did not complete is reported
 * as `waiting` and not run: the caller skips it or leaves it for the Job DO.
 */
import type { JobOptions } from "./options";
import { STAGE_REGISTRY } from "./registry";
import { log } from "../observability/log";
import { sniff, SNIFF_BYTES, type Sniffed } from "./sniff";
import {
  StageError,
  type JsonObject,
  type OutputStore,
  type ProcessingLimits,
  type StageInput,
  type StageServices,
} from "./stage";
import { STAGE_DEPENDENCIES, type StageName } from "./stage-names";

export interface RunStagesInput {
  stages: readonly StageName[];
  file: StageInput["file"];
  bytes: Uint8Array;
  options: JobOptions;
  limits: ProcessingLimits;
  /** Results of stages completed before this run (the Job DO keeps them between attempts). */
  previous: Partial<Record<StageName, JsonObject>>;
  /** Where a stage's outputs go; one store per stage. */
  outputsFor(stage: StageName): OutputStore;
  services: StageServices;
}

export interface StageProblem {
  code: string;
  message: string;
}

export type StageRun =
  | { stage: StageName; status: "completed"; result: JsonObject; durationMs: number }
  | { stage: StageName; status: "failed"; error: StageProblem; durationMs: number }
  | { stage: StageName; status: "skipped"; reason: StageProblem; durationMs: number }
  /** A transient failure: the error was not the input's fault and the stage may succeed later. */
  | { stage: StageName; status: "retry"; error: StageProblem; durationMs: number }
  /** Not run: a stage it needs has not completed. */
  | { stage: StageName; status: "waiting"; needs: StageName[] };

export interface RunStagesResult {
  sniffed: Sniffed;
  runs: StageRun[];
}

export const describeError = (error: unknown): string =>
  error instanceof Error ? `${error.name}: ${error.message}` : String(error);

export async function runStages(input: RunStagesInput): Promise<RunStagesResult> {
  const sniffed = sniff(input.bytes.subarray(0, SNIFF_BYTES));
  const previous: Partial<Record<StageName, JsonObject>> = { ...input.previous };
  const runs: StageRun[] = [];

  for (const stageName of input.stages) {
    const needs = STAGE_DEPENDENCIES[stageName].filter((needed) => previous[needed] === undefined);
    if (needs.length > 0) {
      runs.push({ stage: stageName, status: "waiting", needs });
      continue;
    }
    const stage = STAGE_REGISTRY[stageName];
    if (!stage) {
      const error = { code: "unsupported_type", message: `stage '${stageName}' is not available` };
      runs.push({ stage: stageName, status: "failed", error, durationMs: 0 });
      continue;
    }
    const started = Date.now();
    try {
      const outcome = await stage.run({
        file: input.file,
        bytes: input.bytes,
        sniffed,
        options: input.options,
        limits: input.limits,
        previous,
        outputs: input.outputsFor(stageName),
        services: input.services,
      });
      const durationMs = Date.now() - started;
      if (outcome.status === "completed") {
        previous[stageName] = outcome.result;
        runs.push({ stage: stageName, status: "completed", result: outcome.result, durationMs });
      } else {
        runs.push({ stage: stageName, status: "skipped", reason: outcome.reason, durationMs });
      }
    } catch (error) {
      const durationMs = Date.now() - started;
      if (error instanceof StageError) {
        const problem = { code: error.code, message: error.message };
        runs.push({ stage: stageName, status: "failed", error: problem, durationMs });
      } else {
        log("error", "stage error", { stage: stageName, fileId: input.file.id, error: describeError(error) });
        const problem = { code: "transient_error", message: describeError(error) };
        runs.push({ stage: stageName, status: "retry", error: problem, durationMs });
      }
    }
  }
  return { sniffed, runs };
}
