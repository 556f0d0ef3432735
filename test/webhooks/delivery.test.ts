import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { JobObject } from "../../src/schemas/jobs";
import { verifyWebhook } from "../../src/webhooks/verify";
import type { ReceivedWebhook } from "../node/webhook-receiver";
import { api, createJob, json, upload, waitForJob } from "../helpers/api";
import { fixture } from "../helpers/fixtures";

interface Endpoint {
  id: string;
  secret: string;
  url: string;
}

const register = async (path: string, extra: Record<string, unknown> = {}) =>
  json<Endpoint>(
    await api("/v1/webhooks", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ url: `http://hooks.example.test${path}`, ...extra }),
    }),
    201,
  );

const received = async (path: string): Promise<ReceivedWebhook[]> =>
  (await (await env.WEBHOOK_RECEIVER.fetch("http://receiver/")).json<ReceivedWebhook[]>()).filter(
    (request) => request.path === path,
  );

async function runJob(webhook?: string): Promise<JobObject> {
  const file = await upload(await fixture("text/libjpeg-turbo_README.md"), "README.md");
  const body = webhook
    ? { files: [file.id], stages: ["extract"], webhook }
    : { files: [file.id], stages: ["extract"] };
  return waitForJob((await json<JobObject>(await createJob(body), 202)).id);
}

const eventIds = async (jobId: string) =>
  (await json<{ events: { id: string }[] }>(await api(`/v1/jobs/${jobId}/events`), 200)).events.map(
    (e) => e.id,
  );

beforeEach(async () => {
  await env.WEBHOOK_RECEIVER.fetch("http://receiver/", { method: "DELETE" });
});

describe("webhooks", () => {
  it("delivers every event once after dedupe by webhook-id, retrying failures, with valid signatures", async () => {
    const endpoint = await register("/flaky");
    expect(endpoint.secret).toMatch(/^whsec_/);
    const job = await runJob(endpoint.id);
    const ids = await eventIds(job.id);

    const requests = await vi.waitFor(
      async () => {
        const all = await received("/flaky");
        const delivered = new Set(all.filter((r) => r.answered === 200).map((r) => r.headers["webhook-id"]));
        if (delivered.size < ids.length) throw new Error(`${delivered.size}/${ids.length} delivered`);
        return all;
      },
      { timeout: 20_000, interval: 50 },
    );
    // Each event was attempted three times (two 503s, then 200) with the same webhook-id.
    const byId = Map.groupBy(requests, (request) => request.headers["webhook-id"] ?? "");
    expect([...byId.keys()].sort()).toEqual([...ids].sort());
    for (const attempts of byId.values()) expect(attempts.map((a) => a.answered)).toEqual([503, 503, 200]);
    // After dedupe by webhook-id, each event arrives once, signed and carrying the event.
    for (const [id, attempts] of byId) {
      const last = attempts.at(-1);
      const event = verifyWebhook(last?.body ?? "", last?.headers ?? {}, [endpoint.secret]) as {
        id: string;
        jobId: string;
      };
      expect(event).toMatchObject({ id, jobId: job.id });
    }

    const deliveries = await json<{ deliveries: { id: string; status: string; attempts: number }[] }>(
      await api(`/v1/webhooks/${endpoint.id}/deliveries?jobId=${job.id}`),
      200,
    );
    expect(deliveries.deliveries.map((d) => [d.status, d.attempts])).toEqual(ids.map(() => ["delivered", 3]));
    const detail = await json<{ attemptLog: { status: number }[] }>(
      await api(`/v1/webhooks/${endpoint.id}/deliveries/${ids[0] ?? ""}`),
      200,
    );
    expect(detail.attemptLog.map((attempt) => attempt.status)).toEqual([503, 503, 200]);
  });

  it("uses the tenant's default endpoint for jobs that name none", async () => {
    const endpoint = await register("/ok", { default: true });
    const job = await runJob();
    const ids = await eventIds(job.id);
    await vi.waitFor(
      async () => {
        expect(new Set((await received("/ok")).map((r) => r.headers["webhook-id"]))).toEqual(new Set(ids));
      },
      {
        timeout: 10_000,
      },
    );
    const listed = await json<{ webhooks: { id: string; default: boolean }[] }>(
      await api("/v1/webhooks"),
      200,
    );
    expect(listed.webhooks.find((w) => w.id === endpoint.id)?.default).toBe(true);
    expect(JSON.stringify(listed)).not.toContain(endpoint.secret);
  });

  it("stops at 410 Gone and disables the endpoint; does not follow redirects; replays a failed delivery", async () => {
    const gone = await register("/gone");
    const job = await runJob(gone.id);
    await vi.waitFor(
      async () => {
        expect((await received("/gone")).length).toBeGreaterThan(0);
      },
      {
        timeout: 10_000,
      },
    );
    await vi.waitFor(
      async () => {
        const listed = await json<{ webhooks: { id: string; disabledAt: string | null }[] }>(
          await api("/v1/webhooks"),
          200,
        );
        expect(listed.webhooks.find((w) => w.id === gone.id)?.disabledAt).not.toBeNull();
      },
      { timeout: 10_000 },
    );
    const goneDeliveries = await json<{ deliveries: { status: string }[] }>(
      await api(`/v1/webhooks/${gone.id}/deliveries?jobId=${job.id}`),
      200,
    );
    expect(goneDeliveries.deliveries.map((d) => d.status)).toContain("gone");

    const redirect = await register("/redirect");
    const redirected = await runJob(redirect.id);
    const failed = await vi.waitFor(
      async () => {
        const page = await json<{
          deliveries: { id: string; status: string; attempts: number; lastError: string }[];
        }>(await api(`/v1/webhooks/${redirect.id}/deliveries?jobId=${redirected.id}&status=failed`), 200);
        if (page.deliveries.length === 0) throw new Error("nothing failed yet");
        return page.deliveries;
      },
      { timeout: 20_000, interval: 50 },
    );
    expect(failed[0]?.attempts).toBe(4);
    expect(failed[0]?.lastError).toContain("redirects are not followed");
    // The receiver saw the redirect answers, and nothing ever reached the redirect's target.
    expect((await received("/redirect")).every((r) => r.answered === 302)).toBe(true);
    expect((await received("/steal")).length).toBe(0);

    const replayedId = failed[0]?.id ?? "";
    const attemptsOf = async () =>
      (await received("/redirect")).filter((r) => r.headers["webhook-id"] === replayedId).length;
    expect(await attemptsOf()).toBe(4);
    const replayed = await api(`/v1/webhooks/${redirect.id}/deliveries/${replayedId}/replay`, {
      method: "POST",
    });
    expect((await json<{ status: string }>(replayed, 202)).status).toBe("pending");
    // The replay is delivered again under the same webhook-id.
    await vi.waitFor(
      async () => {
        expect(await attemptsOf()).toBeGreaterThan(4);
      },
      { timeout: 10_000 },
    );
  });

  it("retries a delivery whose receiver did not answer in time", async () => {
    const endpoint = await register("/slow");
    const job = await runJob(endpoint.id);
    const first = (await eventIds(job.id))[0] ?? "";
    const delivery = await vi.waitFor(
      async () => {
        const detail = await json<{
          status: string;
          attemptLog: { error: string | null; status: number | null }[];
        }>(await api(`/v1/webhooks/${endpoint.id}/deliveries/${first}`), 200);
        if (detail.status !== "delivered") throw new Error(detail.status);
        return detail;
      },
      { timeout: 20_000, interval: 100 },
    );
    expect(delivery.attemptLog[0]?.error).toBe("no answer within 1000 ms");
    expect(delivery.attemptLog.at(-1)?.status).toBe(200);
  });

  it("signs with both secrets during a rotation", async () => {
    const endpoint = await register("/ok");
    const rotated = await json<Endpoint & { rotationEndsAt: string }>(
      await api(`/v1/webhooks/${endpoint.id}/rotate`, { method: "POST" }),
      200,
    );
    expect(rotated.secret).not.toBe(endpoint.secret);
    expect(rotated.rotationEndsAt).not.toBeNull();
    await runJob(endpoint.id);
    const request = await vi.waitFor(
      async () => {
        const first = (await received("/ok"))[0];
        if (!first) throw new Error("nothing yet");
        return first;
      },
      { timeout: 10_000 },
    );
    expect(request.headers["webhook-signature"]?.split(" ")).toHaveLength(2);
    expect(verifyWebhook(request.body, request.headers, [endpoint.secret])).toBeTruthy();
    expect(verifyWebhook(request.body, request.headers, [rotated.secret])).toBeTruthy();
  });

  it("refuses destinations that are not http(s) or point inside, and unknown endpoints on jobs", async () => {
    for (const url of [
      "ftp://example.com/x",
      "http://127.0.0.1/hook",
      "http://[::1]/hook",
      "http://169.254.169.254/latest",
    ]) {
      const response = await api("/v1/webhooks", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ url }),
      });
      expect(response.status, url).toBe(400);
    }
    const file = await upload(await fixture("text/libjpeg-turbo_README.md"), "README.md");
    const refused = await createJob({
      files: [file.id],
      stages: ["extract"],
      webhook: "wh_01ARZ3NDEKTSV4RRFFQ69G5FAV",
    });
    expect((await json(refused, 400))["code"]).toBe("unknown_webhook");
  });
});
