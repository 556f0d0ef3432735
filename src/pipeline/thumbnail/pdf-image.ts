/**
 * A PDF's picture for its thumbnail: pages cannot be rendered in a Worker (pdf.js needs a canvas), so
 * the thumbnail shows the largest image drawn on the first page (a scan's page image, a cover photo).
 * pdf.js is told not to decode images above the pixel limit at all (a JBIG2 "decompression bomb" is
 * simply left out), and decoded images come back as plain pixels: 1-bit grey, RGB or RGBA.
 */
import * as pdfjs from "unpdf/pdfjs";
import { asPdfInputError, openPdf } from "../pdf/open";
import type { ProcessingLimits } from "../stage";

export interface PageImage {
  rgba: Uint8Array;
  width: number;
  height: number;
  /** Images on the first page (the largest one is used). */
  imageCount: number;
}

interface PdfImageData {
  width: number;
  height: number;
  kind?: number;
  data?: Uint8Array | Uint8ClampedArray;
}

/** Images smaller than this in both directions are decoration (bullets, logos), not a picture. */
const MIN_SIDE = 16;

export async function firstPageImage(bytes: Uint8Array, limits: ProcessingLimits): Promise<PageImage | null> {
  const doc = await openPdf(bytes, { maxImagePixels: limits.maxImagePixels });
  try {
    const page = await doc.getPage(1);
    try {
      const images = await pageImages(page);
      const largest = images
        .filter((image) => image.width >= MIN_SIDE || image.height >= MIN_SIDE)
        .sort((a, b) => b.width * b.height - a.width * a.height)[0];
      if (!largest) return null;
      const rgba = toRgba(largest);
      return rgba ? { rgba, width: largest.width, height: largest.height, imageCount: images.length } : null;
    } finally {
      page.cleanup();
    }
  } catch (error) {
    throw asPdfInputError(error, "page 1");
  } finally {
    await doc.loadingTask.destroy();
  }
}

async function pageImages(page: pdfjs.PDFPageProxy): Promise<PdfImageData[]> {
  const operators = await page.getOperatorList();
  const { OPS } = pdfjs;
  const images: PdfImageData[] = [];
  for (let i = 0; i < operators.fnArray.length; i++) {
    const op = operators.fnArray[i];
    const args = operators.argsArray[i] as unknown[] | undefined;
    if (op === OPS.paintInlineImageXObject) {
      const inline = args?.[0] as PdfImageData | undefined;
      if (inline?.data) images.push(inline);
    } else if (op === OPS.paintImageXObject || op === OPS.paintImageXObjectRepeat) {
      const key = args?.[0];
      if (typeof key !== "string") continue;
      const store = key.startsWith("g_") ? page.commonObjs : page.objs;
      const image = await new Promise<PdfImageData | null>((resolve) => {
        store.get(key, (value: unknown) => {
          resolve((value as PdfImageData | null) ?? null);
        });
      });
      if (image?.data) images.push(image);
    }
  }
  return images;
}

const GRAYSCALE_1BPP = 1;
const RGB_24BPP = 2;
const RGBA_32BPP = 3;

function toRgba(image: PdfImageData): Uint8Array | null {
  const { width, height, data } = image;
  if (!data) return null;
  const pixels = width * height;
  const rgba = new Uint8Array(pixels * 4);
  if (image.kind === RGBA_32BPP && data.length >= pixels * 4) {
    rgba.set(data.subarray(0, pixels * 4));
  } else if (image.kind === RGB_24BPP && data.length >= pixels * 3) {
    for (let i = 0, j = 0; i < pixels; i++, j += 3) {
      rgba[i * 4] = data[j] ?? 0;
      rgba[i * 4 + 1] = data[j + 1] ?? 0;
      rgba[i * 4 + 2] = data[j + 2] ?? 0;
      rgba[i * 4 + 3] = 255;
    }
  } else if (image.kind === GRAYSCALE_1BPP) {
    const rowBytes = Math.ceil(width / 8);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const bit = ((data[y * rowBytes + (x >> 3)] ?? 0) >> (7 - (x & 7))) & 1;
        rgba.fill(bit ? 255 : 0, (y * width + x) * 4, (y * width + x) * 4 + 3);
        rgba[(y * width + x) * 4 + 3] = 255;
      }
    }
  } else return null;
  return rgba;
}
