/**
 * Stores one uploaded file: streams the bytes to R2 under a key Sluice chooses (never the client's
 * name), measures them on the way, and records the file in the D1 listing. The size limit is enforced
 * while streaming (whatever Content-Length said), and the first bytes are checked against the declared
 * content type before the rest is stored. An empty body, one over the limit or one of another type
 * leaves nothing behind.
 */
import { ApiError } from "../errors";
import { newFileId } from "../ids";
import { sniff } from "../pipeline/sniff";
import { insertFiles, type FileRecord } from "../storage/files-repo";
import { fileSourceKey } from "../storage/r2-layout";
import { BodyTooLargeError, putStream } from "../storage/r2-upload";
import { assertWithinQuota } from "../tenancy/quotas";
import { filesBucket, type Tenant } from "../tenancy/tenant";
import { recordedContentType } from "./content-type";
import { ContentTypeMismatchError, guardDeclaredType } from "./sniff-guard";

export interface UploadInput {
  tenant: Tenant;
  name: string;
  declaredType: string | null;
  body: ReadableStream<Uint8Array>;
  maxBytes: number;
}

export async function storeUpload(env: Env, input: UploadInput): Promise<FileRecord> {
  await assertWithinQuota(env, input.tenant, "files");
  const id = newFileId();
  const key = fileSourceKey(input.tenant.id, id);
  const bucket = filesBucket(env, input.tenant);
  let stored;
  try {
    stored = await putStream(bucket, key, guardDeclaredType(input.body, input.declaredType), {
      maxBytes: input.maxBytes,
      customMetadata: { tenantId: input.tenant.id, fileId: id },
    });
  } catch (error) {
    if (error instanceof BodyTooLargeError) {
      throw new ApiError("payload_too_large", `files can be at most ${input.maxBytes} bytes`, {
        limit: input.maxBytes,
      });
    }
    if (error instanceof ContentTypeMismatchError) throw new ApiError("content_type_mismatch", error.message);
    throw error;
  }
  if (stored.size === 0) {
    await bucket.delete(key);
    throw new ApiError("empty_body", "the file is empty (0 bytes)");
  }
  const file: FileRecord = {
    tenantId: input.tenant.id,
    id,
    name: input.name,
    size: stored.size,
    contentType: recordedContentType(sniff(stored.head), input.declaredType),
    sha256: stored.sha256,
    r2Key: key,
    createdAt: Date.now(),
  };
  try {
    await insertFiles(env.DB, [file]);
  } catch (error) {
    await bucket.delete(key);
    throw error;
  }
  return file;
}
