/**
 * Per-tenant quotas: how much of the shared stores one tenant may take, so that a tenant filling the
 * search index, the files listing, its webhook endpoints or its pending multipart uploads cannot break
 * the service for the others. Each limit comes from the tenant's settings, else the deployment's default
 * (QUOTA_* variables). Counting stops at the limit, so a check costs the same however far past it a
 * tenant is. The checks run before the thing is created; requests racing each other can overshoot by
 * the number in flight, which is bounded by the request rate limit.
 */
import { getConfig } from "../config";
import { ApiError, type ErrorCode } from "../errors";
import { getTenant } from "../storage/tenants-repo";
import { countFiles, countPendingMultipartUploads, countWebhookEndpoints } from "../storage/quota-usage-repo";
import type { Tenant } from "./tenant";

export interface TenantQuotas {
  indexedBytes: number;
  pendingUploads: number;
  webhookEndpoints: number;
  files: number;
}

export function quotasOf(env: Env, tenant: Tenant): TenantQuotas {
  const config = getConfig(env);
  const settings = tenant.settings;
  return {
    indexedBytes: settings.maxIndexedBytes ?? config.QUOTA_INDEXED_BYTES,
    pendingUploads: settings.maxPendingUploads ?? config.QUOTA_PENDING_UPLOADS,
    webhookEndpoints: settings.maxWebhookEndpoints ?? config.QUOTA_WEBHOOK_ENDPOINTS,
    files: settings.maxFiles ?? config.QUOTA_FILES,
  };
}

function refuseAt(used: number, limit: number, code: ErrorCode, what: string, remedy: string): void {
  if (used < limit) return;
  throw new ApiError(code, `this tenant may have at most ${limit} ${what}; ${remedy}`, { limit });
}

/** Before a new file is stored (direct upload, form upload, import, presigned or multipart upload). */
export async function assertFileQuota(env: Env, tenant: Tenant): Promise<void> {
  const limit = quotasOf(env, tenant).files;
  refuseAt(
    await countFiles(env.DB, tenant.id, limit),
    limit,
    "file_quota_exceeded",
    "files",
    "delete files (DELETE /v1/files/{id}) to store new ones",
  );
}

/** Before a multipart upload is started. */
export async function assertPendingUploadQuota(env: Env, tenant: Tenant, now: number): Promise<void> {
  const limit = quotasOf(env, tenant).pendingUploads;
  refuseAt(
    await countPendingMultipartUploads(env.DB, tenant.id, now, limit),
    limit,
    "pending_upload_quota_exceeded",
    "multipart uploads in progress",
    "complete or abort one first",
  );
}

/** Before a webhook endpoint is registered. */
export async function assertWebhookEndpointQuota(env: Env, tenant: Tenant): Promise<void> {
  const limit = quotasOf(env, tenant).webhookEndpoints;
  refuseAt(
    await countWebhookEndpoints(env.DB, tenant.id, limit),
    limit,
    "webhook_endpoint_quota_exceeded",
    "webhook endpoints",
    "delete one (DELETE /v1/webhooks/{id}) first",
  );
}

/** The index quota of a tenant known only by id (the queue consumer's view of a claim). */
export async function indexedBytesQuota(env: Env, tenantId: string): Promise<number> {
  const record = await getTenant(env.DB, tenantId);
  const tenant: Tenant = record ?? { id: tenantId, jurisdiction: "default", settings: {} };
  return quotasOf(env, tenant).indexedBytes;
}
