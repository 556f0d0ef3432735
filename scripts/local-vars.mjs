// The local settings of the repository: `.dev.vars.example`, overridden by `.dev.vars`. The load
// harness and the benchmark pass them all to the server they start, so settings added to the example
// since `.dev.vars` was made still apply.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";

/**
 * @param {string} root the repository
 * @returns {Record<string, string>}
 */
export function localVars(root) {
  /** @type {Record<string, string>} */
  const vars = {};
  for (const name of [".dev.vars.example", ".dev.vars"]) {
    const file = path.join(root, name);
    if (!existsSync(file)) continue;
    for (const line of readFileSync(file, "utf8").split("\n")) {
      const match = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(line.trim());
      if (match?.[1] && match[2] !== undefined) vars[match[1]] = match[2];
    }
  }
  return vars;
}
