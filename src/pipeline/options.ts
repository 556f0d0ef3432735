/**
 * Per-job options, validated by zod at the API boundary; each stage reads its own section. Every field
 * has a default, so `{}` (or no options at all) is a complete, valid set. Fields are only ever added:
 * `thumbnail.size`, `format` and `quality` keep their meaning, `sizes` and `fit` came later.
 */
import { z } from "zod";

export const THUMBNAIL_MIN_SIZE = 16;
export const THUMBNAIL_MAX_SIZE = 2048;
/** At most this many thumbnail sizes per job (each one is an encode and an output per image). */
export const THUMBNAIL_MAX_SIZES = 4;

const thumbnailSize = z.number().int().min(THUMBNAIL_MIN_SIZE).max(THUMBNAIL_MAX_SIZE);

/** Per-job options for the thumbnail stage. */
export const ThumbnailOptionsSchema = z
  .object({
    size: thumbnailSize
      .default(256)
      .describe("Longest side of the thumbnail in pixels (`inside`) or its side (`cover`)."),
    sizes: z
      .array(thumbnailSize)
      .min(1)
      .max(THUMBNAIL_MAX_SIZES)
      .refine((sizes) => new Set(sizes).size === sizes.length, "sizes must not repeat")
      .optional()
      .describe(
        `Several thumbnail sizes (at most ${THUMBNAIL_MAX_SIZES}); when given, they replace \`size\`.`,
      ),
    fit: z
      .enum(["inside", "cover"])
      .default("inside")
      .describe(
        "`inside`: the whole image, longest side = size, aspect ratio kept. `cover`: a size x size " +
          "square filled by the image, centred, the overflow cut off.",
      ),
    format: z.enum(["jpeg", "png", "webp"]).default("jpeg").describe("Encoding of the thumbnail."),
    quality: z
      .number()
      .int()
      .min(1)
      .max(100)
      .default(80)
      .describe("JPEG quality (ignored for png and webp, which photon encodes losslessly)."),
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

/** The thumbnail sizes a job asks for, largest first (`sizes` when given, else `size`). */
export function thumbnailSizes(options: ThumbnailOptions): number[] {
  return [...(options.sizes ?? [options.size])].sort((a, b) => b - a);
}
