/** Starts one Sluice server for every Node-side suite and hands its address and keys to them. */
import { mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { repoRoot, startServer } from "./server";

declare module "vitest" {
  export interface ProvidedContext {
    sluiceUrl: string;
    apiKey: string;
    adminToken: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const artifacts = path.join(repoRoot, "test-results");
  mkdirSync(artifacts, { recursive: true });
  const server = await startServer({
    port: Number(process.env["SLUICE_E2E_PORT"] ?? 8797),
    stateDir: process.env["SLUICE_E2E_STATE"] ?? path.join(tmpdir(), "sluice-e2e-state"),
    logFile: path.join(artifacts, "server.log"),
  });
  const apiKey = server.vars["DEV_API_KEY"];
  const adminToken = server.vars["ADMIN_TOKEN"];
  if (!apiKey || !adminToken) throw new Error("DEV_API_KEY and ADMIN_TOKEN must be in .dev.vars(.example)");
  project.provide("sluiceUrl", server.url);
  project.provide("apiKey", apiKey);
  project.provide("adminToken", adminToken);
  return () => server.stop();
}
