/**
 * Undoes a PNG scanline's filter (None, Sub, Up, Average, Paeth: PNG specification, section 9) in place,
 * given the previous unfiltered scanline of the same pass (all zeros for the first). `line[0]` is the
 * filter type; `bpp` is bytes per complete pixel, at least 1. An unknown filter type is `corrupt_file`.
 */
import { StageError } from "../../stage";

export function unfilter(line: Uint8Array, previous: Uint8Array, bpp: number): void {
  const type = line[0];
  const n = line.byteLength;
  switch (type) {
    case 0:
      return;
    case 1:
      for (let i = 1 + bpp; i < n; i++) line[i] = ((line[i] ?? 0) + (line[i - bpp] ?? 0)) & 0xff;
      return;
    case 2:
      for (let i = 1; i < n; i++) line[i] = ((line[i] ?? 0) + (previous[i] ?? 0)) & 0xff;
      return;
    case 3:
      for (let i = 1; i < n; i++) {
        const left = i > bpp ? (line[i - bpp] ?? 0) : 0;
        line[i] = ((line[i] ?? 0) + ((left + (previous[i] ?? 0)) >> 1)) & 0xff;
      }
      return;
    case 4:
      for (let i = 1; i < n; i++) {
        const a = i > bpp ? (line[i - bpp] ?? 0) : 0;
        const b = previous[i] ?? 0;
        const c = i > bpp ? (previous[i - bpp] ?? 0) : 0;
        line[i] = ((line[i] ?? 0) + paeth(a, b, c)) & 0xff;
      }
      return;
    default:
      throw new StageError("corrupt_file", `a PNG scanline has the unknown filter type ${String(type)}`);
  }
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  if (pa <= pb && pa <= pc) return a;
  return pb <= pc ? b : c;
}
