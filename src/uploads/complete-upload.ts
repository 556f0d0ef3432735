/**
 * Completing and aborting uploads. Completion assembles a multipart upload (through the R2 binding),
 * then verifies the object (verify-object.ts) and only then records the file, in one batch with the
 * upload's new state. A verification failure deletes the object and rejects the upload for good; a
 * missing object or bad part list leaves it pending so the client can fix it and try again. A
 * completed upload answers with its file again, so completing twice is safe and yields one file.
 */
import { ApiError } from "../errors";
import { recordedContentType } from "../files/content-type";
import { getFile, type FileRecord } from "../storage/files-repo";
import { bucketOf, findPendingUpload, findUpload, type UploadContext } from "./context";
import { deleteRecordedParts, endUpload, finishUpload, type UploadRecord } from "./uploads-repo";
import { verifyObject } from "./verify-object";

export interface CompletedPart {
  partNumber: number;
  etag: string;
}

export interface Completion {
  file: FileRecord;
  /** False when the upload had already been completed by an earlier call. */
  created: boolean;
}

export async function completeUpload(
  ctx: UploadContext,
  fileId: string,
  parts: CompletedPart[] | null,
): Promise<Completion> {
  const existing = await completedFile(ctx, fileId);
  if (existing) return { file: existing, created: false };
  const upload = await findPendingUpload(ctx, fileId);
  if (upload.kind === "multipart") await assembleParts(ctx, upload, parts);

  const bucket = bucketOf(ctx);
  const maxBytes =
    upload.kind === "single" ? ctx.config.MAX_PRESIGNED_UPLOAD_BYTES : ctx.config.MAX_MULTIPART_UPLOAD_BYTES;
  const verification = await verifyObject(bucket, upload.r2Key, {
    size: upload.size,
    sha256: upload.sha256,
    contentType: upload.contentType,
    maxBytes,
  });
  if (verification.outcome === "missing") {
    throw new ApiError(
      "upload_object_missing",
      "no bytes have arrived for this upload yet; upload them, then complete",
    );
  }
  if (verification.outcome === "rejected") {
    await bucket.delete(upload.r2Key);
    await endUpload(ctx.env.DB, ctx.tenant.id, fileId, "rejected", {
      code: verification.code,
      detail: verification.detail,
    });
    await deleteRecordedParts(ctx.env.DB, ctx.tenant.id, fileId);
    throw new ApiError(verification.code, verification.detail);
  }
  const file: FileRecord = {
    tenantId: ctx.tenant.id,
    id: fileId,
    name: upload.name,
    size: verification.size,
    contentType: recordedContentType(verification.sniffed, upload.contentType),
    sha256: verification.sha256,
    r2Key: upload.r2Key,
    createdAt: Date.now(),
  };
  if (!(await finishUpload(ctx.env.DB, file))) {
    // Aborted while this completion verified: the abort may have deleted the bytes before they were
    // assembled, so make sure nothing of the upload is left.
    await deleteUploadBytes(ctx, upload);
    throw new ApiError("upload_aborted", "the upload was aborted");
  }
  await deleteRecordedParts(ctx.env.DB, ctx.tenant.id, fileId);
  return { file: (await getFile(ctx.env.DB, ctx.tenant.id, fileId)) ?? file, created: true };
}

/**
 * Aborts a pending upload and removes whatever bytes it left; aborting twice is fine. The state changes
 * first, then the bytes go: a completion racing the abort then fails to record its file (it needs a
 * pending upload) instead of recording one whose bytes were just deleted. An abort that stopped after
 * the state change deletes the bytes when repeated (and the expired-uploads sweep does too).
 */
export async function abortUpload(ctx: UploadContext, fileId: string): Promise<void> {
  const upload = await findUpload(ctx, fileId);
  if (upload.state === "completed") throw completedConflict();
  if (upload.state === "pending" && !(await endUpload(ctx.env.DB, ctx.tenant.id, fileId, "aborted"))) {
    // A completion (or a rejection) won the race: only a completed upload must keep its bytes.
    if ((await findUpload(ctx, fileId)).state === "completed") throw completedConflict();
  }
  if (upload.state === "pending" || upload.state === "aborted") await deleteUploadBytes(ctx, upload);
  await deleteRecordedParts(ctx.env.DB, ctx.tenant.id, fileId);
}

const completedConflict = () =>
  new ApiError("conflict", "the upload is complete; delete the file (DELETE /v1/files/{id}) instead");

async function deleteUploadBytes(ctx: UploadContext, upload: UploadRecord): Promise<void> {
  const bucket = bucketOf(ctx);
  if (upload.r2UploadId !== null) {
    // R2 may have dropped the upload already (its own 7-day expiry, or an earlier abort); nothing to abort then.
    await bucket
      .resumeMultipartUpload(upload.r2Key, upload.r2UploadId)
      .abort()
      .catch(() => undefined);
  }
  await bucket.delete(upload.r2Key);
}

async function completedFile(ctx: UploadContext, fileId: string): Promise<FileRecord | null> {
  const upload = await findUpload(ctx, fileId);
  return upload.state === "completed" ? getFile(ctx.env.DB, ctx.tenant.id, fileId) : null;
}

/**
 * Asks R2 to assemble the parts. R2 enforces its part rules (5 MiB minimum, equal sizes but the last,
 * matching ETags); its refusal leaves the upload open, so it is reported and the client may retry.
 * When R2 no longer knows the upload but the object exists, an earlier completion assembled it and
 * crashed before recording the file: verification carries on from there.
 */
async function assembleParts(
  ctx: UploadContext,
  upload: UploadRecord,
  parts: CompletedPart[] | null,
): Promise<void> {
  if (!parts || parts.length === 0) {
    throw new ApiError(
      "upload_parts_invalid",
      "completing a multipart upload needs its parts: [{PartNumber, ETag}]",
    );
  }
  const sorted = [...parts].sort((a, b) => a.partNumber - b.partNumber);
  const duplicate = sorted.find((part, i) => i > 0 && sorted[i - 1]?.partNumber === part.partNumber);
  if (duplicate) throw new ApiError("upload_parts_invalid", `part ${duplicate.partNumber} is listed twice`);
  const bucket = bucketOf(ctx);
  try {
    await bucket
      .resumeMultipartUpload(upload.r2Key, upload.r2UploadId ?? "")
      .complete(
        sorted.map((part) => ({ partNumber: part.partNumber, etag: part.etag.replace(/^"|"$/g, "") })),
      );
  } catch (error) {
    if ((await bucket.head(upload.r2Key)) !== null) return;
    throw new ApiError("upload_parts_invalid", `R2 refused to assemble the parts: ${describe(error)}`);
  }
}

const describe = (error: unknown): string => (error instanceof Error ? error.message : String(error));
