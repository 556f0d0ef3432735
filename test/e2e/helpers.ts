/** What the Node-side suites share: a client for the test server, real files, and running the CLI. */
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, openAsBlob } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { inject } from "vitest";
import { SluiceClient, type ClientOptions } from "sluice-client";
import { repoRoot } from "./server";

export const fixturePath = (relative: string): string => path.join(repoRoot, "test", "fixtures", relative);

/**
 * A file of the shared corpus when it is present, else the repository's copy of it (the corpus is
 * not part of the repository; the fixtures hold the files these suites need).
 */
export function realFile(corpusRelative: string, fixtureRelative: string): string {
  const corpus = path.resolve(
    process.env["SLUICE_CORPUS_DIR"] ?? path.join(repoRoot, "..", "shared", "corpus"),
  );
  const candidate = path.join(corpus, corpusRelative);
  if (existsSync(candidate)) return candidate;
  console.log(`corpus absent (${candidate}); using test/fixtures/${fixtureRelative}`);
  return fixturePath(fixtureRelative);
}

export const sha256 = async (file: string): Promise<string> =>
  createHash("sha256")
    .update(await readFile(file))
    .digest("hex");

export const blobOf = (file: string, type = ""): Promise<Blob> => openAsBlob(file, { type });

export function testClient(options: Partial<ClientOptions> = {}): SluiceClient {
  return new SluiceClient({ baseUrl: inject("sluiceUrl"), apiKey: inject("apiKey"), ...options });
}

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export const cliPath = path.join(repoRoot, "dist", "cli", "sluice.cjs");

/** Runs a command (by default the built CLI on this Node) with the test server's endpoint and key. */
export function run(
  args: string[],
  options: { env?: Record<string, string | undefined>; command?: string[]; input?: string } = {},
): Promise<CliRun> {
  const [command = process.execPath, ...prefix] = options.command ?? [process.execPath, cliPath];
  return new Promise((resolve, reject) => {
    const child = spawn(command, [...prefix, ...args], {
      cwd: repoRoot,
      env: {
        ...process.env,
        SLUICE_URL: inject("sluiceUrl"),
        SLUICE_API_KEY: inject("apiKey"),
        NO_COLOR: "1",
        ...options.env,
      },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => {
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(options.input ?? "");
  });
}
