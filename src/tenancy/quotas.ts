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
import type { TenantSettings } from "./settings";
import type { Tenant } from "./tenant";

export interface TenantQuotas {
  indexedBytes: number;
  pendingUploads: number;
  webhookEndpoints: number;
  files: number;
}

export function quotasOf(env: Env, settings: TenantSettings): TenantQuotas {
  const config = getConfig(env);
  return {
    indexedBytes: settings.maxIndexedBytes ?? config.QUOTA_INDEXED_BYTES,
    pendingUploads: settings.maxPendingUploads ?? config.QUOTA_PENDING_UPLOADS,
    webhookEndpoints: settings.maxWebhookEndpoints ?? config.QUOTA_WEBHOOK_ENDPOINTS,
    files: settings.maxFiles ?? config.QUOTA_FILES,
  };
}

/** The quotas checked before something is created, each with its count and how the refusal reads. */
const COUNTED_QUOTAS = {
  /** Before a new file is stored (direct upload, form upload, import, presigned or multipart upload). */
  files: {
    count: (db: D1Database, tenantId: string, upTo: number) => countFiles(db, tenantId, upTo),
    code: "file_quota_exceeded",
    what: "files",
    remedy: "delete files (DELETE /v1/files/{id}) to store new ones",
  },
  /** Before a multipart upload is started. */
  pendingUploads: {
    count: (db: D1Database, tenantId: string, upTo: number) =>
      countPendingMultipartUploads(db, tenantId, Date.now(), upTo),
    code: "pending_upload_quota_exceeded",
    what: "multipart uploads in progress",
    remedy: "complete or abort one first",
  },
  /** Before a webhook endpoint is registered. */
  webhookEndpoints: {
    count: (db: D1Database, tenantId: string, upTo: number) => countWebhookEndpoints(db, tenantId, upTo),
    code: "webhook_endpoint_quota_exceeded",
    what: "webhook endpoints",
    remedy: "delete one (DELETE /v1/webhooks/{id}) first",
  },
} as const satisfies Record<
  string,
  {
    count: (db: D1Database, tenantId: string, upTo: number) => Promise<number>;
    code: ErrorCode;
    what: string;
    remedy: string;
  }
>;

/** Refuses (4xx problem) when the tenant already has as many of `quota` as allowed. */
export async function assertWithinQuota(
  env: Env,
  tenant: Tenant,
  quota: keyof typeof COUNTED_QUOTAS,
): Promise<void> {
  const { count, code, what, remedy } = COUNTED_QUOTAS[quota];
  const limit = quotasOf(env, tenant.settings)[quota];
  if ((await count(env.DB, tenant.id, limit)) < limit) return;
  throw new ApiError(code, `this tenant may have at most ${limit} ${what}; ${remedy}`, { limit });
}

/** The index quota of a tenant known only by id (the queue consumer's view of a claim). */
export async function indexedBytesQuota(env: Env, tenantId: string): Promise<number> {
  const record = await getTenant(env.DB, tenantId);
  return quotasOf(env, record?.settings ?? {}).indexedBytes;
}
