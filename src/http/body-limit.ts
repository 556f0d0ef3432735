/**
 * One limit on request bodies for every route that takes JSON: the body may be at most
 * MAX_JSON_BODY_BYTES, or the request is refused with 413 `payload_too_large` before any of it is
 * parsed. The limit is on the route, not on the declared Content-Type, so a large body sent as
 * `text/plain` to a JSON route is refused the same way. Only the routes that take a file's bytes
 * (POST /v1/files, POST /v1/process) are left out: they stream with their own, larger limits.
 */
import { bodyLimit } from "hono/body-limit";
import { createMiddleware } from "hono/factory";
import { ApiError } from "../errors";
import type { AppEnv } from "./app-env";

/** JSON bodies are small (a job names at most 1,000 ids); uploads have their own limits. */
export const MAX_JSON_BODY_BYTES = 256 * 1024;

/** Routes whose body is a file, each with its own limit (MAX_UPLOAD_BYTES, SYNC_MAX_BYTES). */
const FILE_BODY_ROUTES = new Set(["POST /v1/files", "POST /v1/process"]);

const limit = bodyLimit({
  maxSize: MAX_JSON_BODY_BYTES,
  onError: () => {
    throw new ApiError("payload_too_large", `JSON bodies can be at most ${MAX_JSON_BODY_BYTES} bytes`, {
      limit: MAX_JSON_BODY_BYTES,
    });
  },
});

export const limitJsonBodies = createMiddleware<AppEnv>(async (c, next) => {
  const path = c.req.path.replace(/\/+$/, "");
  if (FILE_BODY_ROUTES.has(`${c.req.method} ${path}`)) return next();
  return limit(c, next);
});
