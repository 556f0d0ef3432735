/**
 * Aborting a multipart upload changes its state before it deletes bytes, so a completion racing the
 * abort finds the upload aborted and cannot record a file whose bytes are being deleted. The bucket
 * below is the real R2 binding; the wrapper only looks at the upload's D1 row at the moment the abort
 * deletes or aborts anything, and then forwards the call.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { DEV_TENANT } from "../../src/http/auth";
import { abortUpload } from "../../src/uploads/complete-upload";
import { uploadContext } from "../../src/uploads/context";
import { createMultipartUpload } from "../../src/uploads/create-upload";
import { getUpload } from "../../src/uploads/uploads-repo";
import { api, json } from "../helpers/api";

const stateOf = async (fileId: string) => (await getUpload(env.DB, DEV_TENANT.id, fileId))?.state;

/** The real FILES bucket, noting the upload's state whenever bytes are deleted or the upload aborted. */
function observedBucket(fileId: string, seen: string[]): R2Bucket {
  const bucket = env.FILES;
  return new Proxy(bucket, {
    get(target, property) {
      if (property === "delete") {
        return async (keys: string | string[]) => {
          seen.push(`delete while ${await stateOf(fileId)}`);
          return target.delete(keys);
        };
      }
      if (property === "resumeMultipartUpload") {
        return (key: string, uploadId: string) => {
          const upload = target.resumeMultipartUpload(key, uploadId);
          return {
            ...upload,
            abort: async () => {
              seen.push(`abort while ${await stateOf(fileId)}`);
              return upload.abort();
            },
          };
        };
      }
      const value = Reflect.get(target, property) as unknown;
      return typeof value === "function" ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

describe("multipart abort", () => {
  it("marks the upload aborted before removing its bytes, and a later completion is refused", async () => {
    const ctx = uploadContext(env, DEV_TENANT, "http://sluice.test/v1/uploads/s3/multipart");
    const { fileId } = await createMultipartUpload(ctx, {
      name: "race.bin",
      contentType: "application/octet-stream",
      size: null,
      sha256: null,
    });
    const seen: string[] = [];
    await abortUpload({ ...ctx, env: { ...env, FILES: observedBucket(fileId, seen) } }, fileId);

    expect(seen).toEqual(["abort while aborted", "delete while aborted"]);
    const completion = await api(`/v1/uploads/s3/multipart/${fileId}/complete`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ parts: [{ PartNumber: 1, ETag: "x" }] }),
    });
    expect(await json(completion, 409)).toMatchObject({ code: "upload_aborted" });
  });
});
