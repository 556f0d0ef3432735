#!/usr/bin/env node
/**
 * `npm run provision`: creates on the Cloudflare account wrangler is logged in to everything
 * wrangler.toml needs before `npm run deploy` (R2 buckets with CORS for browser uploads, the queues
 * including the dead-letter queue, the D1 database), skipping whatever exists already, so it can be
 * run again at any time. It then says what to put where: the database id into wrangler.toml, and the
 * secrets. Queue consumer settings live in wrangler.toml and are applied by the deploy.
 *
 * Options: --dry-run (print the exact wrangler commands; no login, no network, nothing written),
 * --origin URL (repeatable: the origin browsers upload from, normally the deployed dashboard's),
 * --write-database-id (put the database id into wrangler.toml instead of asking you to),
 * --config FILE (another wrangler configuration file than the project's wrangler.toml).
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { URL } from "node:url";
import { parseArgs } from "node:util";
import { withDatabaseId } from "./provision/database-id.mjs";
import { commandLine, corsFile, corsRules, provisionSteps, SECRETS } from "./provision/plan.mjs";
import { cloudflareResources, readWranglerConfig, wranglerConfigPath } from "./wrangler-config.mjs";
import { wranglerEnv } from "./wrangler-env.mjs";

const usage =
  "Usage: npm run provision -- [--dry-run] [--origin https://sluice.<subdomain>.workers.dev]... [--write-database-id]";

const { values } = parseArgs({
  options: {
    "dry-run": { type: "boolean", default: false },
    origin: { type: "string", multiple: true, default: [] },
    "write-database-id": { type: "boolean", default: false },
    config: { type: "string" },
    help: { type: "boolean", default: false },
  },
});
if (values.help) {
  console.log(usage);
  process.exit(0);
}
const origins = values.origin.map(checkedOrigin);
const configFile = values.config === undefined ? wranglerConfigPath : path.resolve(values.config);
const resources = cloudflareResources(readWranglerConfig(configFile));
const steps = provisionSteps(resources, { origins });
const whoami = ["whoami", "--json"];

if (values["dry-run"]) {
  printPlan();
  printSecrets("<your account id>");
  process.exit(0);
}

/**
 * The environment of every wrangler command; the account is pinned once it is known.
 * @type {Record<string, string | undefined>}
 */
const env = wranglerEnv();
const account = accountId();
env["CLOUDFLARE_ACCOUNT_ID"] = account;
if (origins.length > 0) {
  mkdirSync(path.dirname(corsFile), { recursive: true });
  writeFileSync(corsFile, JSON.stringify(corsRules(origins), null, 2));
}
for (const step of steps) {
  if (step.kind === "cors") {
    mustSucceed(step.set, step.label);
    console.log(`✓ ${step.label}`);
  } else if (step.kind === "database") {
    ensureDatabase(step);
  } else if (wrangler(step.check).status === 0) {
    console.log(`✓ ${step.label}: exists`);
  } else {
    mustSucceed(step.create, step.label);
    console.log(`+ ${step.label}: created`);
  }
}
if (origins.length === 0) {
  console.log(
    "! No --origin given, so the buckets have no CORS rules and browsers cannot upload to them yet. After the\n" +
      "  first deploy, run again with --origin <the Worker's URL> (and any other origin your uploads come from).",
  );
}
printSecrets(account);

/** @param {string} origin */
function checkedOrigin(origin) {
  const url = URL.canParse(origin) ? new URL(origin) : undefined;
  if (!url || !["https:", "http:"].includes(url.protocol) || url.origin !== origin.replace(/\/$/, "")) {
    console.error(`--origin must be an origin such as https://sluice.example.workers.dev, not "${origin}"`);
    process.exit(2);
  }
  return url.origin;
}

function printPlan() {
  console.log(
    "Dry run: the wrangler commands `npm run provision` runs, in order. Nothing is created and Cloudflare\n" +
      "is not contacted. A create runs only when the check before it fails (the resource is missing).\n",
  );
  console.log(`the account to work in\n  account: $ ${commandLine(whoami)}`);
  for (const step of steps) {
    console.log(step.label);
    if (step.kind === "cors") console.log(`  set:     $ ${commandLine(step.set)}`);
    else if (step.kind === "database") console.log(`  list:    $ ${commandLine(step.list)}`);
    else console.log(`  check:   $ ${commandLine(step.check)}`);
    if (step.kind !== "cors") console.log(`  create:  $ ${commandLine(step.create)}`);
  }
  if (origins.length > 0) {
    console.log(`\nThe CORS rules, written to ${corsFile} first:\n${JSON.stringify(corsRules(origins))}`);
  } else {
    console.log("\nNo --origin given: CORS rules are set only for the origins you name (see --help).");
  }
  for (const database of resources.databases) {
    if (!database.id) {
      console.log(
        `wrangler.toml has no database_id for "${database.name}": a real run prints it (--write-database-id writes it).`,
      );
    }
  }
}

/** @param {string} account */
function printSecrets(account) {
  console.log(
    "\nAfter the first `npm run deploy`, set the Worker's secrets (each command prompts for the value):",
  );
  for (const secret of SECRETS) {
    console.log(`  node scripts/wrangler.mjs secret put ${secret.name}\n      ${secret.how}`);
  }
  console.log(`  (R2_ACCOUNT_ID is ${account}.) Then create the first tenant with the admin API (README).`);
}

/**
 * The account to create things in: CLOUDFLARE_ACCOUNT_ID when set, else the login's only account.
 * @returns {string}
 */
function accountId() {
  const result = wrangler(whoami);
  const json = /** @type {{ loggedIn?: boolean, accounts?: { id: string, name: string }[] } | undefined} */ (
    parseJson(result.stdout)
  );
  if (result.status !== 0 || !json?.loggedIn) {
    console.error(
      "Not logged in to Cloudflare. Run `node scripts/wrangler.mjs login` (or set CLOUDFLARE_API_TOKEN), then run this again.",
    );
    process.exit(1);
  }
  const accounts = json.accounts ?? [];
  const chosen =
    process.env["CLOUDFLARE_ACCOUNT_ID"] ?? (accounts.length === 1 ? accounts[0]?.id : undefined);
  if (!chosen) {
    console.error(
      "Your login has several accounts; choose one with CLOUDFLARE_ACCOUNT_ID=<id> npm run provision:",
    );
    for (const account of accounts) console.error(`  ${account.id}  ${account.name}`);
    process.exit(1);
  }
  console.log(`Account ${chosen}`);
  return chosen;
}

/** @param {import("./provision/plan.mjs").DatabaseStep} step */
function ensureDatabase(step) {
  const find = () => {
    const result = mustSucceed(step.list, step.label);
    const list = /** @type {{ name: string, uuid: string }[] | undefined} */ (parseJson(result.stdout));
    return list?.find((database) => database.name === step.name)?.uuid;
  };
  let id = find();
  if (id) console.log(`✓ ${step.label}: exists (${id})`);
  else {
    mustSucceed(step.create, step.label);
    id = find();
    if (!id) throw new Error(`${step.name} was created but \`wrangler d1 list\` does not show it`);
    console.log(`+ ${step.label}: created (${id})`);
  }
  const configured = resources.databases.find((database) => database.name === step.name)?.id;
  if (configured === id) return;
  if (values["write-database-id"]) {
    const toml = readFileSync(configFile, "utf8");
    writeFileSync(configFile, withDatabaseId(toml, step.name, id));
    console.log(`  wrote database_id = "${id}" into ${path.relative(process.cwd(), configFile)}`);
  } else {
    console.log(
      `! Put the database id into wrangler.toml, in the [[d1_databases]] block of "${step.name}":\n` +
        `      database_id = "${id}"\n` +
        "  (or run again with --write-database-id to have it written for you).",
    );
  }
}

/**
 * Runs the project's wrangler with its output captured (shown only when it fails).
 * @param {string[]} args
 */
function wrangler(args) {
  const result = spawnSync("wrangler", args, {
    env,
    encoding: "utf8",
  });
  return { status: result.status ?? 1, stdout: result.stdout, stderr: result.stderr };
}

/**
 * @param {string[]} args
 * @param {string} label
 */
function mustSucceed(args, label) {
  const result = wrangler(args);
  if (result.status !== 0) {
    console.error(`✗ ${label}: \`${commandLine(args)}\` failed:\n${result.stdout}${result.stderr}`);
    process.exit(1);
  }
  return result;
}

/** @param {string} text */
function parseJson(text) {
  const start = text.search(/[[{]/);
  try {
    return start === -1 ? undefined : /** @type {unknown} */ (JSON.parse(text.slice(start)));
  } catch {
    return undefined;
  }
}
