import { readFile } from "node:fs/promises";
import path from "node:path";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

const root = import.meta.dirname;
const fixturesDir = path.join(root, "test", "fixtures");
const corpusDir = path.resolve(process.env["SLUICE_CORPUS_DIR"] ?? path.join(root, "..", "shared", "corpus"));

/**
 * Serves files from a directory to the tests inside workerd, so tests use real bytes without
 * bundling them into the Worker. A path that escapes the directory or does not exist answers 404.
 */
function serveDirectory(dir: string) {
  return async (request: Request): Promise<Response> => {
    const relative = decodeURIComponent(new URL(request.url).pathname).replace(/^\/+/, "");
    const file = path.resolve(dir, relative);
    if (!file.startsWith(dir + path.sep)) return new Response("outside the directory", { status: 404 });
    try {
      return new Response(await readFile(file));
    } catch {
      return new Response("not found", { status: 404 });
    }
  };
}

export default defineConfig(async () => {
  const migrations = await readD1Migrations(path.join(root, "migrations"));
  return {
    plugins: [
      cloudflareTest({
        wrangler: { configPath: "./wrangler.toml" },
        miniflare: {
          // Lets tests call `exports.default.queue(...)` to deliver hand-made batches (test-only flag).
          compatibilityFlags: ["service_binding_extra_handlers"],
          bindings: {
            TEST_MIGRATIONS: migrations,
            DEV_API_KEY: "sk_test_development_key_0001",
            // Retries in tests go around again at once; backoff itself is unit-tested.
            RETRY_BASE_DELAY_SECONDS: "0",
            RETRY_MAX_DELAY_SECONDS: "0",
            PROJECTION_DEBOUNCE_MS: "0",
          },
          serviceBindings: {
            FIXTURES: serveDirectory(fixturesDir),
            CORPUS: serveDirectory(corpusDir),
          },
          // These replace wrangler.toml's consumer settings in tests, so they repeat them (a consumer
          // without `deadLetterQueue` here would silently drop poison messages instead).
          queueConsumers: {
            "sluice-tasks": {
              maxBatchSize: 10,
              maxBatchTimeout: 0,
              maxRetries: 5,
              deadLetterQueue: "sluice-tasks-dlq",
            },
            "sluice-tasks-dlq": { maxBatchSize: 10, maxBatchTimeout: 0, maxRetries: 10 },
          },
        },
      }),
    ],
    test: {
      include: ["test/**/*.test.ts"],
      exclude: ["test/node/**"],
      setupFiles: ["./test/setup/apply-migrations.ts"],
      testTimeout: 60_000,
      hookTimeout: 60_000,
    },
  };
});
