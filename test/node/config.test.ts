/**
 * The deployment configuration is consistent: every binding the code uses is created by
 * `npm run provision` (or by the deploy itself), the queues have the consumers the Worker serves, the
 * tests repeat wrangler.toml's consumer settings, migrations are numbered without gaps, and the
 * Durable Object classes match the migrations. Each rule is also shown catching a broken copy.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { withDatabaseId } from "../../scripts/provision/database-id.mjs";
import { LOCAL_ONLY_VARS, SECRETS } from "../../scripts/provision/plan.mjs";
import { projectRoot, readWranglerConfig, wranglerConfigPath } from "../../scripts/wrangler-config.mjs";
import { configProblems, type ConfigFacts } from "./config-checks.ts";
import { envBindings, exportedDurableObjects, handledQueues, vitestQueueConsumers } from "./source-facts.ts";

const at = (...parts: string[]) => path.join(projectRoot, ...parts);
const origin = "https://dashboard.example.com";

/** Runs the provision dry run as a user would, with no Cloudflare login and no reachable API. */
function provisionDryRun(args: string[]): string {
  return execFileSync(process.execPath, [at("scripts", "provision.mjs"), "--dry-run", ...args], {
    encoding: "utf8",
    env: {
      PATH: process.env["PATH"],
      HOME: mkdtempSync(path.join(os.tmpdir(), "sluice-no-login-")),
      CLOUDFLARE_API_BASE_URL: "http://127.0.0.1:9/client/v4",
    },
  });
}

const commandsIn = (output: string): string[][] =>
  output.split("\n").flatMap((line) => {
    const match = /\$ wrangler (.+)$/.exec(line);
    return match?.[1] ? [match[1].split(" ")] : [];
  });

let facts: ConfigFacts;
let dryRunOutput: string;

beforeAll(() => {
  const wrangler = readWranglerConfig();
  dryRunOutput = provisionDryRun(["--origin", origin]);
  facts = {
    wrangler,
    env: envBindings(at("worker-configuration.d.ts")),
    exportedDurableObjects: exportedDurableObjects(at("src", "index.ts")),
    handledQueues: handledQueues(at("src", "index.ts")),
    testQueueConsumers: vitestQueueConsumers(at("vitest.config.ts")),
    migrationFiles: readdirSync(at(wrangler.d1_databases?.[0]?.migrations_dir ?? "migrations")),
    provisionCommands: commandsIn(dryRunOutput),
    secrets: SECRETS.map((secret) => secret.name),
    localOnlyVars: LOCAL_ONLY_VARS,
  };
});

describe("deployment configuration", () => {
  it("is consistent across wrangler.toml, the code, the tests and provisioning", () => {
    expect(configProblems(facts)).toEqual([]);
    // The facts were really found (an empty reading would make the rules vacuous).
    expect(facts.env.map((binding) => binding.name)).toEqual(
      expect.arrayContaining(["FILES", "FILES_EU", "DB", "TASKS", "JOBS"]),
    );
    expect(facts.exportedDurableObjects).toEqual(["JobDurableObject", "TenantLimiter"]);
    expect(facts.handledQueues).toEqual(["sluice-tasks", "sluice-tasks-dlq", "sluice-webhooks"]);
  });

  it("provision --dry-run prints every wrangler command, with no login and no network", () => {
    expect(dryRunOutput).toContain("Dry run");
    expect(facts.provisionCommands[0]).toEqual(["whoami", "--json"]);
    expect(facts.provisionCommands).toContainEqual([
      "r2",
      "bucket",
      "create",
      "sluice-files-eu",
      "--jurisdiction",
      "eu",
    ]);
    expect(facts.provisionCommands).toContainEqual(["queues", "create", "sluice-tasks-dlq"]);
    expect(facts.provisionCommands).toContainEqual(["d1", "create", "sluice"]);
    expect(dryRunOutput).toContain(`"origins":["${origin}"]`);
    expect(dryRunOutput).toContain(`"exposeHeaders":["ETag"]`);
    for (const secret of SECRETS) expect(dryRunOutput).toContain(`secret put ${secret.name}`);
    // Without an origin there is nothing to allow: no CORS command, and the output says why.
    const withoutOrigin = provisionDryRun([]);
    expect(commandsIn(withoutOrigin).some((command) => command.includes("cors"))).toBe(false);
    expect(withoutOrigin).toContain("No --origin given");
  });

  const breakages: [string, (broken: ConfigFacts) => void, string][] = [
    [
      "the tasks consumer loses its dead-letter queue",
      (broken) => delete consumer(broken, "sluice-tasks").dead_letter_queue,
      "the tasks consumer (sluice-tasks) names no dead_letter_queue",
    ],
    [
      "the dead-letter queue loses its consumer",
      (broken) => {
        removeConsumer(broken, "sluice-tasks-dlq");
      },
      "the dead-letter queue sluice-tasks-dlq of sluice-tasks has no consumer",
    ],
    [
      "a consumer the queue handler does not serve",
      (broken) => broken.wrangler.queues?.consumers?.push({ queue: "sluice-other", max_retries: 1 }),
      "wrangler.toml consumes sluice-other, which the queue handler does not serve",
    ],
    [
      "vitest.config.ts drifts from wrangler.toml",
      (broken) => ((broken.testQueueConsumers["sluice-tasks"] ?? {})["maxRetries"] = 3),
      "vitest.config.ts: sluice-tasks.maxRetries is 3, wrangler.toml says 5",
    ],
    [
      "a gap in the migrations",
      (broken) => (broken.migrationFiles = broken.migrationFiles.filter((file) => !file.startsWith("0002_"))),
      "should be number 0002",
    ],
    [
      "a Durable Object class without a migration",
      (broken) => (broken.wrangler.migrations = [{ tag: "v1", new_sqlite_classes: ["JobDurableObject"] }]),
      "src/index.ts exports the Durable Object TenantLimiter, which no [[migrations]] creates",
    ],
    [
      "a bucket provision does not know",
      (broken) => broken.wrangler.r2_buckets?.push({ binding: "EXTRA", bucket_name: "sluice-extra" }),
      "provision does not create the R2 bucket sluice-extra",
    ],
    [
      "a binding type provision does not know",
      (broken) => broken.env.push({ name: "CACHE", type: "KVNamespace" }),
      "Env.CACHE: binding type KVNamespace is unknown to provisioning",
    ],
    [
      "a secret provision does not mention",
      (broken) => broken.env.push({ name: "NEW_SECRET", type: "string" }),
      "Env.NEW_SECRET (string) has no matching entry",
    ],
    ["no CPU limit", (broken) => delete broken.wrangler.limits, "[limits] cpu_ms must be set"],
    [
      "no DNS resolver for the SSRF guard",
      (broken) => delete broken.wrangler.vars?.["IMPORT_DOH_URL"],
      "[vars] IMPORT_DOH_URL must be an https DNS-over-HTTPS resolver",
    ],
    [
      "a DNS resolver reached over plain http",
      (broken) => (broken.wrangler.vars = { IMPORT_DOH_URL: "http://dns.example/dns-query" }),
      "[vars] IMPORT_DOH_URL must be an https DNS-over-HTTPS resolver",
    ],
  ];

  it.each(breakages)("catches %s", (_name, breakIt, expected) => {
    const broken = structuredClone(facts);
    breakIt(broken);
    expect(configProblems(broken).join("\n")).toContain(expected);
  });
});

describe("provision --write-database-id", () => {
  it("writes the id into the database's block of wrangler.toml and keeps everything else", () => {
    const original = readFileSync(wranglerConfigPath, "utf8");
    const copy = path.join(mkdtempSync(path.join(os.tmpdir(), "sluice-toml-")), "wrangler.toml");
    const first = withDatabaseId(original, "sluice", "0f6b7c1e-2a3d-4e5f-8a9b-0c1d2e3f4a5b");
    writeFileSync(copy, first);
    expect(readWranglerConfig(copy).d1_databases?.[0]?.database_id).toBe(
      "0f6b7c1e-2a3d-4e5f-8a9b-0c1d2e3f4a5b",
    );
    expect(first.split("\n")).toEqual(expect.arrayContaining(original.split("\n")));

    // Running it again with another id replaces the line rather than adding a second one.
    writeFileSync(copy, withDatabaseId(first, "sluice", "11111111-2222-4333-8444-555555555555"));
    expect(readWranglerConfig(copy).d1_databases?.[0]?.database_id).toBe(
      "11111111-2222-4333-8444-555555555555",
    );
    expect(readFileSync(copy, "utf8").match(/database_id =/g)).toHaveLength(1);
    expect(() => withDatabaseId(original, "another-db", "11111111-2222-4333-8444-555555555555")).toThrow(
      /no \[\[d1_databases\]\] block/,
    );
  });
});

type Consumer = NonNullable<NonNullable<ConfigFacts["wrangler"]["queues"]>["consumers"]>[number];

function consumer(facts: ConfigFacts, queue: string): Consumer {
  const found = facts.wrangler.queues?.consumers?.find((entry) => entry.queue === queue);
  if (!found) throw new Error(`no consumer of ${queue}`);
  return found;
}

function removeConsumer(facts: ConfigFacts, queue: string): void {
  const queues = facts.wrangler.queues;
  if (queues?.consumers) queues.consumers = queues.consumers.filter((entry) => entry.queue !== queue);
}
