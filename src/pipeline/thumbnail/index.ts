/**
 * The thumbnail stage: small pictures of an image or of a PDF's first page, with photon (WebAssembly)
 * for images and PDFium for rendering pages. Per job: one or several sizes, fit `inside` (whole image, longest side = size) or
 * `cover` (a filled square), JPEG/PNG/WebP. EXIF orientation is applied (rotated phone photos come out
 * upright); alpha is kept in PNG and WebP and flattened over white in JPEG; animated GIF and WebP give
 * their first frame. The header is checked before decoding (JPEG coding process, truncation) and the
 * decode route is chosen from it (source.ts: large JPEGs at reduced scale, others in full up to the pixel
 * limit). A PDF's first page is rendered (pdf-page.ts) and thumbnailed like an image. Text files are
 * skipped with a reason.
 */
import { thumbnailSizes } from "../options";
import { StageError, type JsonObject, type Stage, type StageInput, type StageOutcome } from "../stage";
import { renderFirstPage } from "./pdf-page";
import { renderThumbnails, type ImageSource } from "./photon";
import { planThumbnails } from "./plan";
import { preflight } from "./preflight";
import { decodeSource } from "./source";

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
        return thumbnailOfPdf(input);
      case "text":
        return {
          status: "skipped",
          reason: {
            code: "not_an_image",
            message: `thumbnails are made of images and PDFs; this is ${mime}`,
          },
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
  const header = preflight(input.bytes, format);
  const sizes = thumbnailSizes(input.options.thumbnail);
  const decoded = await decodeSource(
    input.bytes,
    header,
    input.limits,
    sizes[0] ?? 256,
    input.options.thumbnail.fit,
  );
  const thumbnails = await render(
    input,
    decoded.source,
    decoded,
    header.orientation,
    header.hasAlpha,
    header,
  );
  return {
    status: "completed",
    result: {
      thumbnails,
      source: {
        width: header.width,
        height: header.height,
        imageFormat: header.format,
        orientation: header.orientation,
        decode: decoded.decode,
      },
    },
  };
}

async function thumbnailOfPdf(input: StageInput): Promise<StageOutcome> {
  const sizes = thumbnailSizes(input.options.thumbnail);
  const page = await renderFirstPage(input.bytes, input.limits, sizes[0] ?? 256, input.options.thumbnail.fit);
  const source: ImageSource = { kind: "pixels", rgba: page.rgba, width: page.width, height: page.height };
  const thumbnails = await render(input, source, page, 1, false);
  return {
    status: "completed",
    result: {
      thumbnails,
      source: {
        width: page.width,
        height: page.height,
        imageFormat: "pdf",
        orientation: 1,
        decode: "pdfium",
        page: { number: 1, widthPt: round2(page.widthPt), heightPt: round2(page.heightPt) },
        pageCount: page.pageCount,
      },
    },
  };
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

async function render(
  input: StageInput,
  source: ImageSource,
  decoded: { width: number; height: number },
  orientation: number,
  hasAlpha: boolean,
  original: { width: number; height: number } = decoded,
): Promise<JsonObject[]> {
  const options = input.options.thumbnail;
  const plan = planThumbnails(decoded, orientation, thumbnailSizes(options), options.fit, original);
  const rendered = renderThumbnails({
    source,
    plan,
    orientation,
    hasAlpha,
    format: options.format,
    quality: options.quality,
  });
  const { ext, mime } = FORMATS[options.format];
  const thumbnails: JsonObject[] = [];
  for (const thumb of [...rendered].reverse()) {
    const ref = await input.outputs.write(`thumbnail-${thumb.size}.${ext}`, thumb.bytes, mime);
    thumbnails.push({
      size: thumb.size,
      width: thumb.width,
      height: thumb.height,
      fit: options.fit,
      format: options.format,
      bytes: ref.bytes,
      url: ref.url,
    });
  }
  return thumbnails;
}
