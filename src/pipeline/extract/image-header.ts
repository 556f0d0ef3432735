/**
 * Reads an image's dimensions (and the few other facts the pipeline needs before decoding) from the
 * header of a JPEG, PNG, GIF or WebP, without decoding any pixels. Decoding is what costs memory in a
 * Worker, so the size limit must be checked on these numbers first. For JPEG it also reports the
 * coding process of the frame (photon cannot decode arithmetic-coded frames and traps on them) and
 * the EXIF orientation. A header that is cut short or makes no sense throws `corrupt_file`.
 *
 * Written by hand rather than with `image-size`: that library only recognises SOF0-SOF2 frames and
 * reports neither the coding process nor whether the image has alpha, which are the facts needed here.
 */
import type { ImageFormat } from "../sniff";
import { StageError } from "../stage";
import { tiffOrientation } from "./exif-orientation";

export interface ImageHeader {
  format: ImageFormat;
  /** Pixel columns as stored (before any EXIF rotation). */
  width: number;
  /** Pixel rows as stored (before any EXIF rotation). */
  height: number;
  /** Whether the pixels may be partly transparent (alpha channel or transparency chunk). */
  hasAlpha: boolean;
  /** EXIF orientation 1-8 (1 = upright): JPEG APP1, PNG eXIf or WebP EXIF chunk. */
  orientation: number;
  /** JPEG only: the start-of-frame marker, 0xC0-0xCF (0xC9-0xCB are arithmetic-coded). */
  jpegSof?: number;
  /** JPEG only: where the frame header starts (an EXIF thumbnail before it has its own end marker). */
  jpegFrameOffset?: number;
  /** JPEG only: the APP1 "Exif" segment's payload (a view into the file's bytes), when there is one. */
  exif?: Uint8Array;
}

export function readImageHeader(bytes: Uint8Array, format: ImageFormat): ImageHeader {
  const header = READERS[format](new Reader(bytes, format));
  if (header.width < 1 || header.height < 1) corrupt(format, `has a ${header.width}x${header.height} size`);
  return header;
}

/** The JPEG coding process a start-of-frame marker names, for messages. */
export function jpegProcess(sof: number): string {
  const names: Record<number, string> = {
    0xc0: "baseline",
    0xc1: "extended sequential",
    0xc2: "progressive",
    0xc3: "lossless",
    0xc5: "hierarchical sequential",
    0xc6: "hierarchical progressive",
    0xc7: "hierarchical lossless",
    0xc9: "arithmetic-coded sequential",
    0xca: "arithmetic-coded progressive",
    0xcb: "arithmetic-coded lossless",
    0xcd: "arithmetic-coded hierarchical sequential",
    0xce: "arithmetic-coded hierarchical progressive",
    0xcf: "arithmetic-coded hierarchical lossless",
  };
  return names[sof] ?? `SOF 0x${sof.toString(16)}`;
}

/**
 * Why the file ends before its format says it does, or undefined when its end is where it should be.
 * Decoders disagree on cut-off files (photon traps on some, returns a grey-filled image for others),
 * so a missing end is detected here: JPEG needs its end-of-image marker after the frame header, PNG its
 * IEND chunk, and WebP as many bytes as its RIFF header declares. Trailing bytes after the end are fine.
 */
export function truncation(bytes: Uint8Array, header: ImageHeader): string | undefined {
  switch (header.format) {
    case "jpeg":
      return lastIndexOf(bytes, [0xff, 0xd9], header.jpegFrameOffset ?? 2) < 0
        ? "the JPEG has no end-of-image marker (the file is cut short)"
        : undefined;
    case "png":
      return lastIndexOf(bytes, [0x49, 0x45, 0x4e, 0x44], 8) < 0
        ? "the PNG has no IEND chunk (the file is cut short)"
        : undefined;
    case "webp": {
      const declared = new Reader(bytes, "webp").u32le(4) + 8;
      return bytes.byteLength < declared
        ? `the WebP declares ${declared} bytes but has ${bytes.byteLength} (the file is cut short)`
        : undefined;
    }
    case "gif":
      // A GIF decoder stops at the trailer or at the end of the data; a cut frame decodes partly.
      return undefined;
  }
}

function lastIndexOf(bytes: Uint8Array, needle: readonly number[], from: number): number {
  const first = needle[0];
  for (let i = bytes.byteLength - needle.length; i >= from; i--) {
    if (bytes[i] === first && needle.every((byte, j) => bytes[i + j] === byte)) return i;
  }
  return -1;
}

function corrupt(format: ImageFormat, what: string): never {
  throw new StageError("corrupt_file", `the ${format.toUpperCase()} header ${what}`);
}

/** Bounds-checked big/little-endian reads: reading past the end means the header is truncated. */
class Reader {
  constructor(
    readonly bytes: Uint8Array,
    readonly format: ImageFormat,
  ) {}

  get length(): number {
    return this.bytes.byteLength;
  }

  u8(at: number): number {
    const value = this.bytes[at];
    if (value === undefined) corrupt(this.format, "is truncated");
    return value;
  }

  u16be(at: number): number {
    return (this.u8(at) << 8) | this.u8(at + 1);
  }

  u16le(at: number): number {
    return this.u8(at) | (this.u8(at + 1) << 8);
  }

  u32le(at: number): number {
    return this.u16le(at) + this.u16le(at + 2) * 0x10000;
  }

  u24le(at: number): number {
    return this.u8(at) | (this.u8(at + 1) << 8) | (this.u8(at + 2) << 16);
  }

  u32be(at: number): number {
    return this.u16be(at) * 0x10000 + this.u16be(at + 2);
  }

  ascii(at: number, length: number): string {
    let s = "";
    for (let i = 0; i < length; i++) s += String.fromCharCode(this.u8(at + i));
    return s;
  }
}

const READERS: Record<ImageFormat, (r: Reader) => ImageHeader> = {
  png: readPng,
  gif: readGif,
  webp: readWebp,
  jpeg: readJpeg,
};

function readPng(r: Reader): ImageHeader {
  // Signature (8), then the IHDR chunk: length (4), type (4), width, height, depth, colour type.
  if (r.ascii(12, 4) !== "IHDR") corrupt("png", "does not start with an IHDR chunk");
  const colourType = r.u8(25);
  // Colour types 4 and 6 carry alpha; others may get transparency from a tRNS chunk before IDAT.
  const hasAlpha = colourType === 4 || colourType === 6 || pngChunk(r, "tRNS", true) !== undefined;
  // eXIf may come before or after the image data (PNG 1.6 extensions); the first one counts.
  const exif = pngChunk(r, "eXIf", false);
  const orientation = (exif && tiffOrientation(exif)) ?? 1;
  return { format: "png", width: r.u32be(16), height: r.u32be(20), hasAlpha, orientation };
}

/** The data of the first chunk of `type` (before the image data only, when `beforeData`). */
function pngChunk(r: Reader, type: string, beforeData: boolean): Uint8Array | undefined {
  let at = 8;
  while (at + 8 <= r.length) {
    const chunk = r.ascii(at + 4, 4);
    const length = r.u32be(at);
    if (chunk === type) return r.bytes.subarray(at + 8, at + 8 + length);
    if ((beforeData && chunk === "IDAT") || chunk === "IEND") return undefined;
    at += 12 + length;
  }
  return undefined;
}

function readGif(r: Reader): ImageHeader {
  // "GIF89a", then the logical screen width and height (little-endian).
  return { format: "gif", width: r.u16le(6), height: r.u16le(8), hasAlpha: true, orientation: 1 };
}

function readWebp(r: Reader): ImageHeader {
  // "RIFF" size "WEBP", then the first chunk: "VP8 " (lossy), "VP8L" (lossless) or "VP8X" (extended).
  const chunk = r.ascii(12, 4);
  if (chunk === "VP8 ") {
    // Frame tag (3 bytes) and start code 9D 01 2A, then 14-bit width and height.
    if (r.u8(23) !== 0x9d || r.u8(24) !== 0x01 || r.u8(25) !== 0x2a) corrupt("webp", "has no VP8 start code");
    return {
      format: "webp",
      width: r.u16le(26) & 0x3fff,
      height: r.u16le(28) & 0x3fff,
      hasAlpha: false,
      orientation: 1,
    };
  }
  if (chunk === "VP8L") {
    if (r.u8(20) !== 0x2f) corrupt("webp", "has no VP8L signature");
    const bits = r.u8(21) | (r.u8(22) << 8) | (r.u8(23) << 16) | (r.u8(24) << 24);
    return {
      format: "webp",
      width: (bits & 0x3fff) + 1,
      height: ((bits >>> 14) & 0x3fff) + 1,
      hasAlpha: ((bits >>> 28) & 1) === 1,
      orientation: 1,
    };
  }
  if (chunk === "VP8X") {
    const flags = r.u8(20);
    const exif = (flags & 0x08) !== 0 ? riffChunk(r, "EXIF") : undefined;
    return {
      format: "webp",
      width: r.u24le(24) + 1,
      height: r.u24le(27) + 1,
      hasAlpha: (flags & 0x10) !== 0,
      orientation: (exif && tiffOrientation(exif)) ?? 1,
    };
  }
  return corrupt("webp", `starts with an unknown chunk '${chunk}'`);
}

/** The data of the first chunk of `type` in a WebP's RIFF container (chunks are padded to even sizes). */
function riffChunk(r: Reader, type: string): Uint8Array | undefined {
  let at = 12;
  while (at + 8 <= r.length) {
    const length = r.u32le(at + 4);
    if (r.ascii(at, 4) === type) return r.bytes.subarray(at + 8, at + 8 + length);
    at += 8 + length + (length & 1);
  }
  return undefined;
}

function readJpeg(r: Reader): ImageHeader {
  let orientation = 1;
  let exif: Uint8Array | undefined;
  let at = 2; // after SOI (FF D8)
  for (;;) {
    if (r.u8(at) !== 0xff) {
      // Stray bytes between segments: decoders (libjpeg, photon's) skip to the next marker.
      at += 1;
      continue;
    }
    const marker = r.u8(at + 1);
    if (marker === 0xff) {
      at += 1; // fill byte before a marker
      continue;
    }
    // Standalone markers carry no length.
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      at += 2;
      continue;
    }
    if (marker === 0xd9 || marker === 0xda) corrupt("jpeg", "has no frame header before the image data");
    const length = r.u16be(at + 2);
    if (length < 2) corrupt("jpeg", `has a segment of length ${length}`);
    const segment = at + 4;
    if (marker === 0xe1 && !exif) {
      const payload = r.bytes.subarray(segment, at + 2 + length);
      const found = exifOrientation(payload);
      if (found !== undefined || isExif(payload)) exif = payload;
      orientation = found ?? orientation;
    }
    // SOF0-SOF15, except DHT (C4), JPG (C8) and DAC (CC), which share the range.
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      // Precision (1), height (2), width (2), then the components.
      const height = r.u16be(segment + 1);
      const width = r.u16be(segment + 3);
      return {
        format: "jpeg",
        width,
        height,
        hasAlpha: false,
        orientation,
        jpegSof: marker,
        jpegFrameOffset: at,
        ...(exif ? { exif } : {}),
      };
    }
    at += 2 + length;
  }
}

function isExif(app1: Uint8Array): boolean {
  return app1.byteLength >= 14 && String.fromCharCode(...app1.subarray(0, 4)) === "Exif";
}

/** The Orientation tag of an APP1 "Exif" segment, when it is there and valid. */
function exifOrientation(app1: Uint8Array): number | undefined {
  return isExif(app1) ? tiffOrientation(app1) : undefined;
}
