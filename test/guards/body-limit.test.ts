/**
 * One JSON body limit for every JSON route: past MAX_JSON_BODY_BYTES the answer is 413 problem+json
 * `payload_too_large`, whichever route it is (webhooks and admin included) and whatever Content-Type
 * or framing (declared length or chunked) the client uses. File routes keep their own, larger limits.
 */
import { describe, expect, it } from "vitest";
import { MAX_JSON_BODY_BYTES } from "../../src/http/body-limit";
import { ADMIN_TOKEN, api, call, json } from "../helpers/api";

const oversized = JSON.stringify({ url: `https://public.import.test/${"a".repeat(MAX_JSON_BODY_BYTES)}` });

/** The same bytes as a stream without Content-Length (chunked), so only counting can catch them. */
const streamed = (text: string) =>
  new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(new TextEncoder().encode(text));
      controller.close();
    },
  });

const routes: [string, string, string | null][] = [
  ["POST", "/v1/webhooks", null],
  ["POST", "/v1/jobs", null],
  ["POST", "/v1/files/import", null],
  ["POST", "/v1/uploads", null],
  ["POST", "/v1/uploads/s3/multipart", null],
  ["POST", "/admin/tenants", ADMIN_TOKEN],
];

describe("JSON body limit", () => {
  it.each(routes)("answers 413 problem+json past the limit on %s %s", async (method, path, token) => {
    const init = { method, headers: { "Content-Type": "application/json" }, body: oversized };
    const response = token === null ? await api(path, init) : await call(token, path, init);
    expect(response.headers.get("Content-Type")).toBe("application/problem+json");
    expect(await json(response, 413)).toMatchObject({
      code: "payload_too_large",
      limit: MAX_JSON_BODY_BYTES,
    });
  });

  it("counts a chunked body and ignores a misleading Content-Type", async () => {
    const chunked = await api("/v1/webhooks", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: streamed(oversized),
    });
    expect(await json(chunked, 413)).toMatchObject({ code: "payload_too_large" });
    const asText = await api("/v1/webhooks", {
      method: "POST",
      headers: { "Content-Type": "text/plain" },
      body: oversized,
    });
    expect(await json(asText, 413)).toMatchObject({ code: "payload_too_large" });
  });

  it("lets bodies within the limit through, and file uploads past it", async () => {
    const small = await api("/v1/webhooks", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ url: "https://public.import.test/hook" }),
    });
    expect(small.status).toBe(201);
    const file = await api("/v1/files?name=big.txt", {
      method: "POST",
      headers: { "Content-Type": "text/plain" },
      body: "x".repeat(MAX_JSON_BODY_BYTES + 1),
    });
    expect(file.status).toBe(201);
  });
});
