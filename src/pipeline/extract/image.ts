/**
 * "Extraction" for images: the facts their header states (format, stored width and height, EXIF
 * orientation), read without decoding pixels, so it is cheap for any image size. Thumbnails are a
 * separate stage.
 */
import type { JsonObject, StageInput } from "../stage";
import { StageError } from "../stage";
import { readImageHeader } from "./image-header";

export function extractImage(input: StageInput): JsonObject {
  const format = input.sniffed.image;
  if (!format)
    throw new StageError("unsupported_type", `no image format was recognised in ${input.sniffed.mime}`);
  const header = readImageHeader(input.bytes, format);
  return {
    format: "image",
    imageFormat: header.format,
    width: header.width,
    height: header.height,
    orientation: header.orientation,
    hasAlpha: header.hasAlpha,
    characters: 0,
  };
}
