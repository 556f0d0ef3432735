// Prints a workload's figures and the side-by-side table with the Node baseline (Redis + BullMQ, 2
// worker processes x concurrency 4, the same stages with the same libraries, on the same kind of
// 2-core machine).

/**
 * @typedef {import("./run-workload.mjs").WorkloadFigures} WorkloadFigures
 * @typedef {WorkloadFigures & { peakRssBytes: number | null }} Measured
 */

/** The baseline's figures, as the issue gives them. */
export const BASELINE = {
  tiny: { filesPerSecond: 745, pagesPerSecond: null },
  corpus: { filesPerSecond: 13.6, pagesPerSecond: 128 },
};

/**
 * The q-quantile (0..1) of a list of numbers, nearest rank; NaN for an empty list.
 * @param {number[]} values
 * @param {number} q
 */
export function quantile(values, q) {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? Number.NaN;
}

/** @param {number} value @param {number} [digits] */
const fixed = (value, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : "-");
/** @param {number | null} bytes */
const mib = (bytes) => (bytes === null ? "n/a" : `${Math.round(bytes / 2 ** 20)} MiB`);

/** @param {Measured} run */
export function printWorkload(run) {
  const processS = run.processMs / 1000;
  const endToEndS = run.endToEndMs / 1000;
  console.log(`\n${run.name}: ${run.files} files in ${run.jobs} job(s)`);
  console.log(
    `  upload            ${fixed(run.uploadMs / 1000, 2)} s (${fixed(run.files / (run.uploadMs / 1000))} files/s)`,
  );
  console.log(
    `  process           ${fixed(processS, 2)} s: ${fixed(run.files / processS)} files/s, ${fixed(run.pages / processS)} pages/s (${run.pages} pages)`,
  );
  console.log(
    `  end to end        ${fixed(endToEndS, 2)} s: ${fixed(run.files / endToEndS)} files/s, ${fixed(run.pages / endToEndS)} pages/s (incl. upload)`,
  );
  console.log(
    `  per file          p50 ${fixed(quantile(run.fileMs, 0.5), 0)} ms, p95 ${fixed(quantile(run.fileMs, 0.95), 0)} ms (claim -> last stage done)`,
  );
  console.log(
    `  per file latency  p50 ${fixed(quantile(run.latencyMs, 0.5), 0)} ms, p95 ${fixed(quantile(run.latencyMs, 0.95), 0)} ms (job created -> file done)`,
  );
  const stageTimes = Object.entries(run.stageMs).map(
    ([stage, total]) => `${stage} ${fixed(total / 1000, 2)} s`,
  );
  console.log(`  stage time        ${stageTimes.join(", ")} (sum of the stages' own durations)`);
  console.log(`  peak RSS          ${mib(run.peakRssBytes)} (npm start process tree)`);
  console.log(`  outcomes          ${JSON.stringify(run.outcomes)}`);
}

/**
 * A throughput row: the process and end-to-end rates of `count`, next to the baseline's rate.
 * @param {Measured} run
 * @param {string} metric
 * @param {number} count
 * @param {number} baselineRate
 */
function rateRow(run, metric, count, baselineRate) {
  const processRate = count / (run.processMs / 1000);
  return [
    run.name,
    metric,
    fixed(processRate),
    fixed(count / (run.endToEndMs / 1000)),
    fixed(baselineRate),
    `${fixed(processRate / baselineRate, 2)}x`,
  ];
}

/** @param {Measured[]} runs */
export function printComparison(runs) {
  const rows = [["workload", "metric", "Sluice process", "Sluice end to end", "baseline", "ratio"]];
  for (const run of runs) {
    const baseline = BASELINE[/** @type {"tiny" | "corpus"} */ (run.name)];
    rows.push(rateRow(run, "files/s", run.files, baseline.filesPerSecond));
    if (baseline.pagesPerSecond !== null)
      rows.push(rateRow(run, "pages/s", run.pages, baseline.pagesPerSecond));
    rows.push([
      run.name,
      "p50 / p95 per file",
      `${fixed(quantile(run.fileMs, 0.5), 0)} / ${fixed(quantile(run.fileMs, 0.95), 0)} ms`,
      "",
      "",
      "",
    ]);
    rows.push([run.name, "peak RSS", mib(run.peakRssBytes), "", "", ""]);
  }
  const widths =
    rows[0]?.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? "").length))) ?? [];
  console.log("\nSluice (wrangler dev) vs the Node baseline (Redis + BullMQ, 2 processes x concurrency 4):");
  for (const [index, row] of rows.entries()) {
    console.log(`| ${row.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join(" | ")} |`);
    if (index === 0) console.log(`| ${widths.map((width) => "-".repeat(width)).join(" | ")} |`);
  }
}
