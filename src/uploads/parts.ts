/**
 * The parts of a multipart upload: a presigned PUT per part (signed when the client asks, so a URL
 * never outlives its usefulness by much), the list of parts already in R2 (for resuming after a
 * crash or reload), and the optional record of a finished part. Listing asks R2 through the S3 API;
 * where the endpoint cannot list parts (wrangler's local emulation), it answers from the parts the
 * client recorded.
 */
import { ApiError } from "../errors";
import { findPendingMultipart, targetOf, type UploadContext } from "./context";
import { MAX_PARTS, MIN_PART_BYTES } from "./create-upload";
import { ListPartsUnsupportedError, listPartsViaS3, NoSuchUploadError } from "./list-parts-s3";
import { presignPut, type PresignedRequest } from "./presign";
import { listRecordedParts, recordPart, type UploadPart } from "./uploads-repo";

export async function signPart(
  ctx: UploadContext,
  fileId: string,
  partNumber: number,
): Promise<PresignedRequest> {
  const upload = await findPendingMultipart(ctx, fileId);
  const mostParts =
    upload.size === null ? MAX_PARTS : Math.min(MAX_PARTS, Math.ceil(upload.size / MIN_PART_BYTES));
  if (partNumber > mostParts) {
    throw new ApiError("validation_failed", `part numbers go from 1 to ${mostParts} for this upload`, {
      errors: [{ path: "params.partNumber", message: `must be at most ${mostParts}` }],
    });
  }
  return presignPut(targetOf(ctx), {
    key: upload.r2Key,
    query: { partNumber: String(partNumber), uploadId: upload.r2UploadId },
    expiresIn: ctx.config.UPLOAD_URL_TTL_SECONDS,
  });
}

export interface ListedParts {
  parts: UploadPart[];
  /** `s3`: R2 listed them; `recorded`: the endpoint cannot list parts, these are the client's records. */
  source: "s3" | "recorded";
}

export async function listParts(ctx: UploadContext, fileId: string): Promise<ListedParts> {
  const upload = await findPendingMultipart(ctx, fileId);
  try {
    return { parts: await listPartsViaS3(targetOf(ctx), upload.r2Key, upload.r2UploadId), source: "s3" };
  } catch (error) {
    if (error instanceof NoSuchUploadError) {
      throw new ApiError(
        "upload_expired",
        "R2 no longer holds this multipart upload (it expired or was aborted)",
      );
    }
    if (!(error instanceof ListPartsUnsupportedError)) throw error;
  }
  return { parts: await listRecordedParts(ctx.env.DB, ctx.tenant.id, fileId), source: "recorded" };
}

export async function recordUploadedPart(
  ctx: UploadContext,
  fileId: string,
  part: UploadPart,
): Promise<void> {
  await findPendingMultipart(ctx, fileId);
  await recordPart(ctx.env.DB, ctx.tenant.id, fileId, part);
}
