/**
 * The dead-letter queue consumer: a task message lands here when the tasks queue ran out of retries.
 * It tells the job's Durable Object to fail whatever that file still had to do, so the job reaches
 * an end instead of waiting forever, and acks once the Job DO has recorded it.
 */
import { getConfig } from "../config";
import { jobStub } from "../jobs/job-client";
import { backoffSeconds } from "./backoff";
import { messageTenant, TaskMessageSchema } from "./messages";

export async function handleDeadLetterBatch(batch: MessageBatch, env: Env): Promise<void> {
  const config = getConfig(env);
  for (const message of batch.messages) {
    const parsed = TaskMessageSchema.safeParse(message.body);
    if (!parsed.success) {
      console.error(
        JSON.stringify({ msg: "invalid dead letter", id: message.id, issues: parsed.error.issues }),
      );
      message.ack();
      continue;
    }
    const { tenantId, jobId, fileId } = parsed.data;
    try {
      await jobStub(env, messageTenant(parsed.data), jobId).deadLetter(fileId);
      console.warn(JSON.stringify({ msg: "dead letter", tenantId, jobId, fileId }));
      message.ack();
    } catch (error) {
      console.error(JSON.stringify({ msg: "dead letter not recorded", jobId, fileId, error: String(error) }));
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
