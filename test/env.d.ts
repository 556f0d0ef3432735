// Bindings that exist only in tests (declared in vitest.config.ts).
declare namespace Cloudflare {
  interface Env {
    TEST_MIGRATIONS: import("cloudflare:test").D1Migration[];
    DEV_API_KEY: string;
    FIXTURES: Fetcher;
    EVENTS_SINK: Fetcher;
    WEBHOOK_RECEIVER: Fetcher;
    CORPUS: Fetcher;
  }
}
