/**
 * The geometry of a job's thumbnails, decided before any pixel is touched. Everything is computed on the
 * upright image (after EXIF orientation). `inside` keeps the whole image with its longest side at the
 * requested size; `cover` fills a size x size square from the centred square of the image. Nothing is
 * ever enlarged: a small image keeps its size. All sizes are made from one "working" image: the decoded
 * image, cut down with a fast Triangle pass to twice the largest thumbnail when it is bigger than that
 * (then a Lanczos3 pass per size: much faster than Lanczos3 from full size at nearly the same quality).
 */
export interface Size {
  width: number;
  height: number;
}

export type Fit = "inside" | "cover";

export interface ThumbnailPlan {
  /** Size of the working image in the stored orientation (the decoded size when no reduction is needed). */
  working: Size;
  /** Whether the working image is a reduction of the decoded one. */
  reduced: boolean;
  /** Part of the upright working image the thumbnails are made from (the centred square for `cover`). */
  crop: { x: number; y: number; width: number; height: number };
  /** Finished thumbnails, upright, largest first. */
  outputs: { size: number; width: number; height: number }[];
}

/** Orientations 5-8 turn the image by 90 degrees: width and height swap. */
export function swapsAxes(orientation: number): boolean {
  return orientation >= 5 && orientation <= 8;
}

export function upright(size: Size, orientation: number): Size {
  return swapsAxes(orientation) ? { width: size.height, height: size.width } : size;
}

/**
 * `sizes` must be sorted largest first. `original` is the image's own size when it was decoded at a
 * reduced size: the thumbnails' sizes come from it, so that rounding in the reduction cannot change
 * their aspect ratio.
 */
export function planThumbnails(
  decoded: Size,
  orientation: number,
  sizes: number[],
  fit: Fit,
  original: Size = decoded,
): ThumbnailPlan {
  const largest = sizes[0] ?? 256;
  const up = upright(decoded, orientation);
  const originalUp = upright(original, orientation);
  // The working image keeps twice the largest thumbnail's resolution along the side that decides it.
  const deciding = fit === "inside" ? Math.max(up.width, up.height) : Math.min(up.width, up.height);
  const factor = (2 * largest) / deciding;
  const reduced = factor <= 0.5;
  const workingUpright = reduced ? scaleSize(up, factor) : up;
  const crop = fit === "cover" ? centredSquare(workingUpright) : { x: 0, y: 0, ...workingUpright };
  const outputs = sizes.map((size) => {
    if (fit === "cover") {
      const side = Math.min(size, Math.min(originalUp.width, originalUp.height));
      return { size, width: side, height: side };
    }
    return {
      size,
      ...scaleSize(originalUp, Math.min(1, size / Math.max(originalUp.width, originalUp.height))),
    };
  });
  return { working: upright(workingUpright, orientation), reduced, crop, outputs };
}

function scaleSize(size: Size, factor: number): Size {
  return {
    width: Math.max(1, Math.round(size.width * factor)),
    height: Math.max(1, Math.round(size.height * factor)),
  };
}

function centredSquare(size: Size): ThumbnailPlan["crop"] {
  const side = Math.min(size.width, size.height);
  return {
    x: Math.floor((size.width - side) / 2),
    y: Math.floor((size.height - side) / 2),
    width: side,
    height: side,
  };
}
