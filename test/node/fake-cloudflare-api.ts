/**
 * A stand-in for the few Cloudflare API endpoints `npm run provision` reaches through wrangler (token
 * check, accounts, R2 buckets and their CORS, queues, D1 databases), holding its resources in memory.
 * wrangler talks to it when CLOUDFLARE_API_BASE_URL points here, so the real provisioning script runs
 * unchanged against an account that starts empty and keeps what was created between runs.
 */
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export const FAKE_ACCOUNT = { id: "0123456789abcdef0123456789abcdef", name: "Test account" };

export interface FakeCloudflareApi {
  /** The value for CLOUDFLARE_API_BASE_URL. */
  baseUrl: string;
  /** Buckets as `name` or `name@jurisdiction`. */
  buckets: Set<string>;
  cors: Map<string, unknown>;
  queues: Set<string>;
  databases: Map<string, string>;
  /** Every request as `METHOD /path`, for checking what was (not) created. */
  requests: string[];
  close(): Promise<void>;
}

type Reply = [status: number, result: unknown, errors?: { code: number; message: string }[]];

export async function startFakeCloudflareApi(): Promise<FakeCloudflareApi> {
  const api = {
    buckets: new Set<string>(),
    cors: new Map<string, unknown>(),
    queues: new Set<string>(),
    databases: new Map<string, string>(),
    requests: [] as string[],
  };
  const server = createServer((request, response) => {
    void readBody(request).then((body) => {
      const url = new URL(request.url ?? "/", "http://fake");
      api.requests.push(`${request.method ?? "GET"} ${url.pathname}`);
      const jurisdiction = request.headers["cf-r2-jurisdiction"];
      const key = (name: string) => (typeof jurisdiction === "string" ? `${name}@${jurisdiction}` : name);
      send(response, route(request.method ?? "GET", url, body, key));
    });
  });

  function route(method: string, url: URL, body: string, bucketKey: (name: string) => string): Reply {
    const path = url.pathname.replace(/^\/client\/v4/, "");
    const account = `/accounts/${FAKE_ACCOUNT.id}`;
    const parsed = body ? (JSON.parse(body) as Record<string, unknown>) : {};
    const name = (field: string) => String(parsed[field]);
    if (path === "/user/tokens/verify") return [200, { id: "token", status: "active" }];
    if (path === "/user") return [200, { email: "operator@example.com" }];
    if (path === "/accounts" || path === "/memberships")
      return [200, [{ ...FAKE_ACCOUNT, account: FAKE_ACCOUNT }]];
    const bucket = new RegExp(`^${account}/r2/buckets/([^/]+)(/cors)?$`).exec(path);
    if (bucket?.[1] && bucket[2] && method === "PUT") {
      api.cors.set(bucketKey(bucket[1]), parsed);
      return [200, {}];
    }
    if (bucket?.[1] && method === "GET") {
      return api.buckets.has(bucketKey(bucket[1]))
        ? [200, { name: bucket[1], creation_date: "2026-11-21T00:00:00Z", location: "WEUR" }]
        : [404, null, [{ code: 10006, message: "The specified bucket does not exist." }]];
    }
    if (path === `${account}/r2/buckets` && method === "POST") {
      if (api.buckets.has(bucketKey(name("name")))) return [409, null, [{ code: 10004, message: "exists" }]];
      api.buckets.add(bucketKey(name("name")));
      return [200, { name: name("name") }];
    }
    if (path === `${account}/queues` && method === "GET") {
      const wanted = url.searchParams.get("name");
      return [200, [...api.queues].filter((queue) => wanted === null || queue === wanted).map(queueObject)];
    }
    if (path === `${account}/queues` && method === "POST") {
      if (api.queues.has(name("queue_name"))) return [409, null, [{ code: 11009, message: "exists" }]];
      api.queues.add(name("queue_name"));
      return [200, queueObject(name("queue_name"))];
    }
    if (path === `${account}/d1/database` && method === "GET") {
      return [200, [...api.databases].map(([db, uuid]) => ({ name: db, uuid, created_at: "2026-11-21" }))];
    }
    if (path === `${account}/d1/database` && method === "POST") {
      if (api.databases.has(name("name"))) return [400, null, [{ code: 7502, message: "exists" }]];
      const uuid = randomUUID();
      api.databases.set(name("name"), uuid);
      return [200, { name: name("name"), uuid, created_in_region: "WEUR" }];
    }
    return [404, null, [{ code: 7003, message: `the fake API does not know ${method} ${path}` }]];
  }

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    ...api,
    baseUrl: `http://127.0.0.1:${port}/client/v4`,
    close: () =>
      new Promise((resolve) => {
        server.close(() => {
          resolve();
        });
      }),
  };
}

function queueObject(name: string) {
  return {
    queue_id: `q-${name}`,
    queue_name: name,
    created_on: "2026-11-21T00:00:00Z",
    modified_on: "2026-11-21T00:00:00Z",
    producers: [],
    producers_total_count: 0,
    consumers: [],
    consumers_total_count: 0,
  };
}

function send(response: ServerResponse, [status, result, errors = []]: Reply): void {
  response.writeHead(status, { "content-type": "application/json" });
  response.end(JSON.stringify({ success: status < 300, errors, messages: [], result }));
}

async function readBody(request: IncomingMessage): Promise<string> {
  let body = "";
  for await (const chunk of request) body += String(chunk);
  return body;
}
