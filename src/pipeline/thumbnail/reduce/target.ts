/**
 * The size an image is reduced to while it is decoded (PNG rows, libwebp's scaled output), before
 * photon makes the finished thumbnails from it. It keeps twice the largest thumbnail along the side that
 * decides it (as the working image of plan.ts does), never enlarges, and stays within a pixel budget so
 * that photon's part (about 12 bytes per pixel of the reduced image) fits in the isolate. When even one
 * times the largest thumbnail does not fit that budget (a `cover` thumbnail of a very long panorama),
 * there is no reduced size and the image is refused.
 */
import type { Fit, Size } from "../plan";

export function reducedSize(image: Size, largest: number, fit: Fit, maxPixels: number): Size | undefined {
  const deciding =
    fit === "inside" ? Math.max(image.width, image.height) : Math.min(image.width, image.height);
  const wanted = Math.min(1, (2 * largest) / deciding);
  const budget = Math.sqrt(maxPixels / (image.width * image.height));
  const factor = Math.min(wanted, budget);
  // Below one thumbnail's resolution the result would be visibly soft: better refuse.
  if (factor * deciding < Math.min(largest, deciding) - 0.5) return undefined;
  return {
    width: Math.max(1, Math.round(image.width * factor)),
    height: Math.max(1, Math.round(image.height * factor)),
  };
}
