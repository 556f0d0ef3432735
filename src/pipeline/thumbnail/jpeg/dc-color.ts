/**
 * Turns the per-component planes of a 1/8-scale JPEG decode into RGBA: chroma planes sampled at their
 * own resolution are stretched by nearest neighbour (a thumbnail's final resize smooths them), colour is
 * converted (YCbCr by the JFIF formulas; Adobe CMYK and YCCK, whose values Adobe stores inverted), and,
 * when the result would still be much larger than needed, whole pixels are box-averaged down in the same
 * pass so that the image handed to the resizer stays small.
 */

export type ColorTransform = "gray" | "rgb" | "ycbcr" | "cmyk" | "ycck";

export interface Plane {
  /** One sample per block, row by row, `width` per row. */
  samples: Uint8ClampedArray;
  width: number;
  h: number;
  v: number;
}

export interface ScaledImage {
  rgba: Uint8Array;
  width: number;
  height: number;
  /** How many source pixels one output pixel stands for, per direction (8, or 8 × the box factor). */
  scale: number;
  /** Bytes of typed arrays the decode allocated (coefficients, planes, output): its memory cost. */
  allocatedBytes: number;
}

interface Geometry {
  width: number;
  height: number;
  maxH: number;
  maxV: number;
}

export function toRgba(
  planes: Plane[],
  geometry: Geometry,
  transform: ColorTransform,
  maxLongSide?: number,
): ScaledImage {
  const { width, height } = geometry;
  const box = maxLongSide ? Math.max(1, Math.floor(Math.max(width, height) / maxLongSide)) : 1;
  const outWidth = Math.ceil(width / box);
  const outHeight = Math.ceil(height / box);
  const sums = new Float64Array(outWidth * 3);
  const rgba = new Uint8Array(outWidth * outHeight * 4);
  const pixel = new Float64Array(3);
  const columns = planes.map((plane) => columnMap(plane, geometry));

  for (let outY = 0; outY < outHeight; outY++) {
    sums.fill(0);
    const firstRow = outY * box;
    const rows = Math.min(box, height - firstRow);
    for (let y = firstRow; y < firstRow + rows; y++) {
      const offsets = planes.map((plane) => Math.floor((y * plane.v) / geometry.maxV) * plane.width);
      for (let x = 0; x < width; x++) {
        convert(planes, offsets, columns, x, transform, pixel);
        const at = Math.floor(x / box) * 3;
        sums[at] = (sums[at] ?? 0) + (pixel[0] ?? 0);
        sums[at + 1] = (sums[at + 1] ?? 0) + (pixel[1] ?? 0);
        sums[at + 2] = (sums[at + 2] ?? 0) + (pixel[2] ?? 0);
      }
    }
    for (let outX = 0; outX < outWidth; outX++) {
      const count = rows * Math.min(box, width - outX * box);
      const out = (outY * outWidth + outX) * 4;
      for (let c = 0; c < 3; c++) rgba[out + c] = clamp((sums[outX * 3 + c] ?? 0) / count);
      rgba[out + 3] = 255;
    }
  }
  const planeBytes = planes.reduce((sum, plane) => sum + plane.samples.byteLength * 3, 0); // Int16 DCs + samples
  return {
    rgba,
    width: outWidth,
    height: outHeight,
    scale: 8 * box,
    allocatedBytes: planeBytes + rgba.byteLength,
  };
}

/** For each output column, the column of the plane's samples it reads. */
function columnMap(plane: Plane, geometry: Geometry): Int32Array {
  return Int32Array.from({ length: geometry.width }, (_, x) => Math.floor((x * plane.h) / geometry.maxH));
}

function convert(
  planes: Plane[],
  offsets: number[],
  columns: Int32Array[],
  x: number,
  transform: ColorTransform,
  out: Float64Array,
): void {
  const sample = (c: number) => planes[c]?.samples[(offsets[c] ?? 0) + (columns[c]?.[x] ?? 0)] ?? 0;
  switch (transform) {
    case "gray": {
      const gray = sample(0);
      out[0] = gray;
      out[1] = gray;
      out[2] = gray;
      return;
    }
    case "rgb":
      out[0] = sample(0);
      out[1] = sample(1);
      out[2] = sample(2);
      return;
    case "ycbcr":
      ycbcrToRgb(sample(0), sample(1), sample(2), out);
      return;
    case "cmyk": {
      // Adobe stores CMYK inverted: 255 means no ink.
      const k = sample(3) / 255;
      out[0] = sample(0) * k;
      out[1] = sample(1) * k;
      out[2] = sample(2) * k;
      return;
    }
    case "ycck": {
      // YCCK is Adobe's inverted CMY as YCbCr plus K: converting YCC gives 255 − (inverted C) etc.
      ycbcrToRgb(sample(0), sample(1), sample(2), out);
      const k = sample(3) / 255;
      out[0] = (255 - clamp(out[0] ?? 0)) * k;
      out[1] = (255 - clamp(out[1] ?? 0)) * k;
      out[2] = (255 - clamp(out[2] ?? 0)) * k;
      return;
    }
  }
}

function ycbcrToRgb(y: number, cb: number, cr: number, out: Float64Array): void {
  out[0] = y + 1.402 * (cr - 128);
  out[1] = y - 0.344136 * (cb - 128) - 0.714136 * (cr - 128);
  out[2] = y + 1.772 * (cb - 128);
}

const clamp = (value: number): number => (value <= 0 ? 0 : value >= 255 ? 255 : Math.round(value));
