/**
 * A live event stream ends when the API key that opened it is revoked: the stream re-checks its key
 * (every SSE_KEY_CHECK_MS, 50 ms in the tests), writes a last comment saying why and closes; the
 * revoked key then gets 401 when it reconnects. A stream whose key stays valid stays open.
 */
import { afterEach, describe, expect, it } from "vitest";
import { armFault, disarmFaults } from "../../src/faults";
import type { JobObject } from "../../src/schemas/jobs";
import { ADMIN_TOKEN, adminTenant, call, createJob, json, upload } from "../helpers/api";
import { deliver, delivery, taskMessage } from "../helpers/jobs";
import { eventsOf, readSse, type SseFrame } from "../helpers/sse";

afterEach(() => {
  disarmFaults();
});

/** A job that stays open: its task message is dropped, so nothing runs until the (5-minute) redrive. */
async function openJob(key: string): Promise<string> {
  const file = await upload(new TextEncoder().encode("hello"), "a.txt", "text/plain", key);
  armFault("dispatch.drop");
  const job = await json<JobObject>(await createJob({ files: [file.id], stages: ["extract"] }, key), 202);
  return job.id;
}

const stream = (key: string, jobId: string) =>
  call(key, `/v1/jobs/${jobId}/events`, { headers: { Accept: "text/event-stream" } });

describe("SSE and key revocation", () => {
  it("ends the stream once its key is revoked, and the key cannot reconnect", async () => {
    const key = await adminTenant({ id: "sse-revoke" });
    const jobId = await openJob(key);
    const keys = await json<{ keys: { id: string }[] }>(
      await call(ADMIN_TOKEN, "/admin/tenants/sse-revoke/keys"),
      200,
    );
    const keyId = keys.keys[0]?.id ?? "";

    const response = await stream(key, jobId);
    expect(response.status).toBe(200);
    let revoked: Promise<Response> | undefined;
    const frames = await readSse(response, (frame: SseFrame) => {
      if (frame.data?.includes('"job.created"')) {
        revoked = call(ADMIN_TOKEN, `/admin/tenants/sse-revoke/keys/${keyId}`, { method: "DELETE" });
      }
    });
    expect((await revoked)?.status).toBe(204);
    expect(frames.at(-1)?.comment).toBe("the API key was revoked");
    expect((await stream(key, jobId)).status).toBe(401);
  });

  it("keeps the stream of a valid key open across many checks, to the job's end", async () => {
    const key = await adminTenant({ id: "sse-keep" });
    const file = await upload(new TextEncoder().encode("hello"), "a.txt", "text/plain", key);
    armFault("dispatch.drop");
    const job = await json<JobObject>(await createJob({ files: [file.id], stages: ["extract"] }, key), 202);
    const response = await stream(key, job.id);
    let delivered: Promise<unknown> | undefined;
    const frames = await readSse(response, (frame) => {
      if (!frame.data?.includes('"job.created"')) return;
      // Let the key be checked several times (every 50 ms) before the job moves on and ends.
      delivered = scheduler
        .wait(300)
        .then(() => deliver("sluice-tasks", [delivery(taskMessage(job.id, file.id, "sse-keep"))]));
    });
    await delivered;
    expect(eventsOf(frames).at(-1)?.type).toBe("job.completed");
    expect(frames.some((frame) => frame.comment === "the API key was revoked")).toBe(false);
  });
});
