/**
 * The tasks queue consumer. For each batch it groups messages by job, claims the files of a job with
 * one call to its Durable Object, processes the claimed files, reports their results with one more
 * call, and only then acks each message on its own. Transient failures are retried by the queue
 * with exponential backoff and jitter; after the queue's last retry the message goes to the
 * dead-letter queue, whose consumer fails the file so the job still ends.
 */
import { getConfig, processingLimits, type Config } from "../config";
import { configureFaultsFromEnv, faultAt, injectFault } from "../faults";
import type { FileReport } from "../jobs/contracts";
import { jobStub } from "../jobs/job-client";
import { backoffSeconds } from "./backoff";
import { filesBucket } from "../tenancy/tenant";
import { messageTenant, TaskMessageSchema, type TaskMessage } from "./messages";
import { processClaim } from "./process-file";

interface Delivery {
  message: Message;
  task: TaskMessage;
}

const retryDelay = (config: Config, attempts: number): number =>
  backoffSeconds(attempts, config.RETRY_BASE_DELAY_SECONDS, config.RETRY_MAX_DELAY_SECONDS);

export async function handleTaskBatch(batch: MessageBatch, env: Env): Promise<void> {
  const config = getConfig(env);
  configureFaultsFromEnv(env);
  const byJob = new Map<string, Delivery[]>();
  for (const message of batch.messages) {
    const parsed = TaskMessageSchema.safeParse(message.body);
    if (!parsed.success) {
      // No retry can make a malformed message valid: drop it loudly.
      console.error(
        JSON.stringify({ msg: "invalid task message", id: message.id, issues: parsed.error.issues }),
      );
      message.ack();
      continue;
    }
    const key = `${parsed.data.jurisdiction}:${parsed.data.tenantId}:${parsed.data.jobId}`;
    byJob.set(key, [...(byJob.get(key) ?? []), { message, task: parsed.data }]);
  }
  for (const deliveries of byJob.values()) await processJobDeliveries(env, config, deliveries);
}

async function processJobDeliveries(env: Env, config: Config, deliveries: Delivery[]): Promise<void> {
  const first = deliveries[0];
  if (!first) return;
  const tenant = messageTenant(first.task);
  const stub = jobStub(env, tenant, first.task.jobId);
  const retryEach = (items: Delivery[]) => {
    for (const { message } of items) message.retry({ delaySeconds: retryDelay(config, message.attempts) });
  };

  let claims;
  try {
    claims = await stub.claim([...new Set(deliveries.map(({ task }) => task.fileId))]);
  } catch (error) {
    console.error(JSON.stringify({ msg: "claim failed", jobId: first.task.jobId, error: String(error) }));
    retryEach(deliveries);
    return;
  }

  const claimByFile = new Map(claims.map((claim) => [claim.fileId, claim]));
  const processed: { delivery: Delivery; report: FileReport }[] = [];
  for (const delivery of deliveries) {
    const claim = claimByFile.get(delivery.task.fileId);
    // Each claim is used once: a second copy of the same message in this batch has nothing to do.
    claimByFile.delete(delivery.task.fileId);
    if (claim?.outcome !== "claimed") {
      delivery.message.ack();
      continue;
    }
    if (faultAt("consumer.after_claim")) {
      delivery.message.ack();
      continue;
    }
    const report = await processClaim(
      filesBucket(env, tenant),
      claim,
      {
        limits: processingLimits(config),
        retryDelaySeconds: retryDelay(config, delivery.message.attempts),
      },
      env,
    );
    processed.push({ delivery, report });
  }
  if (processed.length === 0) return;

  injectFault("consumer.before_report");
  try {
    await stub.report(processed.map(({ report }) => report));
  } catch (error) {
    console.error(JSON.stringify({ msg: "report failed", jobId: first.task.jobId, error: String(error) }));
    retryEach(processed.map(({ delivery }) => delivery));
    return;
  }
  injectFault("consumer.before_ack");
  for (const { delivery, report } of processed) {
    const retry = report.tasks.find((task) => task.status === "retry");
    if (retry?.status === "retry") delivery.message.retry({ delaySeconds: retry.retryDelaySeconds });
    else delivery.message.ack();
  }
}
