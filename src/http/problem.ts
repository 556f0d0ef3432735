/**
 * Renders errors as RFC 9457 problem+json. Every error leaving the API goes through `problem`, so all
 * of them carry the same members: type, title, status, detail, a stable `code` and the request id.
 */
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import { ZodError } from "zod";
import { ApiError, ERROR_CODES, type ErrorCode } from "../errors";
import type { AppEnv } from "./app-env";

export function problem(c: Context<AppEnv>, error: ApiError): Response {
  const body = {
    type: `/problems/${error.code}`,
    title: ERROR_CODES[error.code].title,
    status: error.status,
    detail: error.detail,
    code: error.code,
    requestId: c.get("requestId"),
    ...error.extensions,
  };
  return c.body(JSON.stringify(body), error.status as 400, {
    ...error.headers,
    "Content-Type": "application/problem+json",
  });
}

/** Describes zod issues as `where: what` lines a developer can act on. */
export function describeIssues(error: ZodError, where?: string): { detail: string; errors: object[] } {
  const errors = error.issues.map((issue) => ({
    path: [where, ...issue.path.map(String)].filter((part) => part !== undefined && part !== "").join("."),
    message: issue.message,
  }));
  return {
    detail: errors.map(({ path, message }) => (path ? `${path}: ${message}` : message)).join("; "),
    errors,
  };
}

const HTTP_STATUS_CODES: Record<number, ErrorCode> = {
  400: "bad_request",
  401: "unauthorized",
  404: "not_found",
  405: "method_not_allowed",
  409: "conflict",
  413: "payload_too_large",
  415: "unsupported_media_type",
};

/** Maps anything thrown by a handler or middleware to the API's error model. */
export function toApiError(error: unknown): ApiError | null {
  if (error instanceof ApiError) return error;
  if (error instanceof ZodError) {
    const { detail, errors } = describeIssues(error);
    return new ApiError("validation_failed", detail, { errors });
  }
  if (error instanceof HTTPException) {
    if (error.status === 400 && /json/i.test(error.message)) {
      return new ApiError("invalid_json", "the body is not valid JSON");
    }
    const code = HTTP_STATUS_CODES[error.status];
    if (code) return new ApiError(code, error.message || ERROR_CODES[code].title);
  }
  return null;
}
