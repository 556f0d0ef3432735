/* global fetch, Request, URL */
// The tests' outbound network: every global fetch() of the Worker under test (and of the tests
// themselves) comes here. Requests for wrangler's S3-compatible R2 endpoint go to that endpoint's own
// implementation (the S3 binding, sharing the tests' R2 storage); requests for the import test hosts go
// to the import origin in Node; everything else goes on to the next handler (NEXT) unchanged.
const S3_PATH = "/cdn-cgi/local/r2/s3/";
const IMPORT_HOSTS = /^(127\.0\.0\.1:4010|doh\.test|[a-z0-9.-]+\.import\.test)$/;

export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    if (url.pathname.startsWith(S3_PATH)) {
      // The emulator may answer (403) before reading a body; buffering lets it do so cleanly.
      const body = request.method === "GET" || request.method === "HEAD" ? null : await request.arrayBuffer();
      return env.S3.fetch(new Request(request, { body }));
    }
    if (IMPORT_HOSTS.test(url.host)) return env.IMPORT_ORIGIN.fetch(request);
    return env.NEXT ? env.NEXT.fetch(request) : fetch(request);
  },
};
