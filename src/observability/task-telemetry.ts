/**
 * What the tasks queue consumer says about its work: a logger bound to one task message (tenant, job,
 * file and the trace id the message carries from the request that created the job), the line for a
 * claimed file, and one line per stage run with its outcome, attempt, duration and code.
 */
import type { FileClaim, FileReport } from "../jobs/contracts";
import type { TaskMessage } from "../queue/messages";
import { logger, type Logger } from "./log";
import { runCode, runDurationMs } from "./stage-metrics";

/** The log context of the task's job (for lines about a whole batch of its files). */
export const jobContext = (task: TaskMessage) => ({
  traceId: task.traceId,
  tenantId: task.tenantId,
  jobId: task.jobId,
});

/** A logger whose every line names the task's tenant, job, file and trace. */
export function taskLogger(task: TaskMessage): Logger {
  return logger({ ...jobContext(task), fileId: task.fileId });
}

export function logClaimed(log: Logger, claim: FileClaim): void {
  log.info("task claimed", { attempt: claim.attempt, stages: claim.stages });
}

/** One line per stage run of the file: `stage completed`, `stage failed`, `stage skipped`, `stage retry`. */
export function logStageRuns(log: Logger, claim: FileClaim, report: FileReport): void {
  for (const task of report.tasks) {
    const fields = {
      stage: task.stage,
      attempt: claim.attempt,
      durationMs: runDurationMs(task) ?? undefined,
      code: runCode(task) ?? undefined,
    };
    if (task.status === "failed" || task.status === "retry") log.warn(`stage ${task.status}`, fields);
    else log.info(`stage ${task.status}`, fields);
  }
}
