/** POST /v1/files/import: fetch a public http(s) URL into a new file (see src/files/import-url.ts). */
import { createRoute } from "@hono/zod-openapi";
import { bodyLimit } from "hono/body-limit";
import { ApiError } from "../../errors";
import { importFromUrl } from "../../files/import-url";
import { commonErrors, fileQuotaErrors, problemResponse } from "../../schemas/common";
import { FileSchema, toFileObject } from "../../schemas/files";
import { ImportSchema } from "../../schemas/uploads";
import { bearerAuth, createRouter } from "../router";

export const importUrl = createRouter();

const MAX_IMPORT_JSON_BYTES = 16 * 1024;

importUrl.use(
  "/v1/files/import",
  bodyLimit({
    maxSize: MAX_IMPORT_JSON_BYTES,
    onError: () => {
      throw new ApiError("payload_too_large", `the body can be at most ${MAX_IMPORT_JSON_BYTES} bytes`);
    },
  }),
);

const importRoute = createRoute({
  method: "post",
  path: "/v1/files/import",
  summary: "Import a file from a URL",
  description:
    "Fetches a public http(s) URL into a new file: streamed to storage, size-capped (IMPORT_MAX_BYTES) and " +
    "time-limited (IMPORT_TIMEOUT_MS). URLs (and redirects) that reach private, loopback, link-local, " +
    "carrier-grade NAT or metadata addresses, other schemes, or carry credentials are refused with 400.",
  security: bearerAuth,
  request: { body: { required: true, content: { "application/json": { schema: ImportSchema } } } },
  responses: {
    201: {
      description: "Imported.",
      headers: { Location: { schema: { type: "string" }, description: "The file's URL." } },
      content: { "application/json": { schema: FileSchema } },
    },
    ...commonErrors,
    ...fileQuotaErrors,
    400: problemResponse(
      "The URL is not allowed (`url_invalid`, `url_scheme_not_allowed`, `url_credentials_not_allowed`, " +
        "`url_host_not_allowed`, `url_redirect_not_allowed`) or the body is invalid (`validation_failed`).",
    ),
    415: problemResponse(
      "The bytes contradict the Content-Type the source declared (`content_type_mismatch`).",
    ),
    422: problemResponse(
      "The source failed (`import_source_failed`, with `upstreamStatus`), redirected too often " +
        "(`import_too_many_redirects`), was too large (`import_too_large`) or empty (`empty_body`).",
    ),
    502: problemResponse("The URL could not be reached (`import_unreachable`)."),
    504: problemResponse("The import took too long (`import_timeout`)."),
  },
});

importUrl.openapi(importRoute, async (c) => {
  const body = c.req.valid("json");
  const file = await importFromUrl(c.env, c.get("tenant"), body);
  c.header("Location", `/v1/files/${file.id}`);
  return c.json(toFileObject(file), 201);
});
