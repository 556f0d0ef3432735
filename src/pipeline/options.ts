import { z } from "zod";

/** Per-job options for the thumbnail stage. */
export const ThumbnailOptionsSchema = z
  .object({
    size: z
      .number()
      .int()
      .min(16)
      .max(2048)
      .default(256)
      .describe("Longest side of the thumbnail in pixels; the aspect ratio is kept."),
    format: z.enum(["jpeg", "png", "webp"]).default("jpeg").describe("Encoding of the thumbnail."),
    quality: z
      .number()
      .int()
      .min(1)
      .max(100)
      .default(80)
      .describe("JPEG quality (ignored for png and webp)."),
  })
  .strict();

/** Options a job applies to every file; each stage reads its own section. */
export const JobOptionsSchema = z
  .object({
    thumbnail: ThumbnailOptionsSchema.default(() => ThumbnailOptionsSchema.parse({})),
  })
  .strict();

export type ThumbnailOptions = z.infer<typeof ThumbnailOptionsSchema>;
export type JobOptions = z.infer<typeof JobOptionsSchema>;

export const DEFAULT_JOB_OPTIONS: JobOptions = JobOptionsSchema.parse({});
