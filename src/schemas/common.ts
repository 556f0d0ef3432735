/** Schemas shared by every route: the problem+json error body and pagination parameters. */
import { z } from "@hono/zod-openapi";
import { ERROR_CODES, type ErrorCode } from "../errors";

export const ProblemSchema = z
  .object({
    type: z.string().openapi({ example: "/problems/validation_failed" }),
    title: z.string().openapi({ example: "The request did not pass validation" }),
    status: z.number().int().openapi({ example: 400 }),
    detail: z.string().openapi({ example: "stages: stage 'analyze' needs 'extract' to come before it" }),
    code: z.enum(Object.keys(ERROR_CODES) as [ErrorCode, ...ErrorCode[]]),
    requestId: z.string(),
  })
  .catchall(z.unknown())
  .openapi("Problem", {
    description: "An RFC 9457 problem document. Extra members (e.g. `errors`, `files`) add detail.",
  });

export const problemResponse = (description: string) => ({
  description,
  content: { "application/problem+json": { schema: ProblemSchema } },
});

/** The error responses every authenticated route can give. */
export const commonErrors = {
  400: problemResponse("The request is not valid (`validation_failed`, `invalid_cursor`, …)."),
  401: problemResponse("Missing or invalid API key (`unauthorized`)."),
};

/** The answer of every route that stores a new file, past the tenant's file quota. */
export const fileQuotaErrors = {
  409: problemResponse("The tenant stores as many files as allowed (`file_quota_exceeded`)."),
};

export const PageQuerySchema = z.object({
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(100)
    .default(20)
    .openapi({ param: { name: "limit", in: "query" }, description: "Page size, 1-100 (default 20)." }),
  cursor: z
    .string()
    .max(512)
    .optional()
    .openapi({ param: { name: "cursor", in: "query" }, description: "`nextCursor` of the previous page." }),
});

export const Iso = z.iso.datetime().openapi({ example: "2026-11-21T10:00:00.000Z" });

export const toIso = (ms: number): string => new Date(ms).toISOString();
export const toIsoOrNull = (ms: number | null): string | null => (ms === null ? null : toIso(ms));
