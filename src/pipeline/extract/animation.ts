/**
 * How many frames an image has, read from its container without decoding any pixels: a GIF's image
 * descriptors, an animated PNG's `acTL` chunk (plain PNG decoders show only the default image), a WebP's
 * `ANMF` chunks. Everything else, and anything that cannot be walked to the end, counts as one frame
 * plus what was seen: this only describes the file, it never fails the stage.
 */
import type { ImageFormat } from "../sniff";

/** Frames are counted up to this many (a GIF may have thousands; the count is then a lower bound). */
export const MAX_COUNTED_FRAMES = 10_000;

export function frameCount(bytes: Uint8Array, format: ImageFormat): number {
  switch (format) {
    case "gif":
      return gifFrames(bytes);
    case "png":
      return apngFrames(bytes);
    case "webp":
      return webpFrames(bytes);
    case "jpeg":
      return 1;
  }
}

function gifFrames(b: Uint8Array): number {
  if (b.byteLength < 13) return 1;
  let at = 13;
  const flags = b[10] ?? 0;
  if (flags & 0x80) at += 3 * (1 << ((flags & 0x07) + 1)); // global colour table
  let frames = 0;
  while (at < b.byteLength && frames < MAX_COUNTED_FRAMES) {
    const block = b[at];
    if (block === 0x3b) break; // trailer
    if (block === 0x21) {
      at = skipSubBlocks(b, at + 2); // extension: introducer, label, sub-blocks
    } else if (block === 0x2c) {
      frames++;
      const local = b[at + 9] ?? 0;
      at += 10;
      if (local & 0x80) at += 3 * (1 << ((local & 0x07) + 1)); // local colour table
      at = skipSubBlocks(b, at + 1); // LZW minimum code size, then the image data
    } else {
      break; // not a GIF block: stop counting here
    }
  }
  return Math.max(1, frames);
}

function skipSubBlocks(b: Uint8Array, at: number): number {
  let position = at;
  while (position < b.byteLength) {
    const size = b[position] ?? 0;
    position += 1 + size;
    if (size === 0) break;
  }
  return position;
}

function apngFrames(b: Uint8Array): number {
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  let at = 8;
  while (at + 12 <= b.byteLength) {
    const length = view.getUint32(at);
    const type = String.fromCharCode(b[at + 4] ?? 0, b[at + 5] ?? 0, b[at + 6] ?? 0, b[at + 7] ?? 0);
    if (type === "acTL" && at + 12 <= b.byteLength) return Math.max(1, view.getUint32(at + 8));
    if (type === "IDAT" || type === "IEND") break;
    at += 12 + length;
  }
  return 1;
}

function webpFrames(b: Uint8Array): number {
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  let at = 12;
  let frames = 0;
  while (at + 8 <= b.byteLength && frames < MAX_COUNTED_FRAMES) {
    const type = String.fromCharCode(b[at] ?? 0, b[at + 1] ?? 0, b[at + 2] ?? 0, b[at + 3] ?? 0);
    const size = view.getUint32(at + 4, true);
    if (type === "ANMF") frames++;
    at += 8 + size + (size % 2); // chunks are padded to an even size
  }
  return Math.max(1, frames);
}
