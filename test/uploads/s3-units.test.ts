/**
 * The pieces of the S3 path that the local endpoint cannot exercise end to end: production endpoint
 * URLs, switching presigned uploads off without credentials, part sizing for 5 TiB, and reading R2's
 * ListParts answer (wrangler's local endpoint does not implement ListParts).
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { getConfig, type Config } from "../../src/config";
import { ApiError } from "../../src/errors";
import { choosePartSize, MAX_PARTS } from "../../src/uploads/create-upload";
import { parseListPartsPage } from "../../src/uploads/list-parts-s3";
import { presignPut } from "../../src/uploads/presign";
import { s3Target } from "../../src/uploads/s3-target";
import type { Tenant } from "../../src/tenancy/tenant";

const ACCOUNT = "0123456789abcdef0123456789abcdef";
const KEY = "t/acme/f/file_01JD3Z6W8F4Q2X7V9K1M3N5P7R/source";
const tenant = (id: string, jurisdiction: Tenant["jurisdiction"] = "default"): Tenant => ({
  id,
  jurisdiction,
  settings: {},
});
const config = (overrides: Partial<Config>): Config => ({ ...getConfig(env), ...overrides });

describe("S3 endpoints", () => {
  it("signs for R2's account endpoint in production, the EU endpoint for EU tenants", async () => {
    const production = config({ R2_ACCOUNT_ID: ACCOUNT });
    const url = s3Target(production, tenant("acme"), "https://api.example.com/v1/uploads").objectUrl(KEY);
    expect(url.href).toBe(`https://${ACCOUNT}.r2.cloudflarestorage.com/sluice-files/${KEY}`);
    const eu = s3Target(production, tenant("acme", "eu"), "https://api.example.com/").objectUrl(KEY);
    expect(eu.href).toBe(`https://${ACCOUNT}.eu.r2.cloudflarestorage.com/sluice-files-eu/${KEY}`);
    const explicit = config({ R2_S3_ENDPOINT: "https://s3.example.net/", R2_ACCOUNT_ID: ACCOUNT });
    expect(s3Target(explicit, tenant("acme"), "https://x/").objectUrl(KEY).origin).toBe(
      "https://s3.example.net",
    );

    const signed = await presignPut(s3Target(production, tenant("acme"), "https://x/"), {
      key: KEY,
      headers: { "content-type": "application/pdf" },
      expiresIn: 900,
    });
    const params = new URL(signed.url).searchParams;
    expect(params.get("X-Amz-Credential")).toMatch(
      /^sluice-test-r2-access-key\/\d{8}\/auto\/s3\/aws4_request$/,
    );
    expect(params.get("X-Amz-SignedHeaders")).toBe("content-type;host");
    expect(params.get("X-Amz-Signature")).toMatch(/^[0-9a-f]{64}$/);
  });

  it("uses the request's origin (wrangler's local endpoint) when nothing is configured", () => {
    const local = s3Target(getConfig(env), tenant("dev"), "http://127.0.0.1:8787/v1/uploads");
    expect(local.objectUrl("t/dev/f/x/source").href).toBe(
      "http://127.0.0.1:8787/cdn-cgi/local/r2/s3/sluice-files/t/dev/f/x/source",
    );
  });

  it("switches presigned uploads off (503) without credentials", () => {
    const bare = config({ R2_ACCESS_KEY_ID: undefined, R2_SECRET_ACCESS_KEY: undefined });
    expect(() => s3Target(bare, tenant("dev"), "http://x/")).toThrow(ApiError);
    try {
      s3Target(bare, tenant("dev"), "http://x/");
    } catch (error) {
      expect((error as ApiError).status).toBe(503);
      expect((error as ApiError).code).toBe("uploads_not_configured");
    }
  });
});

describe("part sizes", () => {
  it("keeps every size within 10,000 parts of at least 5 MiB, in whole MiB", () => {
    const MiB = 1024 * 1024;
    for (const size of [1, 5 * MiB, 200 * MiB, 160 * 1024 * MiB, 5 * 1024 ** 4]) {
      const part = choosePartSize(size, 16 * MiB);
      expect(part).toBeGreaterThanOrEqual(5 * MiB);
      expect(part % MiB).toBe(0);
      expect(Math.ceil(size / part)).toBeLessThanOrEqual(MAX_PARTS);
    }
    expect(choosePartSize(null, 16 * MiB)).toBe(16 * MiB);
    expect(choosePartSize(5 * 1024 ** 4, 16 * MiB)).toBe(525 * MiB);
  });
});

describe("ListParts answers", () => {
  it("reads R2's XML, follows truncation and keeps ETags as sent", () => {
    const page = `<?xml version="1.0" encoding="UTF-8"?>
<ListPartsResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
  <Bucket>sluice-files</Bucket><Key>${KEY}</Key><UploadId>AEk2xw</UploadId>
  <PartNumberMarker>0</PartNumberMarker><NextPartNumberMarker>2</NextPartNumberMarker>
  <MaxParts>2</MaxParts><IsTruncated>true</IsTruncated>
  <Part><PartNumber>1</PartNumber><LastModified>2026-11-21T10:00:00.000Z</LastModified>
    <ETag>&quot;bce6bf66aeb76c7040fdd5f4eccb78e6&quot;</ETag><Size>5242880</Size></Part>
  <Part><PartNumber>2</PartNumber><LastModified>2026-11-21T10:00:01.000Z</LastModified>
    <ETag>"8165449fc15bbf43d3b674595cbcc406"</ETag><Size>5242880</Size></Part>
</ListPartsResult>`;
    expect(parseListPartsPage(page)).toEqual({
      parts: [
        { partNumber: 1, etag: '"bce6bf66aeb76c7040fdd5f4eccb78e6"', size: 5242880 },
        { partNumber: 2, etag: '"8165449fc15bbf43d3b674595cbcc406"', size: 5242880 },
      ],
      nextMarker: "2",
    });
    const last = `<ListPartsResult><IsTruncated>false</IsTruncated>
      <Part><PartNumber>3</PartNumber><ETag>"aa"</ETag><Size>17</Size></Part></ListPartsResult>`;
    expect(parseListPartsPage(last)).toEqual({
      parts: [{ partNumber: 3, etag: '"aa"', size: 17 }],
      nextMarker: null,
    });
    expect(
      parseListPartsPage("<ListPartsResult><IsTruncated>false</IsTruncated></ListPartsResult>").parts,
    ).toEqual([]);
  });
});
