/**
 * Authentication of the admin API: `Authorization: Bearer <ADMIN_TOKEN>`, compared in constant time.
 * Without ADMIN_TOKEN configured the admin API is off and every admin request is refused.
 */
import { createMiddleware } from "hono/factory";
import { getConfig } from "../config";
import { ApiError } from "../errors";
import type { AppEnv } from "./app-env";
import { sameSecret } from "./secrets";

const unauthorized = (detail: string) =>
  new ApiError("unauthorized", detail, {}, { "WWW-Authenticate": 'Bearer realm="sluice-admin"' });

export const requireAdminToken = createMiddleware<AppEnv>(async (c, next) => {
  const token = getConfig(c.env).ADMIN_TOKEN;
  if (!token) throw unauthorized("the admin API is not enabled on this deployment (ADMIN_TOKEN is not set)");
  const presented = /^Bearer (\S+)$/.exec(c.req.header("Authorization") ?? "")?.[1];
  if (!presented || !(await sameSecret(presented, token)))
    throw unauthorized("a valid admin token is required");
  await next();
});
