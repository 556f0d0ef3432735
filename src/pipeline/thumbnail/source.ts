/**
 * How an image is decoded for its thumbnails, decided from the header. A JPEG whose 1/8-scale decode
 * (jpeg/dc-decode.ts, from the DC coefficients alone) is at least as large as the biggest thumbnail is
 * decoded that way, as libvips' and browsers' "shrink on load" do: memory and time then no longer depend
 * on the photo's size (a 12 MP phone photo costs ~1 MB instead of ~146 MiB). Anything else is decoded in
 * full by photon, which needs about 12 bytes per pixel, so it is refused above the pixel limit with
 * `image_too_large`, naming the limit (and, for a JPEG, the largest thumbnail it could still get).
 */
import type { Fit } from "./plan";
import type { ImageHeader } from "../extract/image-header";
import { StageError, type ProcessingLimits } from "../stage";
import type { ImageSource } from "./photon";
import { decodeJpegEighth } from "./jpeg/dc-decode";

export interface DecodedSource {
  source: ImageSource;
  width: number;
  height: number;
  /** `full`: photon decodes the whole image; `dct-1/8`: decoded at one eighth (or less) per direction. */
  decode: "full" | "dct-1/8";
}

export function decodeSource(
  bytes: Uint8Array,
  header: ImageHeader,
  limits: ProcessingLimits,
  largest: number,
  fit: Fit,
): DecodedSource {
  const pixels = header.width * header.height;
  const eighth = { width: Math.ceil(header.width / 8), height: Math.ceil(header.height / 8) };
  const decidingSide = (size: { width: number; height: number }) =>
    fit === "inside" ? Math.max(size.width, size.height) : Math.min(size.width, size.height);
  const reducible = header.format === "jpeg" && eighth.width * eighth.height <= limits.maxImagePixels;
  if (reducible && decidingSide(eighth) >= largest) {
    // Keep twice the largest thumbnail along the deciding side; box-average anything beyond that.
    const ratio = Math.max(eighth.width, eighth.height) / decidingSide(eighth);
    const scaled = decodeJpegEighth(bytes, Math.ceil(2 * largest * ratio));
    return {
      source: { kind: "pixels", rgba: scaled.rgba, width: scaled.width, height: scaled.height },
      width: scaled.width,
      height: scaled.height,
      decode: "dct-1/8",
    };
  }
  if (pixels <= limits.maxImagePixels) {
    return { source: { kind: "encoded", bytes }, width: header.width, height: header.height, decode: "full" };
  }
  throw new StageError(
    "image_too_large",
    `the image is ${header.width}x${header.height} (${formatCount(pixels)} pixels); at most ` +
      `${formatCount(limits.maxImagePixels)} pixels can be decoded in full` +
      (reducible
        ? `; this JPEG gives thumbnails up to ${decidingSide(eighth)} px (fit ${fit}) by reduced decoding`
        : ""),
  );
}

function formatCount(n: number): string {
  return n.toLocaleString("en-US");
}
