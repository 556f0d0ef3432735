// Synthetic photos for the memory part of `npm run bench:stages`: the repository's 4.9 MP photo resized
// (with photon, in Node) to 1-12 megapixels and saved as JPEG and PNG, so photon's memory can be measured
// against the pixel count inside workerd.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { PhotonImage, resize, SamplingFilter } from "@cf-wasm/photon/node";

export const SYNTHETIC_MEGAPIXELS = [1, 2, 3, 4, 5, 6, 7, 8, 10, 12];

/**
 * Writes `synthetic/{jpeg,png}_<N>mp.{jpg,png}` (4:3 photos) under `dir`.
 * @param {string} root the repository
 * @param {string} dir where to write
 */
export function writeSyntheticPhotos(root, dir) {
  const out = path.join(dir, "synthetic");
  mkdirSync(out, { recursive: true });
  const photo = readFileSync(
    path.join(root, "test", "fixtures", "image", "mate-backgrounds_Wood_2560x1920.jpg"),
  );
  const source = PhotonImage.new_from_byteslice(new Uint8Array(photo));
  try {
    for (const megapixels of SYNTHETIC_MEGAPIXELS) {
      const width = Math.round(Math.sqrt((megapixels * 1e6 * 4) / 3));
      const height = Math.round((width * 3) / 4);
      const image = resize(source, width, height, SamplingFilter.Triangle);
      try {
        writeFileSync(path.join(out, `jpeg_${megapixels}mp.jpg`), image.get_bytes_jpeg(85));
        writeFileSync(path.join(out, `png_${megapixels}mp.png`), image.get_bytes());
      } finally {
        image.free();
      }
    }
  } finally {
    source.free();
  }
}
