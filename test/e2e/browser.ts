/**
 * Chromium for the browser suites: Debian's own build (/usr/bin/chromium, or CHROMIUM_PATH) driven by
 * playwright-core, headless, with a fresh profile and nothing that talks to the internet on its own.
 * Every request the page makes is recorded, so a suite can check that nothing left the origin.
 */
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { repoRoot } from "./server";

export const CHROMIUM = process.env["CHROMIUM_PATH"] ?? "/usr/bin/chromium";
export const artifacts = path.join(repoRoot, "test-results");

export interface Browser {
  context: BrowserContext;
  page: Page;
  /** Every URL requested by any page, in order. */
  requests: string[];
  /** The URLs requested as event streams (`Accept: text/event-stream`). */
  streams: string[];
  /** Console errors and uncaught exceptions of the pages. */
  problems: string[];
  close(): Promise<void>;
}

export async function openBrowser(viewport = { width: 1280, height: 900 }): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`no Chromium at ${CHROMIUM}: apt-get install -y chromium (or set CHROMIUM_PATH)`);
  }
  const profile = await mkdtemp(path.join(tmpdir(), "sluice-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  const requests: string[] = [];
  const streams: string[] = [];
  const problems: string[] = [];
  context.on("request", (request) => {
    requests.push(request.url());
    if ((request.headers()["accept"] ?? "").includes("text/event-stream")) streams.push(request.url());
  });
  const page = context.pages()[0] ?? (await context.newPage());
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(message.text());
  });
  page.on("pageerror", (error) => problems.push(error.message));
  return {
    context,
    page,
    requests,
    streams,
    problems,
    close: async () => {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

/** Saves a screenshot under test-results/ and answers its path. */
export async function screenshot(page: Page, name: string, fullPage = false): Promise<string> {
  const file = path.join(artifacts, `${name}.png`);
  await page.screenshot({ path: file, fullPage });
  return file;
}
