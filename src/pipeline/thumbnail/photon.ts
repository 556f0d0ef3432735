/**
 * Everything that touches photon's WebAssembly, in one place, because of two hazards. Its memory is not
 * garbage-collected, so every `PhotonImage` is freed in a `finally`. And photon does not return errors:
 * on any input it cannot decode it panics, which traps inside the wasm (`RuntimeError: unreachable`).
 * A trap while decoding is reported as `corrupt_file`; a trap anywhere else (resize, encode: only
 * memory exhaustion gets there) is rethrown as a transient error. A trap aborts the Rust code midway:
 * what it had allocated leaks, and the module instance (one per isolate, with no way to re-create it)
 * may be left unusable. So after a trap, photon is re-checked on a tiny image before the next input
 * uses it, and if that fails the next input gets a transient error instead of a wrong verdict.
 */
import { PhotonImage, resize, SamplingFilter } from "@cf-wasm/photon/workerd";
import type { ThumbnailOptions } from "../options";
import { StageError } from "../stage";
import { flattenOverWhite, orient, premultiply, unpremultiply } from "./pixels";
import type { ThumbnailPlan } from "./plan";

export interface RenderRequest {
  bytes: Uint8Array;
  plan: ThumbnailPlan;
  orientation: number;
  /** Whether the source may have transparent pixels. */
  hasAlpha: boolean;
  format: ThumbnailOptions["format"];
  quality: number;
}

export interface Rendered {
  bytes: Uint8Array;
  width: number;
  height: number;
}

/** Set when a trap happened in this isolate and photon has not been re-checked since. */
let trapped = false;

export function renderThumbnail(request: RenderRequest): Rendered {
  ensureUsable();
  let image = decode(request.bytes);
  try {
    const { plan } = request;
    if (plan.intermediate)
      image = replace(image, resize(image, ...dims(plan.intermediate), SamplingFilter.Triangle));
    // JPEG has no alpha: flatten over white before resizing (which is exactly what a premultiplied
    // resize then composite would give). PNG and WebP keep alpha: premultiply for the resize. This runs
    // after the fast first pass of a big reduction, which still sees straight alpha (a faint fringe of
    // at most half a thumbnail pixel), to avoid copying every pixel of a big image through JavaScript.
    const alpha = !request.hasAlpha ? "none" : request.format === "jpeg" ? "flatten" : "premultiply";
    if (alpha !== "none") {
      const pixels = image.get_raw_pixels();
      if (alpha === "flatten") flattenOverWhite(pixels);
      else premultiply(pixels);
      image = replace(image, new PhotonImage(pixels, image.get_width(), image.get_height()));
    }
    if (image.get_width() !== plan.stored.width || image.get_height() !== plan.stored.height) {
      image = replace(image, resize(image, ...dims(plan.stored), SamplingFilter.Lanczos3));
    }
    if (alpha === "premultiply" || request.orientation !== 1) {
      const pixels = image.get_raw_pixels();
      if (alpha === "premultiply") unpremultiply(pixels);
      const upright = orient(pixels, image.get_width(), image.get_height(), request.orientation);
      image = replace(image, new PhotonImage(upright.rgba, upright.width, upright.height));
    }
    return { bytes: encode(image, request), width: image.get_width(), height: image.get_height() };
  } catch (error) {
    throw afterTrap(error, "resizing or encoding the thumbnail");
  } finally {
    image.free();
  }
}

function decode(bytes: Uint8Array): PhotonImage {
  try {
    return PhotonImage.new_from_byteslice(bytes);
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

function dims(size: { width: number; height: number }): [number, number] {
  return [size.width, size.height];
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
