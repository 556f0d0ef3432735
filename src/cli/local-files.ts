/**
 * Local files for uploading: opened as Blobs backed by the file (Node's `fs.openAsBlob`, so a big file
 * is read part by part, never whole), their declared content type guessed from the extension (Sluice
 * checks it against the bytes), and their SHA-256, which Sluice verifies after the upload.
 */
import { createHash } from "node:crypto";
import { createReadStream, openAsBlob } from "node:fs";
import { stat } from "node:fs/promises";
import path from "node:path";

const TYPES: Record<string, string> = {
  ".pdf": "application/pdf",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".gif": "image/gif",
  ".webp": "image/webp",
  ".txt": "text/plain",
  ".md": "text/markdown",
  ".csv": "text/csv",
  ".html": "text/html",
  ".htm": "text/html",
  ".json": "application/json",
  ".xml": "application/xml",
};

export interface LocalFile {
  path: string;
  name: string;
  size: number;
  contentType: string;
  blob: Blob;
}

export async function openLocalFile(filePath: string): Promise<LocalFile> {
  const info = await stat(filePath);
  if (!info.isFile()) throw new Error(`${filePath} is not a file`);
  const contentType = TYPES[path.extname(filePath).toLowerCase()] ?? "application/octet-stream";
  return {
    path: filePath,
    name: path.basename(filePath),
    size: info.size,
    contentType,
    blob: await openAsBlob(filePath, { type: contentType }),
  };
}

export function sha256OfFile(filePath: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash("sha256");
    createReadStream(filePath)
      .on("data", (chunk) => hash.update(chunk))
      .on("error", reject)
      .on("end", () => {
        resolve(hash.digest("hex"));
      });
  });
}
