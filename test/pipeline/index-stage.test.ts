import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { cut, indexStage } from "../../src/pipeline/indexing";
import type { StageInput } from "../../src/pipeline/stage";
import { D1SearchIndex } from "../../src/search/d1-search-index";
import { MemoryOutputs, stageInput } from "../helpers/memory-outputs";
import { listFileRow } from "../helpers/seed";

/** Runs the index stage on `text` as extract would have left it, writing to the real D1 index. */
async function index(fileId: string, text: string, format: "pdf" | "text") {
  await listFileRow("t_index", fileId);
  const outputs = new MemoryOutputs("index");
  outputs.stored.set(
    "extract",
    new Map([["text", { body: new TextEncoder().encode(text), contentType: "text/plain" }]]),
  );
  const input: StageInput = {
    ...stageInput(new Uint8Array(0), outputs, {
      services: {
        searchIndex: new D1SearchIndex(env.DB, {
          tenantId: "t_index",
          jobId: "job_1",
          fileId,
          fileName: `${fileId}.x`,
        }),
      },
    }),
    previous: { extract: { format } },
  };
  const outcome = await indexStage.run(input);
  const { results } = await env.DB.prepare(
    "SELECT page, seq, body FROM search_sections WHERE tenant_id = 't_index' AND file_id = ? ORDER BY seq",
  )
    .bind(fileId)
    .all<{ page: number | null; seq: number; body: string }>();
  return { outcome, rows: results };
}

describe("index stage", () => {
  it("writes one section per PDF page with text, numbered as pages", async () => {
    const { outcome, rows } = await index(
      "file_pdf",
      "First page text.\fSecond page.\f\fFourth page, after a blank one.",
      "pdf",
    );
    expect(outcome).toMatchObject({
      status: "completed",
      result: { sections: 3, pages: 3, truncated: false },
    });
    expect(rows.map((row) => [row.page, row.body])).toEqual([
      [1, "First page text."],
      [2, "Second page."],
      [4, "Fourth page, after a blank one."],
    ]);
  });

  it("cuts text without pages into sections at line ends", async () => {
    const line = "A line of plain text that goes on for a while.\n";
    const { outcome, rows } = await index("file_txt", line.repeat(300), "text");
    expect(outcome).toMatchObject({ status: "completed", result: { pages: null } });
    expect(rows.length).toBe(Math.ceil((line.length * 300) / 4000));
    for (const row of rows) {
      expect(row.page).toBeNull();
      expect(row.body.length).toBeLessThanOrEqual(4000);
      expect(row.body.endsWith("\n")).toBe(true);
    }
  });

  it("skips a file without text", async () => {
    const { outcome } = await index("file_empty", "\f \f", "pdf");
    expect(outcome).toMatchObject({ status: "skipped", reason: { code: "no_text" } });
  });

  it("cuts at a line end, else a space, else hard", () => {
    expect(cut("aaaa\nbbbb\ncc", 6)).toEqual(["aaaa\n", "bbbb\n", "cc"]);
    expect(cut("aaaa bbbb cc", 6)).toEqual(["aaaa ", "bbbb ", "cc"]);
    expect(cut("abcdefghij", 4)).toEqual(["abcd", "efgh", "ij"]);
  });
});
