/**
 * "Extraction" for images: the facts their header states (format, stored width and height, EXIF
 * orientation and the upright size it implies, whether there is alpha), when and with what camera a
 * photo was taken, and whether the image is animated (frame count). All of it is read without decoding
 * pixels, so it is cheap for any image size. Thumbnails are a separate stage.
 */
import type { JsonObject, StageInput } from "../stage";
import { StageError } from "../stage";
import { frameCount } from "./animation";
import { readExifFacts } from "./exif";
import { readImageHeader } from "./image-header";

export function extractImage(input: StageInput): JsonObject {
  const format = input.sniffed.image;
  if (!format)
    throw new StageError("unsupported_type", `no image format was recognised in ${input.sniffed.mime}`);
  const header = readImageHeader(input.bytes, format);
  const swapped = header.orientation >= 5;
  const frames = frameCount(input.bytes, format);
  const result: JsonObject = {
    format: "image",
    imageFormat: header.format,
    width: header.width,
    height: header.height,
    orientation: header.orientation,
    displayWidth: swapped ? header.height : header.width,
    displayHeight: swapped ? header.width : header.height,
    megapixels: Math.round((header.width * header.height) / 10_000) / 100,
    hasAlpha: header.hasAlpha,
    animated: frames > 1,
    frames,
    characters: 0,
  };
  if (header.exif) {
    const exif = readExifFacts(header.exif);
    if (Object.keys(exif).length > 0) result["exif"] = { ...exif };
  }
  return result;
}
