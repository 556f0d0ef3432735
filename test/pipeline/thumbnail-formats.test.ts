/**
 * Thumbnails of the image kinds that trip decoders up, checked against facts ImageMagick 6.9 established
 * on the same files (pixel values and channel means quoted in each test), plus sizes and fit. PDF
 * thumbnails are tested in test/pdf/thumbnail.test.ts.
 */
import { describe, expect, it } from "vitest";
import { renderThumbnails } from "../../src/pipeline/thumbnail/photon";
import { planThumbnails } from "../../src/pipeline/thumbnail/plan";
import { fixture } from "../helpers/fixtures";
import { decode, expectThumbnailError, thumbnails, type Decoded, type Thumb } from "../helpers/thumbnails";

const at = (d: Decoded, x: number, y: number) =>
  Array.from(d.rgba.subarray((y * d.width + x) * 4, (y * d.width + x) * 4 + 4));
const mean = (d: Decoded, channel: number) => {
  let sum = 0;
  for (let i = channel; i < d.rgba.length; i += 4) sum += d.rgba[i] ?? 0;
  return sum / (d.width * d.height);
};
const png = { options: { thumbnail: { format: "png" as const } } };

describe("thumbnail: tricky inputs", () => {
  it("uses the first frame of an animated GIF", async () => {
    const { thumbs, decoded } = await thumbnails(await fixture("image/sharp_rotating-squares_anim.gif"), png);
    expect(thumbs[0]).toMatchObject({ width: 80, height: 80 });
    const frame = decoded(thumbs[0] as Thumb);
    // ImageMagick, frame 0 at (14,13): (158,235,254); frames 5 and 10 there: (188,202,215).
    expect(at(frame, 14, 13)).toEqual([158, 235, 254, 255]);
    // Frame 0's mean alpha is 89.41 of 255 (ImageMagick's pixel dump).
    expect(mean(frame, 3)).toBeCloseTo(89.41, 1);
  });

  it("uses the first frame of an animated WebP (frames smaller than the canvas)", async () => {
    const { thumbs, decoded } = await thumbnails(
      await fixture("image/sharp_rotating-squares_anim.webp"),
      png,
    );
    const frame = decoded(thumbs[0] as Thumb);
    expect(frame).toMatchObject({ width: 80, height: 80 });
    // ImageMagick, frame 0: (40,10) transparent, (20,20) = (14,208,252) opaque; frame 5 the other way round.
    expect(at(frame, 40, 10)[3]).toBe(0);
    // (Lossy frames: decoders may differ by a level or two.)
    const [r = 0, g = 0, b = 0, a = 0] = at(frame, 20, 20);
    expect([Math.abs(r - 14), Math.abs(g - 208), Math.abs(b - 252)].every((d) => d <= 3)).toBe(true);
    expect(a).toBe(255);
    expect(mean(frame, 3)).toBeCloseTo(89.41, 0);
  });

  it("decodes palette, 16-bit and interlaced PNGs to the right colours", async () => {
    const flag = await thumbnails(await fixture("image/sharp_Flag_of_the_Netherlands_palette.png"), png);
    expect(flag.thumbs[0]).toMatchObject({ width: 256, height: 171 });
    const stripes = flag.decoded(flag.thumbs[0] as Thumb);
    // ImageMagick: red (174,28,40), white, blue (33,70,139) stripes.
    expect(at(stripes, 128, 20)).toEqual([174, 28, 40, 255]);
    expect(at(stripes, 128, 85)).toEqual([255, 255, 255, 255]);
    expect(at(stripes, 128, 150)).toEqual([33, 70, 139, 255]);

    const monkey = await thumbnails(await fixture("image/ljt_monkey16_16bit.png"), png);
    const m = monkey.decoded(monkey.thumbs[0] as Thumb);
    expect(m).toMatchObject({ width: 149, height: 227 });
    // ImageMagick channel means: 82.4, 98.6, 110.7.
    expect(mean(m, 0)).toBeCloseTo(82.4, -0.5);
    expect(mean(m, 1)).toBeCloseTo(98.6, -0.5);
    expect(mean(m, 2)).toBeCloseTo(110.7, -0.5);

    const interlaced = await thumbnails(await fixture("image/imagers_basi2c08_interlaced.png"), png);
    const i = interlaced.decoded(interlaced.thumbs[0] as Thumb);
    expect(i).toMatchObject({ width: 32, height: 32 });
    for (const channel of [0, 1, 2]) expect(mean(i, channel)).toBeCloseTo(191.25, -0.5);
  });

  it("keeps alpha in PNG and WebP output and flattens it over white in JPEG", async () => {
    const bytes = await fixture("image/sharp_webp_gallery3_5_alpha.webp");
    for (const format of ["png", "webp"] as const) {
      const { thumbs, decoded } = await thumbnails(bytes, { options: { thumbnail: { format } } });
      // ImageMagick's pixel dump: mean alpha 61.84 of 255 (300x300, no resizing at the default size).
      expect(mean(decoded(thumbs[0] as Thumb), 3)).toBeCloseTo(61.84, 0);
    }
    const jpeg = await thumbnails(bytes);
    const flat = jpeg.decoded(jpeg.thumbs[0] as Thumb);
    expect(mean(flat, 3)).toBe(255);
    // Transparent areas became white, so the image is much lighter than its colour mean (~92).
    expect(mean(flat, 0)).toBeGreaterThan(120);
    const apng = await thumbnails(await fixture("image/imagers_apng_ball.png"), png);
    // The default image of the APNG: mean alpha 31.15 (ImageMagick).
    expect(mean(apng.decoded(apng.thumbs[0] as Thumb), 3)).toBeCloseTo(31.15, 0);
  });

  it("refuses the 65536x65536 pixel bomb from its header, before decoding", async () => {
    const started = Date.now();
    const error = await expectThumbnailError(
      await fixture("malformed/sharp_65536x65536_bomb.png"),
      "image_too_large",
    );
    expect(error.message).toMatch(
      /65536x65536 \(4,294,967,296 pixels\); at most 268,435,456 pixels can be decoded$/,
    );
    expect(Date.now() - started).toBeLessThan(2000);
  });
});

describe("thumbnail: sizes, fit and decode route", () => {
  it("makes several sizes from one decode, named by size", async () => {
    const { thumbs, result } = await thumbnails(await fixture("image/mate-backgrounds_Wood_2560x1920.jpg"), {
      options: { thumbnail: { sizes: [512, 64, 128] } },
    });
    expect(thumbs.map((t) => [t.size, t.width, t.height, t.url.split("/").pop()])).toEqual([
      [64, 64, 48, "thumbnail-64.jpg"],
      [128, 128, 96, "thumbnail-128.jpg"],
      [512, 512, 384, "thumbnail-512.jpg"],
    ]);
    // 512 px is more than the 1/8-scale decode (320x240) gives: this one was decoded in full.
    expect(result["source"]).toMatchObject({ decode: "full" });
  });

  it("fills a square with fit cover, upright for a rotated photo", async () => {
    const { thumbs, decoded } = await thumbnails(await fixture("image/exif_Landscape_6.jpg"), {
      options: { thumbnail: { size: 200, fit: "cover" } },
    });
    expect(thumbs[0]).toMatchObject({ width: 200, height: 200, fit: "cover" });
    expect(decoded(thumbs[0] as Thumb)).toMatchObject({ width: 200, height: 200 });
  });

  it("decodes a large JPEG at 1/8 scale when that is enough, matching a full decode", async () => {
    const bytes = await fixture("image/mate-backgrounds_Wood_2560x1920.jpg");
    const reduced = await thumbnails(bytes);
    expect(reduced.result["source"]).toMatchObject({ decode: "dct-1/8" });
    const fast = reduced.decoded(reduced.thumbs[0] as Thumb);
    const [full] = renderThumbnails({
      source: { kind: "encoded", bytes },
      plan: planThumbnails({ width: 2560, height: 1920 }, 1, [256], "inside"),
      orientation: 1,
      hasAlpha: false,
      format: "png",
      quality: 80,
    });
    const reference = decode(full?.bytes ?? new Uint8Array());
    expect(fast).toMatchObject({ width: reference.width, height: reference.height });
    let difference = 0;
    for (let i = 0; i < fast.rgba.length; i++)
      if (i % 4 !== 3) difference += Math.abs((fast.rgba[i] ?? 0) - (reference.rgba[i] ?? 0));
    // Mean difference per channel value, on a 0-255 scale (JPEG re-encoding of `fast` included).
    expect(difference / ((fast.rgba.length / 4) * 3)).toBeLessThan(6);
  });
});
