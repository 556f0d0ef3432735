/**
 * Calls the Worker the way a client does: over fetch, through `exports.default` (the real entry
 * point with its real bindings), with a tenant's API key.
 */
import { env, exports } from "cloudflare:workers";
import { expect, vi } from "vitest";
import type { JobObject } from "../../src/schemas/jobs";
import { sha256Hex } from "../../src/storage/api-keys-repo";

export const DEV_KEY = "sk_test_development_key_0001";

export type Json = Record<string, unknown>;

export async function call(key: string | null, path: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  if (key !== null) headers.set("Authorization", `Bearer ${key}`);
  return exports.default.fetch(new Request(`http://sluice.test${path}`, { ...init, headers }));
}

export const api = (path: string, init?: RequestInit): Promise<Response> => call(DEV_KEY, path, init);

export async function json<T = Json>(response: Response, status: number): Promise<T> {
  const text = await response.text();
  expect(response.status, text).toBe(status);
  return JSON.parse(text) as T;
}

/** Creates a tenant with an API key in D1 (as an operator would) and returns the key. */
export async function createTenant(tenantId: string): Promise<string> {
  const key = `sk_test_${tenantId}_${crypto.randomUUID().replaceAll("-", "")}`;
  const now = Date.now();
  await env.DB.batch([
    env.DB.prepare("INSERT INTO tenants (id, name, created_at) VALUES (?, ?, ?)").bind(
      tenantId,
      tenantId,
      now,
    ),
    env.DB.prepare(
      "INSERT INTO api_keys (id, tenant_id, key_hash, prefix, name, created_at) VALUES (?, ?, ?, ?, ?, ?)",
    ).bind(`key_${tenantId}`, tenantId, await sha256Hex(key), key.slice(0, 12), "test", now),
  ]);
  return key;
}

/** The admin token the test Worker is configured with (vitest.config.ts). */
export const ADMIN_TOKEN = "admin_test_token_00000001";

/**
 * Creates a tenant through the admin API (with its jurisdiction and settings) and one API key for it;
 * returns the key.
 */
export async function adminTenant(tenant: {
  id: string;
  jurisdiction?: "default" | "eu";
  settings?: Record<string, number>;
}): Promise<string> {
  await json(
    await call(ADMIN_TOKEN, "/admin/tenants", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ name: tenant.id, ...tenant }),
    }),
    201,
  );
  const created = await call(ADMIN_TOKEN, `/admin/tenants/${tenant.id}/keys`, { method: "POST" });
  return (await json<{ key: string }>(created, 201)).key;
}

export async function upload(
  bytes: Uint8Array,
  name: string,
  contentType = "application/octet-stream",
  key = DEV_KEY,
): Promise<{ id: string; size: number; sha256: string; contentType: string; name: string }> {
  const response = await call(key, `/v1/files?name=${encodeURIComponent(name)}`, {
    method: "POST",
    headers: { "Content-Type": contentType },
    body: bytes,
  });
  return json(response, 201);
}

export async function createJob(body: Json, key = DEV_KEY, headers: HeadersInit = {}): Promise<Response> {
  return call(key, "/v1/jobs", {
    method: "POST",
    headers: { "Content-Type": "application/json", ...Object.fromEntries(new Headers(headers)) },
    body: JSON.stringify(body),
  });
}

const TERMINAL = new Set(["completed", "completed_with_errors", "failed", "cancelled"]);

/** Polls the job until it ends (the queue consumer runs in the background of the test runtime). */
export async function waitForJob(jobId: string, key = DEV_KEY, timeout = 30_000): Promise<JobObject> {
  return vi.waitFor(
    async () => {
      const job = await json<JobObject>(await call(key, `/v1/jobs/${jobId}`), 200);
      if (!TERMINAL.has(job.status)) throw new Error(`job ${jobId} is still ${job.status}`);
      return job;
    },
    { timeout, interval: 25 },
  );
}
