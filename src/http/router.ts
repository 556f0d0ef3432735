/**
 * Every route group is an OpenAPIHono sub-app made here, so all of them share one validation hook:
 * a request that fails its zod schema becomes a 400 problem naming each field and what was wrong.
 */
import { OpenAPIHono } from "@hono/zod-openapi";
import { ApiError } from "../errors";
import type { AppEnv } from "./app-env";
import { describeIssues } from "./problem";

export function createRouter(): OpenAPIHono<AppEnv> {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) {
        const { detail, errors } = describeIssues(
          result.error,
          result.target === "json" ? "body" : result.target,
        );
        throw new ApiError("validation_failed", detail, { errors });
      }
    },
  });
}

/** OpenAPI security requirement for routes that need an API key. */
export const bearerAuth = [{ bearerAuth: [] }];
