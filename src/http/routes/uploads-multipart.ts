/**
 * /v1/uploads/s3/...: multipart uploads (up to 5 GiB, the verified-upload cap) and presigned PUT parameters, in the Companion
 * protocol that Uppy's `@uppy/aws-s3` plugin speaks. Point the plugin's `endpoint` at
 * `<sluice>/v1/uploads` (with `headers: {Authorization}`) and it drives these routes as they are:
 * `GET s3/params`, `POST s3/multipart`, `GET s3/multipart/{uploadId}/{partNumber}`,
 * `GET s3/multipart/{uploadId}` (list parts), `POST s3/multipart/{uploadId}/complete` and
 * `DELETE s3/multipart/{uploadId}`. The upload id and key Sluice returns are both the file id.
 */
import { createRoute, z } from "@hono/zod-openapi";
import { notFound } from "../../errors";
import { normalizeFileName } from "../../files/file-name";
import { commonErrors, fileQuotaErrors, problemResponse } from "../../schemas/common";
import {
  CompletedUploadSchema,
  CompletePartsSchema,
  CreateMultipartSchema,
  KeyQuerySchema,
  MediaTypeSchema,
  MultipartCreatedSchema,
  MultipartParamsSchema,
  PartParamsSchema,
  PartSchema,
  PresignedRequestSchema,
  PresignedUploadSchema,
  RecordPartSchema,
  Sha256Schema,
  toCompletedUpload,
  UppyParamsQuerySchema,
} from "../../schemas/uploads";
import { abortUpload, completeUpload } from "../../uploads/complete-upload";
import { uploadContext } from "../../uploads/context";
import { createMultipartUpload, createSingleUpload, MAX_PARTS } from "../../uploads/create-upload";
import { listParts, recordUploadedPart, signPart } from "../../uploads/parts";
import { bearerAuth, createRouter } from "../router";

export const uploadsMultipart = createRouter();

const json = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { "application/json": { schema } },
});
const pendingErrors = {
  ...commonErrors,
  404: problemResponse("No such upload for this tenant (`not_found`)."),
  409: problemResponse(
    "The upload is aborted, complete, or not multipart (`upload_aborted`, `conflict`, …).",
  ),
  410: problemResponse("The upload expired (`upload_expired`)."),
  503: problemResponse("Presigned uploads are not configured (`uploads_not_configured`)."),
};

/** Uppy passes back the `key` it was given; any other key names another upload. */
function assertKey(uploadId: string, key: string | undefined): void {
  if (key !== undefined && key !== uploadId) throw notFound("the upload");
}

/** A declared type, or octet-stream when the client does not know it (Uppy sends "" then). */
const declaredType = (value: string | undefined): string =>
  value ? MediaTypeSchema.catch("application/octet-stream").parse(value) : "application/octet-stream";

uploadsMultipart.openapi(
  createRoute({
    method: "get",
    path: "/v1/uploads/s3/params",
    summary: "Presigned PUT parameters (Uppy getUploadParameters)",
    description:
      "The same as `POST /v1/uploads` in Uppy's shape. Uppy does not send the size; add `metadata[size]` (and " +
      "`metadata[sha256]`) to have them verified. Complete with `POST /v1/uploads/{fileId}/complete`.",
    security: bearerAuth,
    request: { query: UppyParamsQuerySchema },
    responses: { 200: json(PresignedUploadSchema, "The upload URL."), ...pendingErrors },
  }),
  async (c) => {
    const query = c.req.valid("query");
    const { fileId, upload } = await createSingleUpload(uploadContext(c.env, c.get("tenant"), c.req.url), {
      name: normalizeFileName(query.filename),
      contentType: declaredType(query.type),
      size: query["metadata[size]"] ?? null,
      sha256: query["metadata[sha256]"] ?? null,
    });
    return c.json({ fileId, ...upload, fields: { key: fileId } }, 200);
  },
);

uploadsMultipart.openapi(
  createRoute({
    method: "post",
    path: "/v1/uploads/s3/multipart",
    summary: "Start a multipart upload (Uppy createMultipartUpload)",
    description: `Parts: at least 5 MiB each except the last, all the same size, at most ${MAX_PARTS}.`,
    security: bearerAuth,
    request: { body: { required: true, content: { "application/json": { schema: CreateMultipartSchema } } } },
    responses: {
      201: json(MultipartCreatedSchema, "The upload."),
      ...pendingErrors,
      ...fileQuotaErrors,
      422: problemResponse("Too large (`upload_too_large`)."),
      429: problemResponse(
        "The tenant has too many multipart uploads in progress (`pending_upload_quota_exceeded`).",
      ),
    },
  }),
  async (c) => {
    const body = c.req.valid("json");
    const metadata = body.metadata ?? {};
    const metaSize = z.coerce.number().int().positive().safeParse(metadata["size"]);
    const metaSha = Sha256Schema.safeParse(metadata["sha256"]);
    const upload = await createMultipartUpload(uploadContext(c.env, c.get("tenant"), c.req.url), {
      name: normalizeFileName(body.name ?? body.filename),
      contentType: declaredType(body.contentType ?? body.type),
      size: body.size ?? (metaSize.success ? metaSize.data : null),
      sha256: body.sha256 ?? (metaSha.success ? metaSha.data : null),
    });
    return c.json({ uploadId: upload.fileId, key: upload.fileId, maxParts: MAX_PARTS, ...upload }, 201);
  },
);

uploadsMultipart.openapi(
  createRoute({
    method: "get",
    path: "/v1/uploads/s3/multipart/{uploadId}/{partNumber}",
    summary: "Presigned URL for one part (Uppy signPart)",
    security: bearerAuth,
    request: { params: PartParamsSchema, query: KeyQuerySchema },
    responses: {
      200: json(
        PresignedRequestSchema,
        "PUT the part's bytes here; the ETag header of the answer identifies it.",
      ),
      ...pendingErrors,
    },
  }),
  async (c) => {
    const { uploadId, partNumber } = c.req.valid("param");
    assertKey(uploadId, c.req.valid("query").key);
    const signed = await signPart(uploadContext(c.env, c.get("tenant"), c.req.url), uploadId, partNumber);
    return c.json(signed, 200);
  },
);

uploadsMultipart.openapi(
  createRoute({
    method: "put",
    path: "/v1/uploads/s3/multipart/{uploadId}/{partNumber}",
    summary: "Record an uploaded part (optional)",
    description:
      "Tells Sluice a part's ETag and size after uploading it. Only needed where the S3 endpoint cannot list " +
      "parts (wrangler's local emulation); R2 itself answers the list-parts call.",
    security: bearerAuth,
    request: {
      params: PartParamsSchema,
      query: KeyQuerySchema,
      body: { required: true, content: { "application/json": { schema: RecordPartSchema } } },
    },
    responses: { 200: json(PartSchema, "Recorded."), ...pendingErrors },
  }),
  async (c) => {
    const { uploadId, partNumber } = c.req.valid("param");
    assertKey(uploadId, c.req.valid("query").key);
    const { ETag, Size } = c.req.valid("json");
    await recordUploadedPart(uploadContext(c.env, c.get("tenant"), c.req.url), uploadId, {
      partNumber,
      etag: ETag,
      size: Size,
    });
    return c.json({ PartNumber: partNumber, Size, ETag }, 200);
  },
);

uploadsMultipart.openapi(
  createRoute({
    method: "get",
    path: "/v1/uploads/s3/multipart/{uploadId}",
    summary: "List the parts already uploaded (Uppy listParts)",
    description:
      "For resuming: the parts R2 holds, in order. The `Sluice-Parts-Source` header says where the list came from.",
    security: bearerAuth,
    request: { params: MultipartParamsSchema, query: KeyQuerySchema },
    responses: { 200: json(z.array(PartSchema), "The parts."), ...pendingErrors },
  }),
  async (c) => {
    const { uploadId } = c.req.valid("param");
    assertKey(uploadId, c.req.valid("query").key);
    const listed = await listParts(uploadContext(c.env, c.get("tenant"), c.req.url), uploadId);
    c.header("Sluice-Parts-Source", listed.source);
    return c.json(
      listed.parts.map((part) => ({ PartNumber: part.partNumber, Size: part.size, ETag: part.etag })),
      200,
    );
  },
);

uploadsMultipart.openapi(
  createRoute({
    method: "post",
    path: "/v1/uploads/s3/multipart/{uploadId}/complete",
    summary: "Complete a multipart upload (Uppy completeMultipartUpload)",
    description:
      "Assembles the parts, verifies the result like `POST /v1/uploads/{fileId}/complete`, and answers the file.",
    security: bearerAuth,
    request: {
      params: MultipartParamsSchema,
      query: KeyQuerySchema,
      body: { required: true, content: { "application/json": { schema: CompletePartsSchema } } },
    },
    responses: {
      200: json(CompletedUploadSchema, "Already completed: the same file."),
      201: json(CompletedUploadSchema, "Verified: the new file (`location` is its API path)."),
      ...pendingErrors,
      422: problemResponse("The parts cannot be assembled, or the result fails verification (see complete)."),
    },
  }),
  async (c) => {
    const { uploadId } = c.req.valid("param");
    assertKey(uploadId, c.req.valid("query").key);
    const parts = c.req.valid("json").parts ?? [];
    const { file, created } = await completeUpload(
      uploadContext(c.env, c.get("tenant"), c.req.url),
      uploadId,
      parts.map((part) => ({ partNumber: part.PartNumber, etag: part.ETag })),
    );
    c.header("Location", `/v1/files/${file.id}`);
    return c.json(toCompletedUpload(file), created ? 201 : 200);
  },
);

uploadsMultipart.openapi(
  createRoute({
    method: "delete",
    path: "/v1/uploads/s3/multipart/{uploadId}",
    summary: "Abort a multipart upload (Uppy abortMultipartUpload)",
    description: "Answers 200 with `{}` (Uppy parses the body as JSON).",
    security: bearerAuth,
    request: { params: MultipartParamsSchema, query: KeyQuerySchema },
    responses: { 200: json(z.object({}), "Aborted."), ...pendingErrors },
  }),
  async (c) => {
    const { uploadId } = c.req.valid("param");
    assertKey(uploadId, c.req.valid("query").key);
    await abortUpload(uploadContext(c.env, c.get("tenant"), c.req.url), uploadId);
    return c.json({}, 200);
  },
);
