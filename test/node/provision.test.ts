/**
 * `npm run provision` for real, run twice against a stand-in for the Cloudflare API that starts as an
 * empty account: the first run creates every bucket (in its jurisdiction, with CORS), queue and
 * database of wrangler.toml and writes the database id; the second creates nothing and changes nothing
 * but re-applying the CORS rules. wrangler itself makes the calls, so its command lines are exercised.
 */
import { execFile } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cloudflareResources, projectRoot, readWranglerConfig } from "../../scripts/wrangler-config.mjs";
import { FAKE_ACCOUNT, startFakeCloudflareApi, type FakeCloudflareApi } from "./fake-cloudflare-api.ts";

const origin = "https://sluice.example.workers.dev";
let api: FakeCloudflareApi;
let configCopy: string;

beforeAll(async () => {
  api = await startFakeCloudflareApi();
  const dir = mkdtempSync(path.join(os.tmpdir(), "sluice-provision-"));
  configCopy = path.join(dir, "wrangler.toml");
  copyFileSync(path.join(projectRoot, "wrangler.toml"), configCopy);
});
afterAll(async () => {
  await api.close();
});

async function provision(): Promise<string> {
  const script = path.join(projectRoot, "scripts", "provision.mjs");
  const args = [script, "--origin", origin, "--write-database-id", "--config", configCopy];
  const { stdout } = await promisify(execFile)(process.execPath, args, {
    cwd: projectRoot,
    env: {
      PATH: process.env["PATH"],
      HOME: mkdtempSync(path.join(os.tmpdir(), "sluice-home-")),
      CLOUDFLARE_API_TOKEN: "test-token",
      CLOUDFLARE_API_BASE_URL: api.baseUrl,
    },
  });
  return stdout;
}

/** Requests that create something (wrangler also POSTs elsewhere, e.g. `r2 bucket info` asks for metrics). */
const creates = () =>
  api.requests.filter((request) => /^POST .*\/(r2\/buckets|queues|d1\/database)$/.test(request));

describe("npm run provision", () => {
  it("creates what wrangler.toml needs in an empty account, then finds it all on a second run", async () => {
    const resources = cloudflareResources(readWranglerConfig(configCopy));

    const first = await provision();
    expect(first).toContain(`Account ${FAKE_ACCOUNT.id}`);
    expect([...api.buckets].sort()).toEqual(["sluice-files", "sluice-files-eu@eu"]);
    expect([...api.queues].sort()).toEqual([...resources.queues].sort());
    expect([...api.queues]).toContain("sluice-tasks-dlq");
    expect([...api.databases.keys()]).toEqual(["sluice"]);
    for (const bucket of api.buckets) {
      expect(api.cors.get(bucket)).toMatchObject({
        rules: [{ allowed: { origins: [origin], methods: ["PUT", "GET", "HEAD"] }, exposeHeaders: ["ETag"] }],
      });
    }
    const id = api.databases.get("sluice");
    expect(readWranglerConfig(configCopy).d1_databases?.[0]?.database_id).toBe(id);
    expect(readFileSync(configCopy, "utf8")).toContain(`database_id = "${String(id)}"`);
    expect(creates()).toHaveLength(2 + resources.queues.length + 1);
    expect(first).toContain("secret put R2_ACCOUNT_ID");
    expect(first).toContain(`(R2_ACCOUNT_ID is ${FAKE_ACCOUNT.id}.)`);

    const requestsBefore = api.requests.length;
    const second = await provision();
    expect(creates()).toHaveLength(2 + resources.queues.length + 1); // nothing new
    expect(api.requests.length).toBeGreaterThan(requestsBefore);
    expect(second.match(/: exists/g)).toHaveLength(2 + resources.queues.length + 1);
    expect(second).not.toContain("created");
    expect(second).not.toContain("Put the database id");
    expect(readWranglerConfig(configCopy).d1_databases?.[0]?.database_id).toBe(id);
  }, 300_000);
});
