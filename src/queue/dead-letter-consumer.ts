/**
 * The dead-letter queue consumer: a task message lands here when the tasks queue ran out of retries.
 * It tells the job's Durable Object to fail whatever that file still had to do, so the job reaches
 * an end instead of waiting forever, records the dead letter in D1 (with the file's attempts and last
 * error, so the tenant can list and re-drive it), and acks once both are recorded. Both steps are
 * idempotent, so a dead letter delivered twice is still one failure and one row. A late dead letter (of
 * an older dispatch generation than the file's, i.e. sent before a retry or re-drive) is acked
 * without changing anything.
 */
import { getConfig } from "../config";
import { jobStub } from "../jobs/job-client";
import { recordDeadLetter } from "../storage/dead-letters-repo";
import { backoffSeconds } from "./backoff";
import { messageTenant, TaskMessageSchema } from "./messages";
import { errorText, log } from "../observability/log";
import { taskLogger } from "../observability/task-telemetry";

export async function handleDeadLetterBatch(batch: MessageBatch, env: Env): Promise<void> {
  const config = getConfig(env);
  for (const message of batch.messages) {
    const parsed = TaskMessageSchema.safeParse(message.body);
    if (!parsed.success) {
      log("error", "invalid dead letter", { messageId: message.id, issues: parsed.error.issues });
      message.ack();
      continue;
    }
    const { tenantId, jobId, fileId } = parsed.data;
    const letterLog = taskLogger(parsed.data);
    try {
      const outcome = await jobStub(env, messageTenant(parsed.data), jobId).deadLetter(
        fileId,
        parsed.data.generation,
      );
      letterLog.warn("dead letter", {
        outcome: outcome.kind,
        attempt: "attempts" in outcome ? outcome.attempts : undefined,
        code: outcome.kind === "failed" ? outcome.error?.code : undefined,
      });
      if (outcome.kind === "failed" || outcome.kind === "finished") {
        await recordDeadLetter(env.DB, {
          tenantId,
          jobId,
          fileId,
          error: outcome.kind === "failed" ? outcome.error : null,
          attempts: outcome.attempts,
          status: outcome.kind === "failed" ? "open" : "resolved",
          seenAt: Date.now(),
        });
      }
      message.ack();
    } catch (error) {
      letterLog.error("dead letter not recorded", { error: errorText(error) });
      message.retry({
        delaySeconds: backoffSeconds(
          message.attempts,
          config.RETRY_BASE_DELAY_SECONDS,
          config.RETRY_MAX_DELAY_SECONDS,
        ),
      });
    }
  }
}
