/**
 * The consistency rules between wrangler.toml, the code and the provisioning script, as one function
 * from facts to a list of problems (empty when all is well), so the test can check the real project
 * and also show that each rule catches a broken copy.
 */
import type { Unstable_RawConfig } from "wrangler";
import { productionSettingProblems } from "../../scripts/production-settings.mjs";
import { cloudflareResources } from "../../scripts/wrangler-config.mjs";
import type { EnvBinding } from "./source-facts.ts";

export interface ConfigFacts {
  wrangler: Unstable_RawConfig;
  env: EnvBinding[];
  /** Classes src/index.ts exports that extend DurableObject. */
  exportedDurableObjects: string[];
  /** Queues the Worker's queue() handler dispatches on. */
  handledQueues: string[];
  /** `queueConsumers` of vitest.config.ts. */
  testQueueConsumers: Record<string, Record<string, unknown>>;
  /** File names in the D1 migrations directory. */
  migrationFiles: string[];
  /** The wrangler commands `npm run provision -- --dry-run --origin …` prints, split into arguments. */
  provisionCommands: string[][];
  /** Secrets provision tells the operator to set, and variables that must stay local. */
  secrets: string[];
  localOnlyVars: string[];
}

/** Producer bindings whose queue is consumed by other Workers, not this one (docs/events-and-webhooks.md). */
export const EXTERNALLY_CONSUMED = ["EVENTS"];

/** Cloudflare's maximum CPU time per invocation (Workers and queue consumers: 5 minutes). */
const MAX_CPU_MS = 300_000;

export function configProblems(facts: ConfigFacts): string[] {
  return [
    ...bindingProblems(facts),
    ...provisionProblems(facts),
    ...queueProblems(facts),
    ...testConsumerProblems(facts),
    ...migrationProblems(facts.migrationFiles),
    ...durableObjectProblems(facts),
    ...settingProblems(facts.wrangler),
  ];
}

const has = (commands: string[][], expected: string[]) =>
  commands.some((command) => command.join(" ") === expected.join(" "));

function bindingProblems({ wrangler, env, secrets, localOnlyVars }: ConfigFacts): string[] {
  const problems: string[] = [];
  for (const { name, type } of env) {
    const declared = {
      R2Bucket: wrangler.r2_buckets?.some((bucket) => bucket.binding === name),
      Queue: wrangler.queues?.producers?.some((producer) => producer.binding === name),
      D1Database: wrangler.d1_databases?.some((database) => database.binding === name),
      DurableObjectNamespace: wrangler.durable_objects?.bindings?.some((binding) => binding.name === name),
      AnalyticsEngineDataset: wrangler.analytics_engine_datasets?.some((dataset) => dataset.binding === name),
      string:
        secrets.includes(name) || localOnlyVars.includes(name) || Object.hasOwn(wrangler.vars ?? {}, name),
    }[type];
    if (declared === undefined) problems.push(`Env.${name}: binding type ${type} is unknown to provisioning`);
    else if (!declared)
      problems.push(`Env.${name} (${type}) has no matching entry in wrangler.toml or provision`);
  }
  return problems;
}

function provisionProblems({ wrangler, provisionCommands: commands }: ConfigFacts): string[] {
  const problems: string[] = [];
  const resources = cloudflareResources(wrangler);
  for (const bucket of resources.buckets) {
    const where = bucket.jurisdiction ? ["--jurisdiction", bucket.jurisdiction] : [];
    if (!has(commands, ["r2", "bucket", "create", bucket.name, ...where])) {
      problems.push(`provision does not create the R2 bucket ${bucket.name} ${where.join(" ")}`.trim());
    }
    const cors = commands.some(
      (command) => command.slice(0, 5).join(" ") === `r2 bucket cors set ${bucket.name}`,
    );
    if (!cors) problems.push(`provision does not set CORS on the R2 bucket ${bucket.name}`);
  }
  for (const queue of resources.queues) {
    if (!has(commands, ["queues", "create", queue]))
      problems.push(`provision does not create the queue ${queue}`);
  }
  for (const database of resources.databases) {
    if (!has(commands, ["d1", "create", database.name])) {
      problems.push(`provision does not create the D1 database ${database.name}`);
    }
  }
  return problems;
}

function queueProblems({ wrangler, handledQueues }: ConfigFacts): string[] {
  const problems: string[] = [];
  const consumers = wrangler.queues?.consumers ?? [];
  const consumed = new Set(consumers.map((consumer) => consumer.queue));
  for (const queue of handledQueues) {
    if (!consumed.has(queue))
      problems.push(`the queue handler serves ${queue}, which has no consumer in wrangler.toml`);
  }
  for (const queue of consumed) {
    if (!handledQueues.includes(queue))
      problems.push(`wrangler.toml consumes ${queue}, which the queue handler does not serve`);
  }
  for (const producer of wrangler.queues?.producers ?? []) {
    const external = EXTERNALLY_CONSUMED.includes(producer.binding);
    if (!external && !consumed.has(producer.queue ?? "")) {
      problems.push(
        `the producer ${producer.binding} sends to ${producer.queue}, which nothing here consumes`,
      );
    }
  }
  const tasks = wrangler.queues?.producers?.find((producer) => producer.binding === "TASKS")?.queue;
  const tasksConsumer = consumers.find((consumer) => consumer.queue === tasks);
  if (!tasksConsumer?.dead_letter_queue)
    problems.push(`the tasks consumer (${tasks}) names no dead_letter_queue`);
  for (const consumer of consumers) {
    if (consumer.max_retries === undefined)
      problems.push(`the consumer of ${consumer.queue} leaves max_retries to the default`);
    const dlq = consumer.dead_letter_queue;
    if (dlq && !consumed.has(dlq))
      problems.push(`the dead-letter queue ${dlq} of ${consumer.queue} has no consumer`);
  }
  return problems;
}

function testConsumerProblems({ wrangler, testQueueConsumers }: ConfigFacts): string[] {
  const problems: string[] = [];
  const consumers = wrangler.queues?.consumers ?? [];
  for (const consumer of consumers) {
    const repeated = testQueueConsumers[consumer.queue];
    if (!repeated) {
      problems.push(`vitest.config.ts does not repeat the consumer of ${consumer.queue}`);
      continue;
    }
    const expected = {
      maxBatchSize: consumer.max_batch_size,
      maxBatchTimeout: consumer.max_batch_timeout,
      maxRetries: consumer.max_retries,
      deadLetterQueue: consumer.dead_letter_queue,
    };
    for (const [key, value] of Object.entries(expected)) {
      if (repeated[key] !== value) {
        problems.push(
          `vitest.config.ts: ${consumer.queue}.${key} is ${String(repeated[key])}, wrangler.toml says ${String(value)}`,
        );
      }
    }
  }
  for (const queue of Object.keys(testQueueConsumers)) {
    if (!consumers.some((consumer) => consumer.queue === queue)) {
      problems.push(`vitest.config.ts has a consumer of ${queue}, which wrangler.toml does not`);
    }
  }
  return problems;
}

function migrationProblems(files: string[]): string[] {
  const problems: string[] = [];
  const sql = files.filter((file) => file.endsWith(".sql")).sort();
  sql.forEach((file, index) => {
    const expected = String(index + 1).padStart(4, "0");
    if (!/^\d{4}_[a-z0-9_]+\.sql$/.test(file)) problems.push(`migration ${file} is not named NNNN_name.sql`);
    else if (!file.startsWith(`${expected}_`))
      problems.push(`migration ${file} should be number ${expected}`);
  });
  if (sql.length === 0) problems.push("there are no D1 migrations");
  return problems;
}

function durableObjectProblems({ wrangler, exportedDurableObjects }: ConfigFacts): string[] {
  const problems: string[] = [];
  const migrated = new Set<string>();
  for (const step of wrangler.migrations ?? []) {
    for (const name of [...(step.new_classes ?? []), ...(step.new_sqlite_classes ?? [])]) migrated.add(name);
    for (const { from, to } of step.renamed_classes ?? []) {
      migrated.delete(from);
      migrated.add(to);
    }
    for (const name of step.deleted_classes ?? []) migrated.delete(name);
  }
  for (const name of exportedDurableObjects) {
    if (!migrated.has(name))
      problems.push(`src/index.ts exports the Durable Object ${name}, which no [[migrations]] creates`);
  }
  for (const name of migrated) {
    if (!exportedDurableObjects.includes(name))
      problems.push(`[[migrations]] create ${name}, which src/index.ts does not export`);
  }
  for (const binding of wrangler.durable_objects?.bindings ?? []) {
    if (!migrated.has(binding.class_name))
      problems.push(`the binding ${binding.name} names ${binding.class_name}, which no migration creates`);
  }
  return problems;
}

function settingProblems(wrangler: Unstable_RawConfig): string[] {
  const problems: string[] = [];
  const cpu = wrangler.limits?.cpu_ms;
  if (cpu === undefined || cpu > MAX_CPU_MS)
    problems.push(`[limits] cpu_ms must be set, at most ${MAX_CPU_MS} (is ${cpu})`);
  if (wrangler.observability?.enabled !== true)
    problems.push("[observability] must be enabled (Workers Logs)");
  problems.push(...productionSettingProblems(wrangler));
  return problems;
}
