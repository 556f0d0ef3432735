/**
 * The API reference at /docs in Chromium: Swagger UI, served by the Worker from its own static
 * assets, renders every operation of /openapi.json with examples and error codes, and loads nothing
 * from any other origin (it works offline).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inject } from "vitest";
import { openBrowser, screenshot, type Browser } from "./browser";

let browser: Browser;

beforeAll(async () => {
  browser = await openBrowser();
});

afterAll(async () => {
  await browser.close();
});

describe("the API reference page", () => {
  it("renders every operation with examples and the error codes, from this origin only", async () => {
    const url = inject("sluiceUrl");
    const { page } = browser;
    const response = await page.goto(`${url}/docs`);
    expect(response?.headers()["content-security-policy"]).toContain("script-src 'self'");
    await page.locator(".opblock").first().waitFor();
    const document = (await (await fetch(`${url}/openapi.json`)).json()) as { paths: Record<string, object> };
    const operations = Object.values(document.paths).reduce((sum, item) => sum + Object.keys(item).length, 0);
    expect(await page.locator(".opblock").count()).toBe(operations);
    expect(await page.locator(".opblock-tag").allTextContents()).toEqual(
      expect.arrayContaining([expect.stringContaining("jobs"), expect.stringContaining("uploads")]),
    );
    // The description ends with the table of error codes (collapsed until opened).
    const codes = page.locator(".information-container details").first();
    await codes.locator("summary").click();
    await expect.poll(() => codes.locator("table").textContent()).toContain("job_terminal");
    await screenshot(page, "docs-01-error-codes");
    await codes.locator("summary").click();
    await screenshot(page, "docs-02-overview");

    // An operation shows a whole example answer and an example per error it can give.
    await page.locator('.opblock-summary-path[data-path="/v1/jobs/{id}"]').first().click();
    const opened = page.locator(".opblock.is-open");
    await opened.locator(".responses-wrapper").waitFor();
    expect(await opened.textContent()).toContain("job_01M7Z0B49TVT6S69VX7RGGJ5TS");
    await opened.locator("select").last().waitFor();
    expect(await opened.textContent()).toContain("/problems/not_found");
    await opened.locator(".responses-wrapper").scrollIntoViewIfNeeded();
    await screenshot(page, "docs-03-operation");

    const foreign = browser.requests.filter(
      (request) => !/^(blob:|data:)/.test(request) && !request.startsWith(url),
    );
    expect(foreign).toEqual([]);
    expect(browser.problems).toEqual([]);
  });
});
