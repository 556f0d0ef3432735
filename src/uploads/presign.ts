/**
 * SigV4 query-string presigning (aws4fetch) of the two requests clients make straight to R2: the PUT of
 * a whole object and the PUT of one multipart part. The signature covers the method, the exact key,
 * the query (part number and upload id) and every header handed in here, so a client cannot change
 * the key, the upload or the declared Content-Type; it cannot limit the size, which is why completion
 * verifies what arrived.
 */
import type { S3Target } from "./s3-target";

export interface PresignedRequest {
  method: "PUT";
  url: string;
  /** Headers the client must send exactly as given (they are part of the signature). */
  headers: Record<string, string>;
  /** Seconds the URL stays valid, and the moment it stops. */
  expires: number;
  expiresAt: string;
}

export interface PresignInput {
  key: string;
  /** Signed query parameters (multipart: `partNumber`, `uploadId`). */
  query?: Record<string, string>;
  headers?: Record<string, string>;
  expiresIn: number;
  /** Signing time; tests pass an old one to get an expired URL without waiting. */
  now?: number;
}

export async function presignPut(target: S3Target, input: PresignInput): Promise<PresignedRequest> {
  const now = input.now ?? Date.now();
  const url = target.objectUrl(input.key);
  for (const [name, value] of Object.entries(input.query ?? {})) url.searchParams.set(name, value);
  url.searchParams.set("X-Amz-Expires", String(input.expiresIn));
  const headers = input.headers ?? {};
  const signed = await target.client.sign(url.href, {
    method: "PUT",
    headers,
    aws: { signQuery: true, allHeaders: true, datetime: amzDate(now) },
  });
  return {
    method: "PUT",
    url: signed.url,
    headers,
    expires: input.expiresIn,
    expiresAt: new Date(now + input.expiresIn * 1000).toISOString(),
  };
}

/** `YYYYMMDDTHHMMSSZ`, the timestamp format of SigV4. */
const amzDate = (ms: number): string => new Date(ms).toISOString().replace(/[:-]|\.\d{3}/g, "");
