/**
 * The `sluice` command line against a running Sluice, as a script (no terminal) and on a terminal
 * (a pseudo-terminal from `script`): uploads with progress, a job followed live to its end with the
 * exit code saying whether files failed, status, listing, search, downloads, cancel and retry, and
 * `npx sluice` from the repository on the system's Node.js.
 */
import { execFileSync } from "node:child_process";
import { mkdtemp, readFile, readdir, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { FileObject, Job, JobSummary, SearchResult } from "sluice-client";
import { cliPath, fixturePath, realFile, run } from "./helpers";
import { repoRoot } from "./server";

const pdf = realFile("pdf/pdfjs_tracemonkey.pdf", "pdf/pdfjs_tracemonkey.pdf");
const photo = fixturePath("image/exif_Landscape_6.jpg");
const broken = fixturePath("malformed/freeculture_truncated.pdf");
let finished: Job;

beforeAll(async () => {
  const result = await run([
    "--json",
    "run",
    "--stages",
    "extract,analyze,enrich,thumbnail,index",
    pdf,
    photo,
    broken,
  ]);
  expect(result.code, result.stderr).toBe(3);
  finished = JSON.parse(result.stdout) as Job;
});

describe("sluice upload", () => {
  it("uploads files and prints one line per file; progress goes to stderr as plain lines", async () => {
    const result = await run(["upload", pdf, photo]);
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stdout.trim().split("\n");
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^file_[0-9A-Z]{26} {2}pdfjs_tracemonkey\.pdf {2}992 KiB {2}application\/pdf$/);
    expect(lines[1]).toMatch(/^file_[0-9A-Z]{26} {2}exif_Landscape_6\.jpg {2}344 KiB {2}image\/jpeg$/);
    expect(result.stderr).toMatch(
      /uploaded pdfjs_tracemonkey\.pdf -> file_\w+ \(992 KiB in [\d.]+ m?s, [\d.]+ [KM]iB\/s\)/,
    );
    expect(result.stderr).not.toContain("\u001b[");
  });

  it("sends big files in parts and prints JSON with --json", async () => {
    const big = path.join(await mkdtemp(path.join(tmpdir(), "sluice-cli-")), "big.bin");
    await writeFile(big, Buffer.alloc(11 * 1024 * 1024, "sluice "));
    const plain = await run(["upload", "--multipart-threshold", "5", "--part-size", "5", big]);
    expect(plain.code, plain.stderr).toBe(0);
    expect(plain.stderr).toContain("upload big.bin: 11 MiB, multipart");
    expect(plain.stderr).toMatch(/upload big\.bin: 50% \([\d.]+ MiB, [\d.]+ [KM]iB\/s\)/);
    const json = await run(["--json", "upload", "--multipart-threshold", "5", big]);
    const [file] = JSON.parse(json.stdout) as FileObject[];
    expect(file).toMatchObject({ name: "big.bin", size: 11 * 1024 * 1024 });
    expect(json.stderr).toBe("");
  });

  it("draws a live bar per file with bytes and rate on a terminal", async () => {
    const transcript = path.join(await mkdtemp(path.join(tmpdir(), "sluice-tty-")), "typescript");
    const command = `stty cols 80 rows 24; ${JSON.stringify(process.execPath)} ${JSON.stringify(cliPath)} upload ${JSON.stringify(pdf)}`;
    const result = await run(["-q", "-e", "-c", command, transcript], { command: ["script"] });
    expect(result.code, result.stderr).toBe(0);
    const screen = await readFile(transcript, "utf8");
    // An 80-column terminal: the name is cut to fit, the rest of the bar stays whole.
    expect(screen).toMatch(/pdfjs_tracemonk… █{16} 100% 992 KiB\/992 KiB [\d.]+ [KM]iB\/s ✓ done/);
  });
});

describe("sluice run", () => {
  it("follows the job to its end and exits 3 because a file failed", () => {
    expect(finished.status).toBe("completed_with_errors");
    expect(finished.counts).toMatchObject({ total: 3, completed: 2, failed: 1 });
  });

  it("prints every file's stages and why a stage failed, and a line per stage as it happens", async () => {
    const result = await run(["run", "-s", "extract,thumbnail", pdf, broken]);
    expect(result.code).toBe(3);
    expect(result.stdout).toMatch(/job_\w+ completed_with_errors \(2 files: 1 completed, 1 failed/);
    expect(result.stdout).toMatch(/pdfjs_tracemonkey\.pdf +completed +extract ✓ +thumbnail ✓/);
    expect(result.stdout).toMatch(/freeculture_truncated\.pdf +failed +extract ✗ corrupt_file/);
    expect(result.stdout).toContain(
      "✗ freeculture_truncated.pdf extract: corrupt_file: the PDF cannot be read",
    );
    expect(result.stderr).toMatch(/created job_\w+ \(extract, thumbnail over 2 file\(s\)\)/);
    expect(result.stderr).toMatch(/pdfjs_tracemonkey\.pdf: extract completed \([\d.]+ m?s\)/);
    expect(result.stderr).toContain("freeculture_truncated.pdf: extract failed: corrupt_file");
    expect(result.stderr).toMatch(/job_\w+: completed_with_errors/);
  });

  it("exits 0 when every file completed, and reuses uploaded files by id", async () => {
    const fileId = finished.files.find((file) => file.name === "pdfjs_tracemonkey.pdf")?.fileId ?? "";
    const result = await run(["--json", "run", "-s", "extract", fileId]);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ status: "completed", files: [{ fileId }] });
  });

  it("refuses unknown stages and a missing key before doing anything (exit 2)", async () => {
    const stages = await run(["run", "-s", "extract,ocr", pdf]);
    expect(stages.code).toBe(2);
    expect(stages.stderr).toContain(
      "unknown stage 'ocr'; stages are extract, analyze, enrich, thumbnail, index",
    );
    const key = await run(["jobs"], { env: { SLUICE_API_KEY: "" } });
    expect(key.code).toBe(2);
    expect(key.stderr).toContain("no API key: pass --key <key> or set SLUICE_API_KEY");
  });
});

describe("sluice status, jobs, search, get", () => {
  it("shows a job with every file and stage", async () => {
    const text = await run(["status", finished.id]);
    expect(text.code).toBe(3);
    expect(text.stdout).toContain(`${finished.id} completed_with_errors (3 files: 2 completed, 1 failed`);
    expect(text.stdout).toMatch(/exif_Landscape_6\.jpg +completed +extract ✓ +analyze - no_text/);
    const json = JSON.parse((await run(["--json", "status", finished.id])).stdout) as Job;
    expect(json.files).toHaveLength(3);
  });

  it("lists jobs, newest first", async () => {
    const jobs = JSON.parse((await run(["--json", "jobs", "-n", "50"])).stdout) as JobSummary[];
    expect(jobs.map((job) => job.id)).toContain(finished.id);
    const text = await run(["jobs", "--status", "completed_with_errors", "-n", "3"]);
    expect(text.stdout.split("\n")[0]).toMatch(/^job +status +files +stages +created$/);
    expect(text.stdout).toMatch(/completed_with_errors +\d+\/\d+ \(\d+ failed\)/);
  });

  it("searches the indexed text and marks the matches", async () => {
    const text = await run(["search", '"trace tree"', "-n", "2"]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/pdfjs_tracemonkey\.pdf page \d+/);
    expect(text.stdout).toMatch(/«trace tree»/i);
    const json = JSON.parse((await run(["--json", "search", "compil*", "-n", "3"])).stdout) as SearchResult[];
    expect(json.length).toBeGreaterThan(0);
  });

  it("downloads the text (pages separated by form feeds) and the thumbnail", async () => {
    const out = await mkdtemp(path.join(tmpdir(), "sluice-get-"));
    const result = await run(["get", finished.id, "--out", out]);
    expect(result.code, result.stderr).toBe(0);
    const text = await readFile(path.join(out, "pdfjs_tracemonkey.pdf", "text.txt"), "utf8");
    expect(text.split("\f")).toHaveLength(14);
    expect(text).toContain("TraceMonkey");
    const thumbnail = await readFile(path.join(out, "exif_Landscape_6.jpg", "thumbnail-256.jpg"));
    expect([...thumbnail.subarray(0, 3)]).toEqual([0xff, 0xd8, 0xff]);
    expect(await readdir(path.join(out, "freeculture_truncated.pdf")).catch(() => [])).toEqual([]);
    expect(JSON.parse(await readFile(path.join(out, "job.json"), "utf8"))).toMatchObject({ id: finished.id });
    expect(result.stdout).toContain(path.join(out, "pdfjs_tracemonkey.pdf", "text.txt"));
  });
});

describe("sluice cancel and retry", () => {
  it("cancels a running job, and says why it cannot cancel an ended one", async () => {
    // Forty PDFs through four stages: the first batches keep the local runtime busy for a while, and
    // the cancel (sent at once) is served while the rest still waits.
    const manual = fixturePath("pdf/libtasn1-doc_libtasn1.pdf");
    const copies = await run(["--json", "upload", ...Array.from({ length: 40 }, () => manual)]);
    const ids = (JSON.parse(copies.stdout) as FileObject[]).map((file) => file.id);
    expect(new Set(ids).size).toBe(40);
    const started = await run(["run", "--no-wait", "-s", "extract,analyze,enrich,index", ...ids]);
    const jobId = started.stdout.trim();
    expect(jobId).toMatch(/^job_\w{26}$/);
    const cancelled = await run(["--json", "cancel", jobId]);
    expect(cancelled.code, cancelled.stderr).toBe(0);
    const job = JSON.parse(cancelled.stdout) as Job;
    expect(job).toMatchObject({ id: jobId, status: "cancelled" });
    expect(job.counts.cancelled).toBeGreaterThan(0);
    const again = await run(["cancel", jobId]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(
      /job_terminal \(HTTP 409\): the job has already ended with status 'cancelled' \(request [0-9a-f-]{36}\)/,
    );
  });

  it("retries the failed files and follows them to the end again", async () => {
    const result = await run(["retry", "--follow", finished.id]);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain(`${finished.id}: retrying 1 file(s)`);
    expect(result.stderr).toContain("freeculture_truncated.pdf: extract failed: corrupt_file");
  });
});

describe("npx sluice", () => {
  it("runs from the repository with the system's Node.js", async () => {
    const bin = path.join(repoRoot, "node_modules", ".bin");
    const systemPath = (process.env["PATH"] ?? "")
      .split(path.delimiter)
      .filter((dir) => path.resolve(dir) !== bin);
    const env = { PATH: systemPath.join(path.delimiter) };
    const node = execFileSync("node", ["--version"], { env, encoding: "utf8" }).trim();
    console.log(`npx sluice on the system's Node.js ${node}`);
    // The whole path on that Node.js: a streamed upload, the job, its events over SSE, the outcome.
    const result = await run(["--json", "run", "-s", "extract", pdf], {
      command: ["npx", "--no-install", "sluice"],
      env,
    });
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      status: "completed",
      files: [{ name: "pdfjs_tracemonkey.pdf" }],
    });
  });
});
