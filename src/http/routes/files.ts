/** /v1/files: upload (raw body or multipart/form-data), list, read metadata, download, delete. */
import { createRoute, z } from "@hono/zod-openapi";
import { getConfig } from "../../config";
import { ApiError, notFound } from "../../errors";
import { mediaTypeEssence } from "../../files/content-type";
import { deleteFile } from "../../files/delete-file";
import { normalizeFileName } from "../../files/file-name";
import { storeUpload } from "../../files/store-upload";
import { storeFormUploads } from "../../files/form-upload";
import { commonErrors, fileQuotaErrors, PageQuerySchema, problemResponse } from "../../schemas/common";
import {
  FileIdParamSchema,
  FileListSchema,
  FileSchema,
  toFileObject,
  UploadedFilesSchema,
  UploadQuerySchema,
} from "../../schemas/files";
import { getFile, listFiles } from "../../storage/files-repo";
import { filesBucket } from "../../tenancy/tenant";
import { decodeCursor, paginate } from "../cursor";
import { bearerAuth, createRouter } from "../router";
import { serveObject } from "../serve-object";

export const files = createRouter();

const uploadRoute = createRoute({
  method: "post",
  path: "/v1/files",
  summary: "Upload a file",
  description:
    "Send the bytes as the raw body (any content type; the name in `?name=`), or as `multipart/form-data` " +
    "with one or more `file` parts. Bytes are streamed to storage; size, SHA-256 and the content type " +
    "(sniffed from the bytes) are computed on the way. A declared type the bytes contradict (an " +
    "`image/png` that is HTML) is refused with 415; the size limit holds with or without Content-Length.",
  security: bearerAuth,
  request: {
    query: UploadQuerySchema,
    body: {
      required: true,
      content: {
        "application/octet-stream": { schema: { type: "string", format: "binary" } },
        "multipart/form-data": {
          schema: {
            type: "object",
            properties: { file: { type: "array", items: { type: "string", format: "binary" } } },
            required: ["file"],
          },
        },
      },
    },
  },
  responses: {
    201: {
      description: "Stored. A raw upload answers the file; a form upload answers `{files}`.",
      content: { "application/json": { schema: z.union([FileSchema, UploadedFilesSchema]) } },
    },
    ...commonErrors,
    ...fileQuotaErrors,
    413: problemResponse("The file is larger than the upload limit (`payload_too_large`)."),
    415: problemResponse("The bytes are not of the declared Content-Type (`content_type_mismatch`)."),
    422: problemResponse("The body is empty (`empty_body`)."),
  },
});

files.openapi(uploadRoute, async (c) => {
  const config = getConfig(c.env);
  const tenant = c.get("tenant");
  const declaredLength = Number(c.req.header("Content-Length") ?? Number.NaN);
  if (declaredLength > config.MAX_UPLOAD_BYTES) {
    throw new ApiError("payload_too_large", `files can be at most ${config.MAX_UPLOAD_BYTES} bytes`, {
      limit: config.MAX_UPLOAD_BYTES,
    });
  }
  const declaredType = mediaTypeEssence(c.req.header("Content-Type"));
  if (declaredType === "multipart/form-data") {
    const stored = await storeFormUploads(c.env, c.req.raw, tenant, config.MAX_UPLOAD_BYTES);
    return c.json({ files: stored.map(toFileObject) }, 201);
  }
  const body = c.req.raw.body as ReadableStream<Uint8Array> | null;
  if (!body || declaredLength === 0) throw new ApiError("empty_body", "the body is empty (0 bytes)");
  const file = await storeUpload(c.env, {
    tenant,
    name: normalizeFileName(c.req.valid("query").name),
    declaredType,
    body,
    maxBytes: config.MAX_UPLOAD_BYTES,
  });
  c.header("Location", `/v1/files/${file.id}`);
  return c.json(toFileObject(file), 201);
});

const listRoute = createRoute({
  method: "get",
  path: "/v1/files",
  summary: "List files",
  description: "The tenant's files, newest first.",
  security: bearerAuth,
  request: { query: PageQuerySchema },
  responses: {
    200: { description: "A page of files.", content: { "application/json": { schema: FileListSchema } } },
    ...commonErrors,
  },
});

files.openapi(listRoute, async (c) => {
  const { limit, cursor } = c.req.valid("query");
  const rows = await listFiles(c.env.DB, c.get("tenant").id, limit + 1, decodeCursor(cursor));
  const { page, nextCursor } = paginate(rows, limit);
  return c.json({ files: page.map(toFileObject), nextCursor }, 200);
});

const getRoute = createRoute({
  method: "get",
  path: "/v1/files/{id}",
  summary: "Get a file's metadata",
  security: bearerAuth,
  request: { params: FileIdParamSchema },
  responses: {
    200: { description: "The file.", content: { "application/json": { schema: FileSchema } } },
    ...commonErrors,
    404: problemResponse("No such file for this tenant (`not_found`)."),
  },
});

files.openapi(getRoute, async (c) => {
  const file = await getFile(c.env.DB, c.get("tenant").id, c.req.valid("param").id);
  if (!file) throw notFound("the file");
  return c.json(toFileObject(file), 200);
});

const contentRoute = createRoute({
  method: "get",
  path: "/v1/files/{id}/content",
  summary: "Download a file's bytes",
  description: "Supports `Range` requests (206 with `Content-Range`).",
  security: bearerAuth,
  request: { params: FileIdParamSchema },
  responses: {
    200: {
      description: "The bytes.",
      content: { "application/octet-stream": { schema: { type: "string", format: "binary" } } },
    },
    206: { description: "The requested range." },
    ...commonErrors,
    404: problemResponse("No such file for this tenant (`not_found`)."),
    416: problemResponse("The range is outside the file (`range_not_satisfiable`)."),
  },
});

files.openapi(contentRoute, async (c) => {
  const tenant = c.get("tenant");
  const file = await getFile(c.env.DB, tenant.id, c.req.valid("param").id);
  if (!file) throw notFound("the file");
  return serveObject(c, filesBucket(c.env, tenant), file.r2Key, {
    contentType: file.contentType,
    fileName: file.name,
  });
});

const deleteRoute = createRoute({
  method: "delete",
  path: "/v1/files/{id}",
  summary: "Delete a file",
  description:
    "Cancels the file's work in jobs still running it, then deletes the bytes, every stage output derived " +
    "from them, its search entries and the listing entry.",
  security: bearerAuth,
  request: { params: FileIdParamSchema },
  responses: {
    204: { description: "Deleted." },
    ...commonErrors,
    404: problemResponse("No such file for this tenant (`not_found`)."),
  },
});

files.openapi(deleteRoute, async (c) => {
  const deleted = await deleteFile(c.env, c.get("tenant"), c.req.valid("param").id);
  if (!deleted) throw notFound("the file");
  return c.body(null, 204);
});
