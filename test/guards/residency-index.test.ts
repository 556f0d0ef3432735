/**
 * Residency: the search index lives in the one D1 database, outside any jurisdiction, so an EU
 * tenant's job that asks for `index` is refused at creation (400 naming the reason) and leaves nothing
 * in D1; the same tenant's other stages, and other tenants' indexing, run as before.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { jobStub } from "../../src/jobs/job-client";
import { newJobId } from "../../src/ids";
import { DEFAULT_JOB_OPTIONS } from "../../src/pipeline/options";
import type { JobObject } from "../../src/schemas/jobs";
import type { Tenant } from "../../src/tenancy/tenant";
import { adminTenant, createJob, json, upload, waitForJob } from "../helpers/api";

const text = new TextEncoder().encode("Vertrauliche Vertragsbedingungen der Muster GmbH, Abschnitt 4.2.\n");

const rowsOf = async (table: string, tenantId: string) =>
  (
    await env.DB.prepare(`SELECT count(*) AS n FROM ${table} WHERE tenant_id = ?`)
      .bind(tenantId)
      .first<{ n: number }>()
  )?.n;

describe("residency of the search index", () => {
  it("refuses `index` for an EU tenant with a 400 naming the reason, and writes nothing to D1", async () => {
    const key = await adminTenant({ id: "eu-index", jurisdiction: "eu" });
    const file = await upload(text, "vertrag.txt", "text/plain", key);

    const problem = await json(await createJob({ files: [file.id], stages: ["extract", "index"] }, key), 400);
    expect(problem).toMatchObject({
      code: "stage_not_allowed_in_jurisdiction",
      status: 400,
      stages: ["index"],
      jurisdiction: "eu",
    });
    expect(String(problem["detail"])).toContain("search database");
    expect(await rowsOf("search_sections", "eu-index")).toBe(0);
    expect(await rowsOf("jobs", "eu-index")).toBe(0);

    // Without `index` the EU tenant's job runs.
    const job = await json<JobObject>(await createJob({ files: [file.id], stages: ["extract"] }, key), 202);
    expect((await waitForJob(job.id, key)).status).toBe("completed");
    expect(await rowsOf("search_sections", "eu-index")).toBe(0);
  });

  it("fails `index` in the consumer for an EU job that got past the API (older jobs, their retries)", async () => {
    const key = await adminTenant({ id: "eu-old-job", jurisdiction: "eu" });
    const file = await upload(text, "alt.txt", "text/plain", key);
    const tenant: Tenant = { id: "eu-old-job", jurisdiction: "eu", settings: {} };
    const jobId = newJobId();
    // Straight into the job's Durable Object, as a job created before the API refused `index` was.
    const created = await jobStub(env, tenant, jobId).create({
      tenantId: tenant.id,
      jurisdiction: "eu",
      jobId,
      stages: ["extract", "index"],
      options: DEFAULT_JOB_OPTIONS,
      requestHash: "test",
      traceId: undefined,
      webhookEndpointId: null,
      maxInFlight: 10,
      files: [{ fileId: file.id, name: file.name, size: file.size, contentType: file.contentType }],
    });
    expect(created.kind).not.toBe("conflict");

    const done = await waitForJob(jobId, key);
    expect(done.files[0]?.stages.extract).toMatchObject({ status: "completed" });
    expect(done.files[0]?.stages.index).toMatchObject({
      status: "failed",
      error: { code: "index_not_allowed_in_jurisdiction" },
    });
    expect(await rowsOf("search_sections", "eu-old-job")).toBe(0);
  });

  it("keeps indexing for a default-jurisdiction tenant", async () => {
    const key = await adminTenant({ id: "us-index", jurisdiction: "default" });
    const file = await upload(text, "contract.txt", "text/plain", key);
    const job = await json<JobObject>(
      await createJob({ files: [file.id], stages: ["extract", "index"] }, key),
      202,
    );
    expect((await waitForJob(job.id, key)).status).toBe("completed");
    expect(await rowsOf("search_sections", "us-index")).toBeGreaterThan(0);
  });
});
