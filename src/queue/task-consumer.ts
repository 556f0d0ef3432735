/**
 * The tasks queue consumer. For each batch it groups messages by job, claims the files of a job with
 * one call to its Durable Object, processes the claimed files (concurrently, under a memory-aware
 * budget), reports their results with one more call, and only then acks each message on its own.
 * Transient failures are retried by the queue with exponential backoff and jitter; after the queue's
 * last retry the message goes to the dead-letter queue, whose consumer fails the file so the job
 * still ends.
 */
import { getConfig, processingLimits, type Config } from "../config";
import { configureFaultsFromEnv, faultAt, injectFault } from "../faults";
import type { FileClaim, FileReport } from "../jobs/contracts";
import { jobStub } from "../jobs/job-client";
import { backoffSeconds } from "./backoff";
import { filesBucket } from "../tenancy/tenant";
import { messageTenant, TaskMessageSchema, type TaskMessage } from "./messages";
import { processClaim } from "./process-file";
import { discardUnservedOutputs, type ReportedRun } from "./discard-outputs";
import { BATCH_CONCURRENCY, claimWeight, forEachWeighted } from "./batch-concurrency";
import { errorText, log } from "../observability/log";
import { recordStageOutcomes, stageOutcomes } from "../observability/stage-metrics";
import { jobContext, logClaimed, logStageRuns, taskLogger } from "../observability/task-telemetry";

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
      log("error", "invalid task message", { messageId: message.id, issues: parsed.error.issues });
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
    log("error", "claim failed", {
      ...jobContext(first.task),
      files: deliveries.length,
      error: errorText(error),
    });
    retryEach(deliveries);
    return;
  }

  const claimByFile = new Map(claims.map((claim) => [claim.fileId, claim]));
  const processed: (ReportedRun & { delivery: Delivery; report: FileReport })[] = [];
  const toProcess: { delivery: Delivery; claim: FileClaim }[] = [];
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
    toProcess.push({ delivery, claim });
  }
  // The batch's files run concurrently under a memory-aware budget (batch-concurrency.ts).
  await forEachWeighted(
    toProcess,
    BATCH_CONCURRENCY,
    ({ claim }) => claimWeight(claim),
    async ({ delivery, claim }) => {
      const taskLog = taskLogger(delivery.task);
      logClaimed(taskLog, claim);
      const { report, outputs } = await processClaim(
        filesBucket(env, tenant),
        claim,
        {
          limits: processingLimits(config),
          retryDelaySeconds: retryDelay(config, delivery.message.attempts),
        },
        env,
      );
      logStageRuns(taskLog, claim, report);
      processed.push({ delivery, claim, report, outputs });
    },
  );
  if (processed.length === 0) return;

  injectFault("consumer.before_report");
  let results;
  try {
    results = await stub.report(processed.map(({ report }) => report));
  } catch (error) {
    log("error", "report failed", {
      ...jobContext(first.task),
      files: processed.length,
      error: errorText(error),
    });
    retryEach(processed.map(({ delivery }) => delivery));
    return;
  }
  // What the job will not serve (a refused report's outputs, a failed stage's) is removed at once.
  await discardUnservedOutputs(filesBucket(env, tenant), env.DB, processed, results);
  // Only runs the job accepted count (a stale lease's report changed nothing).
  const accepted = new Set(results.filter((result) => result.accepted).map((result) => result.fileId));
  const now = Date.now();
  await recordStageOutcomes(
    env,
    processed
      .filter(({ report }) => accepted.has(report.fileId))
      .flatMap(({ claim, report }) => stageOutcomes(claim, report, now)),
  );
  injectFault("consumer.before_ack");
  for (const { delivery, report } of processed) {
    const retry = report.tasks.find((task) => task.status === "retry");
    if (retry?.status === "retry") {
      taskLogger(delivery.task).warn("task retry", {
        stage: retry.stage,
        attempt: delivery.message.attempts,
        code: retry.error.code,
        delaySeconds: retry.retryDelaySeconds,
      });
      delivery.message.retry({ delaySeconds: retry.retryDelaySeconds });
    } else delivery.message.ack();
  }
}
