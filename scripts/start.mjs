#!/usr/bin/env node
// Runs Sluice locally: makes sure `.dev.vars` exists, applies the D1 migrations to the local database,
// then starts `wrangler dev` with every binding local and state persisted under `.wrangler/state`.
// Extra arguments are passed to `wrangler dev` (e.g. `npm start -- --port 8788`); a `--persist-to DIR`
// among them is also given to the migration step, so the database that gets migrated is the one served.
import { spawn } from "node:child_process";
import { appendFileSync, copyFileSync, existsSync, readFileSync } from "node:fs";
import { wranglerEnv } from "./wrangler-env.mjs";

const env = wranglerEnv();

/**
 * The variable a dotenv line sets, if any.
 * @param {string} line
 */
const varName = (line) => /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=/.exec(line)?.[1];

/** @param {string} file */
const lines = (file) => readFileSync(file, "utf8").split(/\r?\n/);

if (!existsSync(".dev.vars")) {
  copyFileSync(".dev.vars.example", ".dev.vars");
  console.log("Created .dev.vars from .dev.vars.example (it holds DEV_API_KEY for the local tenant).");
} else {
  // A .dev.vars made by an older checkout lacks settings added since (ADMIN_TOKEN, R2 keys, ...):
  // append the missing ones with their example values, never touching the ones already there.
  const present = new Set(lines(".dev.vars").map(varName));
  const missing = lines(".dev.vars.example").filter((line) => {
    const name = varName(line);
    return name !== undefined && !present.has(name);
  });
  if (missing.length > 0) {
    appendFileSync(".dev.vars", `\n# Added from .dev.vars.example by npm start\n${missing.join("\n")}\n`);
    console.log(`Added to .dev.vars from .dev.vars.example: ${missing.map(varName).join(", ")}`);
  }
}

/**
 * @param {string[]} args
 * @param {{ forwardSignals?: boolean }} [options]
 * @returns {Promise<number>}
 */
function run(args, { forwardSignals = false } = {}) {
  return new Promise((resolve) => {
    const child = spawn("wrangler", args, { stdio: "inherit", env });
    if (forwardSignals) {
      for (const signal of /** @type {const} */ (["SIGINT", "SIGTERM", "SIGHUP"]))
        process.on(signal, () => child.kill(signal));
    }
    child.on("exit", (code, signal) => resolve(signal ? 1 : (code ?? 1)));
  });
}

/**
 * The `--persist-to` option among the arguments, in either form (`--persist-to DIR`, `--persist-to=DIR`).
 * @param {string[]} args
 * @returns {string[]}
 */
function persistOption(args) {
  const index = args.findIndex((arg) => arg === "--persist-to" || arg.startsWith("--persist-to="));
  if (index === -1) return [];
  const arg = args[index] ?? "";
  if (arg.includes("=")) return [arg];
  const dir = args[index + 1];
  return dir === undefined ? [] : [arg, dir];
}

const migrated = await run([
  "d1",
  "migrations",
  "apply",
  "DB",
  "--local",
  ...persistOption(process.argv.slice(2)),
]);
if (migrated !== 0) process.exit(migrated);

const hasIp = process.argv.slice(2).some((arg) => arg === "--ip" || arg.startsWith("--ip="));
const args = ["dev", ...(hasIp ? [] : ["--ip", "127.0.0.1"]), ...process.argv.slice(2)];
process.exit(await run(args, { forwardSignals: true }));
