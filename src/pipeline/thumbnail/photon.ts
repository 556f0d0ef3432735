/**
 * Everything that touches photon's WebAssembly, in one place, because of two hazards. Its memory is not
 * garbage-collected, so every `PhotonImage` is freed in a `finally`. And photon does not return errors:
 * on any input it cannot decode it panics, which traps inside the wasm (`RuntimeError: unreachable`).
 * A trap while decoding is reported as `corrupt_file`; a trap anywhere else (resize, encode: only
 * memory exhaustion gets there) is rethrown as a transient error. A trap aborts the Rust code midway:
 * what it had allocated leaks, and the module instance (one per isolate, with no way to re-create it)
 * may be left unusable. So after a trap, photon is re-checked on a tiny image before the next input
 * uses it, and if that fails the next input gets a transient error instead of a wrong verdict.
 *
 * One decode makes all of a job's sizes: the image is cut down to the working size (plan.ts), alpha is
 * prepared (flattened over white for JPEG, premultiplied for PNG/WebP so resizing does not bleed the
 * colour of invisible pixels), the pixels are turned upright and cropped, then each size is resized
 * from that and encoded.
 */
import { initPhoton, PhotonImage, resize, SamplingFilter } from "@cf-wasm/photon/workerd";
import type { ThumbnailOptions } from "../options";
import { StageError } from "../stage";
import { crop, flattenOverWhite, orient, premultiply, unpremultiply } from "./pixels";
import type { ThumbnailPlan } from "./plan";

/** What to decode: encoded image bytes, or pixels decoded elsewhere (RGBA, 4 bytes per pixel). */
export type ImageSource =
  | { kind: "encoded"; bytes: Uint8Array }
  | { kind: "pixels"; rgba: Uint8Array; width: number; height: number };

export interface RenderRequest {
  source: ImageSource;
  plan: ThumbnailPlan;
  orientation: number;
  /** Whether the source may have transparent pixels. */
  hasAlpha: boolean;
  format: ThumbnailOptions["format"];
  quality: number;
}

export interface Rendered {
  size: number;
  bytes: Uint8Array;
  width: number;
  height: number;
}

/** Set when a trap happened in this isolate and photon has not been re-checked since. */
let trapped = false;

export function renderThumbnails(request: RenderRequest): Rendered[] {
  ensureUsable();
  let image = decode(request.source);
  try {
    const { plan } = request;
    if (plan.reduced)
      image = replace(image, resize(image, plan.working.width, plan.working.height, SamplingFilter.Triangle));
    const alpha = !request.hasAlpha ? "none" : request.format === "jpeg" ? "flatten" : "premultiply";
    const whole =
      plan.crop.x === 0 &&
      plan.crop.y === 0 &&
      plan.crop.width * plan.crop.height === image.get_width() * image.get_height();
    // Pixels go through JavaScript only when something has to be done to them (copying costs memory).
    if (alpha !== "none" || request.orientation !== 1 || !whole) {
      const pixels = image.get_raw_pixels();
      if (alpha === "flatten") flattenOverWhite(pixels);
      else if (alpha === "premultiply") premultiply(pixels);
      const upright = orient(pixels, image.get_width(), image.get_height(), request.orientation);
      const cropped = crop(upright, plan.crop);
      image = replace(image, new PhotonImage(cropped.rgba, cropped.width, cropped.height));
    }
    return plan.outputs.map((output) => {
      let thumb = image;
      if (output.width !== image.get_width() || output.height !== image.get_height()) {
        thumb = resize(image, output.width, output.height, SamplingFilter.Lanczos3);
      }
      try {
        if (alpha === "premultiply") {
          const straight = thumb.get_raw_pixels();
          unpremultiply(straight);
          const unpremultiplied = new PhotonImage(straight, thumb.get_width(), thumb.get_height());
          if (thumb !== image) thumb.free();
          thumb = unpremultiplied;
        }
        return {
          size: output.size,
          bytes: encode(thumb, request),
          width: thumb.get_width(),
          height: thumb.get_height(),
        };
      } finally {
        if (thumb !== image) thumb.free();
      }
    });
  } catch (error) {
    throw afterTrap(error, "resizing or encoding the thumbnail");
  } finally {
    image.free();
  }
}

/** Bytes of wasm memory photon's instance holds now (it only grows: after a run, its peak so far). */
export async function photonMemoryBytes(): Promise<number> {
  const exports = (await initPhoton.ensure()) as unknown as { memory?: WebAssembly.Memory };
  return exports.memory?.buffer.byteLength ?? 0;
}

function decode(source: ImageSource): PhotonImage {
  if (source.kind === "pixels") return new PhotonImage(source.rgba, source.width, source.height);
  try {
    return PhotonImage.new_from_byteslice(source.bytes);
  } catch (error) {
    if (error instanceof WebAssembly.RuntimeError) {
      trapped = true;
      throw new StageError("corrupt_file", `the image data cannot be decoded (${error.message})`);
    }
    throw error;
  }
}

function encode(image: PhotonImage, request: RenderRequest): Uint8Array {
  switch (request.format) {
    case "jpeg":
      return image.get_bytes_jpeg(request.quality);
    case "png":
      return image.get_bytes();
    case "webp":
      // photon's WebP encoder is lossless only: 3-30x larger than a lossy WebP of the same image.
      return image.get_bytes_webp();
  }
}

/** Frees `old` and returns `next`; if computing `next` threw, `old` is still the caller's to free. */
function replace(old: PhotonImage, next: PhotonImage): PhotonImage {
  old.free();
  return next;
}

function afterTrap(error: unknown, doing: string): unknown {
  if (!(error instanceof WebAssembly.RuntimeError)) return error;
  trapped = true;
  return new Error(`photon trapped while ${doing} (${error.message}); probably out of memory`);
}

/** After a trap, proves photon still works on a 2x2 image before trusting it with an input. */
function ensureUsable(): void {
  if (!trapped) return;
  let probe: PhotonImage | undefined;
  let resized: PhotonImage | undefined;
  try {
    probe = new PhotonImage(new Uint8Array(16).fill(200), 2, 2);
    resized = resize(probe, 1, 1, SamplingFilter.Lanczos3);
    if (resized.get_bytes_jpeg(80).byteLength === 0) throw new Error("empty JPEG");
    trapped = false;
  } catch (error) {
    throw new Error("photon is unusable in this isolate after an earlier trap; retry elsewhere", {
      cause: error,
    });
  } finally {
    resized?.free();
    probe?.free();
  }
}
