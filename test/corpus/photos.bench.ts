/**
 * Large-photo thumbnails for `npm run bench:stages`: time and memory of a 256 px thumbnail of PNGs of
 * 6, 16 and 50 MP (made here: the 108 MP PNG fixture reduced by the row decoder, each pixel enlarged to a
 * 4x4, 8x8 or 12x12 block and written as a PNG through CompressionStream; photon is not used to make
 * them, so its memory figure is the thumbnails' own), the 108 MP PNG and 16.8 MP
 * WebP fixtures and the corpus's 12.2 MP JPEG. Per row: decode route, decode and render milliseconds,
 * MP/s, JavaScript typed arrays of the reduced decode, and the wasm memory of photon and libwebp after
 * it (wasm memory only grows, so this is the peak so far). One `BENCH_PHOTOS {json}` line per row;
 * scripts/bench-stages/photos.mjs prints them next to ImageMagick and libvips. Not part of `npm test`.
 */
import { it } from "vitest";
import { readImageHeader } from "../../src/pipeline/extract/image-header";
import type { ImageFormat } from "../../src/pipeline/sniff";
import { readPngChunks } from "../../src/pipeline/thumbnail/png/chunks";
import { decodePngReduced } from "../../src/pipeline/thumbnail/png/decode-reduced";
import { photonMemoryBytes, renderThumbnails } from "../../src/pipeline/thumbnail/photon";
import { planThumbnails } from "../../src/pipeline/thumbnail/plan";
import { decodeSource } from "../../src/pipeline/thumbnail/source";
import { webpMemoryBytes } from "../../src/pipeline/thumbnail/webp/scaled-decode";
import { corpusFile, fixture } from "../helpers/fixtures";
import { DEFAULT_LIMITS } from "../helpers/memory-outputs";

const MiB = 2 ** 20;

/** Block sizes of the generated PNGs: 4:3 images of 6.3, 16.5 and 50 MP (from 640x480, 512x384...). */
const GENERATED = [
  { name: "generated 6 MP PNG", small: { width: 725, height: 544 }, block: 4 },
  { name: "generated 16 MP PNG", small: { width: 587, height: 440 }, block: 8 },
  { name: "generated 50 MP PNG", small: { width: 680, height: 510 }, block: 12 },
];

it("measures large-photo thumbnails", async () => {
  const photo = await fixture("image/large/photo_108mp_orient6.png");
  const files: { name: string; bytes: Uint8Array; format: ImageFormat }[] = [];
  for (const g of GENERATED)
    files.push({ name: g.name, bytes: await blockyPng(photo, g.small, g.block), format: "png" });
  files.push({
    name: "fixture 108 MP PNG",
    bytes: await fixture("image/large/photo_108mp_orient6.png"),
    format: "png",
  });
  files.push({
    name: "fixture 16.8 MP WebP",
    bytes: await fixture("image/large/photo_16mp_orient6.webp"),
    format: "webp",
  });
  const jpeg = await corpusFile("image/mate-backgrounds_Elephants_4032x3024_orient6.jpg");
  if (jpeg) files.push({ name: "corpus 12.2 MP JPEG", bytes: jpeg, format: "jpeg" });
  else console.log("BENCH_PHOTOS_NOTE corpus absent: the 12.2 MP JPEG row is left out");

  for (const file of files) {
    const header = readImageHeader(file.bytes, file.format);
    const megapixels = (header.width * header.height) / 1e6;
    let best: { decodeMs: number; renderMs: number; route: string; jsMiB: number } | undefined;
    for (let run = 0; run < 2; run++) {
      const started = performance.now();
      const decoded = await decodeSource(file.bytes, header, DEFAULT_LIMITS, 256, "inside");
      const decodedAt = performance.now();
      renderThumbnails({
        source: decoded.source,
        plan: planThumbnails(decoded, header.orientation, [256], "inside", header),
        orientation: header.orientation,
        hasAlpha: header.hasAlpha,
        format: "jpeg",
        quality: 80,
      });
      const row = {
        decodeMs: decodedAt - started,
        renderMs: performance.now() - decodedAt,
        route: decoded.decode,
        jsMiB: (decoded.bytesHeld ?? 0) / MiB,
      };
      if (!best || row.decodeMs + row.renderMs < best.decodeMs + best.renderMs) best = row;
    }
    if (!best) continue;
    const ms = best.decodeMs + best.renderMs;
    const row = {
      name: file.name,
      width: header.width,
      height: header.height,
      megapixels,
      fileBytes: file.bytes.byteLength,
      ...best,
      ms,
      msPerMegapixel: ms / megapixels,
      megapixelsPerSecond: megapixels / (ms / 1000),
      photonMiB: (await photonMemoryBytes()) / MiB,
      libwebpMiB: webpMemoryBytes() / MiB,
    };
    console.log(`BENCH_PHOTOS ${JSON.stringify(row)}`);
  }
});

/** A PNG of `small` (a reduction of the PNG `photo`) with every pixel enlarged to a `block` x `block` square. */
async function blockyPng(
  photo: Uint8Array,
  small: { width: number; height: number },
  block: number,
): Promise<Uint8Array> {
  const { rgba } = await decodePngReduced(readPngChunks(photo), small);
  const width = small.width * block;
  const stream = new CompressionStream("deflate");
  const writer = stream.writable.getWriter();
  const compressed = new Response(stream.readable).arrayBuffer();
  for (let y = 0; y < small.height; y++) {
    const line = new Uint8Array(1 + width * 3);
    for (let x = 0; x < width; x++)
      line.set(
        rgba.subarray(
          (y * small.width + Math.floor(x / block)) * 4,
          (y * small.width + Math.floor(x / block)) * 4 + 3,
        ),
        1 + x * 3,
      );
    for (let k = 0; k < block; k++) await writer.write(line);
  }
  await writer.close();
  const idat = new Uint8Array(await compressed);
  const ihdr = new Uint8Array(13);
  const view = new DataView(ihdr.buffer);
  view.setUint32(0, width);
  view.setUint32(4, small.height * block);
  ihdr.set([8, 2, 0, 0, 0], 8);
  return concat([
    new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", ihdr),
    chunk("IDAT", idat),
    chunk("IEND", new Uint8Array(0)),
  ]);
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.byteLength);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.byteLength);
  out.set(
    Array.from(type, (c) => c.charCodeAt(0)),
    4,
  );
  out.set(data, 8);
  view.setUint32(8 + data.byteLength, crc32(out.subarray(4, 8 + data.byteLength)));
  return out;
}

function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.byteLength;
  }
  return out;
}
