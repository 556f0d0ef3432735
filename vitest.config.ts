import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";
import { createImportOrigin, DOH_URL, IMPORT_ORIGIN } from "./test/import/origin.ts";
import { inspect as inspectWebhooks, receive as receiveWebhook } from "./test/node/webhook-receiver.ts";

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

/** Credentials of the tests' S3-compatible R2 endpoint; the Worker signs with the same pair. */
const localS3 = {
  accessKeyId: "sluice-test-r2-access-key",
  secretAccessKey: "sluice-test-r2-secret-access-key",
};

/**
 * wrangler's own implementation of its local S3-compatible R2 endpoint (`/cdn-cgi/local/r2/s3`), run as
 * an auxiliary worker over the tests' R2 storage, so presigned URLs are checked by the real SigV4 code.
 */
const localS3Worker = path.join(
  path.dirname(
    createRequire(createRequire(import.meta.url).resolve("wrangler/package.json")).resolve("miniflare"),
  ),
  "workers",
  "r2",
  "s3",
  "index.worker.js",
);

async function readFixture(relative: string): Promise<Uint8Array<ArrayBuffer> | null> {
  const response = await serveDirectory(fixturesDir)(new Request(`http://fixtures/${relative}`));
  return response.ok ? new Uint8Array(await response.arrayBuffer()) : null;
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
            ADMIN_TOKEN: "admin_test_token_00000001",
            JURISDICTION_MODE: "simulate",
            // Retries in tests go around again at once; backoff itself is unit-tested.
            RETRY_BASE_DELAY_SECONDS: "0",
            RETRY_MAX_DELAY_SECONDS: "0",
            PROJECTION_DEBOUNCE_MS: "0",
            // Presigned uploads sign for the tests' S3 endpoint (see localS3Worker); imports may reach the
            // local test origin (a loopback address, allowed here and nowhere else) and check names with
            // the test DNS-over-HTTPS resolver.
            R2_ACCESS_KEY_ID: localS3.accessKeyId,
            R2_SECRET_ACCESS_KEY: localS3.secretAccessKey,
            IMPORT_ALLOW_PRIVATE_HOSTS: IMPORT_ORIGIN,
            IMPORT_DOH_URL: DOH_URL,
            IMPORT_MAX_BYTES: String(4 * 1024 * 1024),
            IMPORT_TIMEOUT_MS: "5000",
            WEBHOOK_RETRY_BASE_DELAY_SECONDS: "0",
            WEBHOOK_RETRY_MAX_DELAY_SECONDS: "0",
            WEBHOOK_MAX_ATTEMPTS: "4",
            WEBHOOK_TIMEOUT_MS: "1000",
            // Tests poll quickly; fair-use limits are exercised with per-tenant settings instead.
            RATE_LIMIT_PER_SECOND: "1000",
            RATE_LIMIT_BURST: "1000",
            // Live streams re-check their API key often, so a revocation ends them within the test.
            SSE_KEY_CHECK_MS: "50",
            // A browser app's origin, for the CORS tests (requests without Origin are unaffected).
            CORS_ALLOWED_ORIGINS: "https://app.example.com",
          },
          // Outbound requests of the Worker (webhook deliveries) go to a receiver in Node, not the internet.
          // The S3 endpoint and the import origin are routed by test/uploads/test-network.js first.
          outboundService: "test-network",
          serviceBindings: {
            WEBHOOK_RECEIVER: inspectWebhooks,
            EVENTS_SINK: "events-sink",
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
            "sluice-webhooks": { maxBatchSize: 10, maxBatchTimeout: 0, maxRetries: 20 },
          },
          workers: [
            {
              name: "test-network",
              modules: true,
              scriptPath: path.join(root, "test", "uploads", "test-network.js"),
              compatibilityDate: "2026-10-28",
              serviceBindings: {
                S3: "local-r2-s3",
                IMPORT_ORIGIN: createImportOrigin(readFixture),
                NEXT: receiveWebhook,
              },
            },
            {
              name: "local-r2-s3",
              modules: true,
              scriptPath: localS3Worker,
              compatibilityDate: "2026-01-01",
              compatibilityFlags: ["nodejs_compat"],
              r2Buckets: {
                "MINIFLARE_R2_S3_BUCKET_sluice-files": "sluice-files",
                "MINIFLARE_R2_S3_BUCKET_sluice-files-eu": "sluice-files-eu",
              },
              bindings: {
                MINIFLARE_R2_S3_CREDENTIALS: { "sluice-files": localS3, "sluice-files-eu": localS3 },
              },
            },
            {
              // Another Worker consuming the events queue, as a downstream service would.
              name: "events-sink",
              modules: true,
              scriptPath: path.join(root, "test", "workers", "events-sink.js"),
              compatibilityDate: "2026-10-28",
              kvNamespaces: ["SINK"],
              queueConsumers: { "sluice-events": { maxBatchSize: 100, maxBatchTimeout: 0 } },
            },
          ],
        },
      }),
    ],
    test: {
      include: ["test/**/*.test.ts"],
      exclude: ["test/node/**"],
      setupFiles: ["./test/setup/apply-migrations.ts"],
      testTimeout: 60_000,
      hookTimeout: 60_000,
      // The Worker logs every request and stage run at info level; printing them would bury the test
      // report. Warnings and errors still show. (Tests that assert on log lines spy on console.)
      onConsoleLog: (log: string) => !log.startsWith('{"level":"info"'),
    },
  };
});
