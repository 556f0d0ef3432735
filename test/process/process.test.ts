import { PhotonImage } from "@cf-wasm/photon/workerd";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { api, json } from "../helpers/api";
import { fixture, manifest } from "../helpers/fixtures";

interface StageState {
  status: string;
  result?: Record<string, unknown>;
  error?: { code: string; message: string };
  reason?: { code: string };
}
interface FileResult {
  name: string;
  size: number;
  contentType: string;
  status: string;
  stages: Record<string, StageState>;
  outputs: Record<
    string,
    { contentType: string; bytes: number; text?: string; base64?: string; json?: unknown }
  >;
}
interface ProcessResult {
  files: FileResult[];
  counts: { total: number; completed: number; failed: number };
}

function form(files: [string, Uint8Array][]): FormData {
  const body = new FormData();
  for (const [name, bytes] of files) body.append("file", new File([bytes], name));
  return body;
}

const post = (query: string, body: BodyInit, headers: HeadersInit = {}) =>
  api(`/v1/process${query}`, { method: "POST", body, headers });

async function storedObjects(): Promise<number> {
  return (await env.FILES.list({ prefix: "t/dev/" })).objects.length;
}

describe("POST /v1/process", () => {
  it("runs the stages inline and answers every file's results, one failure failing only its file", async () => {
    const before = await storedObjects();
    const body = form([
      ["paper.pdf", await fixture("pdf/pdfjs_tracemonkey.pdf")],
      ["photo.jpg", await fixture("image/exif_Landscape_6.jpg")],
      ["broken.pdf", await fixture("malformed/freeculture_truncated.pdf")],
      [
        "note.txt",
        new TextEncoder().encode("Call me at +1 415-555-2671 or mail ann@example.org about invoice INV-7."),
      ],
    ]);
    const result = await json<ProcessResult>(
      await post("?stages=extract,analyze,enrich,thumbnail", body),
      200,
    );
    expect(result.counts).toEqual({ total: 4, completed: 3, failed: 1 });
    const [paper, photo, broken, note] = result.files;

    expect(paper).toMatchObject({ name: "paper.pdf", contentType: "application/pdf", status: "completed" });
    expect(paper?.stages["extract"]?.result).toMatchObject({
      pageCount: 14,
      outputs: { text: "inline:text" },
    });
    expect(paper?.outputs["text"]?.text?.split("\f")).toHaveLength(14);
    expect(paper?.stages["analyze"]?.result).toMatchObject({ language: { code: "en" }, pages: 14 });
    expect(paper?.stages["enrich"]?.result).toMatchObject({
      provider: "local",
      documentType: { type: "report" },
    });
    // The paper's thumbnail is its rendered first page (Letter: 612 x 792 pt).
    expect(paper?.stages["thumbnail"]).toMatchObject({
      status: "completed",
      result: { thumbnails: [{ width: 198, height: 256 }], source: { decode: "pdfium" } },
    });
    expect(paper?.outputs["thumbnail-256.jpg"]?.contentType).toBe("image/jpeg");

    // The thumbnail comes back as base64 and is upright (EXIF orientation 6).
    const facts = (await manifest("image/exif_Landscape_6.jpg")).expected.image;
    expect(photo?.stages["analyze"]).toMatchObject({ status: "skipped", reason: { code: "no_text" } });
    const thumbnail = photo?.outputs["thumbnail-256.jpg"];
    expect(thumbnail?.contentType).toBe("image/jpeg");
    const image = PhotonImage.new_from_byteslice(
      Uint8Array.from(atob(thumbnail?.base64 ?? ""), (c) => c.charCodeAt(0)),
    );
    try {
      expect(image.get_width()).toBe(256);
      expect(image.get_width() / image.get_height()).toBeCloseTo(
        (facts?.display_width ?? 0) / (facts?.display_height ?? 1),
        1,
      );
    } finally {
      image.free();
    }

    expect(broken).toMatchObject({
      status: "failed",
      stages: { extract: { status: "failed", error: { code: "corrupt_file" } } },
    });
    expect(broken?.stages["analyze"]).toMatchObject({
      status: "skipped",
      reason: { code: "dependency_failed" },
    });

    expect(note?.stages["analyze"]?.result).toMatchObject({
      pii: { found: true, kinds: ["email", "phone"] },
    });
    const entities = note?.outputs["entities.json"]?.json as { entities: { kind: string }[] } | undefined;
    expect(entities?.entities.map((entity) => entity.kind)).toEqual(["phone", "email", "identifier"]);

    // Nothing was stored.
    expect(await storedObjects()).toBe(before);
  });

  it("takes one file as the raw body", async () => {
    const bytes = await fixture("text/golang_rashomon-shift-jis.txt");
    const result = await json<ProcessResult>(
      await post("?name=rashomon.txt&stages=extract,analyze", bytes),
      200,
    );
    expect(result.files[0]).toMatchObject({ name: "rashomon.txt", status: "completed" });
    expect(result.files[0]?.stages["extract"]?.result).toMatchObject({ encoding: "shift_jis" });
    expect(result.files[0]?.outputs["text"]?.text).toContain("羅生門");
  });

  it("answers 413 past its limits, pointing at /v1/jobs", async () => {
    const tiny = new TextEncoder().encode("hello");
    const expectLimit = async (response: Response, detail: RegExp) => {
      const body = await json<{ code: string; detail: string; alternative: string; limits: unknown }>(
        response,
        413,
      );
      expect(body).toMatchObject({
        code: "sync_limit_exceeded",
        alternative: "/v1/jobs",
        limits: { files: 5, bytes: 10_485_760, pages: 50 },
      });
      expect(body.detail).toMatch(detail);
      expect(response.headers.get("Link")).toBe('</v1/jobs>; rel="alternate"');
    };
    await expectLimit(
      await post("", form(Array.from({ length: 6 }, (_, i) => [`f${i}.txt`, tiny]))),
      /at most 5 files/,
    );
    const big = new Uint8Array(10 * 1024 * 1024 + 1).fill(0x61);
    await expectLimit(await post("", form([["big.txt", big]])), /at most 10485760 bytes/);
    await expectLimit(await post("?name=big.txt", big), /at most 10485760 bytes/);
    const pages = form([
      ["manual.pdf", await fixture("pdf/libtasn1-doc_libtasn1.pdf")],
      ["paper.pdf", await fixture("pdf/pdfjs_tracemonkey.pdf")],
      ["one.pdf", await fixture("pdf/pdfjs_french_diacritics.pdf")],
    ]);
    await expectLimit(await post("", pages), /more than 50 pages in all/);
  });

  it("refuses the index stage, invalid pipelines, bad options and empty bodies", async () => {
    const bytes = new TextEncoder().encode("hello");
    const index = await json<{ code: string; detail: string }>(
      await post("?stages=extract,index", bytes),
      400,
    );
    expect(index).toMatchObject({ code: "validation_failed" });
    expect(index.detail).toMatch(/index.*POST \/v1\/jobs/);
    const order = await json<{ detail: string }>(await post("?stages=analyze,extract", bytes), 400);
    expect(order.detail).toContain("stage 'analyze' needs 'extract' to come before it");
    const unknown = await json<{ detail: string }>(await post("?stages=ocr", bytes), 400);
    expect(unknown.detail).toMatch(/query\.stages/);
    const options = await json<{ detail: string }>(
      await post(`?options=${encodeURIComponent("{oops")}`, bytes),
      400,
    );
    expect(options.detail).toMatch(/options must be JSON/);
    const wrong = await json<{ detail: string }>(
      await post(`?options=${encodeURIComponent('{"thumbnail":{"fit":"stretch"}}')}`, bytes),
      400,
    );
    expect(wrong.detail).toMatch(/query\.options\.thumbnail\.fit/);
    await json(await post("", new Uint8Array(0)), 422);
  });
});
