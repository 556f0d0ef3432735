/**
 * A webhook receiver for the tests, running in Node beside workerd. The Worker's outbound requests to
 * `hooks.example.test` reach `receive`; what arrived is read back by the tests through a service
 * binding (`inspect`). Paths choose a behaviour: `/ok` answers 204, `/flaky` fails the first two
 * attempts of every webhook-id with 503, `/gone` answers 410, `/redirect` answers 302, `/slow` answers
 * its first attempt of every webhook-id only after 1.5 s (longer than the tests' delivery timeout).
 */
export interface ReceivedWebhook {
  path: string;
  headers: Record<string, string>;
  body: string;
  answered: number;
}

const received: ReceivedWebhook[] = [];
const attemptsById = new Map<string, number>();

function answer(path: string, webhookId: string): Response {
  switch (path) {
    case "/ok":
      return new Response(null, { status: 204 });
    case "/flaky": {
      const attempt = (attemptsById.get(webhookId) ?? 0) + 1;
      attemptsById.set(webhookId, attempt);
      return new Response("busy", { status: attempt <= 2 ? 503 : 200 });
    }
    case "/gone":
      return new Response("no longer here", { status: 410 });
    case "/redirect":
      return new Response(null, { status: 302, headers: { Location: "http://127.0.0.1:9/steal" } });
    default:
      return new Response("unknown path", { status: 404 });
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function receive(request: Request): Promise<Response> {
  const url = new URL(request.url);
  if (url.pathname === "/slow") {
    const id = request.headers.get("webhook-id") ?? "";
    const attempt = (attemptsById.get(id) ?? 0) + 1;
    attemptsById.set(id, attempt);
    if (attempt === 1) await sleep(1500);
    received.push({
      path: "/slow",
      headers: Object.fromEntries(request.headers),
      body: await request.text(),
      answered: 200,
    });
    return new Response(null, { status: 200 });
  }
  if (url.hostname !== "hooks.example.test")
    return new Response("outbound requests are blocked in tests", { status: 502 });
  const headers = Object.fromEntries(request.headers);
  const response = answer(url.pathname, headers["webhook-id"] ?? "");
  received.push({ path: url.pathname, headers, body: await request.text(), answered: response.status });
  return response;
}

export function inspect(request: Request): Response {
  if (request.method === "DELETE") {
    received.length = 0;
    attemptsById.clear();
    return new Response(null, { status: 204 });
  }
  return Response.json(received);
}
