/**
 * API key authentication. `Authorization: Bearer <key>` identifies the tenant: the local development
 * key (DEV_API_KEY, set only in `.dev.vars`) maps to the `dev` tenant; every other key is looked up by
 * its SHA-256 in D1. Missing, malformed, unknown and revoked keys all get the same 401.
 */
import { createMiddleware } from "hono/factory";
import { getConfig } from "../config";
import { ApiError } from "../errors";
import { tenantForKey } from "../storage/api-keys-repo";
import type { Tenant } from "../tenancy/tenant";
import type { AppEnv } from "./app-env";
import { sameSecret } from "./secrets";

export const DEV_TENANT: Tenant = { id: "dev", jurisdiction: "default", settings: {} };

const BEARER = /^Bearer ([A-Za-z0-9._~+/=-]{16,256})$/;

const unauthorized = (detail: string) =>
  new ApiError("unauthorized", detail, {}, { "WWW-Authenticate": 'Bearer realm="sluice"' });

export const requireApiKey = createMiddleware<AppEnv>(async (c, next) => {
  const header = c.req.header("Authorization");
  if (!header) throw unauthorized("send your API key as `Authorization: Bearer <key>`");
  const key = BEARER.exec(header)?.[1];
  if (!key) throw unauthorized("the Authorization header must be `Bearer <key>`");
  const devKey = getConfig(c.env).DEV_API_KEY;
  const isDevKey = devKey !== undefined && (await sameSecret(key, devKey));
  const tenant = isDevKey ? DEV_TENANT : await tenantForKey(c.env.DB, key);
  if (!tenant) throw unauthorized("the API key is not valid");
  c.set("tenant", tenant);
  const db = c.env.DB;
  c.set("stillAuthorized", async () => isDevKey || (await tenantForKey(db, key))?.id === tenant.id);
  await next();
});
