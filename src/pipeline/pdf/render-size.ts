/**
 * The pixel size a page is rendered at: the largest that fits the requested box with the page's aspect
 * ratio, never more pixels per point than `scale` (when given), and never more than the pixel cap (so
 * one render's bitmap, 4 bytes per pixel, stays a bounded part of the isolate's 128 MB).
 */
export interface RenderFit {
  maxWidth: number;
  maxHeight: number;
  /** Most pixels per PDF point (1/72 inch): 1 = 72 dpi, 300 / 72 = 300 dpi. */
  scale?: number;
}

export interface PixelSize {
  width: number;
  height: number;
}

export function renderSize(widthPt: number, heightPt: number, fit: RenderFit, maxPixels: number): PixelSize {
  const w = Math.max(widthPt, 1e-3);
  const h = Math.max(heightPt, 1e-3);
  let scale = Math.min(fit.maxWidth / w, fit.maxHeight / h);
  if (fit.scale !== undefined) scale = Math.min(scale, fit.scale);
  const fitted = {
    width: Math.max(1, Math.min(Math.floor(fit.maxWidth), Math.round(w * scale))),
    height: Math.max(1, Math.min(Math.floor(fit.maxHeight), Math.round(h * scale))),
  };
  if (fitted.width * fitted.height <= maxPixels) return fitted;
  // Over the cap: shrink both sides by the same factor (aspect kept), rounding down to stay under it.
  const capped = Math.sqrt(maxPixels / (w * h));
  return { width: Math.max(1, Math.floor(w * capped)), height: Math.max(1, Math.floor(h * capped)) };
}
