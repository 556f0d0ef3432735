/**
 * The HTTP API's observability middleware: it continues the caller's W3C trace (or starts one), puts
 * the trace id on the context for the routes that hand it on (job creation), names it in the
 * `traceresponse` header, and writes one log line per request when the response is ready: method,
 * route pattern, status, duration, request id, trace id and tenant. Error responses are logged too;
 * the app's error handler has already turned them into problem documents by then.
 */
import { createMiddleware } from "hono/factory";
import { routePath } from "hono/route";
import type { AppEnv } from "../http/app-env";
import type { Tenant } from "../tenancy/tenant";
import { log } from "./log";
import { traceFrom, traceResponse } from "./trace";

export const observeRequests = createMiddleware<AppEnv>(async (c, next) => {
  const started = Date.now();
  const trace = traceFrom(c.req.header("traceparent"));
  c.set("traceId", trace.traceId);
  await next();
  c.header("traceresponse", traceResponse(trace));
  // Unauthenticated routes (health, docs, admin) have no tenant.
  const tenant = c.get("tenant") as Tenant | undefined;
  const status = c.res.status;
  log(status >= 500 ? "error" : "info", "request", {
    requestId: c.get("requestId"),
    traceId: trace.traceId,
    tenantId: tenant?.id,
    method: c.req.method,
    // The pattern (`/v1/jobs/:id`), so lines group by route; ids are in the other fields.
    route: routePath(c, -1),
    status,
    durationMs: Date.now() - started,
  });
});
