// Turns a run's record into the figures it prints (and writes to report.json): jobs accepted, ended,
// lost, duplicated, stuck, HTTP 5xx, throughput end to end, API latency percentiles, and, when the
// run crashed the server or injected faults, what was recovered and what fired.
import { writeFileSync } from "node:fs";
import path from "node:path";
import { quantile } from "./random.mjs";

/**
 * @typedef {import("./client.mjs").Operation} Operation
 * @typedef {import("./checker.mjs").Findings} Findings
 * @typedef {import("./workload.mjs").AcceptedJob} AcceptedJob
 * @typedef {object} Recovery
 * @property {number} kills
 * @property {number[]} restartMs        time to /healthz after each restart
 * @property {number[]} inFlight         tasks not ended right after each restart
 * @property {number} recovered          of those, how many ended
 * @property {number} inFlightTotal
 * @property {number | null} slowestAfterLastRestartMs
 */

/** @param {number} value */
const ms = (value) => (Number.isFinite(value) ? `${Math.round(value)}` : "-");

/** @param {Operation[]} operations */
function latency(operations) {
  const answered = operations.filter((operation) => operation.status > 0).map((operation) => operation.ms);
  return {
    n: answered.length,
    p50: quantile(answered, 0.5),
    p95: quantile(answered, 0.95),
    p99: quantile(answered, 0.99),
  };
}

/**
 * @param {object} run
 * @param {import("./options.mjs").Options} run.options
 * @param {string} run.filesSource
 * @param {AcceptedJob[]} run.accepted
 * @param {Findings} run.findings
 * @param {Operation[]} run.operations
 * @param {number} run.refused
 * @param {Recovery | null} run.recovery
 * @param {Record<string, number> | null} run.faults
 * @param {{ recorded: number, redriven: number, ended: number } | null} run.deadLetters
 * @param {{ name: string, status: number, bySluice: boolean }[]} run.framing
 * @param {boolean} run.healthyAfterFraming
 */
export function report(run) {
  const { options, accepted, findings, operations } = run;
  const ended = accepted.filter((job) => job.endedAt !== null);
  const firstAccepted = Math.min(...accepted.map((job) => job.acceptedAt));
  const lastEnded = Math.max(...ended.map((job) => job.endedAt ?? 0));
  const seconds = (lastEnded - firstAccepted) / 1000;
  const filesEnded = ended.reduce((sum, job) => sum + job.files.length, 0);
  const inconsistent = [...findings.outcomes].filter(([, outcomes]) => outcomes.size > 1);
  const fiveXX = operations.filter((operation) => operation.status >= 500 && !operation.fromProxy).length;
  const proxyFiveXX = operations.filter((operation) => operation.fromProxy).length;
  const framing5xx = run.framing.filter((probe) => probe.status >= 500 && probe.bySluice).length;
  const proxy5xx = run.framing.filter((probe) => probe.status >= 500 && !probe.bySluice).length;
  const failed = findings.lost.length + findings.duplicated.length + findings.stuck.length > 0;
  const byOperation = Object.fromEntries(
    [...new Set(operations.map((operation) => operation.op))]
      .sort()
      .map((op) => [op, latency(operations.filter((operation) => operation.op === op))]),
  );
  const terminal = Object.entries(findings.statuses)
    .filter(([status]) => ["completed", "completed_with_errors", "failed", "cancelled"].includes(status))
    .reduce((sum, [, count]) => sum + count, 0);
  const all = latency(operations);
  const lines = [
    "",
    `Sluice load test ${options.runId}  (seed ${options.seed})`,
    `  server 127.0.0.1:${options.port}, state ${options.stateDir}`,
    `  files: ${run.filesSource}; ${options.tenants} tenants, ${options.clients} clients, ${options.jobs} jobs of 1-${options.maxFiles} files`,
    `  record of every operation: ${path.join(options.runDir, "ops.jsonl")}`,
    "",
    `jobs accepted        ${accepted.length}${run.refused ? `  (${run.refused} refused)` : ""}`,
    `jobs terminal        ${terminal}  ${JSON.stringify(findings.statuses)}`,
    `lost                 ${findings.lost.length}`,
    `duplicated           ${findings.duplicated.length}`,
    `stuck                ${findings.stuck.length}`,
    `HTTP 5xx             ${fiveXX + framing5xx}  (from the dev server in front while restarting: ${proxyFiveXX}; connection failures while down: ${operations.filter((o) => o.status === 0).length})`,
    `throughput           ${(filesEnded / seconds).toFixed(2)} files/s end to end (${filesEnded} files of ${ended.length} jobs in ${seconds.toFixed(1)} s)`,
    `API latency (ms)     p50 ${ms(all.p50)}  p95 ${ms(all.p95)}  p99 ${ms(all.p99)}  (${all.n} requests)`,
    ...Object.entries(byOperation).map(
      ([op, figures]) =>
        `  ${op.padEnd(18)} p50 ${ms(figures.p50)}  p95 ${ms(figures.p95)}  p99 ${ms(figures.p99)}  (${figures.n})`,
    ),
    `checked              ${findings.files} files, ${findings.events} events, ${findings.outputs} outputs fetched`,
    `malformed framing    ${run.framing.map((probe) => `${probe.status || "closed"}${probe.bySluice ? "" : "*"}`).join(" ")}  (* not from Sluice: the HTTP server in front; ${proxy5xx} of them 5xx); healthy afterwards: ${run.healthyAfterFraming}`,
  ];
  if (run.recovery) {
    const recovery = run.recovery;
    lines.push(
      `kills                ${recovery.kills} (restart to /healthz: ${recovery.restartMs.map((t) => `${(t / 1000).toFixed(1)} s`).join(", ")})`,
      `tasks recovered      ${recovery.recovered} of ${recovery.inFlightTotal} (distinct tasks not ended right after a restart; per restart: ${recovery.inFlight.join(", ")})`,
      `slowest job after the last restart: ${recovery.slowestAfterLastRestartMs === null ? "-" : `${(recovery.slowestAfterLastRestartMs / 1000).toFixed(1)} s to finish`}`,
    );
  }
  if (run.faults) lines.push(`faults fired         ${JSON.stringify(run.faults)}`);
  if (run.deadLetters)
    lines.push(
      `dead letters         ${run.deadLetters.recorded} recorded, ${run.deadLetters.redriven} re-driven, ${run.deadLetters.ended} of their jobs ended again`,
    );
  lines.push(
    `outcomes             ${inconsistent.length === 0 ? "the same for every file in every job" : `${inconsistent.length} files had different outcomes:`}`,
    ...inconsistent.slice(0, 10).map(([file, outcomes]) => `  ${file}: ${[...outcomes].join(", ")}`),
  );
  for (const [label, list] of /** @type {const} */ ([
    ["lost", findings.lost],
    ["duplicated", findings.duplicated],
    ["stuck", findings.stuck],
  ])) {
    for (const finding of list.slice(0, 20)) lines.push(`  ${label}: ${finding.jobId}: ${finding.what}`);
  }
  lines.push(
    "",
    failed
      ? "RESULT: FAIL (something was lost, duplicated or stuck)"
      : "RESULT: PASS (nothing lost, duplicated or stuck)",
  );
  console.log(lines.join("\n"));
  writeFileSync(
    path.join(options.runDir, "report.json"),
    JSON.stringify(
      {
        options,
        accepted: accepted.length,
        terminal,
        statuses: findings.statuses,
        lost: findings.lost,
        duplicated: findings.duplicated,
        stuck: findings.stuck,
        http5xx: fiveXX + framing5xx,
        throughputFilesPerSecond: filesEnded / seconds,
        latency: { all, byOperation },
        recovery: run.recovery,
        faults: run.faults,
        deadLetters: run.deadLetters,
        framing: run.framing,
        inconsistentOutcomes: inconsistent.map(([file, outcomes]) => ({ file, outcomes: [...outcomes] })),
      },
      null,
      2,
    ),
  );
  return !failed;
}
