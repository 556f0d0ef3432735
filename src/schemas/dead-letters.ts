/** Request and response schemas of the /v1/dead-letters routes. */
import { z } from "@hono/zod-openapi";
import { FileIdSchema, JobIdSchema } from "../ids";
import { DEAD_LETTER_ID, DEAD_LETTER_STATUSES, type DeadLetterRecord } from "../storage/dead-letters-repo";
import { Iso, PageQuerySchema, toIso, toIsoOrNull } from "./common";

export const DeadLetterIdSchema = z
  .string()
  .regex(DEAD_LETTER_ID, "must be a dead letter id (dl_ followed by 26 characters)");

export const DeadLetterSchema = z
  .object({
    id: DeadLetterIdSchema.openapi({ example: "dl_01JD3Z7A2B4C6D8E0F1G3H5J7K" }),
    jobId: JobIdSchema,
    fileId: FileIdSchema,
    status: z.enum(DEAD_LETTER_STATUSES).openapi({
      description:
        "`open`: the file failed and can be re-driven; `redriven`: it was sent to run again; " +
        "`resolved`: the file finished some other way, nothing to do.",
    }),
    error: z
      .object({ code: z.string(), message: z.string() })
      .nullable()
      .openapi({ description: "The last error a stage reported for the file (null when none did)." }),
    attempts: z.number().int().openapi({ description: "How many times a consumer claimed the file." }),
    firstSeenAt: Iso,
    lastSeenAt: Iso,
    redrivenAt: Iso.nullable(),
    redrives: z.number().int(),
  })
  .openapi("DeadLetter");

export type DeadLetterObject = z.infer<typeof DeadLetterSchema>;

export const DeadLetterListSchema = z
  .object({ deadLetters: z.array(DeadLetterSchema), nextCursor: z.string().nullable() })
  .openapi("DeadLetterList");

export const DeadLetterQuerySchema = PageQuerySchema.extend({
  status: z
    .enum(DEAD_LETTER_STATUSES)
    .optional()
    .openapi({ param: { name: "status", in: "query" }, description: "Only dead letters in this status." }),
});

export const DeadLetterIdParamSchema = z.object({
  id: DeadLetterIdSchema.openapi({ param: { name: "id", in: "path" } }),
});

export const toDeadLetterObject = (record: DeadLetterRecord): DeadLetterObject => ({
  id: record.id,
  jobId: record.jobId,
  fileId: record.fileId,
  status: record.status,
  error: record.error,
  attempts: record.attempts,
  firstSeenAt: toIso(record.firstSeenAt),
  lastSeenAt: toIso(record.lastSeenAt),
  redrivenAt: toIsoOrNull(record.redrivenAt),
  redrives: record.redrives,
});
