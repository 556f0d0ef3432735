/**
 * Runs a file's stages synchronously for POST /v1/process, through the same stage runner as the queue
 * consumer (run-stages.ts), with outputs kept in memory. The outcome has the same per-stage shape as a
 * job's file: `completed` with `result`, `failed` with `error`, `skipped` with `reason`; a transient
 * error cannot be retried here, so it fails the stage (`transient_error`), and a stage whose dependency
 * did not complete is skipped (`dependency_failed` or `dependency_skipped`), as the Job DO would skip it.
 */
import type { JobOptions } from "../options";
import { runStages } from "../run-stages";
import type { JsonObject, ProcessingLimits, StageServices } from "../stage";
import type { StageName } from "../stage-names";
import { InlineOutputStore, type InlineOutput } from "./outputs";

export interface InlineFile {
  name: string;
  contentType: string;
  bytes: Uint8Array;
}

export type InlineStageState =
  | { status: "completed"; durationMs: number; result: JsonObject }
  | { status: "failed"; durationMs: number; error: { code: string; message: string } }
  | { status: "skipped"; durationMs: number; reason: { code: string; message: string } };

export interface InlineFileResult {
  name: string;
  size: number;
  /** What the bytes are, as sniffed (not what the client declared). */
  contentType: string;
  status: "completed" | "failed";
  stages: Partial<Record<StageName, InlineStageState>>;
  outputs: Record<string, InlineOutput>;
}

export async function runInline(
  file: InlineFile,
  stages: readonly StageName[],
  options: JobOptions,
  limits: ProcessingLimits,
  services: StageServices,
): Promise<InlineFileResult> {
  const outputs = new InlineOutputStore();
  const { sniffed, runs } = await runStages({
    stages,
    file: { id: "inline", name: file.name, size: file.bytes.byteLength, contentType: file.contentType },
    bytes: file.bytes,
    options,
    limits,
    previous: {},
    outputsFor: (stage) => outputs.forStage(stage),
    services,
  });
  const states: Partial<Record<StageName, InlineStageState>> = {};
  for (const run of runs) {
    switch (run.status) {
      case "completed":
        states[run.stage] = { status: "completed", durationMs: run.durationMs, result: run.result };
        break;
      case "failed":
      case "retry":
        states[run.stage] = { status: "failed", durationMs: run.durationMs, error: run.error };
        break;
      case "skipped":
        states[run.stage] = { status: "skipped", durationMs: run.durationMs, reason: run.reason };
        break;
      case "waiting": {
        const failedDependency = run.needs.some((needed) => states[needed]?.status === "failed");
        states[run.stage] = {
          status: "skipped",
          durationMs: 0,
          reason: failedDependency
            ? { code: "dependency_failed", message: `stage '${run.needs.join("', '")}' failed` }
            : { code: "dependency_skipped", message: `stage '${run.needs.join("', '")}' was skipped` },
        };
        break;
      }
    }
  }
  const failed = Object.values(states).some((state) => state.status === "failed");
  return {
    name: file.name,
    size: file.bytes.byteLength,
    contentType: sniffed.mime,
    status: failed ? "failed" : "completed",
    stages: states,
    outputs: outputs.inline(),
  };
}
