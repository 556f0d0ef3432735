// The local settings of the repository: `.dev.vars.example`, overridden by `.dev.vars`. The load
// harness and the benchmark pass them all to the server they start, so settings added to the example
// since `.dev.vars` was made still apply.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { parseEnv } from "node:util";

/**
 * The variables a dotenv file sets (Node's own parser, the format wrangler reads); none when it is absent.
 * @param {string} file
 * @returns {Record<string, string>}
 */
export function readDotenv(file) {
  return existsSync(file) ? /** @type {Record<string, string>} */ (parseEnv(readFileSync(file, "utf8"))) : {};
}

/**
 * @param {string} root the repository
 * @returns {Record<string, string>}
 */
export function localVars(root) {
  return { ...readDotenv(path.join(root, ".dev.vars.example")), ...readDotenv(path.join(root, ".dev.vars")) };
}
