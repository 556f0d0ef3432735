#!/usr/bin/env node
// Deploys Sluice to the Cloudflare account wrangler is logged in to: applies the D1 migrations to the
// remote database, then deploys the Worker (script, static assets, Durable Object migrations, queue
// consumer settings and cron trigger, all from wrangler.toml). `npm run deploy` builds the static
// assets first. The resources it uses must exist: `npm run provision` creates them (README, "Deploy
// to Cloudflare"). Extra arguments go to `wrangler deploy`; with `--dry-run` nothing remote is touched.
import { spawnSync } from "node:child_process";
import { productionSettingProblems } from "./production-settings.mjs";
import { cloudflareResources, readWranglerConfig } from "./wrangler-config.mjs";
import { wranglerEnv } from "./wrangler-env.mjs";

/** @param {string[]} args */
function wrangler(args) {
  const result = spawnSync("wrangler", args, { stdio: "inherit", env: wranglerEnv() });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

const deployArgs = process.argv.slice(2);
const dryRun = deployArgs.includes("--dry-run");

const config = readWranglerConfig();
const settingProblems = productionSettingProblems(config);
if (settingProblems.length > 0) {
  console.error(`wrangler.toml is not ready for production:\n- ${settingProblems.join("\n- ")}`);
  process.exit(1);
}

if (!dryRun) {
  // Without the id, `migrations apply --remote` fails with a message that does not say what to do.
  for (const database of cloudflareResources(config).databases) {
    if (!database.id) {
      console.error(
        `wrangler.toml has no database_id for the D1 database "${database.name}" (binding ${database.binding}).\n` +
          "Run `npm run provision` first: it creates the database and prints the id to put there.",
      );
      process.exit(1);
    }
    wrangler(["d1", "migrations", "apply", database.binding, "--remote"]);
  }
}
wrangler(["deploy", ...deployArgs]);
