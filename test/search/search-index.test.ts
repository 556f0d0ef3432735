import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { JobObject } from "../../src/schemas/jobs";
import { D1SearchIndex } from "../../src/search/d1-search-index";
import { api, createJob, createTenant, json, upload, waitForJob } from "../helpers/api";
import { fixture } from "../helpers/fixtures";
import { listFileRow } from "../helpers/seed";
import { indexFixtures, search } from "./helpers";

describe("search: ranking, snippets, replacing and deleting", () => {
  const index = (fileId: string, jobId: string, name: string) => ({
    replace: async (sections: Parameters<D1SearchIndex["replace"]>[0]) => {
      await listFileRow("dev", fileId, name);
      return new D1SearchIndex(env.DB, { tenantId: "dev", jobId, fileId, fileName: name }).replace(sections);
    },
  });

  it("ranks the document that is more about the words first", async () => {
    await index("file_rank_a", "job_rank", "a.txt").replace([
      {
        page: null,
        text: "Quantum computers use qubits. Quantum error correction keeps qubits stable. Quantum!",
      },
    ]);
    await index("file_rank_b", "job_rank", "b.txt").replace([
      {
        page: null,
        text: "A long text about gardening, soil, seeds and water, which mentions quantum once.",
      },
    ]);
    // Documents that do not mention it, as any real index has (with every document matching, bm25's IDF is 0).
    for (const [i, text] of [
      "Bread needs flour and yeast.",
      "Rivers flow to the sea.",
      "Cats sleep a lot.",
    ].entries()) {
      await index(`file_rank_other_${i}`, "job_rank", `other${i}.txt`).replace([{ page: null, text }]);
    }
    const { results } = await search("quantum");
    expect(results.map((r) => r.name)).toEqual(["a.txt", "b.txt"]);
    expect(results[0]?.score).toBeGreaterThan(results[1]?.score ?? Infinity);
  });

  it("escapes the document's own markup in snippetHtml", async () => {
    await index("file_html", "job_html", "x.html").replace([
      { page: null, text: 'Beware of <script>alert("zanzibar")</script> & friends.' },
    ]);
    const [result] = (await search("zanzibar")).results;
    expect(result?.snippet).toBe('Beware of <script>alert("zanzibar")</script> & friends.');
    expect(result?.snippetHtml).toBe(
      "Beware of &lt;script&gt;alert(&quot;<mark>zanzibar</mark>&quot;)&lt;/script&gt; &amp; friends.",
    );
  });

  it("replaces a file's entries when it is indexed again, never duplicating them", async () => {
    const file = (await upload(await fixture("pdf/pdfjs_french_diacritics.pdf"), "accents.pdf")).id;
    for (let run = 0; run < 2; run++) {
      const created = await json<JobObject>(
        await createJob({ files: [file], stages: ["extract", "index"] }),
        202,
      );
      await waitForJob(created.id);
      // pdf.js gives the letters of this page as separate words: "à À â Â …".
      const { results } = await search('"à À â Â ä Ä ç Ç"');
      expect(results).toHaveLength(1);
      expect(results[0]).toMatchObject({ fileId: file, jobId: created.id, page: 1 });
    }
    // Indexing the same file twice through the port directly also leaves one copy.
    const port = index("file_twice", "job_twice", "twice.txt");
    await port.replace([{ page: null, text: "walrus one" }]);
    await port.replace([{ page: null, text: "walrus two" }]);
    expect((await search("walrus")).results.map((r) => r.snippet)).toEqual(["walrus two"]);
  });

  it("removes a file from the index when the file is deleted", async () => {
    const file = (
      await upload(new TextEncoder().encode("The okapi is a giraffid."), "okapi.txt", "text/plain")
    ).id;
    const created = await json<JobObject>(
      await createJob({ files: [file], stages: ["extract", "index"] }),
      202,
    );
    await waitForJob(created.id);
    expect((await search("okapi")).results).toHaveLength(1);
    expect((await api(`/v1/files/${file}`, { method: "DELETE" })).status).toBe(204);
    expect((await search("okapi")).results).toHaveLength(0);
    const rows = await env.DB.prepare("SELECT count(*) AS n FROM search_sections WHERE file_id = ?")
      .bind(file)
      .first<{ n: number }>();
    expect(rows?.n).toBe(0);
  });

  it("never shows one tenant another tenant's documents", async () => {
    const acme = await createTenant("acme");
    const globex = await createTenant("globex");
    await indexFixtures(["text/libjpeg-turbo_README.md"], acme);
    expect((await search("libjpeg", "", acme)).results.length).toBeGreaterThan(0);
    for (const q of ["libjpeg", "tenant_id:acme libjpeg", '"acme"', "acme", "libjpeg OR acme"]) {
      expect((await search(q, "", globex)).results, q).toEqual([]);
    }
    // The dev tenant does not see acme's README either (its own index holds other files).
    expect((await search("libjpeg")).results.map((r) => r.name)).not.toContain("libjpeg-turbo_README.md");
  });
});
