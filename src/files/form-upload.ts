/**
 * multipart/form-data uploads, parsed as a stream (never the whole request in memory): each `file`
 * part becomes a file. A part is held in memory while it is stored, so form parts have their own,
 * smaller size limit; larger files go up as a raw body. If any part fails, the parts already stored
 * by this request are removed again, so a failed request leaves nothing behind.
 */
import {
  MaxFileSizeExceededError,
  MaxPartsExceededError,
  MaxTotalSizeExceededError,
  MultipartParseError,
  parseMultipartRequest,
} from "@remix-run/multipart-parser";
import { getConfig } from "../config";
import { ApiError } from "../errors";
import { deleteFileRow, type FileRecord } from "../storage/files-repo";
import { filesBucket, type Tenant } from "../tenancy/tenant";
import { mediaTypeEssence } from "./content-type";
import { normalizeFileName } from "./file-name";
import { storeUpload } from "./store-upload";

const MAX_PARTS = 20;

export async function storeFormUploads(
  env: Env,
  request: Request,
  tenant: Tenant,
  maxTotalBytes: number,
): Promise<FileRecord[]> {
  const maxPartBytes = getConfig(env).MAX_FORM_FILE_BYTES;
  const stored: FileRecord[] = [];
  try {
    for await (const part of parseMultipartRequest(request, {
      maxFileSize: maxPartBytes,
      maxParts: MAX_PARTS,
      maxTotalSize: maxTotalBytes,
    })) {
      if (part.name !== "file") {
        throw new ApiError(
          "bad_request",
          `unexpected form field '${part.name ?? ""}': send files as 'file' parts`,
        );
      }
      stored.push(
        await storeUpload(env, {
          tenant,
          name: normalizeFileName(part.filename),
          declaredType: mediaTypeEssence(part.mediaType),
          body: new Blob(part.content).stream() as ReadableStream<Uint8Array>,
          maxBytes: maxPartBytes,
        }),
      );
    }
  } catch (error) {
    await Promise.allSettled(
      stored.map(async (file) => {
        await filesBucket(env, tenant).delete(file.r2Key);
        await deleteFileRow(env.DB, tenant.id, file.id);
      }),
    );
    throw translate(error, maxPartBytes, maxTotalBytes);
  }
  if (stored.length === 0) throw new ApiError("bad_request", "the form has no 'file' part");
  return stored;
}

function translate(error: unknown, maxPartBytes: number, maxTotalBytes: number): unknown {
  if (error instanceof MaxFileSizeExceededError) {
    return new ApiError(
      "payload_too_large",
      `a form part can be at most ${maxPartBytes} bytes; send larger files as the raw request body`,
      { limit: maxPartBytes },
    );
  }
  if (error instanceof MaxTotalSizeExceededError) {
    return new ApiError("payload_too_large", `an upload can be at most ${maxTotalBytes} bytes`, {
      limit: maxTotalBytes,
    });
  }
  if (error instanceof MaxPartsExceededError) {
    return new ApiError("bad_request", `a form can carry at most ${MAX_PARTS} parts`);
  }
  if (error instanceof MultipartParseError) {
    return new ApiError("bad_request", `the multipart body could not be parsed: ${error.message}`);
  }
  return error;
}
