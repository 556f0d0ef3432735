#!/usr/bin/env node
// The end-to-end benchmark (`npm run bench:e2e -- --help`): starts its own Sluice server (`npm start`
// on fresh persisted state), creates a tenant without a request rate limit in the way, runs the tiny
// and the corpus workload of the Node baseline through the public API, and prints the figures with the
// peak memory of the server's process tree and a side-by-side table with the baseline.
import { rmSync } from "node:fs";
import { localVars } from "../local-vars.mjs";
import { DevServer } from "../loadtest/server.mjs";
import { MemorySampler } from "./memory.mjs";
import { parseOptions, USAGE } from "./options.mjs";
import { InspectorProfiler, reportProfile } from "./profile.mjs";
import { printComparison, printWorkload } from "./report.mjs";
import { runWorkload } from "./run-workload.mjs";
import { corpusWorkload, tinyWorkload } from "./workloads.mjs";

/**
 * A tenant for the run, with a request rate far above what the benchmark sends (the default 50/s
 * would make the upload phase measure the rate limiter).
 * @param {string} baseUrl
 * @param {string} adminToken
 */
async function createTenant(baseUrl, adminToken) {
  const headers = { Authorization: `Bearer ${adminToken}`, "Content-Type": "application/json" };
  const tenant = await globalThis.fetch(`${baseUrl}/admin/tenants`, {
    method: "POST",
    headers,
    body: JSON.stringify({
      name: "bench e2e",
      settings: { requestsPerSecond: 10_000, burst: 100_000 },
    }),
  });
  if (tenant.status !== 201) throw new Error(`creating the tenant answered ${tenant.status}`);
  const { id } = await tenant.json();
  const key = await globalThis.fetch(`${baseUrl}/admin/tenants/${id}/keys`, {
    method: "POST",
    headers,
    body: JSON.stringify({ name: "bench e2e" }),
  });
  if (key.status !== 201) throw new Error(`creating a key answered ${key.status}`);
  return String((await key.json()).key);
}

const options = parseOptions(process.argv.slice(2));
if (!options) {
  console.log(USAGE);
  process.exit(0);
}
const workloads = [];
if (options.only !== "corpus") workloads.push(tinyWorkload(options.tiny));
if (options.only !== "tiny") {
  const corpus = corpusWorkload(options.corpus, options.copies);
  if (corpus) workloads.push(corpus);
  else console.log(`The corpus is absent (${options.corpus}): the corpus workload is skipped.`);
}
if (workloads.length === 0) {
  console.log("Nothing to run.");
  process.exit(0);
}

const vars = { ...localVars(options.root), ...options.vars };
const adminToken = vars["ADMIN_TOKEN"] ?? "admin_local_development_token";
const inspectorPort = options.port + 1000;
const server = new DevServer({
  root: options.root,
  port: options.port,
  stateDir: options.stateDir,
  logPath: options.logPath,
  vars: { ...vars, ADMIN_TOKEN: adminToken },
  devArgs: options.profile ? ["--inspector-port", String(inspectorPort)] : [],
});
process.on("SIGINT", () => {
  server.kill();
  process.exit(130);
});

let failed = false;
try {
  console.log(
    `starting the server on port ${options.port} (state ${options.stateDir}, log ${options.logPath}) ...`,
  );
  console.log(`  ready in ${((await server.start()) / 1000).toFixed(1)} s`);
  if (Object.keys(options.vars).length > 0) console.log(`  with ${JSON.stringify(options.vars)}`);
  const api = { baseUrl: server.baseUrl, key: await createTenant(server.baseUrl, adminToken) };
  const memory = new MemorySampler(() => server.pgid);
  const runs = [];
  for (const workload of workloads) {
    console.log(`\nrunning ${workload.description} ...`);
    memory.start();
    const profiler = options.profile ? new InspectorProfiler(inspectorPort) : null;
    /** @type {import("./profile.mjs").Profile | null} */
    let profile = null;
    // Only the processing phase is profiled: uploads would drown the pipeline's own costs.
    const figures = await runWorkload(api, workload, options.uploaders, {
      beforeProcessing: () => profiler?.start(),
      afterProcessing: async () => {
        profile = profiler ? await profiler.stop() : null;
      },
    });
    const run = { ...figures, peakRssBytes: memory.stop() };
    printWorkload(run);
    if (profile) reportProfile(profile, options.logPath.replace(/\.log$/, `-${workload.name}.cpuprofile`));
    runs.push(run);
  }
  printComparison(runs);
} catch (error) {
  failed = true;
  console.error(
    `the benchmark failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
  );
} finally {
  await server.stop();
  if (!options.keepState) rmSync(options.stateDir, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
