/**
 * POST /v1/files/import against a local test origin (test/import/origin.ts, reached through the test
 * network). The origin is a loopback address that only the tests' configuration allows; every other
 * private, loopback, link-local or metadata target, and every redirect to one, is refused with 400.
 */
import { describe, expect, it } from "vitest";
import type { JobObject } from "../../src/schemas/jobs";
import { api, createJob, json, waitForJob } from "../helpers/api";
import { manifest } from "../helpers/fixtures";
import { IMPORT_ORIGIN } from "./origin";
import { storedKeys } from "../uploads/helpers";

const ORIGIN = `http://${IMPORT_ORIGIN}`;
const importUrl = (url: string, name?: string) =>
  api("/v1/files/import", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(name ? { url, name } : { url }),
  });

interface FileBody {
  id: string;
  name: string;
  size: number;
  contentType: string;
  sha256: string;
}

describe("import by URL", () => {
  it("imports a file served by the local test server, and it runs through a job", async () => {
    const path = "pdf/pdfjs_tracemonkey.pdf";
    const response = await importUrl(`${ORIGIN}/fixtures/${path}`);
    const file = await json<FileBody>(response, 201);
    const expected = await manifest(path);
    expect(file).toMatchObject({
      name: "pdfjs_tracemonkey.pdf",
      size: expected.bytes,
      contentType: "application/pdf",
      sha256: expected.sha256,
    });
    expect(response.headers.get("Location")).toBe(`/v1/files/${file.id}`);
    const job = await json<JobObject>(await createJob({ files: [file.id], stages: ["extract"] }), 202);
    expect((await waitForJob(job.id)).status).toBe("completed");
  });

  it("follows allowed redirects, takes the name from Content-Disposition, or the one given", async () => {
    const chained = await json<FileBody>(await importUrl(`${ORIGIN}/chain/3`), 201);
    expect(chained).toMatchObject({ name: "0", contentType: "text/markdown" });
    expect((await json<FileBody>(await importUrl(`${ORIGIN}/named`), 201)).name).toBe("résumé.txt");
    expect((await json<FileBody>(await importUrl(`${ORIGIN}/named`, "../notes.txt"), 201)).name).toBe(
      "notes.txt",
    );
  });

  it("checks public-looking names with the configured DNS-over-HTTPS resolver", async () => {
    const ok = await importUrl("http://public.import.test/fixtures/image/imagers_progressive_cat.jpg");
    expect((await json<FileBody>(ok, 201)).contentType).toBe("image/jpeg");
    const rebound = await json(
      await importUrl("http://rebind.import.test/fixtures/text/libjpeg-turbo_README.md"),
      400,
    );
    expect(rebound).toMatchObject({
      code: "url_host_not_allowed",
      detail: "rebind.import.test resolves to 10.0.0.7 is a private network address",
    });
    expect((await json(await importUrl("http://v6private.import.test/x"), 400))["code"]).toBe(
      "url_host_not_allowed",
    );
  });
});

describe("refused targets", () => {
  it.each([
    ["http://127.0.0.1/", "url_host_not_allowed"],
    ["http://127.0.0.1:4011/fixtures/pdf/pdfjs_tracemonkey.pdf", "url_host_not_allowed"],
    ["http://[::1]/", "url_host_not_allowed"],
    ["http://169.254.169.254/latest/meta-data/iam/security-credentials/", "url_host_not_allowed"],
    ["http://[fd00:ec2::254]/latest/meta-data/", "url_host_not_allowed"],
    ["http://metadata.google.internal/computeMetadata/v1/", "url_host_not_allowed"],
    ["http://10.0.0.1/", "url_host_not_allowed"],
    ["http://100.64.1.1/", "url_host_not_allowed"],
    ["http://0x7f000001/", "url_host_not_allowed"],
    ["http://2130706433/", "url_host_not_allowed"],
    ["http://0177.0.0.1/", "url_host_not_allowed"],
    ["http://127.1/", "url_host_not_allowed"],
    ["http://[::ffff:127.0.0.1]/", "url_host_not_allowed"],
    ["http://localhost/", "url_host_not_allowed"],
    ["http://0.0.0.0/", "url_host_not_allowed"],
    ["file:///etc/passwd", "url_scheme_not_allowed"],
    ["gopher://127.0.0.1:6379/_FLUSHALL", "url_scheme_not_allowed"],
    ["ftp://example.com/file.pdf", "url_scheme_not_allowed"],
    ["https://admin:hunter2@example.com/report.pdf", "url_credentials_not_allowed"],
    ["not a url", "url_invalid"],
  ])("%s → 400 %s", async (url, code) => {
    const before = await storedKeys("t/dev/");
    const response = await importUrl(url);
    expect(response.headers.get("Content-Type")).toBe("application/problem+json");
    expect((await json(response, 400))["code"]).toBe(code);
    expect(await storedKeys("t/dev/")).toEqual(before);
  });

  it("refuses redirects that lead to loopback, metadata or another scheme, naming the hop", async () => {
    const toLoopback = await json(
      await importUrl(`${ORIGIN}/redirect?to=${encodeURIComponent("http://127.0.0.1:9/secret")}`),
      400,
    );
    expect(toLoopback).toMatchObject({
      code: "url_redirect_not_allowed",
      hop: 1,
      location: "http://127.0.0.1:9/secret",
      reason: "url_host_not_allowed",
    });
    const toMetadata = await json(
      await importUrl(
        `${ORIGIN}/redirect?to=${encodeURIComponent("http://169.254.169.254/latest/meta-data/")}`,
      ),
      400,
    );
    expect(toMetadata["code"]).toBe("url_redirect_not_allowed");
    const toFile = await json(
      await importUrl(`${ORIGIN}/redirect?to=${encodeURIComponent("file:///etc/passwd")}`),
      400,
    );
    expect(toFile).toMatchObject({ code: "url_redirect_not_allowed", reason: "url_scheme_not_allowed" });
    const tooMany = await json(await importUrl(`${ORIGIN}/chain/6`), 422);
    expect(tooMany).toMatchObject({ code: "import_too_many_redirects", limit: 5 });
  });
});

describe("misbehaving sources", () => {
  it("reports upstream errors, empty answers and lying content types", async () => {
    expect(await json(await importUrl(`${ORIGIN}/status/404`), 422)).toMatchObject({
      code: "import_source_failed",
      upstreamStatus: 404,
    });
    expect((await json(await importUrl(`${ORIGIN}/large?bytes=0`), 422))["code"]).toBe("empty_body");
    const lying = await importUrl(
      `${ORIGIN}/as/${encodeURIComponent("image/png")}/malformed/document_actually_html.pdf`,
    );
    expect((await json(lying, 415))["code"]).toBe("content_type_mismatch");
  });

  it("caps the size, by Content-Length and while streaming, and leaves nothing behind", async () => {
    const before = await storedKeys("t/dev/");
    const declared = await json(await importUrl(`${ORIGIN}/large?bytes=${5 * 1024 * 1024}&length=1`), 422);
    expect(declared).toMatchObject({ code: "import_too_large", limit: 4 * 1024 * 1024 });
    const streamed = await json(await importUrl(`${ORIGIN}/large?bytes=${5 * 1024 * 1024}`), 422);
    expect(streamed).toMatchObject({ code: "import_too_large", limit: 4 * 1024 * 1024 });
    expect(await storedKeys("t/dev/")).toEqual(before);
  });

  it("gives up on a source that stalls (504) and leaves nothing behind", async () => {
    const before = await storedKeys("t/dev/");
    expect(await json(await importUrl(`${ORIGIN}/slow`), 504)).toMatchObject({
      code: "import_timeout",
      timeoutMs: 5000,
    });
    expect(await storedKeys("t/dev/")).toEqual(before);
  });

  it("validates the body", async () => {
    const response = await api("/v1/files/import", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: "{}",
    });
    expect((await json(response, 400))["code"]).toBe("validation_failed");
  });
});
