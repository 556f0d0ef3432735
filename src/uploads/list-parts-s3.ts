/**
 * S3 ListParts for a multipart upload: which parts R2 holds, with their ETags and sizes, so a client
 * that crashed or reloaded can resume. The R2 Workers binding cannot list parts, so the Worker asks
 * the S3 API (SigV4 header auth). Pages of up to 1,000 parts are followed until the list ends.
 * wrangler's local S3 endpoint does not implement ListParts (501): that answer is reported as
 * `ListPartsUnsupportedError` so the caller can fall back to the parts clients reported.
 */
import { XMLParser } from "fast-xml-parser";
import { z } from "zod";
import type { S3Target } from "./s3-target";
import type { UploadPart } from "./uploads-repo";

export class ListPartsUnsupportedError extends Error {
  override readonly name = "ListPartsUnsupportedError";
}

/** R2 no longer knows the upload (aborted, completed, or expired after R2's 7-day default). */
export class NoSuchUploadError extends Error {
  override readonly name = "NoSuchUploadError";
}

const parser = new XMLParser({ parseTagValue: false, isArray: (name) => name === "Part" });

const ListPartsResultSchema = z.object({
  ListPartsResult: z.object({
    IsTruncated: z.string().optional(),
    NextPartNumberMarker: z.string().optional(),
    Part: z
      .array(
        z.object({ PartNumber: z.coerce.number().int(), ETag: z.string(), Size: z.coerce.number().int() }),
      )
      .optional(),
  }),
});

/** Parses one ListParts response page. */
export function parseListPartsPage(xml: string): { parts: UploadPart[]; nextMarker: string | null } {
  const result = ListPartsResultSchema.parse(parser.parse(xml)).ListPartsResult;
  const parts = (result.Part ?? []).map((part) => ({
    partNumber: part.PartNumber,
    etag: part.ETag,
    size: part.Size,
  }));
  const truncated = result.IsTruncated === "true" && result.NextPartNumberMarker !== undefined;
  return { parts, nextMarker: truncated ? (result.NextPartNumberMarker ?? null) : null };
}

export async function listPartsViaS3(
  target: S3Target,
  key: string,
  r2UploadId: string,
): Promise<UploadPart[]> {
  const parts: UploadPart[] = [];
  let marker: string | null = null;
  do {
    const url = target.objectUrl(key);
    url.searchParams.set("uploadId", r2UploadId);
    url.searchParams.set("max-parts", "1000");
    if (marker !== null) url.searchParams.set("part-number-marker", marker);
    const response = await target.client.fetch(url.href, { method: "GET" });
    const body = await response.text();
    if (response.status === 501)
      throw new ListPartsUnsupportedError(`the S3 endpoint does not list parts: ${body}`);
    if (response.status === 404 && body.includes("NoSuchUpload"))
      throw new NoSuchUploadError("no such upload");
    if (!response.ok) throw new Error(`S3 ListParts answered HTTP ${response.status}: ${body.slice(0, 300)}`);
    const page = parseListPartsPage(body);
    parts.push(...page.parts);
    marker = page.nextMarker;
  } while (marker !== null);
  return parts.sort((a, b) => a.partNumber - b.partNumber);
}
