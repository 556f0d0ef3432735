/**
 * Renders PDF pages to RGBA pixels with PDFium, for thumbnails and OCR. A session holds one open
 * document; each `renderPage` loads one page, draws it on white with its annotations and form fields (a
 * filled AcroForm shows its values), copies the pixels out and frees the page and bitmap before
 * returning, so memory depends on the largest page rendered, not on the page count. The bitmap is capped
 * at `maxPixels` (4 bytes per pixel in PDFium's memory plus the same again for the returned copy).
 * Failures are stage errors: a password → `pdf_encrypted`, an unreadable file or page → `corrupt_file`
 * (also when PDFium traps on it: the same input would trap again, so retrying is pointless).
 */
import { StageError } from "../stage";
import { discardPdfium, isWasmTrap, loadPdfium, pdfiumHeap, pdfiumMemoryBytes, type Pdfium } from "./pdfium";
import { openPdfiumDocument, type PdfiumDocument } from "./pdfium-document";
import { renderSize, type RenderFit } from "./render-size";

export type { RenderFit } from "./render-size";
export { pdfiumMemoryBytes };

export interface RenderedPage {
  /** width x height pixels, 4 bytes each (R, G, B, A), rows top to bottom; A is always 255. */
  rgba: Uint8Array;
  width: number;
  height: number;
  /** Page size in points (1/72 inch) as displayed, i.e. after the page's /Rotate. */
  widthPt: number;
  heightPt: number;
}

export interface PageSize {
  widthPt: number;
  heightPt: number;
}

export interface PdfRenderSession {
  readonly pageCount: number;
  /** The displayed size of page `index` (0-based) in points, without rendering it. */
  pageSize(index: number): PageSize;
  /** Renders page `index` (0-based) so that it fits in `maxWidth` x `maxHeight` px (aspect kept; never above `scale` px per point if given). */
  renderPage(index: number, fit: RenderFit): RenderedPage;
  /** Frees the document; the session cannot be used afterwards. Safe to call twice. */
  close(): void;
}

export interface RenderOpenOptions {
  password?: string;
  /** Most pixels in one rendered page (default `MAX_RENDER_PIXELS`); larger renders are scaled down. */
  maxPixels?: number;
  /** Draw AcroForm fields with their values (default true); false draws only what the page itself holds. */
  drawForms?: boolean;
}

/** 6 MP: 24 MB of bitmap in PDFium plus 24 MB for the copy; an A4 page at ~250 dpi. */
export const MAX_RENDER_PIXELS = 6_000_000;

// fpdfview.h render flags.
const FPDF_ANNOT = 0x01;
const FPDF_REVERSE_BYTE_ORDER = 0x10;
const RENDER_FLAGS = FPDF_ANNOT | FPDF_REVERSE_BYTE_ORDER;
const WHITE = 0xffffffff;

export async function openPdfForRendering(
  bytes: Uint8Array,
  options: RenderOpenOptions = {},
): Promise<PdfRenderSession> {
  const pdfium = await loadPdfium();
  const document = guarded(
    () => openPdfiumDocument(pdfium, bytes, { password: options.password, forms: options.drawForms ?? true }),
    "opening the file",
  );
  const pageCount = pdfium.FPDF_GetPageCount(document.doc);
  return new Session(pdfium, document, pageCount, options.maxPixels ?? MAX_RENDER_PIXELS);
}

class Session implements PdfRenderSession {
  private open = true;

  constructor(
    private readonly pdfium: Pdfium,
    private readonly document: PdfiumDocument,
    readonly pageCount: number,
    private readonly maxPixels: number,
  ) {}

  pageSize(index: number): PageSize {
    this.check(index);
    return this.run(() => {
      const { wasmExports, getValue } = this.pdfium.pdfium;
      const size = wasmExports.malloc(8);
      try {
        if (!this.pdfium.FPDF_GetPageSizeByIndexF(this.document.doc, index, size)) {
          throw new StageError("corrupt_file", `the PDF's page ${index + 1} cannot be read`);
        }
        return { widthPt: getValue(size, "float"), heightPt: getValue(size + 4, "float") };
      } finally {
        wasmExports.free(size);
      }
    }, index);
  }

  renderPage(index: number, fit: RenderFit): RenderedPage {
    this.check(index);
    return this.run(() => this.render(index, fit), index);
  }

  close(): void {
    if (!this.open) return;
    this.open = false;
    this.document.close();
  }

  private render(index: number, fit: RenderFit): RenderedPage {
    const { pdfium } = this;
    const { doc, form } = this.document;
    const page = pdfium.FPDF_LoadPage(doc, index);
    if (!page) throw new StageError("corrupt_file", `the PDF's page ${index + 1} cannot be read`);
    try {
      if (form) pdfium.FORM_OnAfterLoadPage(page, form);
      const widthPt = pdfium.FPDF_GetPageWidthF(page);
      const heightPt = pdfium.FPDF_GetPageHeightF(page);
      const { width, height } = renderSize(widthPt, heightPt, fit, this.maxPixels);
      const bitmap = pdfium.FPDFBitmap_Create(width, height, 0);
      if (!bitmap) throw new Error(`PDFium could not allocate a ${width}x${height} bitmap`);
      try {
        pdfium.FPDFBitmap_FillRect(bitmap, 0, 0, width, height, WHITE);
        pdfium.FPDF_RenderPageBitmap(bitmap, page, 0, 0, width, height, 0, RENDER_FLAGS);
        // Form fields are drawn by the form-fill environment (with their current values), not by the page.
        if (form) pdfium.FPDF_FFLDraw(form, bitmap, page, 0, 0, width, height, 0, RENDER_FLAGS);
        const rgba = copyPixels(
          pdfium.FPDFBitmap_GetBuffer(bitmap),
          pdfium.FPDFBitmap_GetStride(bitmap),
          width,
          height,
        );
        return { rgba, width, height, widthPt, heightPt };
      } finally {
        pdfium.FPDFBitmap_Destroy(bitmap);
      }
    } finally {
      if (form) pdfium.FORM_OnBeforeClosePage(page, form);
      pdfium.FPDF_ClosePage(page);
    }
  }

  private check(index: number): void {
    if (!this.open) throw new Error("the PDF render session is closed");
    if (!Number.isInteger(index) || index < 0 || index >= this.pageCount) {
      throw new RangeError(`page index ${index} is outside 0..${this.pageCount - 1}`);
    }
  }

  private run<T>(work: () => T, index: number): T {
    try {
      return work();
    } catch (error) {
      if (isWasmTrap(error)) this.open = false;
      throw trapAsCorrupt(error, `rendering page ${index + 1}`);
    }
  }
}

/** Copies the bitmap out of PDFium's memory (rows may be padded to `stride`), forcing A to opaque. */
function copyPixels(buffer: number, stride: number, width: number, height: number): Uint8Array {
  const heap = pdfiumHeap();
  const rowBytes = width * 4;
  const rgba = new Uint8Array(rowBytes * height);
  for (let y = 0; y < height; y++) {
    rgba.set(heap.subarray(buffer + y * stride, buffer + y * stride + rowBytes), y * rowBytes);
  }
  for (let i = 3; i < rgba.length; i += 4) rgba[i] = 255;
  return rgba;
}

function guarded<T>(work: () => T, doing: string): T {
  try {
    return work();
  } catch (error) {
    throw trapAsCorrupt(error, doing);
  }
}

/** A trap becomes `corrupt_file` (the same input would trap again); `doing` says what PDFium was at. */
function trapAsCorrupt(error: unknown, doing: string): unknown {
  if (!isWasmTrap(error)) return error;
  // The instance may be corrupt after a trap: the next document gets a fresh one.
  discardPdfium();
  return new StageError("corrupt_file", `PDFium failed while ${doing}`);
}
