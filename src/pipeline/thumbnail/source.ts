/**
 * How an image is decoded for its thumbnails, decided from the header. Images up to the pixel limit are
 * decoded in full by photon (about 12 bytes per pixel). Larger ones are decoded straight to a reduced
 * size, as libvips' and browsers' "shrink on load" do, so memory no longer depends on the image's size:
 * a JPEG at 1/8 scale from its DC coefficients (jpeg/dc-decode.ts) when that is at least as large as the
 * biggest thumbnail, a PNG row by row into an area-filter grid (png/decode-reduced.ts), a still WebP by
 * libwebp's scaled decoding (webp/scaled-decode.ts), the first frame of a GIF by LZW row by row
 * (gif/decode-reduced.ts). Anything else above the limit (animated WebP, a JPEG thumbnail bigger than its
 * 1/8 scale) is refused with `image_too_large`, naming the limit; so is
 * any image over `MAX_REDUCED_PIXELS` (decode time grows with pixels: a pixel bomb stops here).
 */
import type { Fit } from "./plan";
import type { ImageHeader } from "../extract/image-header";
import { StageError, type ProcessingLimits } from "../stage";
import type { ImageSource } from "./photon";
import { decodeJpegEighth } from "./jpeg/dc-decode";
import { decodeGifReduced } from "./gif/decode-reduced";
import { readPngChunks } from "./png/chunks";
import { decodePngReduced } from "./png/decode-reduced";
import { reducedSize } from "./reduce/target";
import { decodeWebpScaled, webpDecodeCost, type WebpFeatures } from "./webp/scaled-decode";

/** 16384 x 16384 (WebP's own maximum is 16383 x 16383): beyond this, decoding a PNG row by row is too slow. */
export const MAX_REDUCED_PIXELS = 16384 * 16384;
/** Whole-image planes libwebp may hold while decoding (lossless: 4 bytes per pixel; alpha: 1). */
export const WEBP_DECODE_BUDGET_BYTES = 72 * 2 ** 20;

export type DecodeRoute = "full" | "dct-1/8" | "png-rows" | "webp-scaled" | "gif-rows";

export interface DecodedSource {
  source: ImageSource;
  width: number;
  height: number;
  /** `full`: photon decodes the whole image; the others decode straight to a reduced size. */
  decode: DecodeRoute;
  /** JavaScript typed arrays held by a reduced decode, in bytes (for memory figures). */
  bytesHeld?: number;
}

interface Request {
  bytes: Uint8Array;
  header: ImageHeader;
  limits: ProcessingLimits;
  largest: number;
  fit: Fit;
}

export async function decodeSource(
  bytes: Uint8Array,
  header: ImageHeader,
  limits: ProcessingLimits,
  largest: number,
  fit: Fit,
): Promise<DecodedSource> {
  const request: Request = { bytes, header, limits, largest, fit };
  const pixels = header.width * header.height;
  const eighth = { width: Math.ceil(header.width / 8), height: Math.ceil(header.height / 8) };
  const reducible = header.format === "jpeg" && eighth.width * eighth.height <= limits.maxImagePixels;
  if (reducible && decidingSide(eighth, fit) >= largest) return jpegEighth(request, eighth);
  if (pixels <= limits.maxImagePixels) {
    return { source: { kind: "encoded", bytes }, width: header.width, height: header.height, decode: "full" };
  }
  const refuse = (why: string) => tooLarge(header, why);
  if (pixels > MAX_REDUCED_PIXELS) throw refuse(`at most ${count(MAX_REDUCED_PIXELS)} pixels can be decoded`);
  const target = reducedSize(header, largest, fit, limits.maxImagePixels);
  const noTarget = `a ${largest} px thumbnail (fit ${fit}) needs more than ${count(limits.maxImagePixels)} pixels`;
  if (header.format === "png") {
    if (!target) throw refuse(noTarget);
    const reduced = await decodePngReduced(readPngChunks(bytes), target);
    return pixelsOf(reduced, "png-rows", reduced.bytesHeld);
  }
  if (header.format === "gif") {
    if (!target) throw refuse(noTarget);
    const reduced = decodeGifReduced(bytes, target);
    return pixelsOf(reduced, "gif-rows", reduced.rgba.byteLength);
  }
  if (header.format === "webp") {
    const reduced = decodeWebpScaled(bytes, (features) => webpTarget(features, target, refuse, noTarget));
    return pixelsOf(reduced, "webp-scaled", reduced.rgba.byteLength);
  }
  throw refuse(
    `at most ${count(limits.maxImagePixels)} pixels can be decoded in full` +
      (reducible
        ? `; this JPEG gives thumbnails up to ${decidingSide(eighth, fit)} px (fit ${fit}) by reduced decoding`
        : ""),
  );
}

function jpegEighth(request: Request, eighth: { width: number; height: number }): DecodedSource {
  // Keep twice the largest thumbnail along the deciding side; box-average anything beyond that.
  const ratio = Math.max(eighth.width, eighth.height) / decidingSide(eighth, request.fit);
  const scaled = decodeJpegEighth(request.bytes, Math.ceil(2 * request.largest * ratio));
  return pixelsOf(scaled, "dct-1/8", scaled.rgba.byteLength);
}

function webpTarget(
  features: WebpFeatures,
  target: { width: number; height: number } | undefined,
  refuse: (why: string) => StageError,
  noTarget: string,
): { width: number; height: number } {
  if (features.animated)
    throw refuse("an animated WebP is decoded in full, and this one is larger than that limit");
  const cost = webpDecodeCost(features);
  if (cost > WEBP_DECODE_BUDGET_BYTES) {
    throw refuse(
      `a ${features.lossless ? "lossless" : "lossy WebP with alpha"} needs ${mib(cost)} MiB to decode ` +
        `(at most ${mib(WEBP_DECODE_BUDGET_BYTES)} MiB)`,
    );
  }
  if (!target) throw refuse(noTarget);
  return target;
}

function pixelsOf(
  image: { rgba: Uint8Array; width: number; height: number },
  decode: DecodeRoute,
  bytesHeld: number,
): DecodedSource {
  const { rgba, width, height } = image;
  return { source: { kind: "pixels", rgba, width, height }, width, height, decode, bytesHeld };
}

function decidingSide(size: { width: number; height: number }, fit: Fit): number {
  return fit === "inside" ? Math.max(size.width, size.height) : Math.min(size.width, size.height);
}

function tooLarge(header: ImageHeader, why: string): StageError {
  return new StageError(
    "image_too_large",
    `the image is ${header.width}x${header.height} (${count(header.width * header.height)} pixels); ${why}`,
  );
}

function count(n: number): string {
  return n.toLocaleString("en-US");
}

function mib(bytes: number): string {
  return (bytes / 2 ** 20).toFixed(0);
}
