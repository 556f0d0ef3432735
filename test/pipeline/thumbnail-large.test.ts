import { PhotonImage } from "@cf-wasm/photon/workerd";
import { describe, expect, it } from "vitest";
import { thumbnailStage } from "../../src/pipeline/thumbnail";
import { decodeGifReduced } from "../../src/pipeline/thumbnail/gif/decode-reduced";
import { photonMemoryBytes } from "../../src/pipeline/thumbnail/photon";
import { webpMemoryBytes } from "../../src/pipeline/thumbnail/webp/scaled-decode";
import { fixture } from "../helpers/fixtures";
import { MemoryOutputs, stageInput, type InputOverrides } from "../helpers/memory-outputs";
import { decode, expectThumbnailError } from "../helpers/thumbnails";

const MiB = 2 ** 20;

async function thumbnail(bytes: Uint8Array, overrides: InputOverrides = {}) {
  const outputs = new MemoryOutputs("thumbnail");
  const started = Date.now();
  const outcome = await thumbnailStage.run(stageInput(bytes, outputs, overrides));
  const ms = Date.now() - started;
  if (outcome.status !== "completed") throw new Error(`expected completed, got ${JSON.stringify(outcome)}`);
  const [thumb] = outcome.result["thumbnails"] as unknown as { url: string; width: number; height: number }[];
  if (!thumb) throw new Error("no thumbnail");
  const body = outputs.get(decodeURIComponent(thumb.url.split("/").pop() ?? "")).body;
  return { source: outcome.result["source"], thumb, pixels: decode(body), ms };
}

/**
 * Mean absolute difference per channel (R, G, B) of two images of the same size, as seen over white
 * (the colour of a fully transparent pixel is anything and does not count).
 */
function meanDifference(a: Uint8Array, b: Uint8Array): number[] {
  const overWhite = (p: Uint8Array, i: number, c: number) => {
    const alpha = (p[i + 3] ?? 255) / 255;
    return (p[i + c] ?? 0) * alpha + 255 * (1 - alpha);
  };
  const sums = [0, 0, 0];
  for (let i = 0; i < a.length; i += 4) {
    for (let c = 0; c < 3; c++) sums[c] = (sums[c] ?? 0) + Math.abs(overWhite(a, i, c) - overWhite(b, i, c));
  }
  return sums.map((s) => s / (a.length / 4));
}

const PNG_OPTIONS = { options: { thumbnail: { size: 256, format: "png" as const } } };

describe("thumbnails of large photos", () => {
  it("a 108 MP PNG, row by row, upright from its eXIf orientation, like libvips", async () => {
    const bytes = await fixture("image/large/photo_108mp_orient6.png");
    const { source, thumb, pixels, ms } = await thumbnail(bytes, PNG_OPTIONS);
    expect(source).toMatchObject({ width: 12000, height: 9024, orientation: 6, decode: "png-rows" });
    // Upright 9024x12000: 256 px tall, 192.5 -> 193 wide.
    expect(thumb).toMatchObject({ width: 193, height: 256 });
    const reference = decode(await fixture("image/large/photo_108mp_orient6.reference-256.png"));
    expect(reference).toMatchObject({ width: 193, height: 256 });
    const mad = meanDifference(pixels.rgba, reference.rgba);
    console.log(
      `PNG 108 MP: ${ms} ms, photon wasm ${(await photonMemoryBytes()) / MiB} MiB, ` +
        `mean abs difference to vipsthumbnail ${mad.map((m) => m.toFixed(2)).join("/")}`,
    );
    for (const m of mad) expect(m).toBeLessThan(3);
  });

  it("a 16.8 MP lossy WebP by libwebp's scaled decoding, upright from its EXIF chunk, like dwebp + ImageMagick", async () => {
    const bytes = await fixture("image/large/photo_16mp_orient6.webp");
    const { source, thumb, pixels, ms } = await thumbnail(bytes, PNG_OPTIONS);
    expect(source).toMatchObject({ width: 4736, height: 3552, orientation: 6, decode: "webp-scaled" });
    expect(thumb).toMatchObject({ width: 192, height: 256 });
    const reference = decode(await fixture("image/large/photo_16mp_orient6.reference-256.png"));
    const mad = meanDifference(pixels.rgba, reference.rgba);
    console.log(
      `WebP 16.8 MP: ${ms} ms, libwebp wasm ${webpMemoryBytes() / MiB} MiB, photon wasm ` +
        `${(await photonMemoryBytes()) / MiB} MiB, mean abs difference to ImageMagick ` +
        mad.map((m) => m.toFixed(2)).join("/"),
    );
    for (const m of mad) expect(m).toBeLessThan(3);
    // Lossy: libwebp works a few macroblock rows at a time; its memory is the file and the output.
    expect(webpMemoryBytes()).toBeLessThan(16 * MiB);
  });

  it("reduced decodes agree with photon's full decode on small images (forced by a low limit)", async () => {
    // (16-bit, grey and interlaced PNGs decode exactly like photon: thumbnail-png-rows.test.ts.)
    const cases = [
      ["image/sharp_webp_gallery3_5_alpha.webp", "webp-scaled"],
      ["image/sharp_webp_gallery_4_lossy.webp", "webp-scaled"],
      ["image/sharp_alpha-premultiply-1024x768-paper_rgba.png", "png-rows"],
      ["image/sharp_Flag_of_the_Netherlands_palette.png", "png-rows"],
    ] as const;
    for (const [path, route] of cases) {
      const bytes = await fixture(path);
      const options = { options: { thumbnail: { size: 128, format: "png" as const } } };
      const full = await thumbnail(bytes, options);
      const reduced = await thumbnail(bytes, { ...options, limits: { maxImagePixels: 20_000 } });
      expect(full.source).toMatchObject({ decode: "full" });
      expect(reduced.source).toMatchObject({ decode: route });
      expect(reduced.thumb).toMatchObject({ width: full.thumb.width, height: full.thumb.height });
      const mad = meanDifference(reduced.pixels.rgba, full.pixels.rgba);
      console.log(
        `${path}: ${route} vs full decode, mean abs difference ${mad.map((m) => m.toFixed(2)).join("/")}`,
      );
      for (const m of mad) expect(m).toBeLessThan(3);
    }
  });

  it("the first frame of a GIF, by LZW row by row, agrees with photon's full decode (forced by a low limit)", async () => {
    const bytes = await fixture("image/sharp_rotating-squares_anim.gif");
    const options = { options: { thumbnail: { size: 32, format: "png" as const } } };
    const full = await thumbnail(bytes, options);
    const reduced = await thumbnail(bytes, { ...options, limits: { maxImagePixels: 3_000 } });
    expect(full.source).toMatchObject({ width: 80, height: 80, decode: "full" });
    expect(reduced.source).toMatchObject({ width: 80, height: 80, decode: "gif-rows" });
    expect(reduced.thumb).toMatchObject({ width: 32, height: 32 });
    // At full size (one pixel per cell) the decode is photon's, pixel for pixel.
    const exact = decodeGifReduced(bytes, { width: 80, height: 80 });
    const photon = PhotonImage.new_from_byteslice(bytes);
    const expected = photon.get_raw_pixels();
    photon.free();
    expect(meanDifference(exact.rgba, expected)).toEqual([0, 0, 0]);
    const mad = meanDifference(reduced.pixels.rgba, full.pixels.rgba);
    console.log(
      `GIF first frame: gif-rows vs full decode, mean abs difference ${mad.map((m) => m.toFixed(2)).join("/")}`,
    );
    for (const m of mad) expect(m).toBeLessThan(3);
    // Cut inside the image data: corrupt_file.
    await expectThumbnailError(bytes.slice(0, 400), "corrupt_file", {
      limits: { maxImagePixels: 3_000 },
      ...options,
    });
  });

  it("a lossless WebP (made by photon's encoder) by libwebp's scaled decoding agrees with the full decode", async () => {
    const source = PhotonImage.new_from_byteslice(
      await fixture("image/sharp_alpha-premultiply-1024x768-paper_rgba.png"),
    );
    const lossless = source.get_bytes_webp();
    source.free();
    expect(String.fromCharCode(...lossless.subarray(12, 16))).toBe("VP8L");
    const options = { options: { thumbnail: { size: 128, format: "png" as const } } };
    const full = await thumbnail(lossless, options);
    const reduced = await thumbnail(lossless, { ...options, limits: { maxImagePixels: 20_000 } });
    expect(reduced.source).toMatchObject({ width: 1024, height: 768, decode: "webp-scaled" });
    const mad = meanDifference(reduced.pixels.rgba, full.pixels.rgba);
    console.log(
      `lossless WebP: webp-scaled vs full decode, mean abs difference ${mad.map((m) => m.toFixed(2)).join("/")}`,
    );
    for (const m of mad) expect(m).toBeLessThan(3);
  });

  it("refuses a lossless WebP whose whole-image decode would not fit, before decoding", async () => {
    // A VP8L header for 9000x9000 (lossless is decoded whole inside libwebp: 4 bytes per pixel = 309 MiB).
    const bits = (9000 - 1) | ((9000 - 1) << 14);
    const vp8l = [
      0x2f,
      bits & 0xff,
      (bits >>> 8) & 0xff,
      (bits >>> 16) & 0xff,
      (bits >>> 24) & 0xff,
      0,
      0,
      0,
    ];
    const payload = new Uint8Array([...ascii("WEBP"), ...ascii("VP8L"), ...u32le(vp8l.length), ...vp8l]);
    const webp = new Uint8Array([...ascii("RIFF"), ...u32le(payload.length), ...payload]);
    const error = await expectThumbnailError(webp, "image_too_large");
    expect(error.message).toMatch(/lossless needs 309 MiB to decode \(at most 72 MiB\)/);
  });

  it("fails cut or damaged large files with corrupt_file", async () => {
    const webp = await fixture("image/large/photo_16mp_orient6.webp");
    await expectThumbnailError(webp.slice(0, webp.byteLength >> 1), "corrupt_file");
    // Damaged image data in the middle of the PNG, with its header and end intact.
    const png = (await fixture("image/large/photo_108mp_orient6.png")).slice();
    png.fill(0x55, png.byteLength >> 1, (png.byteLength >> 1) + 64);
    await expectThumbnailError(png, "corrupt_file");
  });
});

function ascii(s: string): number[] {
  return Array.from(s, (c) => c.charCodeAt(0));
}

function u32le(n: number): number[] {
  return [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff];
}
