/**
 * The EXIF Orientation tag (0x0112) of a TIFF-structured EXIF block, as JPEG (APP1 "Exif\0\0" + TIFF),
 * PNG (eXIf chunk: TIFF alone) and WebP (EXIF chunk: TIFF, sometimes with the JPEG-style prefix) carry it.
 * Only the first IFD is read; a missing, invalid or truncated block gives undefined.
 */
export function tiffOrientation(block: Uint8Array): number | undefined {
  const prefixed = block.byteLength >= 6 && String.fromCharCode(...block.subarray(0, 4)) === "Exif";
  const tiff = prefixed ? block.subarray(6) : block;
  if (tiff.byteLength < 8) return undefined;
  const view = new DataView(tiff.buffer, tiff.byteOffset, tiff.byteLength);
  const order = view.getUint16(0);
  if (order !== 0x4949 && order !== 0x4d4d) return undefined;
  const little = order === 0x4949;
  try {
    const ifd = view.getUint32(4, little);
    const entries = view.getUint16(ifd, little);
    for (let i = 0; i < entries; i++) {
      const entry = ifd + 2 + i * 12;
      if (view.getUint16(entry, little) !== 0x0112) continue;
      const value = view.getUint16(entry + 8, little);
      return value >= 1 && value <= 8 ? value : undefined;
    }
  } catch {
    // A RangeError from a truncated or lying EXIF block: it only costs us the orientation.
  }
  return undefined;
}
