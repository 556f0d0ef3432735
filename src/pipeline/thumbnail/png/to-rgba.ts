/**
 * Turns one unfiltered PNG scanline (any colour type, bit depth 1-16) into 8-bit straight RGBA: grey
 * levels of 1-4 bits are scaled to 0-255, 16-bit samples keep their high byte, palette indices look up
 * PLTE, and tRNS makes its palette entries, or pixels equal to its grey/RGB value (compared at full
 * depth), transparent.
 */
import { CHANNELS, type PngImage } from "./chunks";

export type RowConverter = (line: Uint8Array, pixels: number, out: Uint8Array) => void;

export function rowConverter(png: PngImage): RowConverter {
  const { bitDepth: depth, colourType } = png;
  const trns = png.transparency;
  const wide = depth === 16;
  const channels = CHANNELS[colourType] ?? 1;
  // The sample at `index` (0-based, in samples) of a line whose data starts at byte 1, at full depth.
  const sample = (line: Uint8Array, index: number): number => {
    if (wide) return ((line[1 + index * 2] ?? 0) << 8) | (line[2 + index * 2] ?? 0);
    if (depth === 8) return line[1 + index] ?? 0;
    const bit = index * depth;
    return ((line[1 + (bit >> 3)] ?? 0) >> (8 - depth - (bit & 7))) & ((1 << depth) - 1);
  };
  const to8 = wide
    ? (v: number) => Math.round(v / 257)
    : depth === 8
      ? (v: number) => v
      : (v: number) => Math.round((v * 255) / ((1 << depth) - 1));

  // The common photo layouts, without per-sample calls (they are most of a large PNG's decode time).
  if (depth === 8 && colourType === 6)
    return (line, pixels, out) => {
      out.set(line.subarray(1, 1 + pixels * 4));
    };
  if (depth === 8 && colourType === 2 && !trns) {
    return (line, pixels, out) => {
      for (let x = 0, i = 1, o = 0; x < pixels; x++, i += 3, o += 4) {
        out[o] = line[i] as number;
        out[o + 1] = line[i + 1] as number;
        out[o + 2] = line[i + 2] as number;
        out[o + 3] = 255;
      }
    };
  }
  if (colourType === 3) {
    const palette = png.palette ?? new Uint8Array(0);
    return (line, pixels, out) => {
      for (let x = 0; x < pixels; x++) {
        const index = sample(line, x);
        out[x * 4] = palette[index * 3] ?? 0;
        out[x * 4 + 1] = palette[index * 3 + 1] ?? 0;
        out[x * 4 + 2] = palette[index * 3 + 2] ?? 0;
        out[x * 4 + 3] = trns?.[index] ?? 255;
      }
    };
  }
  const key = trns && (colourType === 0 || colourType === 2) ? transparentKey(trns, colourType) : undefined;
  return (line, pixels, out) => {
    for (let x = 0; x < pixels; x++) {
      const s = x * channels;
      const first = sample(line, s);
      let r: number, g: number, b: number, a: number;
      if (colourType === 0 || colourType === 4) {
        r = g = b = to8(first);
        a = colourType === 4 ? to8(sample(line, s + 1)) : key && first === key[0] ? 0 : 255;
      } else {
        const second = sample(line, s + 1);
        const third = sample(line, s + 2);
        r = to8(first);
        g = to8(second);
        b = to8(third);
        a =
          colourType === 6
            ? to8(sample(line, s + 3))
            : key && first === key[0] && second === key[1] && third === key[2]
              ? 0
              : 255;
      }
      out[x * 4] = r;
      out[x * 4 + 1] = g;
      out[x * 4 + 2] = b;
      out[x * 4 + 3] = a;
    }
  };
}

/** tRNS for grey (one 16-bit value) or RGB (three), as sample values. */
function transparentKey(trns: Uint8Array, colourType: number): number[] | undefined {
  const count = colourType === 0 ? 1 : 3;
  if (trns.byteLength < count * 2) return undefined;
  return Array.from({ length: count }, (_, i) => ((trns[i * 2] ?? 0) << 8) | (trns[i * 2 + 1] ?? 0));
}
