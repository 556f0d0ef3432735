/**
 * The Cloudflare resources wrangler.toml names (R2 buckets, queues, D1 databases), read with wrangler's
 * own configuration reader, so the scripts that create, deploy and check them see exactly what
 * `wrangler deploy` sees, with no second TOML parser and no names repeated by hand.
 */
import path from "node:path";
import { experimental_readRawConfig } from "wrangler";

export const projectRoot = path.resolve(import.meta.dirname, "..");
export const wranglerConfigPath = path.join(projectRoot, "wrangler.toml");

/** @typedef {import("wrangler").Unstable_RawConfig} WranglerConfig */
/** @typedef {{ binding: string, name: string, jurisdiction: string | undefined }} Bucket */
/** @typedef {{ binding: string, name: string, id: string | undefined, migrationsDir: string }} Database */
/** @typedef {{ buckets: Bucket[], queues: string[], databases: Database[] }} Resources */

/**
 * wrangler.toml as wrangler parses it (top level only: this project uses no `[env.*]` sections).
 * @param {string} [file]
 * @returns {WranglerConfig}
 */
export function readWranglerConfig(file = wranglerConfigPath) {
  return experimental_readRawConfig({ config: file }).rawConfig;
}

/**
 * Every account-level resource the configuration needs to exist before `wrangler deploy`: each R2
 * bucket (with its jurisdiction), each queue that is produced to, consumed or used as a dead-letter
 * queue (once, in order of first mention), and each D1 database. Durable Object namespaces, Analytics
 * Engine datasets and cron triggers are created by the deploy itself.
 * @param {WranglerConfig} config
 * @returns {Resources}
 */
export function cloudflareResources(config) {
  const buckets = (config.r2_buckets ?? []).map((bucket) => ({
    binding: bucket.binding,
    name: required(bucket.bucket_name, `r2_buckets "${bucket.binding}" has no bucket_name`),
    jurisdiction: bucket.jurisdiction,
  }));
  /** @type {string[]} */
  const queueNames = [];
  for (const producer of config.queues?.producers ?? [])
    queueNames.push(required(producer.queue, `queues.producers "${producer.binding}" has no queue`));
  for (const consumer of config.queues?.consumers ?? []) {
    queueNames.push(consumer.queue);
    if (consumer.dead_letter_queue) queueNames.push(consumer.dead_letter_queue);
  }
  const databases = (config.d1_databases ?? []).map((database) => ({
    binding: database.binding,
    name: required(database.database_name, `d1_databases "${database.binding}" has no database_name`),
    id: database.database_id,
    migrationsDir: database.migrations_dir ?? "migrations",
  }));
  return { buckets, queues: [...new Set(queueNames)], databases };
}

/**
 * @template T
 * @param {T | undefined} value
 * @param {string} message
 * @returns {T}
 */
function required(value, message) {
  if (value === undefined) throw new Error(`wrangler.toml: ${message}`);
  return value;
}
