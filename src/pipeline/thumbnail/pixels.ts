/**
 * Operations on raw RGBA pixels (4 bytes per pixel, straight alpha, as photon hands them out) that
 * photon lacks: alpha premultiplication (resizing straight alpha bleeds the colour of invisible pixels
 * into the edges as dark fringes), flattening over white (photon's JPEG encoder drops alpha, so
 * transparent areas would come out as whatever colour they hide, usually black), EXIF orientation and
 * cropping.
 * They run on small images (the thumbnail, or the intermediate of a big reduction), so plain loops do.
 */

/** Composites over white and makes every pixel opaque, in place. */
export function flattenOverWhite(rgba: Uint8Array): void {
  for (let i = 0; i < rgba.length; i += 4) {
    const alpha = rgba[i + 3] ?? 255;
    if (alpha === 255) continue;
    const white = 255 * (255 - alpha);
    for (let c = i; c < i + 3; c++) rgba[c] = Math.round(((rgba[c] ?? 0) * alpha + white) / 255);
    rgba[i + 3] = 255;
  }
}

/** Multiplies colour by alpha, in place. */
export function premultiply(rgba: Uint8Array): void {
  for (let i = 0; i < rgba.length; i += 4) {
    const alpha = rgba[i + 3] ?? 255;
    if (alpha === 255) continue;
    for (let c = i; c < i + 3; c++) rgba[c] = Math.round(((rgba[c] ?? 0) * alpha) / 255);
  }
}

/** Divides colour by alpha, in place (the inverse of `premultiply`, up to rounding). */
export function unpremultiply(rgba: Uint8Array): void {
  for (let i = 0; i < rgba.length; i += 4) {
    const alpha = rgba[i + 3] ?? 255;
    if (alpha === 255) continue;
    for (let c = i; c < i + 3; c++) {
      rgba[c] = alpha === 0 ? 0 : Math.min(255, Math.round(((rgba[c] ?? 0) * 255) / alpha));
    }
  }
}

/**
 * Turns pixels stored with EXIF orientation 1-8 upright. Returns the new pixels and size (orientations
 * 5-8 swap width and height); orientation 1 returns the input unchanged.
 */
export function orient(
  rgba: Uint8Array,
  width: number,
  height: number,
  orientation: number,
): { rgba: Uint8Array; width: number; height: number } {
  if (orientation < 2 || orientation > 8) return { rgba, width, height };
  const swap = orientation >= 5;
  const outWidth = swap ? height : width;
  const outHeight = swap ? width : height;
  const out = new Uint8Array(rgba.length);
  // Moving whole pixels as 32-bit words (a view needs 4-byte alignment; copy when it is not there).
  const aligned = rgba.byteOffset % 4 === 0 ? rgba : rgba.slice();
  const view = new Uint32Array(aligned.buffer, aligned.byteOffset, aligned.length / 4);
  const outView = new Uint32Array(out.buffer);
  // For each upright pixel (x, y), where it is stored.
  const source = SOURCE[orientation] ?? identity;
  for (let y = 0; y < outHeight; y++) {
    for (let x = 0; x < outWidth; x++) {
      const [sx, sy] = source(x, y, width, height);
      outView[y * outWidth + x] = view[sy * width + sx] ?? 0;
    }
  }
  return { rgba: out, width: outWidth, height: outHeight };
}

type SourceOf = (x: number, y: number, w: number, h: number) => [number, number];

const identity: SourceOf = (x, y) => [x, y];

const SOURCE: Partial<Record<number, SourceOf>> = {
  1: identity,
  2: (x, y, w) => [w - 1 - x, y], // mirrored
  3: (x, y, w, h) => [w - 1 - x, h - 1 - y], // upside down
  4: (x, y, _w, h) => [x, h - 1 - y], // mirrored upside down
  5: (x, y) => [y, x], // transposed
  6: (x, y, _w, h) => [y, h - 1 - x], // stored turned 90° anticlockwise: turn it clockwise
  7: (x, y, w, h) => [w - 1 - y, h - 1 - x], // transversed
  8: (x, y, w) => [w - 1 - y, x], // stored turned 90° clockwise: turn it anticlockwise
};

/** The `rect` part of an upright image; the input itself when `rect` is all of it. */
export function crop(
  image: { rgba: Uint8Array; width: number; height: number },
  rect: { x: number; y: number; width: number; height: number },
): { rgba: Uint8Array; width: number; height: number } {
  if (rect.x === 0 && rect.y === 0 && rect.width === image.width && rect.height === image.height)
    return image;
  const out = new Uint8Array(rect.width * rect.height * 4);
  for (let row = 0; row < rect.height; row++) {
    const from = ((rect.y + row) * image.width + rect.x) * 4;
    out.set(image.rgba.subarray(from, from + rect.width * 4), row * rect.width * 4);
  }
  return { rgba: out, width: rect.width, height: rect.height };
}
