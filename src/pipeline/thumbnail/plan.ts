/**
 * The geometry of a thumbnail, decided from the image header alone: the upright (display) size after
 * EXIF orientation, the target size whose longest side is the requested size (never larger than the
 * source: small images keep their size), and the sizes to resize to in the stored orientation, with an
 * intermediate step for big reductions (a cheap Triangle pass to twice the target before the Lanczos3
 * pass: much faster at nearly the same quality).
 */
export interface Size {
  width: number;
  height: number;
}

export interface ThumbnailPlan {
  /** Size of the finished thumbnail, upright. */
  output: Size;
  /** Size to resize to before rotating (the output size in the stored orientation). */
  stored: Size;
  /** Size of the fast first pass, when the reduction is big enough to be worth one. */
  intermediate?: Size;
}

/** Orientations 5-8 turn the image by 90 degrees: width and height swap. */
export function swapsAxes(orientation: number): boolean {
  return orientation >= 5 && orientation <= 8;
}

export function planThumbnail(source: Size, orientation: number, size: number): ThumbnailPlan {
  const swap = swapsAxes(orientation);
  const upright = swap ? { width: source.height, height: source.width } : source;
  const longest = Math.max(upright.width, upright.height);
  const scale = Math.min(1, size / longest);
  const output = {
    width: Math.max(1, Math.round(upright.width * scale)),
    height: Math.max(1, Math.round(upright.height * scale)),
  };
  const stored = swap ? { width: output.height, height: output.width } : output;
  const plan: ThumbnailPlan = { output, stored };
  if (source.width > 2 * stored.width && source.height > 2 * stored.height) {
    plan.intermediate = { width: 2 * stored.width, height: 2 * stored.height };
  }
  return plan;
}
