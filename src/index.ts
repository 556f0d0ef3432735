/**
 * The Worker: the HTTP API, the consumers of the tasks queue and its dead-letter queue, and the Job
 * Durable Object class, all in one script.
 */
import { createApp } from "./http/app";
import { handleDeadLetterBatch } from "./queue/dead-letter-consumer";
import { TASKS_DLQ, TASKS_QUEUE } from "./queue/messages";
import { handleTaskBatch } from "./queue/task-consumer";

export { JobDurableObject } from "./jobs/job-do";

const app = createApp();

export default {
  fetch: app.fetch,
  async queue(batch, env) {
    if (batch.queue === TASKS_QUEUE) await handleTaskBatch(batch, env);
    else if (batch.queue === TASKS_DLQ) await handleDeadLetterBatch(batch, env);
    else {
      console.error(JSON.stringify({ msg: "message from an unknown queue", queue: batch.queue }));
      batch.retryAll();
    }
  },
} satisfies ExportedHandler<Env>;
