#!/usr/bin/env node
// The capacity and cost model (`npm run model -- [--cap N] [--json]`). From the inputs in inputs.json
// (Cloudflare's published prices and limits, cited there; CPU and DO times measured by this
// repository's benchmarks; per-file operation counts read from the code) it prints, for the earlier
// designs and the current one: the files/s one job can sustain and what bounds it, the files/s across
// many jobs, and the cost per 1M files and per 1M PDF pages for a few mixes.
import { readFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";

const inputs = JSON.parse(readFileSync(path.join(import.meta.dirname, "inputs.json"), "utf8"));
const { values } = parseArgs({
  options: { cap: { type: "string" }, json: { type: "boolean" } },
  strict: true,
});
const cap = Number(values.cap ?? inputs.tenantMaxInFlight);
const m = Object.fromEntries(
  Object.entries(inputs.measured).map(([k, v]) => [k, /** @type {any} */ (v).value]),
);
const limit = Object.fromEntries(
  Object.entries(inputs.limits).map(([k, v]) => [k, /** @type {any} */ (v).value]),
);
const price = Object.fromEntries(
  Object.entries(inputs.prices).map(([k, v]) => [k, /** @type {any} */ (v).usd]),
);

/**
 * @typedef {{ name: string, share: number, stages: number, pages: number, cpuMs: number, outputs: number }} FileKind
 * @typedef {{ batchSize: number, batchConcurrency: number, label: string, jobDoMsPerFile: string, eventsPacked: boolean, doRowsWrittenBase: number }} Design
 */

/** The kinds of files the mixes are made of (CPU per file from the measured stage times). */
const KINDS = /** @type {Record<string, Omit<FileKind, "share">>} */ ({
  text: { name: "text, extract", stages: 1, pages: 0, cpuMs: m.extractTextMs, outputs: 1 },
  pdf: {
    name: "10-page PDF, extract + thumbnail",
    stages: 2,
    pages: 10,
    cpuMs: 10 * m.extractPdfMsPerPage + 20,
    outputs: 1,
  },
  image: {
    name: "photo, extract + thumbnail",
    stages: 2,
    pages: 0,
    cpuMs: m.thumbnailImageMs + 5,
    outputs: 1,
  },
});

const MIXES = [
  { name: "tiny text files (extract)", kinds: [{ kind: "text", share: 1 }] },
  { name: "10-page PDFs (extract + thumbnail)", kinds: [{ kind: "pdf", share: 1 }] },
  {
    name: "corpus-like: 40% PDF, 45% photos, 15% text",
    kinds: [
      { kind: "pdf", share: 0.4 },
      { kind: "image", share: 0.45 },
      { kind: "text", share: 0.15 },
    ],
  },
];

/** The average file of a mix. @param {{ kind: string, share: number }[]} parts */
function averageFile(parts) {
  const avg = { stages: 0, pages: 0, cpuMs: 0, outputs: 0 };
  for (const { kind, share } of parts) {
    const k = KINDS[kind];
    if (!k) throw new Error(`unknown kind ${kind}`);
    avg.stages += share * k.stages;
    avg.pages += share * k.pages;
    avg.cpuMs += share * k.cpuMs;
    avg.outputs += share * k.outputs;
  }
  return avg;
}

/** Files/s of one job and across jobs, with every bound named. @param {Design} design @param {{ stages: number, cpuMs: number }} file */
function throughput(design, file) {
  const B = design.batchSize;
  const waves = Math.ceil(B / design.batchConcurrency);
  // The Job DO's busy time per file (claim + report), measured with concurrent batches of this size
  // for one stage; a file with more stages writes more rows, and is assumed to take longer in proportion.
  const measuredDoMs = m[design.jobDoMsPerFile];
  if (typeof measuredDoMs !== "number") throw new Error(`no measured input ${design.jobDoMsPerFile}`);
  const doMsPerFile = (measuredDoMs * doRowsWritten(design, file.stages)) / doRowsWritten(design, 1);
  // CPU-bound files gain nothing from overlapping: only their I/O overlaps.
  const batchMs = 2 * m.rttDoMs + waves * m.ioMsPerFile + B * (file.cpuMs + m.consumerOverheadMsPerFile);
  // Events-queue messages per file: one per event, or (packed) one per claim and one per report.
  const eventMessagesPerFile = eventMessages(design, file);
  const perJob = {
    "job DO time (claim + report)": 1000 / doMsPerFile,
    "job DO request rate (1,000/s soft)": limit.doRequestsPerSecondPerObject / (2 / B),
    "tasks queue (5,000 msg/s)": limit.queueMessagesPerSecond,
    "events queue (5,000 msg/s)": limit.queueMessagesPerSecond / eventMessagesPerFile,
    "consumer concurrency (250 batches)": (limit.queueConsumerConcurrency * B * 1000) / batchMs,
    [`tenant cap (${cap} files in flight)`]: (cap * 1000) / (batchMs + m.queueDeliveryMs),
  };
  const acrossJobs = {
    "tasks queue (5,000 msg/s)": perJob["tasks queue (5,000 msg/s)"],
    "events queue (5,000 msg/s)": perJob["events queue (5,000 msg/s)"],
    "consumer concurrency (250 batches)": perJob["consumer concurrency (250 batches)"],
  };
  return { perJob, acrossJobs, batchMs };
}

/** Job DO rows written per file of k stages. @param {Design} design @param {number} k */
const doRowsWritten = (design, k) => design.doRowsWrittenBase + 4 * k;

/** Events-queue messages per file. @param {Design} design @param {{ stages: number }} file */
function eventMessages(design, file) {
  const eventsPerFile = 2 * file.stages + 1; // started + completed per stage, file completed
  return design.eventsPacked ? 2 / design.batchSize : eventsPerFile;
}

/** @param {Record<string, number>} bounds */
const binding = (bounds) => Object.entries(bounds).reduce((a, b) => (b[1] < a[1] ? b : a));

/** Cost per 1M files of a mix (pay-as-you-go rates, included usage ignored). @param {Design} design @param {ReturnType<typeof averageFile>} file */
function costPerMillion(design, file) {
  const B = design.batchSize;
  const k = file.stages;
  const perFile = {
    "Workers requests": (1 + 1 / B) * price.workersRequestsPerMillion,
    "Workers CPU": (file.cpuMs + m.consumerOverheadMsPerFile + 1) * price.workersCpuPerMillionMs,
    "Queues (tasks + events)": 3 * (1 + eventMessages(design, file)) * price.queueOperationsPerMillion,
    "DO requests": (2 / B + 1 / B + 1) * price.doRequestsPerMillion,
    "DO rows written": doRowsWritten(design, k) * price.doRowsWrittenPerMillion,
    "DO rows read": 2 * doRowsWritten(design, k) * price.doRowsReadPerMillion,
    "D1 rows written": (1 + k) * price.d1RowsWrittenPerMillion,
    "R2 class A": (1 + file.outputs) * price.r2ClassAPerMillion,
    "R2 class B": 1 * price.r2ClassBPerMillion,
  };
  const total = Object.values(perFile).reduce((sum, usd) => sum + usd, 0);
  return { perFile, total };
}

const fmt = (/** @type {number} */ n) => (n >= 100 ? Math.round(n).toLocaleString("en-US") : n.toFixed(1));
const usd = (/** @type {number} */ n) => `$${n.toFixed(2)}`;
const output = [];
for (const [key, design] of Object.entries(inputs.designs)) {
  console.log(`\n=== ${design.label} ===`);
  for (const mix of MIXES) {
    const file = averageFile(mix.kinds);
    const t = throughput(design, file);
    const [jobBound, jobRate] = binding(t.perJob);
    const [allBound, allRate] = binding(t.acrossJobs);
    const cost = costPerMillion(design, file);
    console.log(
      `\n${mix.name}: ${fmt(file.cpuMs)} ms CPU per file, batch ${design.batchSize} takes ~${fmt(t.batchMs)} ms`,
    );
    console.log(`  one job:    ${fmt(jobRate)} files/s, bound by the ${jobBound}`);
    for (const [name, rate] of Object.entries(t.perJob))
      console.log(`              ${name.padEnd(40)} ${fmt(rate)} files/s`);
    console.log(
      `  many jobs:  ${fmt(allRate)} files/s, bound by the ${allBound} (per account; Workers CPU scales out)`,
    );
    const pagesNote = file.pages > 0 ? `, ${usd(cost.total / file.pages)} per 1M PDF pages` : "";
    console.log(`  cost:       ${usd(cost.total)} per 1M files${pagesNote}`);
    console.log(
      `              ${Object.entries(cost.perFile)
        .map(([name, v]) => `${name} ${usd(v)}`)
        .join(", ")}`,
    );
    output.push({
      design: key,
      mix: mix.name,
      perJob: t.perJob,
      jobBound,
      jobRate,
      allBound,
      allRate,
      costPerMillionFiles: cost.total,
    });
  }
}
if (values.json) console.log(JSON.stringify(output, null, 2));
console.log("\nInputs, prices and limits with their sources: scripts/model/inputs.json");
