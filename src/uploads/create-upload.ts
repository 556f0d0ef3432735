/**
 * Starting an upload that goes straight to R2. Sluice picks the file id, and with it the object key
 * (`t/{tenant}/f/{fileId}/source`): a client never chooses where its bytes land. A single upload gets
 * one presigned PUT; a multipart upload gets an R2 multipart upload and a suggested part size, and its
 * part URLs are signed on demand. Either way the upload is pending until completion verifies it.
 */
import { ApiError } from "../errors";
import { newFileId } from "../ids";
import { fileSourceKey } from "../storage/r2-layout";
import { assertWithinQuota } from "../tenancy/quotas";
import { bucketOf, targetOf, type UploadContext } from "./context";
import { presignPut, type PresignedRequest } from "./presign";
import { insertUpload, type UploadKind, type UploadRecord } from "./uploads-repo";

export const MIN_PART_BYTES = 5 * 1024 * 1024;
export const MAX_PARTS = 10_000;
const MIB = 1024 * 1024;

export interface UploadRequest {
  name: string;
  contentType: string;
  size: number | null;
  sha256: string | null;
}

export interface SingleUpload {
  fileId: string;
  upload: PresignedRequest;
}

export interface MultipartUpload {
  fileId: string;
  partSize: number;
  partCount: number | null;
  expiresAt: string;
}

export async function createSingleUpload(
  ctx: UploadContext,
  request: UploadRequest,
  expiresIn?: number,
): Promise<SingleUpload> {
  assertSize(request.size, ctx.config.MAX_PRESIGNED_UPLOAD_BYTES, "a single PUT; use a multipart upload");
  const target = targetOf(ctx);
  await assertWithinQuota(ctx.env, ctx.tenant, "files");
  const record = await recordUpload(ctx, "single", request, null);
  const upload = await presignPut(target, {
    key: record.r2Key,
    // If-None-Match makes the URL single-use: once the object exists, nobody can overwrite the bytes
    // that completion verified.
    headers: { "content-type": request.contentType, "if-none-match": "*" },
    expiresIn: Math.min(expiresIn ?? ctx.config.UPLOAD_URL_TTL_SECONDS, ctx.config.UPLOAD_URL_TTL_SECONDS),
  });
  return { fileId: record.fileId, upload };
}

export async function createMultipartUpload(
  ctx: UploadContext,
  request: UploadRequest,
): Promise<MultipartUpload> {
  assertSize(request.size, ctx.config.MAX_MULTIPART_UPLOAD_BYTES, "a multipart upload");
  targetOf(ctx); // fails with 503 before anything is created when S3 credentials are missing
  await assertWithinQuota(ctx.env, ctx.tenant, "files");
  await assertWithinQuota(ctx.env, ctx.tenant, "pendingUploads");
  const fileId = newFileId();
  const key = fileSourceKey(ctx.tenant.id, fileId);
  const r2Upload = await bucketOf(ctx).createMultipartUpload(key, {
    httpMetadata: { contentType: request.contentType },
    customMetadata: { tenantId: ctx.tenant.id, fileId },
  });
  const record = await recordUpload(ctx, "multipart", request, r2Upload.uploadId, fileId);
  const partSize = choosePartSize(request.size, ctx.config.MULTIPART_PART_BYTES);
  return {
    fileId,
    partSize,
    partCount: request.size === null ? null : Math.ceil(request.size / partSize),
    expiresAt: new Date(record.expiresAt).toISOString(),
  };
}

/**
 * The suggested part size: the configured one, raised (in whole MiB) when the file would otherwise
 * need more than R2's 10,000 parts. Clients may pick another size within R2's rules.
 */
export function choosePartSize(size: number | null, preferred: number): number {
  const base = Math.max(preferred, MIN_PART_BYTES);
  if (size === null) return base;
  return Math.max(base, Math.ceil(size / MAX_PARTS / MIB) * MIB);
}

function assertSize(size: number | null, limit: number, what: string): void {
  if (size !== null && size > limit) {
    throw new ApiError("upload_too_large", `${size} bytes is more than ${what} allows (${limit})`, { limit });
  }
}

async function recordUpload(
  ctx: UploadContext,
  kind: UploadKind,
  request: UploadRequest,
  r2UploadId: string | null,
  fileId = newFileId(),
): Promise<UploadRecord> {
  const now = Date.now();
  const record: UploadRecord = {
    tenantId: ctx.tenant.id,
    fileId,
    kind,
    r2UploadId,
    name: request.name,
    contentType: request.contentType,
    size: request.size,
    sha256: request.sha256,
    r2Key: fileSourceKey(ctx.tenant.id, fileId),
    state: "pending",
    errorCode: null,
    errorDetail: null,
    createdAt: now,
    // Never before its URLs stop working, so the clean-up sweep cannot race a late PUT.
    expiresAt:
      now + Math.max(ctx.config.UPLOAD_PENDING_TTL_SECONDS, ctx.config.UPLOAD_URL_TTL_SECONDS) * 1000,
    updatedAt: now,
  };
  await insertUpload(ctx.env.DB, record);
  return record;
}
