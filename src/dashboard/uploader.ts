/**
 * Browser uploads with Uppy and its AWS S3 plugin (v5), which speaks the signing protocol Sluice's
 * /v1/uploads/s3 routes implement: the bytes go straight to storage through presigned URLs, one PUT
 * for small files and a multipart upload (parts in parallel, each retried) for big ones, with progress
 * from XHR. A single PUT still needs Sluice's `complete` call, which verifies what arrived before it
 * becomes a file; a multipart upload is verified by its own completion.
 */
import AwsS3 from "@uppy/aws-s3";
import Uppy, { type Meta, type UppyFile } from "@uppy/core";
import { useEffect, useMemo, useState } from "preact/hooks";
import type { SluiceClient } from "sluice-client";

/** Files above this go up as multipart uploads (R2 parts are at least 5 MiB). */
const MULTIPART_BYTES = 16 * 1024 * 1024;

export interface UploadItem {
  id: string;
  name: string;
  size: number;
  loaded: number;
  state: "uploading" | "verifying" | "done" | "failed";
  multipart: boolean;
  fileId?: string;
  error?: string;
}

type Body = Record<string, unknown>;

export class Uploader {
  private readonly uppy: Uppy<Meta, Body>;
  private items = new Map<string, UploadItem>();
  private listener: (items: UploadItem[]) => void = () => undefined;

  constructor(
    private readonly client: SluiceClient,
    apiKey: string,
  ) {
    this.uppy = new Uppy<Meta, Body>({ autoProceed: true, allowMultipleUploadBatches: true });
    this.uppy.use(AwsS3, {
      endpoint: `${location.origin}/v1/uploads`,
      headers: { Authorization: `Bearer ${apiKey}` },
      shouldUseMultipart: (file) => (file.size ?? 0) > MULTIPART_BYTES,
      // Sent as metadata[size]: Sluice checks the stored object has exactly this size.
      allowedMetaFields: ["size"],
    });
    this.uppy.on("file-added", (file) => {
      this.uppy.setFileMeta(file.id, { size: String(file.size ?? 0) });
      this.set(file.id, {
        id: file.id,
        name: file.name,
        size: file.size ?? 0,
        loaded: 0,
        state: "uploading",
        multipart: (file.size ?? 0) > MULTIPART_BYTES,
      });
    });
    this.uppy.on("upload-progress", (file, progress) => {
      if (file) this.patch(file.id, { loaded: progress.bytesUploaded });
    });
    this.uppy.on("upload-success", (file, response) => {
      if (file) void this.finish(file, response.body ?? {});
    });
    this.uppy.on("upload-error", (file, error) => {
      if (file) this.patch(file.id, { state: "failed", error: error.message });
    });
  }

  onChange(listener: (items: UploadItem[]) => void): void {
    this.listener = listener;
  }

  add(files: Iterable<File>): string[] {
    const problems: string[] = [];
    for (const file of files) {
      try {
        this.uppy.addFile({ name: file.name, type: file.type, data: file, source: "Local" });
      } catch (error) {
        problems.push(`${file.name}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    return problems;
  }

  /** Forgets every upload (the next job starts from an empty list). */
  reset(): void {
    this.uppy.cancelAll();
    this.items = new Map();
    this.emit();
  }

  close(): void {
    this.uppy.destroy();
  }

  private async finish(file: UppyFile<Meta, Body>, body: Body): Promise<void> {
    const id = typeof body["id"] === "string" ? body["id"] : null;
    if (id?.startsWith("file_")) {
      this.patch(file.id, { state: "done", loaded: file.size ?? 0, fileId: id });
      return;
    }
    const key = typeof body["key"] === "string" ? body["key"] : null;
    if (!key) {
      this.patch(file.id, { state: "failed", error: "the upload answered no file id" });
      return;
    }
    this.patch(file.id, { state: "verifying", loaded: file.size ?? 0 });
    try {
      const completed = await this.client.uploads.complete(key);
      this.patch(file.id, { state: "done", fileId: completed.id });
    } catch (error) {
      this.patch(file.id, { state: "failed", error: error instanceof Error ? error.message : String(error) });
    }
  }

  private set(id: string, item: UploadItem): void {
    this.items.set(id, item);
    this.emit();
  }

  private patch(id: string, change: Partial<UploadItem>): void {
    const item = this.items.get(id);
    if (item) this.set(id, { ...item, ...change });
  }

  private emit(): void {
    this.listener([...this.items.values()]);
  }
}

/** An uploader for the session's client, and the current list of uploads. */
export function useUploader(
  client: SluiceClient,
  apiKey: string,
): { uploader: Uploader; items: UploadItem[] } {
  const uploader = useMemo(() => new Uploader(client, apiKey), [client, apiKey]);
  const [items, setItems] = useState<UploadItem[]>([]);
  useEffect(() => {
    uploader.onChange(setItems);
    return () => {
      uploader.close();
    };
  }, [uploader]);
  return { uploader, items };
}
