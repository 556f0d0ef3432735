// Command-line options of the end-to-end benchmark (`npm run bench:e2e -- --help`).
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";

export const USAGE = `Usage: npm run bench:e2e -- [options]

Starts its own Sluice server (npm start on 127.0.0.1, fresh persisted state), then runs the two
workloads of the Node baseline and prints files/s, pages/s, per-file p50/p95 and the peak memory of
the server's process tree next to the baseline's figures:
  tiny    N tiny text files (a few hundred bytes each, generated deterministically), stage extract
  corpus  the shared corpus (pdf/image/text; not the password PDFs, not the 280 MP image), C copies,
          stages extract + thumbnail (skipped with a message when the corpus is absent)

  --tiny N         tiny files (default 2000)
  --copies N       copies of the corpus (default 3)
  --only NAME      run only one workload: tiny | corpus
  --port N         server port (default 8814)
  --corpus DIR     the corpus (default ../shared/corpus)
  --uploaders N    concurrent uploads (default 16)
  --var NAME=VALUE a Worker variable for the server (repeatable), e.g. --var MAX_CONCURRENT_FILES=200
  --keep-state     keep the server's state directory afterwards
  --profile        record a CPU profile of the Worker per workload (inspector port = port + 1000)
  --help           this text`;

/**
 * @typedef {object} Options
 * @property {number} tiny
 * @property {number} copies
 * @property {"tiny" | "corpus" | null} only
 * @property {number} port
 * @property {string} corpus
 * @property {number} uploaders
 * @property {Record<string, string>} vars
 * @property {boolean} keepState
 * @property {boolean} profile
 * @property {string} root      the repository (where `npm start` runs)
 * @property {string} stateDir  the server's --persist-to directory
 * @property {string} logPath   the server's output
 */

/**
 * @param {string | undefined} value
 * @param {number} fallback
 * @param {string} name
 */
function count(value, fallback, name) {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1) throw new Error(`--${name} must be a whole number >= 1`);
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
      tiny: { type: "string" },
      copies: { type: "string" },
      only: { type: "string" },
      port: { type: "string" },
      corpus: { type: "string" },
      uploaders: { type: "string" },
      var: { type: "string", multiple: true },
      "keep-state": { type: "boolean" },
      profile: { type: "boolean" },
      help: { type: "boolean" },
    },
    strict: true,
  });
  if (values.help) return null;
  const only = values.only ?? null;
  if (only !== null && only !== "tiny" && only !== "corpus") throw new Error("--only must be tiny or corpus");
  /** @type {Record<string, string>} */
  const vars = {};
  for (const pair of values.var ?? []) {
    const match = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(pair);
    if (!match?.[1] || match[2] === undefined) throw new Error(`--var wants NAME=VALUE, got ${pair}`);
    vars[match[1]] = match[2];
  }
  const root = path.resolve(import.meta.dirname, "..", "..");
  const port = count(values.port, 8814, "port");
  const stamp = `${new Date().toISOString().replace(/[-:]/g, "").slice(0, 15)}-${port}`;
  return {
    tiny: count(values.tiny, 2000, "tiny"),
    copies: count(values.copies, 3, "copies"),
    only,
    port,
    corpus: path.resolve(values.corpus ?? path.join(root, "..", "shared", "corpus")),
    uploaders: count(values.uploaders, 16, "uploaders"),
    vars,
    keepState: values["keep-state"] ?? false,
    profile: values.profile ?? false,
    root,
    stateDir: path.join(tmpdir(), `sluice-bench-e2e-state-${stamp}`),
    logPath: path.join(tmpdir(), `sluice-bench-e2e-${stamp}.log`),
  };
}
