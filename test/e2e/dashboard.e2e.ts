/**
 * The dashboard in Chromium against a running Sluice: sign in, upload real files through the file
 * input (straight to storage), pick stages, watch the job live to its end, open the extracted text
 * and the thumbnail, search, see why a corrupt file failed and retry it, upload a big file in parts,
 * and use it on a phone-sized screen. Screenshots of each step go to test-results/.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inject } from "vitest";
import { openBrowser, screenshot, type Browser } from "./browser";
import { blobOf, fixturePath, realFile, testClient } from "./helpers";

const pdf = realFile("pdf/pdfjs_tracemonkey.pdf", "pdf/pdfjs_tracemonkey.pdf");
const photo = realFile(
  "image/mate-backgrounds_Wood_2560x1920.jpg",
  "image/mate-backgrounds_Wood_2560x1920.jpg",
);
const broken = fixturePath("malformed/freeculture_truncated.pdf");
let browser: Browser;
let url: string;

beforeAll(async () => {
  url = inject("sluiceUrl");
  browser = await openBrowser();
});

afterAll(async () => {
  await browser.close();
});

/** Uploads files through the file input and starts a job with exactly these stages. */
async function startJob(files: string[], stages: string[]): Promise<string> {
  const { page } = browser;
  await page.goto(`${url}/#/`);
  await page.locator('[data-testid="file-input"]').setInputFiles(files);
  for (const file of files) {
    const name = file.split("/").at(-1) ?? "";
    await page.locator(`li[data-upload="${name}"].upload-done`).waitFor({ timeout: 30_000 });
  }
  for (const stage of ["extract", "analyze", "enrich", "thumbnail", "index"]) {
    const box = page.locator(`input[name="stage"][value="${stage}"]`);
    if ((await box.isChecked()) !== stages.includes(stage)) await box.click();
  }
  await page.getByRole("button", { name: /Start job/ }).click();
  await page.waitForURL(/#\/jobs\/job_/);
  return page.url().split("/").at(-1) ?? "";
}

describe("the dashboard", () => {
  it("refuses a wrong API key and signs in with the right one", async () => {
    const { page } = browser;
    await page.goto(url);
    await page.fill("#api-key", "sk_wrong_key_0000000000000");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect.poll(() => page.getByRole("alert").textContent()).toContain("unauthorized");
    await screenshot(page, "dashboard-01-sign-in-refused");
    await page.fill("#api-key", inject("apiKey"));
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("link", { name: "New job" }).waitFor();
    expect(await page.evaluate(() => sessionStorage.getItem("sluice.apiKey"))).toBe(inject("apiKey"));
  });

  it("uploads two real files by the file input and watches them go through their stages live", async () => {
    const { page } = browser;
    await page.goto(`${url}/#/`);
    await page.locator('[data-testid="file-input"]').setInputFiles([pdf, photo]);
    await page.locator('li[data-upload="pdfjs_tracemonkey.pdf"].upload-done').waitFor();
    await page.locator('li[data-upload="mate-backgrounds_Wood_2560x1920.jpg"].upload-done').waitFor();
    await screenshot(page, "dashboard-02-uploaded");
    await page.goto(`${url}/#/jobs`);
    const jobId = await startJob([pdf, photo], ["extract", "analyze", "enrich", "thumbnail", "index"]);
    expect(jobId).toMatch(/^job_\w{26}$/);
    // The page follows the job's event stream (one SSE connection) and shows it ending, no reload.
    await page.locator(`[data-job="${jobId}"][data-status="completed"]`).waitFor({ timeout: 60_000 });
    expect(browser.streams.filter((stream) => stream.includes(`/v1/jobs/${jobId}/events`))).toHaveLength(1);
    await page.locator(".live-ended").waitFor();
    const pdfRow = page.locator('li[data-file="pdfjs_tracemonkey.pdf"]');
    // Every stage completes for the PDF, its thumbnail too (the rendered first page).
    await expect.poll(() => pdfRow.locator(".stage-completed").count()).toBe(5);
    expect(await pdfRow.locator(".stage-skipped").count()).toBe(0);
    await screenshot(page, "dashboard-03-job-completed", true);
  });

  it("opens the extracted text page by page, the keywords and summary, and the thumbnail", async () => {
    const { page } = browser;
    await page
      .locator('li[data-file="pdfjs_tracemonkey.pdf"]')
      .getByRole("link", { name: "Results" })
      .click();
    const text = page.locator('[data-testid="text"]');
    await text.waitFor();
    expect(await text.locator(".page h4").allTextContents()).toEqual(
      Array.from({ length: 14 }, (_, i) => `Page ${i + 1}`),
    );
    expect(await text.locator("#page-1 pre").textContent()).toContain(
      "Trace-based Just-in-Time Type Specialization",
    );
    expect(await page.locator('ul[aria-label="keywords"] li').allTextContents()).toContain("trace");
    expect(await page.locator(".summary").textContent()).toMatch(/trace/i);
    expect(await page.locator("table.entities tbody tr").count()).toBeGreaterThan(0);
    await screenshot(page, "dashboard-04-results");
    await screenshot(page, "dashboard-04-text", true);

    await page.goBack();
    await page
      .locator('li[data-file="mate-backgrounds_Wood_2560x1920.jpg"]')
      .getByRole("link", { name: "Results" })
      .click();
    const image = page.locator("img.thumbnail");
    await image.waitFor();
    await expect.poll(() => image.evaluate((element: HTMLImageElement) => element.naturalWidth)).toBe(256);
    expect(await image.evaluate((element: HTMLImageElement) => element.naturalHeight)).toBe(192);
    await screenshot(page, "dashboard-05-thumbnail", true);
  });

  it("searches the indexed documents and highlights the matches", async () => {
    const { page } = browser;
    await page.getByRole("link", { name: "Search" }).click();
    await page.fill('input[name="q"]', '"trace tree"');
    await page.getByRole("button", { name: "Search" }).click();
    const first = page.locator(".search-result").first();
    await first.waitFor();
    expect((await first.locator("mark").allTextContents()).map((word) => word.toLowerCase())).toContain(
      "trace tree",
    );
    expect(await first.textContent()).toMatch(/page \d+/);
    await screenshot(page, "dashboard-06-search");
    await first.getByRole("link").click();
    await page.locator(".page.focus").waitFor();
  });

  it("says why a corrupt file failed, and retries it", async () => {
    const { page } = browser;
    const jobId = await startJob([broken], ["extract", "thumbnail"]);
    await page.locator(`[data-job="${jobId}"][data-status="failed"]`).waitFor({ timeout: 60_000 });
    const alert = page.locator('li[data-file="freeculture_truncated.pdf"] p.error').first();
    expect(await alert.textContent()).toMatch(/extract failed: corrupt_file — the PDF cannot be read/);
    await screenshot(page, "dashboard-07-corrupt-file");
    await page.getByRole("button", { name: "Retry failed files" }).click();
    // It runs again (a second attempt) and fails again for the same reason, shown live.
    await expect
      .poll(() => alert.textContent(), { timeout: 60_000 })
      .toMatch(/extract failed after 2 attempts: corrupt_file/);
    await page.locator(`[data-job="${jobId}"][data-status="failed"]`).waitFor();
  });

  it("cancels a running job from its page", async () => {
    const { page } = browser;
    // Forty PDFs through four stages keep the local runtime busy long enough to cancel (see cli.e2e.ts).
    const client = testClient();
    const manual = await blobOf(fixturePath("pdf/libtasn1-doc_libtasn1.pdf"), "application/pdf");
    const ids: string[] = [];
    for (let i = 0; i < 40; i++)
      ids.push((await client.files.upload(manual, { name: `manual-${i}.pdf` })).id);
    const job = await client.jobs.create({ files: ids, stages: ["extract", "analyze", "enrich", "index"] });
    await page.goto(`${url}/#/jobs/${job.id}`);
    await page.getByRole("button", { name: "Cancel job" }).click();
    await page.locator(`[data-job="${job.id}"][data-status="cancelled"]`).waitFor({ timeout: 60_000 });
    expect(await page.locator("li.file-cancelled").count()).toBeGreaterThan(0);
    expect(await page.getByRole("button", { name: "Cancel job" }).count()).toBe(0);
  });

  it("sends a big file as a multipart upload straight to storage", async () => {
    const { page } = browser;
    await page.goto(`${url}/#/`);
    const buffer = Buffer.alloc(17 * 1024 * 1024, "multipart ");
    await page
      .locator('[data-testid="file-input"]')
      .setInputFiles([{ name: "big.txt", mimeType: "text/plain", buffer }]);
    const row = page.locator('li[data-upload="big.txt"]');
    await row.locator("text=multipart").waitFor();
    await page.locator('li[data-upload="big.txt"].upload-done').waitFor({ timeout: 60_000 });
    expect(await row.textContent()).toContain("uploaded · multipart");
  });

  it("works on a phone-sized screen", async () => {
    const { page } = browser;
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${url}/#/jobs`);
    await page.locator(".job-row").first().click();
    await page.locator("[data-job] .files").waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await screenshot(page, "dashboard-08-phone", true);
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it("loaded nothing from anywhere but its own origin, and logged no errors", () => {
    const foreign = browser.requests.filter(
      (request) => !/^(blob:|data:)/.test(request) && !request.startsWith(url),
    );
    expect(foreign).toEqual([]);
    // The wrong key's 401 is the one error the browser reports on its own.
    expect(browser.problems.filter((problem) => !problem.includes("401"))).toEqual([]);
  });
});
