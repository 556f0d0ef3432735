import { afterAll, beforeAll, describe, expect, it, vi, type MockInstance } from "vitest";
import type { JobObject } from "../../src/schemas/jobs";
import { api, call, createJob, DEV_KEY, json, upload } from "../helpers/api";
import { fixture } from "../helpers/fixtures";

/**
 * Hostile requests: each gets its documented 4xx problem (or is accepted as documented, with what
 * the bytes really are), never a 5xx, and no request reaches the app's handler of unexpected errors.
 * Malformed HTTP framing (conflicting Content-Length / Transfer-Encoding on the wire) never reaches a
 * Worker inside workerd, whose HTTP parser sits in front: those cases are sent byte by byte by the
 * load harness against the real server (scripts/loadtest/raw-http.mjs). Here the Worker sees what
 * workerd lets through: header values that lie about the body.
 */
const ADMIN = "admin_test_token_00000001";
const MISSING_JOB = "job_01ARZ3NDEKTSV4RRFFQ69G5FAV";
const MISSING_FILE = "file_01ARZ3NDEKTSV4RRFFQ69G5FAV";

let unexpected: MockInstance<typeof console.error>;
let revokedKey: string;
let otherKey: string;
let otherJob: string;
let otherFile: string;

async function adminTenant(id: string): Promise<{ key: string; keyId: string }> {
  const admin = (path: string, body: object) =>
    call(ADMIN, path, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
    });
  await json(await admin("/admin/tenants", { id, name: id }), 201);
  const created = await json<{ id: string; key: string }>(await admin(`/admin/tenants/${id}/keys`, {}), 201);
  return { key: created.key, keyId: created.id };
}

beforeAll(async () => {
  unexpected = vi.spyOn(console, "error");
  const revoked = await adminTenant("hostile-revoked");
  expect((await call(revoked.key, "/v1/files")).status).toBe(200);
  const revoke = await call(ADMIN, `/admin/tenants/hostile-revoked/keys/${revoked.keyId}`, {
    method: "DELETE",
  });
  expect(revoke.status).toBeLessThan(300);
  revokedKey = revoked.key;
  otherKey = (await adminTenant("hostile-other")).key;
  otherFile = (await upload(await fixture("text/libjpeg-turbo_README.md"), "a.md", "text/markdown", otherKey))
    .id;
  otherJob = (
    await json<JobObject>(await createJob({ files: [otherFile], stages: ["extract"] }, otherKey), 202)
  ).id;
});

afterAll(() => {
  // No hostile request ended in the app's handler of unexpected errors.
  const unhandled = unexpected.mock.calls.filter(([line]) => String(line).includes("unhandled error"));
  expect(unhandled).toEqual([]);
  unexpected.mockRestore();
});

const jsonPost = (path: string, body: string, headers: Record<string, string> = {}) =>
  api(path, { method: "POST", headers: { "Content-Type": "application/json", ...headers }, body });
const rawUpload = (query: string, body: BodyInit, headers: Record<string, string> = {}) =>
  api(`/v1/files${query}`, { method: "POST", headers: { "Content-Type": "text/plain", ...headers }, body });
const cursor = (value: object) => btoa(JSON.stringify(value)).replaceAll("=", "");
const nested = (depth: number) => "[".repeat(depth) + "]".repeat(depth);

type Case = [name: string, request: () => Promise<Response>, status: number, code: string];

const refused: Case[] = [
  // Authentication.
  ["no Authorization header", () => call(null, "/v1/files"), 401, "unauthorized"],
  [
    "Basic instead of Bearer",
    () => call(null, "/v1/files", { headers: { Authorization: "Basic dXNlcjpwYXNz" } }),
    401,
    "unauthorized",
  ],
  [
    "lower-case scheme",
    () => call(null, "/v1/files", { headers: { Authorization: `bearer ${DEV_KEY}` } }),
    401,
    "unauthorized",
  ],
  ["a key too short to be one", () => call("abc", "/v1/files"), 401, "unauthorized"],
  ["a 300-character key", () => call("k".repeat(300), "/v1/files"), 401, "unauthorized"],
  [
    "two keys in one header",
    () => call(null, "/v1/files", { headers: { Authorization: `Bearer ${DEV_KEY}, Bearer ${DEV_KEY}` } }),
    401,
    "unauthorized",
  ],
  [
    "a well-formed unknown key",
    () => call("sk_live_0000000000000000000000000000000000000000", "/v1/jobs"),
    401,
    "unauthorized",
  ],
  ["a revoked key", () => call(revokedKey, "/v1/files"), 401, "unauthorized"],
  // JSON bodies.
  ["invalid JSON", () => jsonPost("/v1/jobs", '{"files": ['), 400, "invalid_json"],
  ["an empty JSON body", () => jsonPost("/v1/jobs", ""), 400, "invalid_json"],
  ["JSON null", () => jsonPost("/v1/jobs", "null"), 400, "validation_failed"],
  [
    "an unknown field",
    () => jsonPost("/v1/jobs", JSON.stringify({ files: [MISSING_FILE], stages: ["extract"], priority: 9 })),
    400,
    "validation_failed",
  ],
  [
    "a __proto__ member",
    () =>
      jsonPost(
        "/v1/jobs",
        `{"__proto__": {"admin": true}, "files": ["${MISSING_FILE}"], "stages": ["extract"]}`,
      ),
    400,
    "validation_failed",
  ],
  [
    "wrong types",
    () => jsonPost("/v1/jobs", JSON.stringify({ files: "all", stages: 1 })),
    400,
    "validation_failed",
  ],
  ["100,000 nested arrays", () => jsonPost("/v1/jobs", nested(100_000)), 400, "validation_failed"],
  [
    "nesting inside a field",
    () => jsonPost("/v1/jobs", `{"files": ${nested(60_000)}, "stages": ["extract"]}`),
    400,
    "validation_failed",
  ],
  [
    "1,001 files",
    () =>
      jsonPost(
        "/v1/jobs",
        JSON.stringify({ files: Array.from({ length: 1001 }, () => MISSING_FILE), stages: ["extract"] }),
      ),
    400,
    "validation_failed",
  ],
  [
    "a 300 KB body",
    () =>
      jsonPost(
        "/v1/jobs",
        JSON.stringify({ files: [MISSING_FILE], stages: ["extract"], pad: "x".repeat(300_000) }),
      ),
    413,
    "payload_too_large",
  ],
  [
    "JSON sent as text/plain",
    () => api("/v1/jobs", { method: "POST", headers: { "Content-Type": "text/plain" }, body: "{}" }),
    415,
    "unsupported_media_type",
  ],
  // Headers that lie or overflow.
  [
    "Content-Length above the upload limit",
    () => rawUpload("?name=big.txt", "small", { "Content-Length": "99999999999" }),
    413,
    "payload_too_large",
  ],
  [
    "an Idempotency-Key with spaces",
    () => jsonPost("/v1/jobs", "{}", { "Idempotency-Key": "two words" }),
    400,
    "validation_failed",
  ],
  [
    "a 300-character Idempotency-Key",
    () => jsonPost("/v1/jobs", "{}", { "Idempotency-Key": "k".repeat(300) }),
    400,
    "validation_failed",
  ],
  // Identifiers.
  ["a malformed job id", () => api("/v1/jobs/job_../../etc"), 400, "validation_failed"],
  ["a malformed file id", () => api("/v1/files/1%20OR%201=1"), 400, "validation_failed"],
  ["another tenant's job", () => api(`/v1/jobs/${otherJob}`), 404, "not_found"],
  ["another tenant's file", () => api(`/v1/files/${otherFile}/content`), 404, "not_found"],
  [
    "another tenant's file in a job",
    () => jsonPost("/v1/jobs", JSON.stringify({ files: [otherFile], stages: ["extract"] })),
    400,
    "unknown_file",
  ],
  [
    "an output name that climbs out",
    () => api(`/v1/jobs/${MISSING_JOB}/files/${MISSING_FILE}/outputs/..%2F..%2Fsource`),
    404,
    "not_found",
  ],
  [
    "a malformed dead-letter id",
    () => api("/v1/dead-letters/dl_x/redrive", { method: "POST" }),
    400,
    "validation_failed",
  ],
  // Pagination.
  ["limit=0", () => api("/v1/jobs?limit=0"), 400, "validation_failed"],
  ["limit=1e9", () => api("/v1/files?limit=1e9"), 400, "validation_failed"],
  ["limit=abc", () => api("/v1/dead-letters?limit=abc"), 400, "validation_failed"],
  ["a cursor that is not base64", () => api("/v1/files?cursor=%%%"), 400, "invalid_cursor"],
  [
    "a cursor with an extra member",
    () => api(`/v1/jobs?cursor=${cursor({ c: 1, i: "x", admin: 1 })}`),
    400,
    "invalid_cursor",
  ],
  [
    "a cursor with a negative time",
    () => api(`/v1/files?cursor=${cursor({ c: -1, i: "x" })}`),
    400,
    "invalid_cursor",
  ],
  ["a 5,000-character cursor", () => api(`/v1/jobs?cursor=${"A".repeat(5000)}`), 400, "validation_failed"],
  ["filesLimit=100000", () => api(`/v1/jobs/${MISSING_JOB}?filesLimit=100000`), 400, "validation_failed"],
  [
    "a filesCursor that is not a position",
    () => api(`/v1/jobs/${MISSING_JOB}?filesCursor=abc`),
    400,
    "validation_failed",
  ],
  ["events after=-5", () => api(`/v1/jobs/${MISSING_JOB}/events?after=-5`), 400, "validation_failed"],
  // File names.
  ["an empty name", () => rawUpload("?name=", "x"), 400, "validation_failed"],
  ["a 5,000-character name", () => rawUpload(`?name=${"a".repeat(5000)}`, "x"), 400, "validation_failed"],
  // Content types that lie.
  [
    "image/png that is HTML",
    () =>
      rawUpload("?name=a.png", "<!doctype html><html><body>hi</body></html>", {
        "Content-Type": "image/png",
      }),
    415,
    "content_type_mismatch",
  ],
  [
    "application/pdf that is a JPEG",
    () =>
      fixture("image/imagers_progressive_cat.jpg").then((bytes) =>
        rawUpload("?name=a.pdf", bytes, { "Content-Type": "application/pdf" }),
      ),
    415,
    "content_type_mismatch",
  ],
  // Routes and methods.
  ["PUT on a collection", () => api("/v1/jobs", { method: "PUT" }), 404, "route_not_found"],
  ["an unknown route", () => api("/v1/nothing-here"), 404, "route_not_found"],
  ["a tenant key climbing to the admin API", () => api("/v1/../admin/tenants"), 401, "unauthorized"],
];

describe("hostile requests are refused with their documented problem", () => {
  it.each(refused)("%s", async (_name, request, status, code) => {
    const response = await request();
    const body = await json(response, status);
    expect(response.headers.get("Content-Type")).toBe("application/problem+json");
    expect(body["code"]).toBe(code);
    expect(body["requestId"]).toBe(response.headers.get("X-Request-Id"));
  });
});

describe("hostile requests that are accepted, as documented", () => {
  const stored = async (response: Response) =>
    json<{ name: string; size: number; contentType: string }>(response, 201);

  it("Content-Length and Transfer-Encoding together: the stored size is the body's real size", async () => {
    const body = "the body is longer than either header says";
    const headers = new Headers({
      "Content-Type": "text/plain",
      "Content-Length": "5",
      "Transfer-Encoding": "chunked",
    });
    expect((await stored(await api("/v1/files?name=a.txt", { method: "POST", headers, body }))).size).toBe(
      body.length,
    );
  });

  it("a Content-Length smaller than the body, or not a number, does not change what is stored", async () => {
    expect(
      (await stored(await rawUpload("?name=a.txt", "hello world", { "Content-Length": "3" }))).size,
    ).toBe(11);
    expect(
      (await stored(await rawUpload("?name=a.txt", "hello world", { "Content-Length": "abc" }))).size,
    ).toBe(11);
  });

  it("names are cut to their last segment and cleaned of control and direction characters", async () => {
    const name = async (raw: string) =>
      (await stored(await rawUpload(`?name=${encodeURIComponent(raw)}`, "x"))).name;
    expect(await name("../../etc/passwd")).toBe("passwd");
    expect(await name("C:\\Windows\\system.ini")).toBe("system.ini");
    expect(await name("invoice\u202Efdp.exe\u0000")).toBe("invoicefdp.exe");
    expect(await name("..")).toBe("upload");
  });

  it("a JPEG declared as image/png is still an image, recorded as what it is", async () => {
    const bytes = await fixture("image/imagers_progressive_cat.jpg");
    const file = await stored(await rawUpload("?name=cat.png", bytes, { "Content-Type": "image/png" }));
    expect(file.contentType).toBe("image/jpeg");
  });
});
