/**
 * Helpers for the upload tests: JSON calls to the API, and the client side of a presigned upload.
 * `s3Fetch` is a plain `fetch` of the URL Sluice handed out: in tests the outbound network sends it to
 * wrangler's S3-compatible R2 endpoint (test/uploads/test-network.js), which checks the signature.
 */
import { env } from "cloudflare:workers";
import { api, call, DEV_KEY, json, type Json } from "../helpers/api";

export interface Presigned {
  fileId: string;
  method: "PUT";
  url: string;
  headers: Record<string, string>;
  expires: number;
  expiresAt: string;
}

export interface FileBody {
  id: string;
  name: string;
  size: number;
  contentType: string;
  sha256: string;
  location?: string;
}

export const postJson = (path: string, body: unknown, method = "POST"): Promise<Response> =>
  api(path, { method, headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });

export async function presign(body: Json, key = DEV_KEY): Promise<Presigned> {
  const response = await call(key, "/v1/uploads", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
  return json<Presigned>(response, 201);
}

/** PUTs bytes the way a browser or curl would, with the headers Sluice said to send. */
export const s3Put = (url: string, headers: Record<string, string>, body: BodyInit): Promise<Response> =>
  fetch(url, { method: "PUT", headers, body });

/** The S3 error code of an XML error answer (`SignatureDoesNotMatch`, `ExpiredRequest`, …). */
export async function s3ErrorCode(response: Response): Promise<string | undefined> {
  return /<Code>([^<]+)<\/Code>/.exec(await response.text())?.[1];
}

export async function sha256Hex(bytes: Uint8Array | string): Promise<string> {
  const data = typeof bytes === "string" ? new TextEncoder().encode(bytes) : bytes;
  const digest = await crypto.subtle.digest("SHA-256", data);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

export const complete = (fileId: string, body?: unknown): Promise<Response> =>
  body === undefined
    ? api(`/v1/uploads/${fileId}/complete`, { method: "POST" })
    : postJson(`/v1/uploads/${fileId}/complete`, body);

export async function storedKeys(prefix: string): Promise<string[]> {
  return (await env.FILES.list({ prefix })).objects.map((object) => object.key);
}
