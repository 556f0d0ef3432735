import { describe, expect, it } from "vitest";
import { thumbnailStage } from "../../src/pipeline/thumbnail";
import { orient } from "../../src/pipeline/thumbnail/pixels";
import { planThumbnails } from "../../src/pipeline/thumbnail/plan";
import { fixture, manifest, type ManifestEntry } from "../helpers/fixtures";
import { MemoryOutputs, stageInput, type InputOverrides } from "../helpers/memory-outputs";
import { decode, expectThumbnailError } from "../helpers/thumbnails";

interface Thumb {
  width: number;
  height: number;
  format: string;
  bytes: number;
  url: string;
}

async function thumbnail(bytes: Uint8Array, overrides: InputOverrides = {}) {
  const outputs = new MemoryOutputs("thumbnail");
  const outcome = await thumbnailStage.run(stageInput(bytes, outputs, overrides));
  if (outcome.status !== "completed") throw new Error(`expected completed, got ${JSON.stringify(outcome)}`);
  const [thumb] = outcome.result["thumbnails"] as unknown as Thumb[];
  if (!thumb) throw new Error("no thumbnail in the result");
  const name = decodeURIComponent(thumb.url.split("/").pop() ?? "");
  return { result: outcome.result, thumb, name, output: outputs.get(name) };
}

const pixel = (d: { width: number; rgba: Uint8Array }, x: number, y: number) =>
  Array.from(d.rgba.subarray((y * d.width + x) * 4, (y * d.width + x) * 4 + 4));

const MAGIC: Record<string, number[]> = {
  jpeg: [0xff, 0xd8, 0xff],
  png: [0x89, 0x50, 0x4e, 0x47],
  webp: [0x52, 0x49, 0x46, 0x46], // RIFF (WEBP at 8)
};

describe("thumbnail: real images", () => {
  const cases = [
    ["image/mate-backgrounds_Wood_2560x1920.jpg", "jpeg"],
    ["image/sharp_webp_gallery_4_lossy.webp", "webp"],
    ["image/sharp_alpha-premultiply-1024x768-paper_rgba.png", "png"],
    ["image/imagers_progressive_cat.jpg", "jpeg"],
  ] as const;

  for (const [path, imageFormat] of cases) {
    for (const format of ["jpeg", "png", "webp"] as const) {
      it(`${path} → ${format}, longest side 200`, async () => {
        const facts = (await manifest(path)).expected.image;
        const source = { width: facts?.width ?? 0, height: facts?.height ?? 0 };
        const { result, thumb, name, output } = await thumbnail(await fixture(path), {
          options: { thumbnail: { size: 200, format } },
        });

        expect(result["source"]).toMatchObject({ ...source, imageFormat, orientation: 1 });
        expect(Math.max(thumb.width, thumb.height)).toBe(200);
        // Same aspect ratio as the source, to a pixel.
        const expectedHeight = (200 * source.height) / source.width;
        expect(Math.abs(thumb.height - expectedHeight)).toBeLessThanOrEqual(1);

        expect(thumb.format).toBe(format);
        expect(name).toBe(`thumbnail-200.${format === "jpeg" ? "jpg" : format}`);
        expect(output.contentType).toBe(`image/${format}`);
        expect(thumb.bytes).toBe(output.body.byteLength);
        expect(Array.from(output.body.subarray(0, MAGIC[format]?.length))).toEqual(MAGIC[format]);

        const decoded = decode(output.body);
        expect({ width: decoded.width, height: decoded.height }).toEqual({
          width: thumb.width,
          height: thumb.height,
        });
      });
    }
  }

  it("uses the default options: JPEG, longest side 256", async () => {
    const { thumb, name } = await thumbnail(await fixture("image/mate-backgrounds_Wood_2560x1920.jpg"));
    expect(thumb).toMatchObject({ width: 256, height: 192, format: "jpeg" });
    expect(name).toBe("thumbnail-256.jpg");
  });

  it("never enlarges a small image", async () => {
    const path = "image/imagers_progressive_cat.jpg";
    const { thumb, output } = await thumbnail(await fixture(path), {
      options: { thumbnail: { size: 1024 } },
    });
    expect(thumb).toMatchObject({ width: 320, height: 240 });
    expect(decode(output.body)).toMatchObject({ width: 320, height: 240 });
  });

  it("turns an EXIF-rotated photo upright", async () => {
    const path = "image/exif_Landscape_6.jpg";
    const facts = (await manifest(path)).expected.image;
    expect(facts).toMatchObject({ width: 1200, height: 1800, display_width: 1800, display_height: 1200 });
    const { result, thumb, output } = await thumbnail(await fixture(path));
    expect(result["source"]).toMatchObject({ width: 1200, height: 1800, orientation: 6 });
    const expectedHeight = (256 * (facts?.display_height ?? 0)) / (facts?.display_width ?? 1);
    expect(thumb.width).toBe(256);
    expect(Math.abs(thumb.height - expectedHeight)).toBeLessThanOrEqual(1);
    expect(decode(output.body)).toMatchObject({ width: thumb.width, height: thumb.height });
  });

  it("flattens transparency over white for JPEG and keeps it for PNG", async () => {
    const path = "image/sharp_alpha-premultiply-1024x768-paper_rgba.png";
    const bytes = await fixture(path);
    // The source's corner is fully transparent.
    expect(pixel(decode(bytes), 0, 0)[3]).toBe(0);

    const jpeg = decode((await thumbnail(bytes, { options: { thumbnail: { format: "jpeg" } } })).output.body);
    for (const value of pixel(jpeg, 0, 0).slice(0, 3)) expect(value).toBeGreaterThanOrEqual(250);

    const png = decode((await thumbnail(bytes, { options: { thumbnail: { format: "png" } } })).output.body);
    expect(pixel(png, 0, 0)[3]).toBe(0);
    // Somewhere the strokes are opaque.
    expect(png.rgba.some((value, i) => i % 4 === 3 && value === 255)).toBe(true);
  });

  it("thumbnails a GIF", async () => {
    const gif = Uint8Array.from(atob("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7"), (c) =>
      c.charCodeAt(0),
    );
    const { result, thumb } = await thumbnail(gif, { options: { thumbnail: { format: "png" } } });
    expect(thumb).toMatchObject({ width: 1, height: 1 });
    expect(result["source"]).toMatchObject({ imageFormat: "gif" });
  });
});

describe("thumbnail: refusals", () => {
  it("refuses an arithmetic-coded JPEG before decoding it", async () => {
    const path = "image/ljt_testimgari_arithmetic.jpg";
    // `special` is a manifest field the shared ManifestEntry type does not declare.
    const entry = (await manifest(path)) as ManifestEntry & { special?: string };
    expect(entry.special).toMatch(/SOF9/);
    const error = await expectThumbnailError(await fixture(path), "unsupported_type");
    expect(error.message).toMatch(/arithmetic-coded/);
  });

  it("fails a truncated JPEG as corrupt_file", async () => {
    const error = await expectThumbnailError(await fixture("malformed/sharp_truncated.jpg"), "corrupt_file");
    expect(error.message).toMatch(/cut short/);
  });

  it("fails a truncated WebP as corrupt_file", async () => {
    const webp = await fixture("image/sharp_webp_gallery_4_lossy.webp");
    await expectThumbnailError(webp.slice(0, webp.byteLength / 2), "corrupt_file");
  });

  it("turns a decoder trap into corrupt_file and keeps working afterwards", async () => {
    // Damaged pixel data with an intact header and end: only the decoder can tell, and photon traps.
    const png = (await fixture("image/sharp_alpha-premultiply-1024x768-paper_rgba.png")).slice();
    png.fill(0x55, 100_000, 100_400);
    const error = await expectThumbnailError(png, "corrupt_file");
    expect(error.message).toMatch(/cannot be decoded.*unreachable/);
    const { thumb } = await thumbnail(await fixture("image/imagers_progressive_cat.jpg"));
    expect(thumb).toMatchObject({ width: 256, height: 192 });
  });

  it("refuses an image with more pixels than the limit, naming it", async () => {
    // A PNG above the limit is decoded row by row to a reduced size, which must still hold the thumbnail.
    const png = await expectThumbnailError(
      await fixture("image/sharp_alpha-premultiply-1024x768-paper_rgba.png"),
      "image_too_large",
      { limits: { maxImagePixels: 10_000 } },
    );
    expect(png.message).toMatch(
      /1024x768 \(786,432 pixels\); a 256 px thumbnail \(fit inside\) needs more than 10,000 pixels$/,
    );
    // A JPEG decodes at 1/8 when that is big enough (320x240 here): a 512 px thumbnail is not.
    const jpeg = await expectThumbnailError(
      await fixture("image/mate-backgrounds_Wood_2560x1920.jpg"),
      "image_too_large",
      { limits: { maxImagePixels: 1_000_000 }, options: { thumbnail: { size: 512 } } },
    );
    expect(jpeg.message).toMatch(
      /2560x1920.*at most 1,000,000 pixels.*thumbnails up to 320 px \(fit inside\)/,
    );
  });

  it("skips text files", async () => {
    const text = await thumbnailStage.run(
      stageInput(await fixture("text/libjpeg-turbo_README.md"), new MemoryOutputs("thumbnail")),
    );
    expect(text).toMatchObject({ status: "skipped", reason: { code: "not_an_image" } });
  });

  it("fails empty files and unknown content", async () => {
    await expectThumbnailError(await fixture("malformed/zero_bytes.jpg"), "empty_file");
    await expectThumbnailError(
      Uint8Array.from({ length: 64 }, (_, i) => i),
      "unsupported_type",
    );
  });
});

describe("thumbnail: geometry and pixels", () => {
  it("plans sizes from the upright image, with a fast first pass for big reductions", () => {
    expect(planThumbnails({ width: 2560, height: 1920 }, 1, [256], "inside")).toEqual({
      working: { width: 512, height: 384 },
      reduced: true,
      crop: { x: 0, y: 0, width: 512, height: 384 },
      outputs: [{ size: 256, width: 256, height: 192 }],
    });
    // Stored 1200x1800, orientation 6: upright 1800x1200; the working image is in stored orientation.
    expect(planThumbnails({ width: 1200, height: 1800 }, 6, [256], "inside")).toMatchObject({
      working: { width: 341, height: 512 },
      outputs: [{ width: 256, height: 171 }],
    });
    expect(planThumbnails({ width: 320, height: 240 }, 1, [256], "inside")).toMatchObject({
      reduced: false,
      outputs: [{ width: 256, height: 192 }],
    });
    expect(planThumbnails({ width: 10_000, height: 3 }, 1, [100], "inside").outputs).toEqual([
      { size: 100, width: 100, height: 1 },
    ]);
    // Several sizes share the working image made for the largest; nothing is enlarged.
    expect(planThumbnails({ width: 320, height: 240 }, 1, [512, 128, 64], "inside").outputs).toEqual([
      { size: 512, width: 320, height: 240 },
      { size: 128, width: 128, height: 96 },
      { size: 64, width: 64, height: 48 },
    ]);
    // Cover: the centred square of the upright image.
    expect(planThumbnails({ width: 2560, height: 1920 }, 1, [200], "cover")).toEqual({
      working: { width: 533, height: 400 },
      reduced: true,
      crop: { x: 66, y: 0, width: 400, height: 400 },
      outputs: [{ size: 200, width: 200, height: 200 }],
    });
  });

  it("applies each EXIF orientation", () => {
    // A 3x2 image whose pixels are numbered 1..6 (in the red channel), row by row:  1 2 3 / 4 5 6
    const stored = new Uint8Array(24);
    for (let i = 0; i < 6; i++) stored.set([i + 1, 0, 0, 255], i * 4);
    const red = (o: number) => {
      const out = orient(stored, 3, 2, o);
      return { size: [out.width, out.height], red: Array.from(out.rgba.filter((_, i) => i % 4 === 0)) };
    };
    expect(red(1)).toEqual({ size: [3, 2], red: [1, 2, 3, 4, 5, 6] });
    expect(red(2)).toEqual({ size: [3, 2], red: [3, 2, 1, 6, 5, 4] });
    expect(red(3)).toEqual({ size: [3, 2], red: [6, 5, 4, 3, 2, 1] });
    expect(red(4)).toEqual({ size: [3, 2], red: [4, 5, 6, 1, 2, 3] });
    expect(red(5)).toEqual({ size: [2, 3], red: [1, 4, 2, 5, 3, 6] });
    expect(red(6)).toEqual({ size: [2, 3], red: [4, 1, 5, 2, 6, 3] });
    expect(red(7)).toEqual({ size: [2, 3], red: [6, 3, 5, 2, 4, 1] });
    expect(red(8)).toEqual({ size: [2, 3], red: [3, 6, 2, 5, 1, 4] });
  });
});
