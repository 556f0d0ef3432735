/**
 * Fair use: each tenant's requests draw from its own token bucket (sustained rate and burst from the
 * tenant's settings, else the deployment's defaults). Over the limit, the answer is 429 with
 * Retry-After; other tenants are unaffected because every tenant has its own bucket.
 */
import { createMiddleware } from "hono/factory";
import { getConfig } from "../config";
import { ApiError } from "../errors";
import { tenantLimiter } from "../limits/tenant-limiter";
import type { AppEnv } from "./app-env";

export const rateLimit = createMiddleware<AppEnv>(async (c, next) => {
  const config = getConfig(c.env);
  const tenant = c.get("tenant");
  const limits = {
    ratePerSecond: tenant.settings.requestsPerSecond ?? config.RATE_LIMIT_PER_SECOND,
    capacity: tenant.settings.burst ?? config.RATE_LIMIT_BURST,
  };
  const result = await tenantLimiter(c.env, tenant.id).takeRequest(limits);
  if (!result.allowed) {
    const seconds = Math.max(1, Math.ceil(result.retryAfterMs / 1000));
    throw new ApiError(
      "rate_limited",
      `this tenant may send ${limits.ratePerSecond} requests per second (bursts of ${limits.capacity}); retry in ${seconds} s`,
      {},
      { "Retry-After": String(seconds) },
    );
  }
  await next();
});
