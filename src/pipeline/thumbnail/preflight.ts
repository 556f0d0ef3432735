/**
 * Checks made on the header before any pixel is decoded, so that the inputs photon would trap on or
 * that would not fit in a Worker's memory are refused with a clear code instead: JPEG coding processes
 * photon cannot decode (`unsupported_type`), files cut short (`corrupt_file`), and images with more
 * pixels than the limit (`image_too_large`).
 */
import { jpegProcess, readImageHeader, truncation, type ImageHeader } from "../extract/image-header";
import type { ImageFormat } from "../sniff";
import { StageError, type ProcessingLimits } from "../stage";

/** Baseline, extended sequential and progressive Huffman-coded JPEG: what photon decodes. */
const DECODABLE_JPEG_SOF = new Set([0xc0, 0xc1, 0xc2]);

export function preflight(bytes: Uint8Array, format: ImageFormat, limits: ProcessingLimits): ImageHeader {
  const header = readImageHeader(bytes, format);
  if (header.jpegSof !== undefined && !DECODABLE_JPEG_SOF.has(header.jpegSof)) {
    // photon traps on these (arithmetic coding especially) instead of returning an error.
    throw new StageError(
      "unsupported_type",
      `${jpegProcess(header.jpegSof)} JPEG cannot be thumbnailed; only baseline and progressive JPEG can`,
    );
  }
  // A file cut short is broken whatever its size: say so first.
  const cut = truncation(bytes, header);
  if (cut) throw new StageError("corrupt_file", cut);
  const pixels = header.width * header.height;
  if (pixels > limits.maxImagePixels) {
    throw new StageError(
      "image_too_large",
      `the image is ${header.width}x${header.height} (${formatCount(pixels)} pixels); ` +
        `at most ${formatCount(limits.maxImagePixels)} pixels can be decoded`,
    );
  }
  return header;
}

function formatCount(n: number): string {
  return n.toLocaleString("en-US");
}
