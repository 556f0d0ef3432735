/**
 * The parts of a PNG file that decoding needs, read from its chunks: the IHDR facts (checked against
 * the combinations the PNG specification allows), the palette and transparency, the image data (IDAT
 * chunks, as views into the file: nothing is copied) and the EXIF orientation of an eXIf chunk. Anything
 * malformed is `corrupt_file`. Ancillary chunks not needed for pixels (text, colour profiles, APNG
 * frames after the default image) are skipped.
 */
import { tiffOrientation } from "../../extract/exif-orientation";
import { StageError } from "../../stage";

export interface PngImage {
  width: number;
  height: number;
  bitDepth: number;
  colourType: number;
  interlaced: boolean;
  /** PLTE entries, 3 bytes each. */
  palette?: Uint8Array;
  /** tRNS: alpha per palette entry, or the transparent grey/RGB sample value(s) (16-bit each). */
  transparency?: Uint8Array;
  idat: Uint8Array[];
  orientation: number;
}

const DEPTHS: Record<number, number[]> = {
  0: [1, 2, 4, 8, 16], // greyscale
  2: [8, 16], // RGB
  3: [1, 2, 4, 8], // palette
  4: [8, 16], // greyscale + alpha
  6: [8, 16], // RGBA
};

/** Samples per pixel of each colour type. */
export const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

export function readPngChunks(bytes: Uint8Array): PngImage {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let image: PngImage | undefined;
  let at = 8;
  while (at + 8 <= bytes.byteLength) {
    const length = view.getUint32(at);
    const type = String.fromCharCode(...bytes.subarray(at + 4, at + 8));
    const data = bytes.subarray(at + 8, at + 8 + length);
    if (data.byteLength < length) corrupt(`its ${type} chunk is cut short`);
    if (type === "IHDR") image = readHeader(data);
    else if (!image) corrupt("does not start with an IHDR chunk");
    else if (type === "PLTE") image.palette = data;
    else if (type === "tRNS") image.transparency = data;
    else if (type === "IDAT") image.idat.push(data);
    else if (type === "eXIf") image.orientation = tiffOrientation(data) ?? image.orientation;
    else if (type === "IEND") break;
    at += 12 + length;
  }
  if (!image) return corrupt("has no IHDR chunk");
  if (image.idat.length === 0) corrupt("has no image data (IDAT)");
  if (image.colourType === 3 && !image.palette) corrupt("is a palette image without a palette (PLTE)");
  return image;
}

function readHeader(data: Uint8Array): PngImage {
  if (data.byteLength < 13) corrupt("has a short IHDR chunk");
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const [bitDepth = 0, colourType = 0, compression, filter, interlace = 0] = data.subarray(8, 13);
  if (!DEPTHS[colourType]?.includes(bitDepth))
    corrupt(`has bit depth ${bitDepth} with colour type ${colourType}`);
  if (compression !== 0 || filter !== 0 || interlace > 1)
    corrupt("names an unknown compression, filter or interlace method");
  return {
    width: view.getUint32(0),
    height: view.getUint32(4),
    bitDepth,
    colourType,
    interlaced: interlace === 1,
    idat: [],
    orientation: 1,
  };
}

function corrupt(what: string): never {
  throw new StageError("corrupt_file", `the PNG ${what}`);
}
