import { PhotonImage } from "@cf-wasm/photon/workerd";
import { describe, expect, it } from "vitest";
import { readPngChunks } from "../../src/pipeline/thumbnail/png/chunks";
import { decodePngReduced } from "../../src/pipeline/thumbnail/png/decode-reduced";
import { StageError } from "../../src/pipeline/stage";
import { fixture } from "../helpers/fixtures";

/** photon's (the Rust `png` crate's) decode of the same file: an independent decoder. */
function photonPixels(bytes: Uint8Array): Uint8Array {
  const image = PhotonImage.new_from_byteslice(bytes);
  try {
    return image.get_raw_pixels();
  } finally {
    image.free();
  }
}

/** Largest difference of any channel, ignoring the colour of fully transparent pixels. */
function maxDifference(a: Uint8Array, b: Uint8Array): number {
  let max = 0;
  for (let i = 0; i < a.length; i += 4) {
    const alpha = Math.abs((a[i + 3] ?? 0) - (b[i + 3] ?? 0));
    max = Math.max(max, alpha);
    if (a[i + 3] === 0 && b[i + 3] === 0) continue;
    for (let c = 0; c < 3; c++) max = Math.max(max, Math.abs((a[i + c] ?? 0) - (b[i + c] ?? 0)));
  }
  return max;
}

const VARIANTS = [
  // name, bit depth, colour type, interlaced
  ["grey1", 1, 0, false],
  ["grey2", 2, 0, false],
  ["grey4", 4, 0, false],
  ["grey4_interlaced", 4, 0, true],
  ["grey8", 8, 0, false],
  ["grey8_trns", 8, 0, false],
  ["grey16", 16, 0, false],
  ["grey_alpha8", 8, 4, false],
  ["grey_alpha16_interlaced", 16, 4, true],
  ["palette2_interlaced", 2, 3, true],
  ["palette4", 4, 3, false],
  ["palette8_trns", 8, 3, false],
  ["rgb8_trns", 8, 2, false],
  ["rgb16_interlaced", 16, 2, true],
  ["rgba8_interlaced", 8, 6, true],
  ["rgba16", 16, 6, false],
] as const;

describe("PNG decoded row by row", () => {
  for (const [name, depth, colourType, interlaced] of VARIANTS) {
    it(`${name}: the same pixels as an independent decoder`, async () => {
      const bytes = await fixture(`image/png-variants/${name}.png`);
      const png = readPngChunks(bytes);
      expect({ depth: png.bitDepth, colourType: png.colourType, interlaced: png.interlaced }).toEqual({
        depth,
        colourType,
        interlaced,
      });
      if (name.includes("trns")) expect(png.transparency).toBeDefined();
      // A target as large as the image: each cell is one pixel, so this is the decode itself.
      const decoded = await decodePngReduced(png, { width: png.width, height: png.height });
      expect(maxDifference(decoded.rgba, photonPixels(bytes))).toBe(0);
    });
  }

  it("reduces by area, weighting colour by alpha, as a full decode then a box filter does", async () => {
    const bytes = await fixture("image/sharp_alpha-premultiply-1024x768-paper_rgba.png");
    const reduced = await decodePngReduced(readPngChunks(bytes), { width: 256, height: 192 });
    const full = photonPixels(bytes);
    // The box filter by hand on photon's pixels: 4x4 cells, colour weighted by alpha.
    const expected = new Uint8Array(256 * 192 * 4);
    for (let cy = 0; cy < 192; cy++) {
      for (let cx = 0; cx < 256; cx++) {
        const sum = [0, 0, 0, 0];
        for (let y = cy * 4; y < cy * 4 + 4; y++) {
          for (let x = cx * 4; x < cx * 4 + 4; x++) {
            const p = (y * 1024 + x) * 4;
            const a = full[p + 3] ?? 0;
            for (let c = 0; c < 3; c++) sum[c] = (sum[c] ?? 0) + (full[p + c] ?? 0) * a;
            sum[3] = (sum[3] ?? 0) + a;
          }
        }
        const o = (cy * 256 + cx) * 4;
        const alpha = sum[3] ?? 0;
        if (alpha === 0) continue;
        for (let c = 0; c < 3; c++) expected[o + c] = Math.round((sum[c] ?? 0) / alpha);
        expected[o + 3] = Math.round(alpha / 16);
      }
    }
    expect(maxDifference(reduced.rgba, expected)).toBeLessThanOrEqual(1);
    expect(reduced.bytesHeld).toBeLessThan(1024 * 1024);
  });

  it("reads the Adam7 interlaced PngSuite image like photon", async () => {
    const bytes = await fixture("image/imagers_basi2c08_interlaced.png");
    const png = readPngChunks(bytes);
    expect(png.interlaced).toBe(true);
    const decoded = await decodePngReduced(png, { width: 32, height: 32 });
    expect(maxDifference(decoded.rgba, photonPixels(bytes))).toBe(0);
  });

  it("fails damaged or missing image data with corrupt_file", async () => {
    const bytes = (await fixture("image/png-variants/rgba16.png")).slice();
    const png = readPngChunks(bytes);
    const idat = png.idat[0] ?? new Uint8Array();
    // Cut the image data short: the stream ends before the last row.
    const cut = { ...png, idat: [idat.subarray(0, idat.byteLength >> 1)] };
    await expect(decodePngReduced(cut, { width: 10, height: 8 })).rejects.toSatisfy(
      (e) => e instanceof StageError && e.code === "corrupt_file",
    );
    // Garbage instead of deflate data.
    const garbage = { ...png, idat: [new Uint8Array(idat.byteLength).fill(0x55)] };
    await expect(decodePngReduced(garbage, { width: 10, height: 8 })).rejects.toSatisfy(
      (e) => e instanceof StageError && e.code === "corrupt_file",
    );
  });
});
