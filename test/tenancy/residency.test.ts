import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import type { JobObject } from "../../src/schemas/jobs";
import { jobNamespace, jobPlacement, type Tenant } from "../../src/tenancy/tenant";
import { adminTenant, call, createJob, json, upload, waitForJob } from "../helpers/api";
import { fixture } from "../helpers/fixtures";

const keysIn = async (bucket: R2Bucket, prefix: string) =>
  (await bucket.list({ prefix })).objects.map((o) => o.key);

describe("data residency", () => {
  it("keeps an EU tenant's bytes and outputs in the EU bucket, and nothing in the default one", async () => {
    const key = await adminTenant({ id: "eu-gmbh", jurisdiction: "eu" });
    const file = await upload(
      await fixture("image/imagers_progressive_cat.jpg"),
      "cat.jpg",
      "image/jpeg",
      key,
    );
    const job = await json<JobObject>(
      await createJob({ files: [file.id], stages: ["extract", "thumbnail"] }, key),
      202,
    );
    expect((await waitForJob(job.id, key)).status).toBe("completed");

    const inEu = await keysIn(env.FILES_EU, "t/eu-gmbh/");
    expect(inEu).toContain(`t/eu-gmbh/f/${file.id}/source`);
    expect(inEu.some((k) => k.includes(`/jobs/${job.id}/thumbnail/`))).toBe(true);
    expect(await keysIn(env.FILES, "t/eu-gmbh/")).toEqual([]);
    // Downloads come from the EU bucket too.
    expect((await call(key, `/v1/files/${file.id}/content`)).status).toBe(200);
  });

  it("keeps a default tenant out of the EU bucket", async () => {
    const key = await adminTenant({ id: "us-inc", jurisdiction: "default" });
    const file = await upload(
      await fixture("text/libjpeg-turbo_README.md"),
      "README.md",
      "text/markdown",
      key,
    );
    expect(await keysIn(env.FILES, "t/us-inc/")).toEqual([`t/us-inc/f/${file.id}/source`]);
    expect(await keysIn(env.FILES_EU, "t/us-inc/")).toEqual([]);
  });

  it("places an EU tenant's Job DOs in the EU jurisdiction", () => {
    const eu: Tenant = { id: "eu-gmbh", jurisdiction: "eu", settings: {} };
    const anywhere: Tenant = { id: "us-inc", jurisdiction: "default", settings: {} };
    expect(jobPlacement(eu)).toEqual({ jurisdiction: "eu" });
    expect(jobPlacement(anywhere)).toEqual({ jurisdiction: null });
    // With jurisdictions enforced (production), the EU namespace is asked of the real binding; local
    // workerd refuses exactly that call, which shows the route taken. Default tenants never ask.
    const enforced = { ...env, JURISDICTION_MODE: "enforce" };
    expect(() => jobNamespace(enforced, eu)).toThrow(/Jurisdiction restrictions are not implemented/);
    expect(jobNamespace(enforced, anywhere)).toBe(env.JOBS);
  });

  it("puts no file content into events", async () => {
    const key = await adminTenant({ id: "private-text", jurisdiction: "eu" });
    const text = "The launch code is PELICAN-7734 and it must never leave this document.";
    const file = await upload(new TextEncoder().encode(text), "secret.txt", "text/plain", key);
    const job = await json<JobObject>(await createJob({ files: [file.id], stages: ["extract"] }, key), 202);
    await waitForJob(job.id, key);
    const events = await vi.waitFor(async () => (await call(key, `/v1/jobs/${job.id}/events`)).text());
    expect(events).toContain("job.completed");
    expect(events).not.toContain("PELICAN");
  });
});
