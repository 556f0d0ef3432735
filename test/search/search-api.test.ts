import { beforeAll, describe, expect, it } from "vitest";
import type { JobObject } from "../../src/schemas/jobs";
import { api, DEV_KEY, json } from "../helpers/api";
import { highlighted, indexFixtures, search, searchAs, type Result } from "./helpers";

describe("search over indexed documents", () => {
  let ids: Map<string, string>;
  let job: JobObject;

  beforeAll(async () => {
    ({ ids, job } = await indexFixtures([
      "pdf/pdfjs_tracemonkey.pdf",
      "pdf/libtasn1-doc_libtasn1.pdf",
      "pdf/pdfjs_issue12823_chinese.pdf",
      "text/golang_rashomon-shift-jis.txt",
      "text/debian-reference-de_ch08.html",
      "image/imagers_progressive_cat.jpg",
    ]));
  });

  it("indexes PDFs per page and text files per section; images are skipped", () => {
    const stage = (name: string) => job.files.find((file) => file.fileId === ids.get(name))?.stages.index;
    expect(stage("pdfjs_tracemonkey.pdf")).toMatchObject({
      status: "completed",
      result: { pages: 14, truncated: false },
    });
    expect(stage("golang_rashomon-shift-jis.txt")?.result).toMatchObject({ pages: null });
    expect(stage("imagers_progressive_cat.jpg")).toMatchObject({
      status: "skipped",
      reason: { code: "no_text" },
    });
  });

  it("names the page of each hit, and the page really holds the words", async () => {
    const { results } = await search('"trace tree"');
    expect(results.length).toBeGreaterThan(3);
    const text = await (
      await api(`/v1/jobs/${job.id}/files/${ids.get("pdfjs_tracemonkey.pdf")}/outputs/text`)
    ).text();
    const pages = text.split("\f");
    for (const result of results) {
      expect(result).toMatchObject({
        fileId: ids.get("pdfjs_tracemonkey.pdf"),
        jobId: job.id,
        name: "pdfjs_tracemonkey.pdf",
      });
      expect(result.page).toBeGreaterThanOrEqual(1);
      const page = (pages[(result.page ?? 0) - 1] ?? "").toLowerCase().replace(/\s+/g, " ");
      expect(page).toMatch(/trace\s*trees?/);
      // A phrase is highlighted as one run.
      expect(highlighted(result).join(" ").toLowerCase()).toMatch(/trace\s+trees?/);
    }
    // Best first.
    const scores = results.map((result) => result.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
  });

  it("finds words regardless of case and accents, and Chinese and Japanese words", async () => {
    const lower = await search("gebietsschema");
    expect(lower.results[0]?.name).toBe("debian-reference-de_ch08.html");
    expect(lower.results[0]?.page).toBeNull();
    const noUmlaut = await search("Unterstutzung");
    expect(noUmlaut.results.map((r) => r.name)).toContain("debian-reference-de_ch08.html");
    const chinese = await search("图片");
    expect(chinese.results.map((r) => [r.name, r.page])).toEqual([["pdfjs_issue12823_chinese.pdf", 1]]);
    expect(highlighted(chinese.results[0] as Result)).toEqual(["图片"]);
    const japanese = await search("羅生門");
    expect(japanese.results[0]?.name).toBe("golang_rashomon-shift-jis.txt");
    // Snippets never show the word separators added for indexing.
    expect(japanese.results[0]?.snippet).not.toContain("\u200b");
  });

  it("supports phrases, OR, exclusion and prefixes", async () => {
    const names = async (q: string) => new Set((await search(q, "&limit=50")).results.map((r) => r.name));
    expect(await names("asn1_create_element")).toEqual(new Set(["libtasn1-doc_libtasn1.pdf"]));
    expect(await names("tracemonkey OR libtasn1")).toEqual(
      new Set(["pdfjs_tracemonkey.pdf", "libtasn1-doc_libtasn1.pdf"]),
    );
    expect(await names("licen* -tracemonkey")).not.toContain("pdfjs_tracemonkey.pdf");
    expect((await names("compil*")).has("pdfjs_tracemonkey.pdf")).toBe(true);
  });

  it("pages with an opaque cursor and refuses a tampered or foreign one", async () => {
    const first = await search("trace", "&limit=3");
    expect(first.results).toHaveLength(3);
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = await search("trace", `&limit=3&cursor=${first.nextCursor ?? ""}`);
    expect(second.results).toHaveLength(3);
    const key = (r: Result) => `${r.fileId}:${r.page}:${r.snippet}`;
    expect(second.results.map(key).some((k) => first.results.map(key).includes(k))).toBe(false);

    const cursor = first.nextCursor ?? "";
    const decoded = JSON.parse(atob(cursor.replaceAll("-", "+").replaceAll("_", "/"))) as {
      o: number;
      c: string;
    };
    const tampered = btoa(JSON.stringify({ ...decoded, o: 600 })).replace(/=+$/, "");
    for (const bad of [tampered, "abc", cursor.slice(0, -2)]) {
      const body = await json<{ code: string }>(await searchAs(DEV_KEY, "trace", `&cursor=${bad}`), 400);
      expect(body.code).toBe("invalid_cursor");
    }
    const foreign = await json<{ code: string }>(await searchAs(DEV_KEY, "tree", `&cursor=${cursor}`), 400);
    expect(foreign.code).toBe("invalid_cursor");
  });

  it("answers every hostile query with 200 or a 400 that says why, never 500", async () => {
    const hostile = [
      "'",
      '"',
      '""',
      '"unterminated phrase',
      "l'homme",
      "don't",
      "it's O'Reilly's",
      "AND",
      "OR",
      "NOT",
      "AND OR NOT",
      "trace AND",
      "OR trace",
      "NEAR(",
      "NEAR(trace tree, 2)",
      "*",
      "**",
      "trace*",
      "*trace",
      "-",
      "--",
      "-trace",
      "- trace",
      "(",
      ")",
      "(trace",
      "trace)",
      ":",
      "body:trace",
      "tenant_id:dev",
      "{body tenant_id}: trace",
      "^trace",
      "trace^2",
      "'; DROP TABLE search_sections; --",
      "\\",
      "\u0000",
      "%",
      "_",
      "😀",
      "trace 😀",
      "\u200b",
      "e\u0301",
      "\uFEFF",
      "<script>alert(1)</script>",
      "a".repeat(1000),
      "trace ".repeat(33),
      "x".repeat(10_000),
      "trace ".repeat(1700),
    ];
    for (const q of hostile) {
      const response = await searchAs(DEV_KEY, q);
      const body = await response.json<{ code?: string; detail?: string; results?: unknown[] }>();
      expect([200, 400], `${JSON.stringify(q.slice(0, 40))}: ${JSON.stringify(body)}`).toContain(
        response.status,
      );
      if (response.status === 400) {
        expect(["invalid_query", "validation_failed"]).toContain(body.code);
        expect(body.detail).toBeTruthy();
      } else expect(Array.isArray(body.results)).toBe(true);
    }
    // Sensible answers, not just no errors.
    expect((await search('"trace tree')).results.length).toBeGreaterThan(0);
    expect((await search("NEAR(trace tree, 2)")).results.length).toBeGreaterThan(0);
    const long = await json<{ code: string; detail: string }>(
      await searchAs(DEV_KEY, "x".repeat(10_000)),
      400,
    );
    expect(long.detail).toMatch(/1000 characters/);
    const onlyExcludes = await json<{ code: string; detail: string }>(await searchAs(DEV_KEY, "-trace"), 400);
    expect(onlyExcludes).toMatchObject({ code: "invalid_query", detail: "the query only excludes words" });
  });
});
