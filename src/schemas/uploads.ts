/**
 * Request and response schemas of /v1/uploads (presigned single and multipart uploads) and
 * /v1/files/import. The multipart routes use the names and shapes Uppy's `@uppy/aws-s3` plugin
 * (Companion protocol) sends and reads: `{filename, type, metadata}`, `{uploadId, key}`, `{url}`,
 * `[{PartNumber, Size, ETag}]`, `{parts}` and `{location}`; Sluice-native names are accepted too.
 */
import { z } from "@hono/zod-openapi";
import { FileIdSchema } from "../ids";
import type { FileRecord } from "../storage/files-repo";
import { FileSchema, toFileObject } from "./files";

const MEDIA_TYPE = /^[a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+$/i;

export const Sha256Schema = z
  .string()
  .regex(/^[0-9a-fA-F]{64}$/, "must be 64 hexadecimal characters")
  .transform((hex) => hex.toLowerCase())
  .openapi({
    description: "SHA-256 of the bytes, hex.",
    example: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
  });

export const MediaTypeSchema = z
  .string()
  .max(255)
  .transform((value) => value.split(";")[0]?.trim().toLowerCase() ?? "")
  .refine((value) => MEDIA_TYPE.test(value), "must be a media type such as application/pdf")
  .openapi({ example: "application/pdf" });

export const CreateUploadSchema = z
  .object({
    name: z.string().min(1).max(1024).openapi({ example: "report.pdf" }),
    size: z
      .number()
      .int()
      .positive()
      .openapi({ description: "Exact size in bytes; checked on completion.", example: 1016315 }),
    contentType: MediaTypeSchema,
    sha256: Sha256Schema.optional(),
    expiresIn: z.number().int().min(1).max(604_800).optional().openapi({
      description: "Seconds the URL stays valid (at most UPLOAD_URL_TTL_SECONDS, the default).",
    }),
  })
  .openapi("CreateUpload");

export const PresignedRequestSchema = z.object({
  method: z.literal("PUT"),
  url: z.url(),
  headers: z
    .record(z.string(), z.string())
    .openapi({ description: "Send exactly these headers: they are signed." }),
  expires: z.number().int().openapi({ description: "Seconds the URL is valid for." }),
  expiresAt: z.iso.datetime(),
});

export const PresignedUploadSchema = PresignedRequestSchema.extend({
  fileId: FileIdSchema,
  fields: z.object({ key: FileIdSchema }).openapi({
    description: "For Uppy: it reports `fields.key` back (as the upload's `key`) when a PUT upload succeeds.",
  }),
}).openapi("PresignedUpload");

export const UploadIdParamSchema = z.object({
  fileId: FileIdSchema.openapi({
    param: { name: "fileId", in: "path" },
    example: "file_01JD3Z6W8F4Q2X7V9K1M3N5P7R",
  }),
});

export const UploadStatusSchema = z
  .object({
    fileId: FileIdSchema,
    kind: z.enum(["single", "multipart"]),
    state: z.enum(["pending", "completed", "rejected", "aborted"]),
    name: z.string(),
    size: z.number().int().nullable(),
    contentType: z.string().nullable(),
    error: z.object({ code: z.string(), detail: z.string() }).nullable(),
    expiresAt: z.iso.datetime(),
  })
  .openapi("UploadStatus");

export const CompletedUploadSchema = FileSchema.extend({
  location: z
    .string()
    .openapi({ description: "The file's API path.", example: "/v1/files/file_01JD3Z6W8F4Q2X7V9K1M3N5P7R" }),
}).openapi("CompletedUpload");

export const toCompletedUpload = (file: FileRecord) => ({
  ...toFileObject(file),
  location: `/v1/files/${file.id}`,
});

export const CompletePartsSchema = z
  .object({
    parts: z
      .array(z.object({ PartNumber: z.number().int().min(1).max(10_000), ETag: z.string().min(1).max(256) }))
      .max(10_000)
      .optional(),
  })
  .openapi("CompleteParts");

export const UppyParamsQuerySchema = z.object({
  filename: z
    .string()
    .min(1)
    .max(1024)
    .openapi({ param: { name: "filename", in: "query" } }),
  type: z
    .string()
    .max(255)
    .optional()
    .openapi({ param: { name: "type", in: "query" } }),
  "metadata[size]": z.coerce
    .number()
    .int()
    .positive()
    .optional()
    .openapi({ param: { name: "metadata[size]", in: "query" } }),
  "metadata[sha256]": Sha256Schema.optional().openapi({ param: { name: "metadata[sha256]", in: "query" } }),
});

export const CreateMultipartSchema = z
  .object({
    filename: z.string().min(1).max(1024).optional(),
    name: z.string().min(1).max(1024).optional(),
    type: z.string().max(255).optional(),
    contentType: z.string().max(255).optional(),
    size: z.number().int().positive().optional(),
    sha256: Sha256Schema.optional(),
    metadata: z.record(z.string(), z.unknown()).optional(),
  })
  .refine((body) => body.name ?? body.filename, { message: "name (or filename) is required", path: ["name"] })
  .openapi("CreateMultipartUpload");

export const MultipartCreatedSchema = z
  .object({
    uploadId: z
      .string()
      .openapi({ description: "Pass back as {uploadId} in the part, list, complete and abort routes." }),
    key: z
      .string()
      .openapi({ description: "Pass back as ?key= (Uppy does); Sluice chose it, the client cannot." }),
    fileId: FileIdSchema,
    partSize: z
      .number()
      .int()
      .openapi({ description: "Suggested part size (every part but the last exactly this size)." }),
    partCount: z.number().int().nullable(),
    maxParts: z.number().int(),
    expiresAt: z.iso.datetime(),
  })
  .openapi("MultipartUpload");

export const PartParamsSchema = z.object({
  uploadId: FileIdSchema.openapi({ param: { name: "uploadId", in: "path" } }),
  partNumber: z.coerce
    .number()
    .int()
    .min(1)
    .max(10_000)
    .openapi({ param: { name: "partNumber", in: "path" } }),
});

export const MultipartParamsSchema = z.object({
  uploadId: FileIdSchema.openapi({ param: { name: "uploadId", in: "path" } }),
});

export const KeyQuerySchema = z.object({
  key: z
    .string()
    .max(1024)
    .optional()
    .openapi({ param: { name: "key", in: "query" } }),
});

export const PartSchema = z
  .object({ PartNumber: z.number().int(), Size: z.number().int(), ETag: z.string() })
  .openapi("Part");

export const RecordPartSchema = z
  .object({ ETag: z.string().min(1).max(256), Size: z.number().int().positive() })
  .openapi("RecordPart");

export const ImportSchema = z
  .object({
    url: z.string().min(1).max(4096).openapi({ example: "https://example.com/report.pdf" }),
    name: z
      .string()
      .min(1)
      .max(1024)
      .optional()
      .openapi({ description: "File name (default: from the response or URL)." }),
  })
  .openapi("ImportUrl");
