/**
 * The Worker: the HTTP API, the consumers of the tasks queue and its dead-letter queue, and the Job
 * Durable Object class, all in one script.
 */
import { createApp } from "./http/app";
import { configureLogging, log } from "./observability/log";
import { handleDeadLetterBatch } from "./queue/dead-letter-consumer";
import { TASKS_DLQ, TASKS_QUEUE } from "./queue/messages";
import { handleTaskBatch } from "./queue/task-consumer";
import { runMaintenance } from "./retention/maintenance";
import { handleWebhookBatch } from "./webhooks/deliver";
import { WEBHOOKS_QUEUE } from "./webhooks/messages";

export { JobDurableObject } from "./jobs/job-do";
export { TenantLimiter } from "./limits/tenant-limiter";

const app = createApp();

export default {
  fetch(request, env, ctx) {
    configureLogging(env);
    return app.fetch(request, env, ctx);
  },
  scheduled(_controller, env, ctx) {
    configureLogging(env);
    ctx.waitUntil(
      runMaintenance(env, Date.now()).then((report) => {
        log("info", "maintenance", { ...report });
      }),
    );
  },
  async queue(batch, env) {
    configureLogging(env);
    if (batch.queue === TASKS_QUEUE) await handleTaskBatch(batch, env);
    else if (batch.queue === TASKS_DLQ) await handleDeadLetterBatch(batch, env);
    else if (batch.queue === WEBHOOKS_QUEUE) await handleWebhookBatch(batch, env);
    else {
      log("error", "message from an unknown queue", { queue: batch.queue });
      batch.retryAll();
    }
  },
} satisfies ExportedHandler<Env>;
