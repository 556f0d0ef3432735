/**
 * The trace id of the request that creates a job reaches the log lines of the queue consumer that
 * processes the job's files. The consumer runs in the test's own isolate (the queue delivers to this
 * Worker), so a spy on console sees every line it writes; the first test proves that by finding the
 * consumer's lines at all.
 */
import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from "vitest";
import type { JobObject } from "../../src/schemas/jobs";
import { armFault, disarmFaults } from "../../src/faults";
import { api, createJob, json, upload, waitForJob } from "../helpers/api";
import { fixture } from "../helpers/fixtures";
import { ageJob, deliver, delivery, runAlarm, taskMessage } from "../helpers/jobs";

const TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
const TRACEPARENT = `00-${TRACE_ID}-00f067aa0ba902b7-01`;

type Line = Record<string, unknown>;
let spies: MockInstance<(...args: unknown[]) => void>[] = [];

/** Every structured line written so far through console.log/warn/error. */
function lines(): Line[] {
  return spies
    .flatMap((spy) => spy.mock.calls)
    .flatMap(([first]) => {
      if (typeof first !== "string" || !first.startsWith("{")) return [];
      try {
        return [JSON.parse(first) as Line];
      } catch {
        return [];
      }
    });
}

beforeEach(() => {
  spies = (["log", "warn", "error"] as const).map((method) =>
    vi.spyOn(console, method).mockImplementation(() => undefined),
  );
});

afterEach(() => {
  vi.restoreAllMocks();
  disarmFaults();
});

async function runJob(headers: HeadersInit): Promise<{ job: JobObject; response: Response }> {
  const file = await upload(await fixture("text/libjpeg-turbo_README.md"), "README.md", "text/markdown");
  const response = await createJob({ files: [file.id], stages: ["extract"] }, undefined, headers);
  const job = await json<JobObject>(response.clone(), 202);
  await waitForJob(job.id);
  return { job, response };
}

describe("trace id from traceparent", () => {
  it("carries the caller's trace id through the queue into the consumer's log lines", async () => {
    const { job, response } = await runJob({ traceparent: TRACEPARENT });
    expect(response.headers.get("traceresponse")).toMatch(new RegExp(`^00-${TRACE_ID}-[0-9a-f]{16}-01$`));

    const created = lines().find((line) => line["msg"] === "job created");
    expect(created).toMatchObject({ level: "info", traceId: TRACE_ID, jobId: job.id, tenantId: "dev" });
    expect(created?.["requestId"]).toBe(response.headers.get("X-Request-Id"));

    // The consumer's lines: the claim and the stage outcome, with the trace id and the job's context.
    await vi.waitFor(() => {
      const consumer = lines().filter((line) => line["jobId"] === job.id && line["msg"] !== "job created");
      const claimed = consumer.find((line) => line["msg"] === "task claimed");
      const finished = consumer.find((line) => line["msg"] === "stage completed");
      expect(claimed).toMatchObject({ traceId: TRACE_ID, fileId: job.files[0]?.fileId, attempt: 1 });
      expect(finished).toMatchObject({ traceId: TRACE_ID, stage: "extract", attempt: 1 });
      expect(finished?.["durationMs"]).toEqual(expect.any(Number));
    });
  });

  it("starts a new trace when the header is missing or invalid, and logs each request once", async () => {
    for (const header of [undefined, "00-00000000000000000000000000000000-00f067aa0ba902b7-01", "garbage"]) {
      const response = await api("/v1/jobs?limit=1", header ? { headers: { traceparent: header } } : {});
      expect(response.status).toBe(200);
      await response.body?.cancel();
      const traceresponse = response.headers.get("traceresponse") ?? "";
      const traceId = /^00-([0-9a-f]{32})-[0-9a-f]{16}-01$/.exec(traceresponse)?.[1];
      expect(traceId, traceresponse).toBeDefined();
      expect(traceId).not.toBe("00000000000000000000000000000000");
      const requestLines = lines().filter(
        (line) => line["msg"] === "request" && line["requestId"] === response.headers.get("X-Request-Id"),
      );
      expect(requestLines).toEqual([
        expect.objectContaining({
          level: "info",
          traceId,
          tenantId: "dev",
          method: "GET",
          route: "/v1/jobs",
          status: 200,
          durationMs: expect.any(Number) as number,
        }),
      ]);
    }
  });

  it("logs failed requests with their status, and a job created without a trace still gets one", async () => {
    const bad = await api("/v1/stats?window=forever");
    await bad.body?.cancel();
    expect(lines().find((line) => line["requestId"] === bad.headers.get("X-Request-Id"))).toMatchObject({
      msg: "request",
      status: 400,
      route: "/v1/stats",
    });

    const { job, response } = await runJob({});
    const traceId = /^00-([0-9a-f]{32})-/.exec(response.headers.get("traceresponse") ?? "")?.[1];
    expect(traceId).toBeDefined();
    await vi.waitFor(() => {
      expect(
        lines().find((line) => line["msg"] === "stage completed" && line["jobId"] === job.id),
      ).toMatchObject({ traceId });
    });
  });

  it("gives the alarm's redrive and the dead-letter consumer's lines the job's trace id", async () => {
    const file = await upload(await fixture("text/libjpeg-turbo_README.md"), "README.md", "text/markdown");
    // The first task message is lost on its way to the queue: only the job's alarm can send it again.
    armFault("dispatch.drop");
    const response = await createJob({ files: [file.id], stages: ["extract"] }, undefined, {
      traceparent: TRACEPARENT,
    });
    const job = await json<JobObject>(response, 202);
    await ageJob(job.id);
    await runAlarm(job.id);
    expect(lines().find((line) => line["msg"] === "alarm redrive")).toMatchObject({
      level: "warn",
      traceId: TRACE_ID,
      jobId: job.id,
      files: 1,
      fileIds: [file.id],
    });
    expect((await waitForJob(job.id)).status).toBe("completed");

    // A late dead letter of the same file (the message carries the trace id like every task message).
    await deliver("sluice-tasks-dlq", [delivery({ ...taskMessage(job.id, file.id), traceId: TRACE_ID })]);
    expect(lines().find((line) => line["msg"] === "dead letter")).toMatchObject({
      traceId: TRACE_ID,
      jobId: job.id,
      fileId: file.id,
      outcome: "finished",
    });
  });
});
