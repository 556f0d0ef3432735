import { afterAll, beforeAll, describe, expect, it, vi, type MockInstance } from "vitest";
import type { JobFileObject, JobObject } from "../../src/schemas/jobs";
import { createJob, json, upload, waitForJob } from "../helpers/api";
import { corpusFile, fixture } from "../helpers/fixtures";
import { seedFile } from "../helpers/seed";
import { hostileFiles } from "./helpers/hostile-files";
import { expectJobIntact } from "./helpers/integrity";

/**
 * Hostile files through a real job: each fails only its own stages, at once (one attempt), with a
 * documented stage code, or is processed as what its bytes really are; none crashes a consumer, none
 * is retried as if the failure were transient, and the job ends with every other result kept.
 */
type Expected = { status: "completed" | "failed"; extract: string; thumbnail: string };

const crafted = new Map(hostileFiles().map((file) => [file.name, file.bytes]));
const craftedFile = (name: string) => Promise.resolve(crafted.get(name) ?? null);
const cases: { name: string; bytes: () => Promise<Uint8Array | null>; expected: Expected }[] = [
  {
    name: "pixel-flood PNG header (65535 x 65535)",
    bytes: () => craftedFile("pixel-flood.png"),
    expected: { status: "failed", extract: "completed", thumbnail: "failed:image_too_large" },
  },
  {
    name: "pixel-flood PNG of the corpus (65536 x 65536)",
    bytes: () => corpusFile("malformed/sharp_65536x65536_bomb.png"),
    expected: { status: "failed", extract: "completed", thumbnail: "failed:image_too_large" },
  },
  {
    name: "truncated PNG",
    bytes: () => craftedFile("truncated.png"),
    expected: { status: "failed", extract: "completed", thumbnail: "failed:corrupt_file" },
  },
  {
    name: "truncated JPEG",
    bytes: () => fixture("malformed/sharp_truncated.jpg"),
    expected: { status: "failed", extract: "completed", thumbnail: "failed:corrupt_file" },
  },
  {
    name: "arithmetic-coded JPEG (would trap the decoder)",
    bytes: () => fixture("image/ljt_testimgari_arithmetic.jpg"),
    expected: { status: "failed", extract: "completed", thumbnail: "failed:unsupported_type" },
  },
  {
    name: "PDF with 50,000 nested arrays",
    bytes: () => craftedFile("deep-nesting.pdf"),
    expected: { status: "failed", extract: "failed:corrupt_file", thumbnail: "failed:corrupt_file" },
  },
  {
    name: "PDF whose xref points nowhere (pdf.js rebuilds it)",
    bytes: () => craftedFile("broken-xref.pdf"),
    expected: { status: "completed", extract: "completed", thumbnail: "completed" },
  },
  {
    name: "PDF with a damaged xref (fixture)",
    bytes: () => fixture("malformed/pdfjs_helloworld-bad.pdf"),
    expected: { status: "completed", extract: "completed", thumbnail: "completed" },
  },
  {
    name: "PDF whose trailer names an object that does not exist",
    bytes: () => craftedFile("dangling-objstm.pdf"),
    expected: { status: "failed", extract: "failed:corrupt_file", thumbnail: "failed:corrupt_file" },
  },
  {
    name: "truncated PDF",
    bytes: () => fixture("malformed/freeculture_truncated.pdf"),
    expected: { status: "failed", extract: "failed:corrupt_file", thumbnail: "failed:corrupt_file" },
  },
  {
    name: "encrypted PDF (AES-128, user password)",
    bytes: () => fixture("pdf/pdfjs_issue3371_aes128_userpw.pdf"),
    expected: { status: "failed", extract: "failed:pdf_encrypted", thumbnail: "failed:pdf_encrypted" },
  },
  {
    name: "zero bytes",
    bytes: () => fixture("malformed/zero_bytes.pdf"),
    expected: { status: "failed", extract: "failed:empty_file", thumbnail: "failed:empty_file" },
  },
  {
    name: "HTML named .pdf (processed as the text it is)",
    bytes: () => fixture("malformed/document_actually_html.pdf"),
    expected: { status: "completed", extract: "completed", thumbnail: "skipped:not_an_image" },
  },
  {
    name: "2 MB of text on a single line",
    bytes: () => craftedFile("one-line.txt"),
    expected: { status: "completed", extract: "completed", thumbnail: "skipped:not_an_image" },
  },
];

const outcome = (file: JobFileObject | undefined, stage: "extract" | "thumbnail"): string => {
  const state = file?.stages[stage];
  const code = state?.error?.code ?? state?.reason?.code;
  return code ? `${state?.status}:${code}` : String(state?.status);
};

let job: JobObject;
const files: { name: string; id: string; expected: Expected }[] = [];
let errors: MockInstance<typeof console.error>;

beforeAll(async () => {
  errors = vi.spyOn(console, "error");
  const good = await upload(await fixture("image/imagers_progressive_cat.jpg"), "cat.jpg", "image/jpeg");
  for (const hostile of cases) {
    const bytes = await hostile.bytes();
    if (!bytes) {
      console.log(`corpus absent: skipping the case "${hostile.name}" (its crafted twin still runs)`);
      continue;
    }
    // Put in place directly: the upload endpoint refuses some of these (an empty body) up front.
    const { id } = await seedFile(bytes, hostile.name, "application/octet-stream");
    files.push({ name: hostile.name, id, expected: hostile.expected });
  }
  const created = await json<JobObject>(
    await createJob({ files: [good.id, ...files.map((file) => file.id)], stages: ["extract", "thumbnail"] }),
    202,
  );
  job = await waitForJob(created.id, undefined, 60_000);
});

afterAll(() => {
  errors.mockRestore();
});

describe("hostile files", () => {
  it("has at least the crafted and fixture cases", () => {
    expect(files.length).toBeGreaterThanOrEqual(cases.length - 1);
  });

  it.each(cases.map((hostile) => hostile.name))(
    "%s: fails only its own stages, at once, with its code",
    (name) => {
      const entry = files.find((file) => file.name === name);
      if (!entry) return; // the corpus file is absent; reported above
      const file = job.files.find((candidate) => candidate.fileId === entry.id);
      expect(file?.status).toBe(entry.expected.status);
      expect(outcome(file, "extract")).toBe(entry.expected.extract);
      expect(outcome(file, "thumbnail")).toBe(entry.expected.thumbnail);
      expect(file?.attempts).toBe(1);
    },
  );

  it("ends the job with every good result kept, no transient retries and nothing unhandled", async () => {
    expect(job.status).toBe("completed_with_errors");
    expect(job.files[0]?.status).toBe("completed");
    expect(job.files[0]?.stages.thumbnail?.status).toBe("completed");
    const lines = errors.mock.calls.map(([line]) => String(line));
    expect(lines.filter((line) => line.includes("stage error") || line.includes("unhandled error"))).toEqual(
      [],
    );
    await expectJobIntact(job.id);
  });
});
