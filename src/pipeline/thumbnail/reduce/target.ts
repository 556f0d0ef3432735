/**
 * The size an image is reduced to while it is decoded (PNG rows, libwebp's scaled output), before
 * photon makes the finished thumbnails from it. It keeps twice the largest thumbnail along the side that
 * decides it (as the working image of plan.ts does), never enlarges, and stays within a pixel budget so
 * that photon's part (about 12 bytes per pixel of the reduced image) fits in the isolate. When even one
 * times the largest thumbnail does not fit that budget (a `cover` thumbnail of a very long panorama),
 * there is no reduced size and the image is refused. Where it can, the reduction is by a whole factor
 * (every grid cell is k x k source pixels): a box filter with cells of one or two pixels aliases visibly.
 */
import type { Fit, Size } from "../plan";

export function reducedSize(image: Size, largest: number, fit: Fit, maxPixels: number): Size | undefined {
  const deciding =
    fit === "inside" ? Math.max(image.width, image.height) : Math.min(image.width, image.height);
  const wanted = Math.min(1, (2 * largest) / deciding);
  const budget = Math.sqrt(maxPixels / (image.width * image.height));
  const exact = Math.min(wanted, budget);
  const needed = Math.min(largest, deciding) - 0.5;
  // Below one thumbnail's resolution the result would be visibly soft: better refuse.
  if (exact * deciding < needed) return undefined;
  const whole = 1 / Math.ceil(1 / exact);
  const factor = whole * deciding >= needed ? whole : exact;
  return {
    width: Math.max(1, Math.round(image.width * factor)),
    height: Math.max(1, Math.round(image.height * factor)),
  };
}
