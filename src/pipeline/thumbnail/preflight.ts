/**
 * Checks made on the header before any pixel is decoded, so that the inputs photon would trap on are
 * refused with a clear code instead: JPEG coding processes no decoder here handles (`unsupported_type`)
 * and files cut short (`corrupt_file`). Whether the image fits in memory is decided next (source.ts).
 */
import { jpegProcess, readImageHeader, truncation, type ImageHeader } from "../extract/image-header";
import type { ImageFormat } from "../sniff";
import { StageError } from "../stage";

/** Baseline, extended sequential and progressive Huffman-coded JPEG: what photon decodes. */
const DECODABLE_JPEG_SOF = new Set([0xc0, 0xc1, 0xc2]);

export function preflight(bytes: Uint8Array, format: ImageFormat): ImageHeader {
  const header = readImageHeader(bytes, format);
  if (header.jpegSof !== undefined && !DECODABLE_JPEG_SOF.has(header.jpegSof)) {
    // photon traps on these (arithmetic coding especially) instead of returning an error.
    throw new StageError(
      "unsupported_type",
      `${jpegProcess(header.jpegSof)} JPEG cannot be thumbnailed; only baseline and progressive JPEG can`,
    );
  }
  const cut = truncation(bytes, header);
  if (cut) throw new StageError("corrupt_file", cut);
  return header;
}
