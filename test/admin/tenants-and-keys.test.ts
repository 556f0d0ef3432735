import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { sha256Hex } from "../../src/storage/api-keys-repo";
import { call, json } from "../helpers/api";

const ADMIN = "admin_test_token_00000001";

const admin = (path: string, init: RequestInit = {}) =>
  call(
    ADMIN,
    path,
    init.body === undefined ? init : { ...init, headers: { "Content-Type": "application/json" } },
  );

describe("admin API: tenants and API keys", () => {
  it("creates a tenant, issues a key that works, lists it without the secret, and revokes it at once", async () => {
    const tenant = await json<{ id: string; jurisdiction: string }>(
      await admin("/admin/tenants", { method: "POST", body: JSON.stringify({ id: "acme", name: "Acme" }) }),
      201,
    );
    expect(tenant).toMatchObject({ id: "acme", jurisdiction: "default" });

    const created = await json<{ id: string; key: string; prefix: string }>(
      await admin("/admin/tenants/acme/keys", { method: "POST", body: JSON.stringify({ name: "ci" }) }),
      201,
    );
    expect(created.key).toMatch(/^sk_live_[0-9A-Za-z]{40}$/);
    expect(created.prefix).toBe(created.key.slice(0, 12));

    // Stored hashed: the key itself is nowhere in the database.
    const row = await env.DB.prepare("SELECT * FROM api_keys WHERE id = ?").bind(created.id).first();
    expect(JSON.stringify(row)).not.toContain(created.key);
    expect(row?.["key_hash"]).toBe(await sha256Hex(created.key));

    expect((await call(created.key, "/v1/files")).status).toBe(200);

    const listed = await json<{ keys: Record<string, unknown>[] }>(
      await admin("/admin/tenants/acme/keys"),
      200,
    );
    expect(listed.keys).toEqual([
      expect.objectContaining({ id: created.id, prefix: created.prefix, name: "ci", revokedAt: null }),
    ]);
    expect(JSON.stringify(listed)).not.toContain(created.key);

    expect((await admin(`/admin/tenants/acme/keys/${created.id}`, { method: "DELETE" })).status).toBe(204);
    expect((await call(created.key, "/v1/files")).status).toBe(401);
    expect((await admin(`/admin/tenants/acme/keys/${created.id}`, { method: "DELETE" })).status).toBe(204);
    const after = await json<{ keys: { revokedAt: string | null }[] }>(
      await admin("/admin/tenants/acme/keys"),
      200,
    );
    expect(after.keys[0]?.revokedAt).not.toBeNull();
  });

  it("keeps two keys of one tenant independent and tenants apart", async () => {
    await admin("/admin/tenants", { method: "POST", body: JSON.stringify({ id: "two-keys", name: "Two" }) });
    const first = await json<{ id: string; key: string }>(
      await admin("/admin/tenants/two-keys/keys", { method: "POST" }),
      201,
    );
    const second = await json<{ key: string }>(
      await admin("/admin/tenants/two-keys/keys", { method: "POST" }),
      201,
    );
    expect(first.key).not.toBe(second.key);
    await admin(`/admin/tenants/two-keys/keys/${first.id}`, { method: "DELETE" });
    expect((await call(first.key, "/v1/files")).status).toBe(401);
    expect((await call(second.key, "/v1/files")).status).toBe(200);
    // A key id of another tenant cannot be revoked through this tenant.
    expect((await admin(`/admin/tenants/acme/keys/${first.id}`, { method: "DELETE" })).status).toBe(404);
  });

  it("generates ids, pins jurisdictions, updates settings and refuses bad input", async () => {
    const eu = await json<{ id: string; jurisdiction: string }>(
      await admin("/admin/tenants", {
        method: "POST",
        body: JSON.stringify({ name: "EU GmbH", jurisdiction: "eu" }),
      }),
      201,
    );
    expect(eu.id).toMatch(/^t[0-9a-z]{26}$/);
    expect(eu.jurisdiction).toBe("eu");

    const updated = await json<{ settings: Record<string, number> }>(
      await admin(`/admin/tenants/${eu.id}`, {
        method: "PATCH",
        body: JSON.stringify({ settings: { requestsPerSecond: 5, retentionDays: 30 } }),
      }),
      200,
    );
    expect(updated.settings).toEqual({ requestsPerSecond: 5, retentionDays: 30 });

    const duplicate = await admin("/admin/tenants", {
      method: "POST",
      body: JSON.stringify({ id: "acme", name: "x" }),
    });
    expect((await json(duplicate, 409))["code"]).toBe("conflict");
    const badId = await admin("/admin/tenants", {
      method: "POST",
      body: JSON.stringify({ id: "Not Valid", name: "x" }),
    });
    expect((await json(badId, 400))["code"]).toBe("validation_failed");
    const moving = await admin(`/admin/tenants/${eu.id}`, {
      method: "PATCH",
      body: JSON.stringify({ jurisdiction: "default" }),
    });
    expect((await json(moving, 400))["detail"]).toContain("jurisdiction");
    expect((await json(await admin("/admin/tenants/nobody/keys", { method: "POST" }), 404))["code"]).toBe(
      "not_found",
    );

    const page = await json<{ tenants: { id: string }[] }>(await admin("/admin/tenants?limit=100"), 200);
    expect(page.tenants.map((tenant) => tenant.id)).toEqual(expect.arrayContaining(["acme", eu.id]));
  });

  it("refuses admin requests without the admin token, and tenant keys cannot act as admins", async () => {
    for (const key of [null, "wrong_admin_token_000000", "sk_test_development_key_0001"]) {
      const response = await call(key, "/admin/tenants");
      expect((await json(response, 401))["code"]).toBe("unauthorized");
    }
  });
});
