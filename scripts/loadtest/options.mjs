// Command-line options of the load harness (`npm run loadtest -- --help`).
import { randomInt } from "node:crypto";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";

export const USAGE = `Usage: npm run loadtest -- [options]

Starts its own Sluice server (npm start on 127.0.0.1, fresh persisted state), creates tenants through
the admin API, uploads real files and runs jobs from many concurrent clients, follows every job to its
end, then checks what was accepted against what the service holds and prints the figures.

  --port N               server port (default 8795)
  --tenants N            tenants to create (default 3; the last one is pinned to the EU)
  --clients N            concurrent clients (default 8)
  --jobs N               jobs to submit in all (default 60)
  --max-files N          files per job, 1..N (default 4)
  --inflight N           jobs each client keeps running at once (default 2)
  --deadline S           seconds after the last submission by which every job must have ended (default 300)
  --kill N               SIGKILL the server N times at random moments and restart it on the same state
  --faults               fault injection at every named point + double delivery (FAULT_INJECTION)
  --fault-probability P  chance a fault point fires when --faults is on (default 0.1)
  --seed N               seed of the run's randomness and of the fault injection (default: random, printed)
  --corpus DIR           files to upload (default ../shared/corpus; test/fixtures when absent)
  --keep-state           keep the server's state directory afterwards
  --help                 this text`;

/**
 * @typedef {object} Options
 * @property {number} port
 * @property {number} tenants
 * @property {number} clients
 * @property {number} jobs
 * @property {number} maxFiles
 * @property {number} inflight
 * @property {number} deadlineSeconds
 * @property {number} kills
 * @property {boolean} faults
 * @property {number} faultProbability
 * @property {number} seed
 * @property {string} corpus
 * @property {boolean} keepState
 * @property {string} runId
 * @property {string} root       the repository (where `npm start` runs)
 * @property {string} stateDir   the server's --persist-to directory
 * @property {string} runDir     logs and the operation record of this run
 */

/**
 * @param {string | undefined} value
 * @param {number} fallback
 * @param {string} name
 * @param {number} [min]
 */
function number(value, fallback, name, min = 0) {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed < min) throw new Error(`--${name} must be a number >= ${min}`);
  return parsed;
}

/**
 * @param {string[]} argv
 * @returns {Options | null} null when only the usage was asked for
 */
export function parseOptions(argv) {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: "string" },
      tenants: { type: "string" },
      clients: { type: "string" },
      jobs: { type: "string" },
      "max-files": { type: "string" },
      inflight: { type: "string" },
      deadline: { type: "string" },
      kill: { type: "string" },
      faults: { type: "boolean" },
      "fault-probability": { type: "string" },
      seed: { type: "string" },
      corpus: { type: "string" },
      "keep-state": { type: "boolean" },
      help: { type: "boolean" },
    },
    strict: true,
  });
  if (values.help) return null;
  const root = path.resolve(import.meta.dirname, "..", "..");
  const seed = number(values.seed, randomInt(1, 2 ** 31), "seed");
  const runId = `${new Date().toISOString().replace(/[-:]/g, "").slice(0, 15)}-${seed}`;
  const faultProbability = number(values["fault-probability"], 0.1, "fault-probability");
  if (faultProbability > 1) throw new Error("--fault-probability must be at most 1");
  return {
    port: number(values.port, 8795, "port", 1),
    tenants: number(values.tenants, 3, "tenants", 1),
    clients: number(values.clients, 8, "clients", 1),
    jobs: number(values.jobs, 60, "jobs", 1),
    maxFiles: number(values["max-files"], 4, "max-files", 1),
    inflight: number(values.inflight, 2, "inflight", 1),
    deadlineSeconds: number(values.deadline, 300, "deadline", 1),
    kills: number(values.kill, 0, "kill"),
    faults: values.faults ?? false,
    faultProbability,
    seed,
    corpus: path.resolve(values.corpus ?? path.join(root, "..", "shared", "corpus")),
    keepState: values["keep-state"] ?? false,
    runId,
    root,
    stateDir: path.join(tmpdir(), `sluice-5-state-${runId}`),
    runDir: path.join(tmpdir(), `sluice-5-loadtest-${runId}`),
  };
}
