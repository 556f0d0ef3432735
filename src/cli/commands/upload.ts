/**
 * `sluice upload FILES…`: uploads local files, a few at a time, each with its progress; files above the
 * multipart threshold go straight to storage in parts. Every file's SHA-256 is computed locally first
 * and verified by Sluice. Prints one line per file (id, name, size, type) or, with --json, the files.
 */
import type { FileObject } from "sluice-client";
import { UsageError, type Cli } from "../context";
import { bytes } from "../format";
import { openLocalFile, sha256OfFile, type LocalFile } from "../local-files";
import { UploadDisplay } from "../upload-progress";

export interface UploadFlags {
  multipartThreshold: number;
  partSize?: number | undefined;
  parallel: number;
}

const MIB = 1024 * 1024;

export async function uploadFiles(cli: Cli, paths: string[], flags: UploadFlags): Promise<FileObject[]> {
  const client = cli.client;
  const files: LocalFile[] = [];
  for (const filePath of paths) {
    try {
      files.push(await openLocalFile(filePath));
    } catch (error) {
      throw new UsageError(
        `cannot read ${filePath}: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
  const display = new UploadDisplay(cli, files);
  const results = new Array<FileObject>(files.length);
  let next = 0;
  const worker = async () => {
    while (next < files.length) {
      const index = next++;
      const file = files[index];
      if (!file) continue;
      const tracker = display.track(file);
      try {
        const sha256 = await sha256OfFile(file.path);
        results[index] = await client.files.upload(file.blob, {
          name: file.name,
          contentType: file.contentType,
          sha256,
          method: file.size > flags.multipartThreshold * MIB ? "multipart" : "direct",
          partSize: flags.partSize ? flags.partSize * MIB : undefined,
          onProgress: tracker.onProgress,
        });
        tracker.done(results[index]);
      } catch (error) {
        tracker.fail(error);
        throw error;
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.max(1, Math.min(flags.parallel, files.length)) }, worker));
  } finally {
    display.stop();
  }
  return results;
}

export async function uploadCommand(cli: Cli, paths: string[], flags: UploadFlags): Promise<number> {
  const stored = await uploadFiles(cli, paths, flags);
  if (cli.json) cli.printJson(stored);
  else
    for (const file of stored) cli.out(`${file.id}  ${file.name}  ${bytes(file.size)}  ${file.contentType}`);
  return 0;
}
