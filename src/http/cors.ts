/**
 * CORS for browser clients (the dashboard on another origin, browser uploads with Uppy): origins listed
 * in CORS_ALLOWED_ORIGINS get their preflights answered (before authentication, which a preflight never
 * carries) and every answer, errors included, names them in Access-Control-Allow-Origin and exposes the
 * headers a browser app needs: ETag (downloads and multipart parts), Location (created files and
 * uploads), X-Request-Id (to report a problem), Retry-After (rate limits) and Sluice-Parts-Source.
 * Other origins get no CORS headers, so their pages cannot read the answers. With the setting empty
 * (the default) the API sends no CORS headers at all.
 */
import { createMiddleware } from "hono/factory";
import { cors } from "hono/cors";
import { getConfig } from "../config";
import type { AppEnv } from "./app-env";

const ALLOWED_HEADERS = ["Authorization", "Content-Type", "Idempotency-Key", "Last-Event-ID", "traceparent"];
const EXPOSED_HEADERS = ["ETag", "Location", "X-Request-Id", "Retry-After", "Sluice-Parts-Source"];
/** Browsers may cache a preflight answer this long (seconds). */
const PREFLIGHT_MAX_AGE_SECONDS = 600;

const corsFor = new WeakMap<readonly string[], ReturnType<typeof cors>>();

function middlewareFor(origins: readonly string[]): ReturnType<typeof cors> {
  let middleware = corsFor.get(origins);
  if (!middleware) {
    middleware = cors({
      origin: origins.includes("*") ? "*" : (origin) => (origins.includes(origin) ? origin : null),
      allowMethods: ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"],
      allowHeaders: ALLOWED_HEADERS,
      exposeHeaders: EXPOSED_HEADERS,
      maxAge: PREFLIGHT_MAX_AGE_SECONDS,
    });
    corsFor.set(origins, middleware);
  }
  return middleware;
}

export const browserCors = createMiddleware<AppEnv>(async (c, next) => {
  const origins = getConfig(c.env).CORS_ALLOWED_ORIGINS;
  if (origins.length === 0) return next();
  return middlewareFor(origins)(c, next);
});
