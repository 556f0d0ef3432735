/**
 * Creating a job: check the files exist for this tenant (one D1 query whatever the file count), honour
 * the Idempotency-Key, and hand the job to its Durable Object, which records it and dispatches its
 * tasks. The job id is fixed before anything is created, so a retried request re-creates exactly the
 * same job instead of a second one.
 */
import { getConfig } from "../config";
import { ApiError } from "../errors";
import { newJobId } from "../ids";
import { DEFAULT_JOB_OPTIONS, type JobOptions } from "../pipeline/options";
import { isStageAvailable } from "../pipeline/registry";
import type { CreateJobRequest } from "../schemas/jobs";
import { sha256Hex } from "../storage/api-keys-repo";
import { recordFileUseStatements } from "../storage/file-jobs-repo";
import { getFilesByIds } from "../storage/files-repo";
import {
  completeIdempotencyKey,
  releaseIdempotencyKey,
  reserveIdempotencyKey,
} from "../storage/idempotency-repo";
import { canonicalJson } from "../util/canonical-json";
import type { Tenant } from "../tenancy/tenant";
import { assertStagesAllowedForJurisdiction } from "../tenancy/residency";
import { jobStub } from "./job-client";
import { defaultEndpoint, getEndpoint } from "../storage/webhook-endpoints-repo";
import type { JobView } from "./job-view";

export interface CreatedJob {
  job: JobView;
  /** True when an earlier request with the same Idempotency-Key created this job. */
  replayed: boolean;
}

export async function createJob(
  env: Env,
  tenant: Tenant,
  request: CreateJobRequest,
  idempotencyKey: string | undefined,
  traceId?: string,
): Promise<CreatedJob> {
  const unavailable = request.stages.filter((stage) => !isStageAvailable(stage));
  if (unavailable.length > 0) {
    throw new ApiError(
      "invalid_stages",
      `stage(s) not available on this deployment: ${unavailable.join(", ")}`,
    );
  }
  assertStagesAllowedForJurisdiction(tenant, request.stages);
  const options = request.options ?? DEFAULT_JOB_OPTIONS;
  const requestHash = await sha256Hex(
    canonicalJson({
      files: request.files,
      stages: request.stages,
      options,
      webhook: request.webhook ?? null,
    }),
  );

  let jobId = newJobId();
  if (idempotencyKey !== undefined) {
    const reservation = await reserveIdempotencyKey(
      env.DB,
      tenant.id,
      idempotencyKey,
      requestHash,
      jobId,
      Date.now(),
    );
    if (reservation.kind === "mismatch") {
      throw new ApiError(
        "idempotency_key_reused",
        "this Idempotency-Key was used with a different request body",
      );
    }
    if (reservation.kind === "in_flight") {
      throw new ApiError(
        "idempotency_key_in_use",
        "a request with this Idempotency-Key is still being processed",
        {},
        {
          "Retry-After": "1",
        },
      );
    }
    if (reservation.kind === "replay") {
      const job = await jobStub(env, tenant, reservation.jobId).get();
      if (job) return { job, replayed: true };
      // The key was recorded as done but the job is gone (should not happen): create it again.
    }
    jobId = reservation.jobId;
  }

  try {
    const job = await createWithFiles(env, tenant, jobId, request, options, requestHash, traceId);
    if (idempotencyKey !== undefined)
      await completeIdempotencyKey(env.DB, tenant.id, idempotencyKey, Date.now());
    return { job, replayed: false };
  } catch (error) {
    // A refused request frees its key so a corrected request can use it; other failures keep the
    // reservation, which goes stale and lets a retry finish the same job.
    if (idempotencyKey !== undefined && error instanceof ApiError) {
      await releaseIdempotencyKey(env.DB, tenant.id, idempotencyKey);
    }
    throw error;
  }
}

async function createWithFiles(
  env: Env,
  tenant: Tenant,
  jobId: string,
  request: CreateJobRequest,
  options: JobOptions,
  requestHash: string,
  traceId: string | undefined,
): Promise<JobView> {
  const found = await getFilesByIds(env.DB, tenant.id, request.files);
  const byId = new Map(found.map((file) => [file.id, file]));
  const missing = request.files.filter((id) => !byId.has(id));
  if (missing.length > 0) {
    const shown = missing.slice(0, 10).join(", ");
    const more = missing.length > 10 ? ` and ${missing.length - 10} more` : "";
    throw new ApiError("unknown_file", `no such file: ${shown}${more}`, { files: missing.slice(0, 100) });
  }
  // Before the job exists, so a file deleted from now on finds this job and cancels its work.
  await env.DB.batch(recordFileUseStatements(env.DB, tenant.id, jobId, request.files, Date.now()));
  const result = await jobStub(env, tenant, jobId).create({
    tenantId: tenant.id,
    jurisdiction: tenant.jurisdiction,
    jobId,
    stages: request.stages,
    options,
    requestHash,
    traceId,
    webhookEndpointId: await webhookEndpointFor(env, tenant, request.webhook),
    maxInFlight: tenant.settings.maxConcurrentFiles ?? getConfig(env).MAX_CONCURRENT_FILES,
    files: request.files.map((id) => {
      const file = byId.get(id);
      if (!file) throw new Error(`file ${id} vanished`);
      return { fileId: file.id, name: file.name, size: file.size, contentType: file.contentType };
    }),
  });
  if (result.kind === "conflict") {
    throw new ApiError("conflict", "a different job already exists under this id");
  }
  return result.job;
}

/** The endpoint the job's events go to: the one it names, else the tenant's default, else none. */
async function webhookEndpointFor(
  env: Env,
  tenant: Tenant,
  requested: string | undefined,
): Promise<string | null> {
  if (requested === undefined) return (await defaultEndpoint(env.DB, tenant.id))?.id ?? null;
  const endpoint = await getEndpoint(env.DB, tenant.id, requested);
  if (!endpoint || endpoint.disabledAt !== null) {
    throw new ApiError("unknown_webhook", `no active webhook endpoint '${requested}'`);
  }
  return endpoint.id;
}
