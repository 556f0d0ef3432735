/**
 * A PDF's thumbnail source: its first page rendered by PDFium, just large enough for the biggest
 * thumbnail requested (the side that decides the fit, longest for `inside`, shortest for `cover`, gets
 * that many pixels), capped at the image pixel limit. The thumbnails are then cut and encoded from these
 * pixels exactly as from a decoded image.
 */
import { openPdfForRendering, type RenderedPage } from "../pdf/render";
import type { ProcessingLimits } from "../stage";
import type { Fit } from "./plan";

export interface RenderedFirstPage extends RenderedPage {
  pageCount: number;
}

export async function renderFirstPage(
  bytes: Uint8Array,
  limits: ProcessingLimits,
  largest: number,
  fit: Fit,
): Promise<RenderedFirstPage> {
  const session = await openPdfForRendering(bytes, { maxPixels: limits.maxImagePixels });
  try {
    const { widthPt, heightPt } = session.pageSize(0);
    const box =
      fit === "inside"
        ? { maxWidth: largest, maxHeight: largest }
        : // The shortest side gets `largest` pixels; the other side follows the page's proportions.
          {
            maxWidth: Math.ceil(largest * Math.max(1, widthPt / heightPt)),
            maxHeight: Math.ceil(largest * Math.max(1, heightPt / widthPt)),
          };
    return { ...session.renderPage(0, box), pageCount: session.pageCount };
  } finally {
    session.close();
  }
}
