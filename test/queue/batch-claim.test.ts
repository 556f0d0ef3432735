/**
 * A full queue batch of one job costs that job's Durable Object two requests: one claim covering all
 * 100 messages and one report covering all 100 results. The one-file batch gives the fixed part of a
 * call; both timings are inputs of `npm run model` (printed, never asserted). The handler runs against the real Job DO; the
 * namespace it is given only counts the RPC calls that pass through it.
 */
import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import { armFault, disarmFaults } from "../../src/faults";
import { handleTaskBatch } from "../../src/queue/task-consumer";
import type { JobObject } from "../../src/schemas/jobs";
import { api, createJob, json } from "../helpers/api";
import { delivery, sql, taskMessage } from "../helpers/jobs";
import { seedFile } from "../helpers/seed";

afterEach(() => {
  disarmFaults();
});

interface Call {
  method: string;
  ms: number;
}

/** The job namespace, with every RPC method called on its stubs recorded (name and wall time). */
function countingNamespace(namespace: Env["JOBS"], calls: Call[]): Env["JOBS"] {
  return new Proxy(namespace, {
    get(target, property) {
      if (property === "get") {
        return (id: DurableObjectId) => {
          const stub = target.get(id);
          return new Proxy(stub, {
            get(stubTarget, method) {
              const value: unknown = Reflect.get(stubTarget, method);
              if (typeof method !== "string" || typeof value !== "function") return value;
              return async (...args: unknown[]): Promise<unknown> => {
                const started = Date.now();
                // Reflect.apply: an RPC method's own `apply` would be taken for a remote method.
                const result: unknown = await Reflect.apply(
                  value as (...a: unknown[]) => Promise<unknown>,
                  stubTarget,
                  args,
                );
                calls.push({ method, ms: Date.now() - started });
                return result;
              };
            },
          });
        };
      }
      const value: unknown = Reflect.get(target, property);
      return typeof value === "function" ? (value as () => unknown).bind(target) : value;
    },
  });
}

/** Seeds a job of `count` text files, delivers its messages as one batch, and records the DO calls. */
async function runBatch(count: number): Promise<{ job: JobObject; calls: Call[]; result: QueueResult }> {
  const files = [];
  for (let i = 0; i < count; i++)
    files.push(
      await seedFile(new TextEncoder().encode(`note ${i}: a small text`), `n${i}.txt`, "text/plain"),
    );
  // The queue loses the job's own messages: the test delivers them itself, as one full batch.
  armFault("dispatch.drop");
  const job = await json<JobObject>(
    await createJob({ files: files.map((file) => file.id), stages: ["extract"] }),
    202,
  );
  const batch = createMessageBatch(
    "sluice-tasks",
    files.map((file) => delivery(taskMessage(job.id, file.id))),
  );
  const calls: Call[] = [];
  const ctx = createExecutionContext();
  await handleTaskBatch(batch, { ...env, JOBS: countingNamespace(env.JOBS, calls) });
  const result = await getQueueResult(batch, ctx);
  console.log(
    `job DO, batch of ${String(count)} files: ${calls.map((call) => `${call.method} ${String(call.ms)} ms`).join(", ")}`,
  );
  return { job, calls, result };
}

type QueueResult = Awaited<ReturnType<typeof getQueueResult>>;

describe("a batch of task messages", () => {
  it("of 100 is claimed with one call and reported with one call to the job's Durable Object", async () => {
    const FILES = 100;
    const { job, calls, result } = await runBatch(FILES);
    expect(calls.map((call) => call.method)).toEqual(["claim", "report"]);
    expect(result.explicitAcks).toHaveLength(FILES);
    expect(result.retryMessages).toEqual([]);
    const done = await json<JobObject>(await api(`/v1/jobs/${job.id}?filesLimit=1`), 200);
    expect(done.status).toBe("completed");
    expect(done.counts).toMatchObject({ total: FILES, completed: FILES });
    // Every file was claimed once, and every claim was handed out by the same transaction.
    const [claims] = await sql<{ attempts: number; moments: number }>(
      job.id,
      "SELECT sum(f.attempts) AS attempts, count(DISTINCT t.started_at) AS moments FROM files f JOIN tasks t USING (file_id)",
    );
    expect(claims).toEqual({ attempts: FILES, moments: 1 });
  });

  it("of one file costs the same two calls (their fixed part)", async () => {
    const { job, calls, result } = await runBatch(1);
    expect(calls.map((call) => call.method)).toEqual(["claim", "report"]);
    expect(result.explicitAcks).toHaveLength(1);
    const done = await json<JobObject>(await api(`/v1/jobs/${job.id}`), 200);
    expect(done.status).toBe("completed");
  });
});
