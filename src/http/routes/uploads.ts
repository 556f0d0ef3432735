/**
 * /v1/uploads: bytes that go straight to R2 instead of through the Worker. A presigned single PUT
 * (`POST /v1/uploads`, then `POST /v1/uploads/{fileId}/complete`), the upload's status, and aborting.
 * Multipart uploads (and Uppy's protocol) live in uploads-multipart.ts and are mounted here.
 */
import { createRoute } from "@hono/zod-openapi";
import { bodyLimit } from "hono/body-limit";
import { ApiError } from "../../errors";
import { normalizeFileName } from "../../files/file-name";
import { commonErrors, fileQuotaErrors, problemResponse } from "../../schemas/common";
import {
  CompletedUploadSchema,
  CompletePartsSchema,
  CreateUploadSchema,
  PresignedUploadSchema,
  UploadIdParamSchema,
  toCompletedUpload,
  UploadStatusSchema,
} from "../../schemas/uploads";
import { uploadContext, findUpload } from "../../uploads/context";
import { abortUpload, completeUpload } from "../../uploads/complete-upload";
import { createSingleUpload } from "../../uploads/create-upload";
import { bearerAuth, createRouter } from "../router";
import { uploadsMultipart } from "./uploads-multipart";

export const uploads = createRouter();

/** Completing 10,000 parts is ~600 KB of JSON; nothing else here comes close. */
const MAX_UPLOADS_JSON_BYTES = 2 * 1024 * 1024;

uploads.use(
  "/v1/uploads/*",
  bodyLimit({
    maxSize: MAX_UPLOADS_JSON_BYTES,
    onError: () => {
      throw new ApiError(
        "payload_too_large",
        `upload requests can be at most ${MAX_UPLOADS_JSON_BYTES} bytes`,
      );
    },
  }),
);

const notConfigured = {
  503: problemResponse("Presigned uploads are not configured (`uploads_not_configured`)."),
};
const notFoundResponse = { 404: problemResponse("No such upload for this tenant (`not_found`).") };

const createRouteDef = createRoute({
  method: "post",
  path: "/v1/uploads",
  summary: "Start a presigned upload",
  description:
    "Returns a short-lived URL to PUT the bytes straight to storage, with the headers to send. Then call " +
    "`POST /v1/uploads/{fileId}/complete`: only a verified upload becomes a file. Up to 5 GiB; larger files " +
    "use a multipart upload (`POST /v1/uploads/s3/multipart`).",
  security: bearerAuth,
  request: { body: { required: true, content: { "application/json": { schema: CreateUploadSchema } } } },
  responses: {
    201: {
      description: "The upload URL.",
      content: { "application/json": { schema: PresignedUploadSchema } },
    },
    ...commonErrors,
    ...fileQuotaErrors,
    422: problemResponse("The declared size is above the limit (`upload_too_large`)."),
    ...notConfigured,
  },
});

uploads.openapi(createRouteDef, async (c) => {
  const body = c.req.valid("json");
  const { fileId, upload } = await createSingleUpload(
    uploadContext(c.env, c.get("tenant"), c.req.url),
    {
      name: normalizeFileName(body.name),
      contentType: body.contentType,
      size: body.size,
      sha256: body.sha256 ?? null,
    },
    body.expiresIn,
  );
  return c.json({ fileId, ...upload, fields: { key: fileId } }, 201);
});

const completeRouteDef = createRoute({
  method: "post",
  path: "/v1/uploads/{fileId}/complete",
  summary: "Complete an upload",
  description:
    "Verifies what arrived (present, declared size, content type family, SHA-256 when declared) and makes it " +
    "a file. Multipart uploads send their `parts`. Completing again returns the same file (200).",
  security: bearerAuth,
  request: {
    params: UploadIdParamSchema,
    body: { required: false, content: { "application/json": { schema: CompletePartsSchema } } },
  },
  responses: {
    200: {
      description: "Already completed: the same file.",
      content: { "application/json": { schema: CompletedUploadSchema } },
    },
    201: {
      description: "Verified: the new file.",
      content: { "application/json": { schema: CompletedUploadSchema } },
    },
    ...commonErrors,
    ...notFoundResponse,
    409: problemResponse("The upload was aborted (`upload_aborted`)."),
    410: problemResponse("The upload expired (`upload_expired`)."),
    422: problemResponse(
      "Nothing arrived yet (`upload_object_missing`), or what arrived does not match the declaration " +
        "(`upload_size_mismatch`, `upload_type_mismatch`, `upload_checksum_mismatch`, `upload_too_large`, " +
        "`empty_body`), or the parts cannot be assembled (`upload_parts_invalid`).",
    ),
  },
});

uploads.openapi(completeRouteDef, async (c) => {
  const parts = c.req.valid("json").parts ?? null;
  const { file, created } = await completeUpload(
    uploadContext(c.env, c.get("tenant"), c.req.url),
    c.req.valid("param").fileId,
    parts?.map((part) => ({ partNumber: part.PartNumber, etag: part.ETag })) ?? null,
  );
  c.header("Location", `/v1/files/${file.id}`);
  return c.json(toCompletedUpload(file), created ? 201 : 200);
});

const statusRouteDef = createRoute({
  method: "get",
  path: "/v1/uploads/{fileId}",
  summary: "Get an upload's state",
  security: bearerAuth,
  request: { params: UploadIdParamSchema },
  responses: {
    200: { description: "The upload.", content: { "application/json": { schema: UploadStatusSchema } } },
    ...commonErrors,
    ...notFoundResponse,
  },
});

uploads.openapi(statusRouteDef, async (c) => {
  const upload = await findUpload(
    uploadContext(c.env, c.get("tenant"), c.req.url),
    c.req.valid("param").fileId,
  );
  return c.json(
    {
      fileId: upload.fileId,
      kind: upload.kind,
      state: upload.state,
      name: upload.name,
      size: upload.size,
      contentType: upload.contentType,
      error: upload.errorCode ? { code: upload.errorCode, detail: upload.errorDetail ?? "" } : null,
      expiresAt: new Date(upload.expiresAt).toISOString(),
    },
    200,
  );
});

const abortRouteDef = createRoute({
  method: "delete",
  path: "/v1/uploads/{fileId}",
  summary: "Abort an upload",
  description: "Aborts a pending upload and deletes what it stored. Aborting twice is fine.",
  security: bearerAuth,
  request: { params: UploadIdParamSchema },
  responses: {
    204: { description: "Aborted." },
    ...commonErrors,
    ...notFoundResponse,
    409: problemResponse("The upload is already complete (`conflict`)."),
  },
});

uploads.openapi(abortRouteDef, async (c) => {
  await abortUpload(uploadContext(c.env, c.get("tenant"), c.req.url), c.req.valid("param").fileId);
  return c.body(null, 204);
});

uploads.route("/", uploadsMultipart);
