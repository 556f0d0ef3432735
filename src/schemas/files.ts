/** Request and response schemas of the /v1/files routes. */
import { z } from "@hono/zod-openapi";
import { FileIdSchema } from "../ids";
import type { FileRecord } from "../storage/files-repo";
import { Iso, toIso } from "./common";

export const FileSchema = z
  .object({
    id: FileIdSchema.openapi({ example: "file_01JD3Z6W8F4Q2X7V9K1M3N5P7R" }),
    name: z.string().openapi({ example: "report.pdf" }),
    size: z.number().int().nonnegative().openapi({ example: 1016315 }),
    contentType: z.string().openapi({ example: "application/pdf" }),
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
    createdAt: Iso,
  })
  .openapi("File");

export type FileObject = z.infer<typeof FileSchema>;

export const FileListSchema = z
  .object({ files: z.array(FileSchema), nextCursor: z.string().nullable() })
  .openapi("FileList");

export const UploadedFilesSchema = z.object({ files: z.array(FileSchema) }).openapi("UploadedFiles");

export const FileIdParamSchema = z.object({
  id: FileIdSchema.openapi({ param: { name: "id", in: "path" }, example: "file_01JD3Z6W8F4Q2X7V9K1M3N5P7R" }),
});

export const UploadQuerySchema = z.object({
  name: z
    .string()
    .min(1)
    .max(1024)
    .optional()
    .openapi({
      param: { name: "name", in: "query" },
      description: "File name for a raw-body upload (defaults to `upload`).",
    }),
});

export const toFileObject = (file: FileRecord): FileObject => ({
  id: file.id,
  name: file.name,
  size: file.size,
  contentType: file.contentType,
  sha256: file.sha256,
  createdAt: toIso(file.createdAt),
});
