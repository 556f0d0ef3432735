/**
 * A local HTTP origin for the import tests, running in Node beside workerd (wired up in
 * vitest.config.ts). The Worker's outbound fetches to the hosts below reach it through the test
 * network; everything else goes on to the next outbound handler unchanged.
 *
 * - `IMPORT_ORIGIN` (a loopback origin, allowed only through the tests' IMPORT_ALLOW_PRIVATE_HOSTS) and
 *   `*.import.test` serve fixtures and misbehaviours by path (see `serveImportPath`).
 * - `doh.test` is a DNS-over-HTTPS resolver (JSON API) with a fixed table, for the resolver checks.
 */
export const IMPORT_ORIGIN = "127.0.0.1:4010";
export const DOH_URL = "http://doh.test/dns-query";

/** Names the test resolver knows: public-looking names that resolve to public or private addresses. */
const DNS: Record<string, { A?: string[]; AAAA?: string[] }> = {
  "public.import.test": { A: ["93.184.215.14"] },
  "rebind.import.test": { A: ["93.184.215.14", "10.0.0.7"] },
  "v6private.import.test": { AAAA: ["fd00::7"] },
};

const TYPES: Record<string, string> = {
  pdf: "application/pdf",
  jpg: "image/jpeg",
  png: "image/png",
  webp: "image/webp",
  md: "text/markdown",
  txt: "text/plain",
};

export function isImportTestHost(host: string): boolean {
  return host === IMPORT_ORIGIN || host === "doh.test" || host.endsWith(".import.test");
}

export function createImportOrigin(readFixture: (path: string) => Promise<Uint8Array<ArrayBuffer> | null>) {
  return async (request: Request): Promise<Response> => {
    const url = new URL(request.url);
    if (url.host === "doh.test") return resolve(url);
    return serveImportPath(url, readFixture);
  };
}

function resolve(url: URL): Response {
  const name = url.searchParams.get("name") ?? "";
  const type = url.searchParams.get("type") === "AAAA" ? "AAAA" : "A";
  const record = DNS[name];
  if (!record) return Response.json({ Status: 3 });
  const answers = (record[type] ?? []).map((data) => ({ name, type: type === "A" ? 1 : 28, TTL: 60, data }));
  return Response.json({ Status: 0, Answer: answers });
}

/**
 * `/fixtures/<path>` a fixture with its usual type; `/as/<type>/<path>` a fixture with the given type;
 * `/redirect?to=<url>` a 302; `/chain/<n>` n redirects, then a fixture; `/status/<code>`;
 * `/large?bytes=<n>&length=0|1` n bytes, streamed without Content-Length unless length=1;
 * `/slow` a body that stalls; `/named` a Content-Disposition file name.
 */
async function serveImportPath(
  url: URL,
  readFixture: (path: string) => Promise<Uint8Array<ArrayBuffer> | null>,
): Promise<Response> {
  const [, route = "", ...rest] = url.pathname.split("/");
  const fixture = async (path: string, type: string | undefined) => {
    const bytes = await readFixture(path);
    if (!bytes) return new Response("no such fixture", { status: 404 });
    return new Response(bytes, { headers: type ? { "Content-Type": type } : {} });
  };
  switch (route) {
    case "fixtures":
      return fixture(rest.join("/"), TYPES[rest.at(-1)?.split(".").pop() ?? ""]);
    case "as":
      return fixture(rest.slice(1).join("/"), decodeURIComponent(rest[0] ?? ""));
    case "redirect":
      return new Response(null, { status: 302, headers: { Location: url.searchParams.get("to") ?? "/" } });
    case "chain": {
      const left = Number(rest[0] ?? 0);
      if (left <= 0) return fixture("text/libjpeg-turbo_README.md", "text/markdown");
      return new Response(null, { status: 302, headers: { Location: `/chain/${left - 1}` } });
    }
    case "status":
      return new Response("as you asked", { status: Number(rest[0] ?? 500) });
    case "large":
      return large(Number(url.searchParams.get("bytes") ?? 0), url.searchParams.get("length") === "1");
    case "slow":
      return slow();
    case "named":
      return new Response("plain text with a name\n", {
        headers: {
          "Content-Type": "text/plain",
          "Content-Disposition": "attachment; filename*=UTF-8''r%C3%A9sum%C3%A9.txt",
        },
      });
    default:
      return new Response("unknown path", { status: 404 });
  }
}

function large(bytes: number, withLength: boolean): Response {
  const chunk = new Uint8Array(64 * 1024).fill(0x61);
  if (withLength) return new Response(new Uint8Array(bytes).fill(0x61));
  let sent = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent >= bytes) {
        controller.close();
        return;
      }
      const next = chunk.subarray(0, Math.min(chunk.byteLength, bytes - sent));
      sent += next.byteLength;
      controller.enqueue(next);
    },
  });
  return new Response(body, { headers: { "Content-Type": "text/plain" } });
}

/** Sends a few bytes, then nothing for far longer than the tests' import time limit. */
function slow(): Response {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(new TextEncoder().encode("the first bytes arrive, then nothing"));
      timer = setTimeout(() => {
        controller.close();
      }, 20_000);
      // Node: a stalled body must not keep the test process alive after the Worker gave up on it.
      (timer as { unref?: () => void }).unref?.();
    },
    cancel() {
      if (timer !== undefined) clearTimeout(timer);
    },
  });
  return new Response(body, { headers: { "Content-Type": "text/plain" } });
}
