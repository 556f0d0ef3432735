/**
 * The thumbnail stage: a small picture of an image, with photon (WebAssembly). The longest side becomes
 * `options.thumbnail.size` (never enlarged), the aspect ratio is kept, EXIF orientation is applied so
 * the thumbnail is upright, and the result is encoded as JPEG (over white where the image is
 * transparent), PNG or WebP. The header is checked before decoding (size limit, JPEG coding process,
 * truncation). Text and PDF files are skipped (PDF thumbnails need page rendering, which comes later).
 */
import { StageError, type Stage, type StageInput, type StageOutcome } from "../stage";
import { renderThumbnail } from "./photon";
import { planThumbnail } from "./plan";
import { preflight } from "./preflight";

const FORMATS = {
  jpeg: { ext: "jpg", mime: "image/jpeg" },
  png: { ext: "png", mime: "image/png" },
  webp: { ext: "webp", mime: "image/webp" },
} as const;

export const thumbnailStage: Stage = {
  name: "thumbnail",
  async run(input) {
    const { kind, mime } = input.sniffed;
    switch (kind) {
      case "image":
        return thumbnailOfImage(input);
      case "pdf":
      case "text":
        return {
          status: "skipped",
          reason: { code: "not_an_image", message: `thumbnails are made of images only; this is ${mime}` },
        };
      case "empty":
        throw new StageError("empty_file", "the file is empty (0 bytes)");
      case "unknown":
        throw new StageError("unsupported_type", `the content is not a supported type (${mime})`);
    }
  },
};

async function thumbnailOfImage(input: StageInput): Promise<StageOutcome> {
  const format = input.sniffed.image;
  if (!format)
    throw new StageError("unsupported_type", `no image format was recognised in ${input.sniffed.mime}`);
  const header = preflight(input.bytes, format, input.limits);
  const options = input.options.thumbnail;
  const plan = planThumbnail(header, header.orientation, options.size);
  const rendered = renderThumbnail({
    bytes: input.bytes,
    plan,
    orientation: header.orientation,
    hasAlpha: header.hasAlpha,
    format: options.format,
    quality: options.quality,
  });
  const { ext, mime } = FORMATS[options.format];
  const ref = await input.outputs.write(`thumbnail-${options.size}.${ext}`, rendered.bytes, mime);
  return {
    status: "completed",
    result: {
      thumbnails: [
        {
          width: rendered.width,
          height: rendered.height,
          format: options.format,
          bytes: ref.bytes,
          url: ref.url,
        },
      ],
      source: {
        width: header.width,
        height: header.height,
        imageFormat: header.format,
        orientation: header.orientation,
      },
    },
  };
}
