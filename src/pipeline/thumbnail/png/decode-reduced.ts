/**
 * Decodes a PNG of any size straight to a reduced size, row by row: each scanline is inflated
 * (scanlines.ts), unfiltered, turned into RGBA and added to an area-filter grid (reduce/area-reducer.ts).
 * Memory is the grid plus two scanlines, whatever the image's size: a 100 MP PNG is thumbnailed with a
 * few MiB. Adam7-interlaced images are read pass by pass (each pass's pixels go to their own place in
 * the grid, so the grid is held whole until the last pass).
 */
import { AreaReducer, type ReducedImage } from "../reduce/area-reducer";
import type { Size } from "../plan";
import { CHANNELS, type PngImage } from "./chunks";
import { forEachScanline, type ScanlineRun } from "./scanlines";
import { rowConverter } from "./to-rgba";
import { unfilter } from "./unfilter";

/** Adam7 passes: first column and row, then the step between columns and between rows. */
const ADAM7 = [
  [0, 0, 8, 8],
  [4, 0, 8, 8],
  [0, 4, 4, 8],
  [2, 0, 4, 4],
  [0, 2, 2, 4],
  [1, 0, 2, 2],
  [0, 1, 1, 2],
] as const;

interface Pass {
  x0: number;
  y0: number;
  dx: number;
  dy: number;
  width: number;
  height: number;
}

export interface PngReduction extends ReducedImage {
  /** Largest size of the JavaScript typed arrays held while decoding, in bytes. */
  bytesHeld: number;
}

export async function decodePngReduced(png: PngImage, target: Size): Promise<PngReduction> {
  const bitsPerPixel = png.bitDepth * (CHANNELS[png.colourType] ?? 1);
  const bpp = Math.max(1, bitsPerPixel >> 3);
  const passes = png.interlaced
    ? adam7Passes(png)
    : [{ x0: 0, y0: 0, dx: 1, dy: 1, width: png.width, height: png.height }];
  const runs: ScanlineRun[] = passes.map((p) => ({
    rowBytes: Math.ceil((p.width * bitsPerPixel) / 8),
    rows: p.width > 0 ? p.height : 0,
  }));
  const reducer = new AreaReducer(png.width, png.height, target, { sequential: !png.interlaced });
  const convert = rowConverter(png);
  const widest = Math.max(...runs.map((r) => r.rowBytes));
  const previous = new Uint8Array(widest + 1);
  const rgba = new Uint8Array(png.width * 4);
  let currentRun = -1;

  await forEachScanline(png.idat, runs, (run, row, line) => {
    const pass = passes[run] as Pass;
    if (run !== currentRun) {
      previous.fill(0);
      currentRun = run;
    }
    unfilter(line, previous, bpp);
    previous.set(line);
    convert(line, pass.width, rgba);
    reducer.addRow(pass.y0 + row * pass.dy, rgba, pass.width, pass.x0, pass.dx);
  });
  const reduced = reducer.finish();
  return { ...reduced, bytesHeld: reducer.bytesHeld + previous.byteLength * 2 + rgba.byteLength };
}

function adam7Passes(png: PngImage): Pass[] {
  return ADAM7.map(([x0, y0, dx, dy]) => ({
    x0,
    y0,
    dx,
    dy,
    width: Math.max(0, Math.ceil((png.width - x0) / dx)),
    height: Math.max(0, Math.ceil((png.height - y0) / dy)),
  }));
}
