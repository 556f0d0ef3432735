/** /v1/jobs: create (idempotent), list, get, cancel, retry, and stage outputs (events: job-events.ts). */
import { createRoute, z } from "@hono/zod-openapi";
import { ApiError, notFound } from "../../errors";
import { FileIdSchema } from "../../ids";
import { createJob } from "../../jobs/create-job";
import { deleteJob } from "../../jobs/delete-job";
import { jobStub } from "../../jobs/job-client";
import { summaryObject } from "../../jobs/job-view";
import { JOB_STATUSES } from "../../jobs/types";
import { commonErrors, PageQuerySchema, problemResponse } from "../../schemas/common";
import { CreateJobSchema, JobIdParamSchema, JobListSchema, JobSchema } from "../../schemas/jobs";
import { listJobs } from "../../storage/jobs-repo";
import { log } from "../../observability/log";
import { outputKey } from "../../storage/r2-layout";
import { filesBucket } from "../../tenancy/tenant";
import { decodeCursor, paginate } from "../cursor";
import { bearerAuth, createRouter } from "../router";
import { serveObject } from "../serve-object";

export const jobs = createRouter();

const notFoundResponse = { 404: problemResponse("No such job for this tenant (`not_found`).") };

const createJobRoute = createRoute({
  method: "post",
  path: "/v1/jobs",
  summary: "Create a job",
  description:
    "Runs the stages over the files. Answers at once with the job (202); follow it with GET /v1/jobs/{id} " +
    "or its events. With an `Idempotency-Key`, repeating the request returns the same job instead of a new one.",
  security: bearerAuth,
  request: {
    headers: z.object({
      "idempotency-key": z
        .string()
        .min(1)
        .max(255)
        .regex(/^[\x21-\x7e]+$/, "must be printable ASCII without spaces")
        .optional()
        .openapi({ param: { name: "idempotency-key", in: "header" }, example: "3f0c1a9e-order-1234" }),
    }),
    body: { required: true, content: { "application/json": { schema: CreateJobSchema } } },
  },
  responses: {
    202: {
      description: "Accepted (also for a replay of an earlier request with the same Idempotency-Key).",
      headers: { Location: { schema: { type: "string" }, description: "The job's URL." } },
      content: { "application/json": { schema: JobSchema } },
    },
    ...commonErrors,
    409: problemResponse("A request with this Idempotency-Key is still running (`idempotency_key_in_use`)."),
    413: problemResponse("The body is too large (`payload_too_large`)."),
    415: problemResponse("The body is not JSON (`unsupported_media_type`)."),
    422: problemResponse("The Idempotency-Key was used with another body (`idempotency_key_reused`)."),
  },
});

jobs.openapi(createJobRoute, async (c) => {
  const { job, replayed } = await createJob(
    c.env,
    c.get("tenant"),
    c.req.valid("json"),
    c.req.valid("header")["idempotency-key"],
    c.get("traceId"),
  );
  log("info", "job created", {
    requestId: c.get("requestId"),
    traceId: c.get("traceId"),
    tenantId: c.get("tenant").id,
    jobId: job.id,
    files: job.counts.total,
    stages: job.stages,
    replayed,
  });
  c.header("Location", `/v1/jobs/${job.id}`);
  if (replayed) c.header("Idempotent-Replayed", "true");
  return c.json(job, 202);
});

const listJobsRoute = createRoute({
  method: "get",
  path: "/v1/jobs",
  summary: "List jobs",
  description: "The tenant's jobs, newest first, optionally only those with one status.",
  security: bearerAuth,
  request: {
    query: PageQuerySchema.extend({
      status: z
        .enum(JOB_STATUSES)
        .optional()
        .openapi({ param: { name: "status", in: "query" } }),
    }),
  },
  responses: {
    200: { description: "A page of jobs.", content: { "application/json": { schema: JobListSchema } } },
    ...commonErrors,
  },
});

jobs.openapi(listJobsRoute, async (c) => {
  const { limit, cursor, status } = c.req.valid("query");
  const rows = await listJobs(c.env.DB, c.get("tenant").id, {
    status,
    limit: limit + 1,
    after: decodeCursor(cursor),
  });
  const { page, nextCursor } = paginate(rows, limit);
  return c.json({ jobs: page.map(summaryObject), nextCursor }, 200);
});

const getJobRoute = createRoute({
  method: "get",
  path: "/v1/jobs/{id}",
  summary: "Get a job",
  description: "The job with per-file, per-stage status and results. Files come in pages of `filesLimit`.",
  security: bearerAuth,
  request: {
    params: JobIdParamSchema,
    query: z.object({
      filesLimit: z.coerce
        .number()
        .int()
        .min(1)
        .max(1000)
        .default(100)
        .openapi({ param: { name: "filesLimit", in: "query" } }),
      filesCursor: z
        .string()
        .regex(/^\d{1,7}$/, "must be a filesNextCursor returned by this API")
        .optional()
        .openapi({ param: { name: "filesCursor", in: "query" } }),
    }),
  },
  responses: {
    200: { description: "The job.", content: { "application/json": { schema: JobSchema } } },
    ...commonErrors,
    ...notFoundResponse,
  },
});

jobs.openapi(getJobRoute, async (c) => {
  const { filesLimit, filesCursor } = c.req.valid("query");
  const job = await jobStub(c.env, c.get("tenant"), c.req.valid("param").id).get(
    Number(filesCursor ?? 0),
    filesLimit,
  );
  if (!job) throw notFound("the job");
  return c.json(job, 200);
});

const cancelRoute = createRoute({
  method: "post",
  path: "/v1/jobs/{id}/cancel",
  summary: "Cancel a job",
  description: "Stops a pending or processing job; results already completed are kept.",
  security: bearerAuth,
  request: { params: JobIdParamSchema },
  responses: {
    200: { description: "The cancelled job.", content: { "application/json": { schema: JobSchema } } },
    ...commonErrors,
    ...notFoundResponse,
    409: problemResponse("The job has already ended (`job_terminal`)."),
  },
});

jobs.openapi(cancelRoute, async (c) => {
  const result = await jobStub(c.env, c.get("tenant"), c.req.valid("param").id).cancel();
  if (!result) throw notFound("the job");
  if (result.outcome === "terminal") {
    throw new ApiError("job_terminal", `the job has already ended with status '${result.job.status}'`);
  }
  return c.json(result.job, 200);
});

const retryRoute = createRoute({
  method: "post",
  path: "/v1/jobs/{id}/retry",
  summary: "Retry the failed files of a job",
  description:
    "Runs again only the stages that failed (and those skipped because of them); completed results stay.",
  security: bearerAuth,
  request: { params: JobIdParamSchema },
  responses: {
    202: { description: "The job, running again.", content: { "application/json": { schema: JobSchema } } },
    ...commonErrors,
    ...notFoundResponse,
    409: problemResponse("Nothing to retry, or the job is still running (`nothing_to_retry`, `conflict`)."),
  },
});

jobs.openapi(retryRoute, async (c) => {
  const result = await jobStub(c.env, c.get("tenant"), c.req.valid("param").id).retry();
  if (!result) throw notFound("the job");
  if (result.outcome === "running")
    throw new ApiError("conflict", "the job is still running; retry it once it has ended");
  if (result.outcome === "nothing") throw new ApiError("nothing_to_retry", "the job has no failed files");
  return c.json(result.job, 202);
});

const deleteRoute = createRoute({
  method: "delete",
  path: "/v1/jobs/{id}",
  summary: "Delete a job",
  description:
    "Deletes the job with everything derived from it: its stage outputs, index entries, events and webhook " +
    "deliveries. A running job is cancelled first. The files themselves stay (delete them with DELETE /v1/files/{id}).",
  security: bearerAuth,
  request: { params: JobIdParamSchema },
  responses: { 204: { description: "Deleted." }, ...commonErrors, ...notFoundResponse },
});

jobs.openapi(deleteRoute, async (c) => {
  if (!(await deleteJob(c.env, c.get("tenant"), c.req.valid("param").id))) throw notFound("the job");
  return c.body(null, 204);
});

const outputRoute = createRoute({
  method: "get",
  path: "/v1/jobs/{id}/files/{fileId}/outputs/{name}",
  summary: "Download a stage output",
  description:
    "An output a completed stage wrote, e.g. `text` (extract) or `thumbnail-256.jpeg` (thumbnail).",
  security: bearerAuth,
  request: {
    params: JobIdParamSchema.extend({
      fileId: FileIdSchema.openapi({ param: { name: "fileId", in: "path" } }),
      name: z
        .string()
        .min(1)
        .max(200)
        .openapi({ param: { name: "name", in: "path" }, example: "text" }),
    }),
  },
  responses: {
    200: {
      description: "The output's bytes.",
      content: { "application/octet-stream": { schema: { type: "string", format: "binary" } } },
    },
    ...commonErrors,
    404: problemResponse("No such job, file or output (`not_found`)."),
  },
});

jobs.openapi(outputRoute, async (c) => {
  const { id, fileId, name } = c.req.valid("param");
  const tenant = c.get("tenant");
  const found = await jobStub(c.env, tenant, id).output(fileId, name);
  if (!found) throw notFound("the output");
  return serveObject(c, filesBucket(c.env, tenant), outputKey(tenant.id, fileId, id, found.stage, name), {
    contentType: found.output.contentType,
  });
});
