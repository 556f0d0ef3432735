import { PhotonImage } from "@cf-wasm/photon";
import { describe, expect, it } from "vitest";
import type { JobObject } from "../src/schemas/jobs";
import { api, createJob, json, upload, waitForJob } from "./helpers/api";
import { fixture, manifest } from "./helpers/fixtures";

const PDF = "pdf/pdfjs_tracemonkey.pdf";
const JPEG = "image/mate-backgrounds_Wood_2560x1920.jpg";

const words = (text: string) => text.normalize("NFKC").split(/\s+/).filter(Boolean);

describe("walkthrough: upload a PDF and a JPEG, run extract + thumbnail, read the results", () => {
  it("produces the page count, the text and a thumbnail with the source's aspect ratio", async () => {
    const pdfBytes = await fixture(PDF);
    const jpegBytes = await fixture(JPEG);
    const pdf = await upload(pdfBytes, "tracemonkey.pdf", "application/pdf");
    const jpeg = await upload(jpegBytes, "wood.jpg", "image/jpeg");
    expect(pdf.size).toBe(pdfBytes.byteLength);
    expect(pdf.sha256).toBe((await manifest(PDF)).sha256);
    expect(jpeg.contentType).toBe("image/jpeg");

    const created = await createJob({ files: [pdf.id, jpeg.id], stages: ["extract", "thumbnail"] });
    const accepted = await json<JobObject>(created, 202);
    expect(created.headers.get("Location")).toBe(`/v1/jobs/${accepted.id}`);

    const job = await waitForJob(accepted.id);
    expect(job.status).toBe("completed");
    expect(job.counts).toMatchObject({ total: 2, completed: 2, failed: 0 });

    const pdfFile = job.files.find((file) => file.fileId === pdf.id);
    const extract = pdfFile?.stages.extract?.result as { pageCount: number; outputs: { text: string } };
    expect(extract.pageCount).toBe((await manifest(PDF)).expected.pdf?.pages);
    expect(pdfFile?.stages.thumbnail?.status).toBe("completed");

    const textResponse = await api(extract.outputs.text);
    expect(textResponse.status).toBe(200);
    const text = await textResponse.text();
    const expectedHead = words((await manifest(PDF)).expected.pdf?.text_head_200 ?? "").slice(0, 8);
    expect(words(text).slice(0, 40).join(" ")).toContain(expectedHead.slice(0, 4).join(" "));

    const jpegFile = job.files.find((file) => file.fileId === jpeg.id);
    const thumbs = (
      jpegFile?.stages.thumbnail?.result as { thumbnails: { url: string; width: number; height: number }[] }
    ).thumbnails;
    expect(thumbs).toHaveLength(1);
    const thumbResponse = await api(thumbs[0]?.url ?? "");
    expect(thumbResponse.headers.get("Content-Type")).toBe("image/jpeg");
    const image = PhotonImage.new_from_byteslice(new Uint8Array(await thumbResponse.arrayBuffer()));
    try {
      const { width, height } = { width: image.get_width(), height: image.get_height() };
      expect(Math.max(width, height)).toBe(256);
      const source = (await manifest(JPEG)).expected.image;
      expect(width / height).toBeCloseTo((source?.width ?? 0) / (source?.height ?? 1), 1);
    } finally {
      image.free();
    }
  });
});
