/**
 * What every upload operation needs (bindings, settings, the tenant, the request's URL for the local
 * S3 endpoint) and the lookups they share: an upload of this tenant in the state the operation
 * requires, or the API error that explains why not.
 */
import { getConfig, type Config } from "../config";
import { ApiError, notFound, type ErrorCode } from "../errors";
import { filesBucket, type Tenant } from "../tenancy/tenant";
import { s3Target, type S3Target } from "./s3-target";
import { endUpload, getUpload, type UploadRecord } from "./uploads-repo";

export interface UploadContext {
  env: Env;
  config: Config;
  tenant: Tenant;
  /** The API request's URL (locally, the S3 endpoint lives on the same origin). */
  requestUrl: string;
}

export function uploadContext(env: Env, tenant: Tenant, requestUrl: string): UploadContext {
  return { env, config: getConfig(env), tenant, requestUrl };
}

export const bucketOf = (ctx: UploadContext): R2Bucket => filesBucket(ctx.env, ctx.tenant);

export const targetOf = (ctx: UploadContext): S3Target => s3Target(ctx.config, ctx.tenant, ctx.requestUrl);

export async function findUpload(ctx: UploadContext, fileId: string): Promise<UploadRecord> {
  const upload = await getUpload(ctx.env.DB, ctx.tenant.id, fileId);
  if (!upload) throw notFound("the upload");
  return upload;
}

/** The upload, still pending and not expired; otherwise the error its state calls for. */
export async function findPendingUpload(ctx: UploadContext, fileId: string): Promise<UploadRecord> {
  const upload = await findUpload(ctx, fileId);
  if (upload.state === "rejected") {
    throw new ApiError(
      (upload.errorCode ?? "conflict") as ErrorCode,
      upload.errorDetail ?? "the upload was rejected",
    );
  }
  if (upload.state === "aborted") throw new ApiError("upload_aborted", "the upload was aborted");
  if (upload.state === "completed") throw new ApiError("conflict", "the upload is already complete");
  if (Date.now() > upload.expiresAt) {
    await endUpload(ctx.env.DB, ctx.tenant.id, fileId, "rejected", {
      code: "upload_expired",
      detail: expiredDetail(upload),
    });
    throw new ApiError("upload_expired", expiredDetail(upload));
  }
  return upload;
}

export async function findPendingMultipart(
  ctx: UploadContext,
  fileId: string,
): Promise<UploadRecord & { r2UploadId: string }> {
  const upload = await findPendingUpload(ctx, fileId);
  if (upload.kind !== "multipart" || upload.r2UploadId === null) {
    throw new ApiError("upload_not_multipart", "this upload is a single PUT; it has no parts");
  }
  return { ...upload, r2UploadId: upload.r2UploadId };
}

const expiredDetail = (upload: UploadRecord): string =>
  `the upload expired at ${new Date(upload.expiresAt).toISOString()} without being completed`;
