#!/usr/bin/env node
// The load and history harness (`npm run loadtest -- --help`): starts a Sluice server on fresh
// persisted state, creates tenants, uploads real files, runs jobs from many concurrent clients (while
// crashing the server with --kill N, or injecting faults with --faults), follows every job to its
// end, checks the result and prints the figures. Exits 1 when anything was lost, duplicated or stuck.
import { randomBytes } from "node:crypto";
import { mkdirSync, rmSync } from "node:fs";
import path from "node:path";
import { localVars } from "../local-vars.mjs";
import { setTimeout as sleep } from "node:timers/promises";
import { checkRun } from "./checker.mjs";
import { Client, Recorder } from "./client.mjs";
import { loadFiles } from "./corpus.mjs";
import { parseOptions, USAGE } from "./options.mjs";
import { seededRandom } from "./random.mjs";
import { probeFraming } from "./raw-http.mjs";
import { report } from "./report.mjs";
import { DevServer } from "./server.mjs";
import { createTenants, isTerminal, persist, poll, runClient, uploadPools } from "./workload.mjs";

const FAULT_POINTS = ["output.after_write", "consumer.before_report", "consumer.before_ack", "alarm"];

const options = parseOptions(process.argv.slice(2));
if (!options) {
  console.log(USAGE);
  process.exit(0);
}
mkdirSync(options.runDir, { recursive: true });
const random = seededRandom(options.seed);
const settings = localVars(options.root);
const adminToken = settings["ADMIN_TOKEN"] ?? `admin_${randomBytes(16).toString("hex")}`;
const faultConfig = {
  seed: options.seed,
  probability: options.faultProbability,
  points: FAULT_POINTS,
  duplicateDelivery: true,
};
const server = new DevServer({
  root: options.root,
  port: options.port,
  stateDir: options.stateDir,
  logPath: path.join(options.runDir, "server.log"),
  vars: {
    ...settings,
    ADMIN_TOKEN: adminToken,
    // Short deadlines so that recovery happens within the run: a lease outlives the slowest batch
    // on a busy 2-core machine; a lost message is sent again after 15 s.
    LEASE_MS: "60000",
    REDRIVE_AFTER_MS: "15000",
    RETRY_BASE_DELAY_SECONDS: "1",
    RETRY_MAX_DELAY_SECONDS: "8",
    ...(options.faults ? { FAULT_INJECTION: JSON.stringify(faultConfig) } : {}),
  },
});
process.on("SIGINT", () => {
  server.kill();
  process.exit(130);
});

console.log(`Sluice load test ${options.runId}: seed ${options.seed}, logs in ${options.runDir}`);
if (options.faults) console.log(`fault injection: ${JSON.stringify(faultConfig)}`);
const recorder = new Recorder(path.join(options.runDir, "ops.jsonl"));
const client = new Client(server.baseUrl, recorder);
let passed = false;
try {
  console.log(`starting the server on port ${options.port} (state ${options.stateDir}) ...`);
  console.log(`  ready in ${((await server.start()) / 1000).toFixed(1)} s`);
  const tenants = await createTenants(client, adminToken, options.tenants, options.runId);
  const firstTenant = tenants[0];
  if (!firstTenant) throw new Error("no tenant");
  console.log(`tenants: ${tenants.map((tenant) => `${tenant.id} (${tenant.jurisdiction})`).join(", ")}`);
  const framing = await probeFraming(options.port, firstTenant.key, () => server.healthy());

  const { files, source } = loadFiles(options.corpus, path.join(options.root, "test", "fixtures"));
  const forever = Date.now() + 3_600_000;
  console.log(`uploading ${files.length} files for each tenant ...`);
  const pools = await uploadPools({
    client,
    tenants,
    files,
    concurrency: options.clients,
    deadline: forever,
  });

  /** @type {Map<string, import("./workload.mjs").AcceptedJob>} */
  const accepted = new Map();
  const tally = { refused: 0 };
  const progress = { deadline: forever };
  console.log(`running ${options.jobs} jobs from ${options.clients} clients ...`);
  const clients = Array.from({ length: options.clients }, (_, index) => {
    const tenant = tenants[index % tenants.length] ?? firstTenant;
    const share =
      Math.floor(options.jobs / options.clients) + (index < options.jobs % options.clients ? 1 : 0);
    return runClient({
      client,
      tenant,
      pool: pools.get(tenant.id) ?? [],
      corpus: files,
      jobs: share,
      maxFiles: options.maxFiles,
      inflight: options.inflight,
      random: seededRandom(options.seed + index + 1),
      keyPrefix: `lt-${options.runId}-${index}`,
      progress,
      accepted,
      tally,
    });
  });
  let submittedAll = false;
  const everyone = Promise.all(clients).then(() => {
    submittedAll = true;
  });
  const watcher = (async () => {
    while (!submittedAll) {
      if (tally.refused + accepted.size >= options.jobs && progress.deadline === forever)
        progress.deadline = Date.now() + options.deadlineSeconds * 1000;
      await sleep(250);
    }
  })();

  /** @type {import("./report.mjs").Recovery | null} */
  let recovery = null;
  let lastRestart = 0;
  /** @type {Set<string>} */
  let atLastRestart = new Set();
  const inFlight = new Set();
  if (options.kills > 0) {
    recovery = {
      kills: 0,
      restartMs: [],
      inFlight: [],
      recovered: 0,
      inFlightTotal: 0,
      slowestAfterLastRestartMs: null,
    };
    for (let kill = 0; kill < options.kills && !submittedAll; kill++) {
      await sleep(random.int(4000, 14000));
      if (submittedAll) break;
      server.kill();
      console.log(`  SIGKILL ${kill + 1} of ${options.kills} (${accepted.size} jobs accepted so far)`);
      recovery.kills += 1;
      await sleep(random.int(200, 2000));
      recovery.restartMs.push(await server.start());
      lastRestart = Date.now();
      const running = [...accepted.values()].filter((job) => !isTerminal(job.last?.status));
      let count = 0;
      for (const job of running) {
        await poll(client, job);
        for (const file of job.last?.files ?? []) {
          if (file.status !== "pending" && file.status !== "processing") continue;
          inFlight.add(`${job.id}/${file.fileId}`);
          count += 1;
        }
      }
      atLastRestart = new Set(running.filter((job) => !isTerminal(job.last?.status)).map((job) => job.id));
      recovery.inFlight.push(count);
      console.log(`  restarted; ${count} tasks were in flight`);
    }
  }
  await everyone;
  await watcher;

  /** @type {{ recorded: number, redriven: number, ended: number } | null} */
  let deadLetters = null;
  if (options.faults) deadLetters = await redriveDeadLetters(tenants, accepted);

  console.log("checking ...");
  const findings = await checkRun(client, tenants, [...accepted.values()]);
  if (recovery) {
    const final = new Map([...accepted.values()].map((job) => [job.id, job.last]));
    recovery.inFlightTotal = inFlight.size;
    recovery.recovered = [...inFlight].filter((task) => {
      const [jobId, fileId] = task.split("/");
      const file = final
        .get(jobId ?? "")
        ?.files?.find((/** @type {any} */ candidate) => candidate.fileId === fileId);
      return file && ["completed", "failed"].includes(file.status);
    }).length;
    const finishTimes = [...atLastRestart].map(
      (jobId) => Date.parse(final.get(jobId)?.completedAt ?? "") - lastRestart,
    );
    recovery.slowestAfterLastRestartMs = finishTimes.length > 0 ? Math.max(...finishTimes) : null;
  }
  passed = report({
    options,
    filesSource: `${source}, ${files.length} files`,
    accepted: [...accepted.values()],
    findings,
    operations: recorder.operations,
    refused: tally.refused,
    recovery,
    faults: options.faults ? server.faultCounts() : null,
    deadLetters,
    framing: framing.results,
    healthyAfterFraming: framing.healthyAfter,
  });
} catch (error) {
  console.error(
    `the load test could not run: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
  );
} finally {
  await recorder.close();
  await server.stop();
  if (!options.keepState) rmSync(options.stateDir, { recursive: true, force: true });
}
process.exit(passed ? 0 : 1);

/**
 * With faults on, a file can run out of retries and land in the dead-letter queue. Those are
 * re-driven through the API, and their jobs followed until they end again.
 * @param {import("./workload.mjs").Tenant[]} tenants
 * @param {Map<string, import("./workload.mjs").AcceptedJob>} accepted
 */
async function redriveDeadLetters(tenants, accepted) {
  const result = { recorded: 0, redriven: 0, ended: 0 };
  const jobs = new Set();
  const deadline = Date.now() + 120_000;
  for (const tenant of tenants) {
    const listed = await persist(
      () => client.call("dead_letters", "GET", "/v1/dead-letters?limit=100", { key: tenant.key }),
      deadline,
    );
    for (const letter of listed.body?.deadLetters ?? []) {
      result.recorded += 1;
      if (letter.status !== "open") continue;
      const answer = await client.call("redrive", "POST", `/v1/dead-letters/${letter.id}/redrive`, {
        key: tenant.key,
      });
      if (answer.status === 202) {
        result.redriven += 1;
        jobs.add(letter.jobId);
      }
    }
  }
  for (const jobId of jobs) {
    const job = accepted.get(jobId);
    if (!job) continue;
    job.endedAt = null;
    while (Date.now() < deadline && !(await poll(client, job))) await sleep(500);
    if (isTerminal(job.last?.status)) result.ended += 1;
  }
  return result;
}
