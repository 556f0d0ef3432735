/**
 * Completes the generated OpenAPI document for readers: the routes' schemas say what is valid, this
 * adds what a reference page needs on top. Operations are grouped by resource (tags), requests and
 * responses whose schema is one of the main objects get a whole example, every problem+json response
 * gets an example per error code its description names (with the code's real status and title), and
 * the description ends with the table of error codes. It runs as a middleware on `/openapi.json`, so
 * the routes keep describing themselves and nothing here repeats them.
 */
import { createMiddleware } from "hono/factory";
import { ERROR_CODES, type ErrorCode } from "../../errors";
import type { AppEnv } from "../app-env";
import { errorCodesMarkdown, isErrorCode, problemExample } from "./error-codes";
import {
  createJobExample,
  eventListExample,
  eventStreamExample,
  fileExample,
  jobExample,
  jobListExample,
  searchResultsExample,
} from "./examples";

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** Examples by component schema name, used wherever a body is exactly that component. */
export const COMPONENT_EXAMPLES: Record<string, unknown> = {
  File: fileExample,
  CreateJob: createJobExample,
  Job: jobExample,
  JobList: jobListExample,
  EventList: eventListExample,
  SearchResults: searchResultsExample,
};

/** Resource groups, in the order the reference shows them, and the paths they hold. */
const TAGS: { name: string; description: string; matches: (path: string) => boolean }[] = [
  {
    name: "files",
    description: "Upload, list, download and delete files.",
    matches: (p) => p.startsWith("/v1/files"),
  },
  {
    name: "uploads",
    description:
      "Presigned and multipart uploads straight to storage (the protocol of Uppy's AWS S3 plugin).",
    matches: (p) => p.startsWith("/v1/uploads"),
  },
  {
    name: "events",
    description: "A job's lifecycle events: JSON pages or a live Server-Sent Events stream.",
    matches: (p) => p.endsWith("/events"),
  },
  {
    name: "jobs",
    description: "Run stages over files and follow the job.",
    matches: (p) => p.startsWith("/v1/jobs"),
  },
  {
    name: "search",
    description: "Full-text search over indexed documents.",
    matches: (p) => p.startsWith("/v1/search"),
  },
  {
    name: "process",
    description: "Synchronous processing of a few small files.",
    matches: (p) => p.startsWith("/v1/process"),
  },
  {
    name: "webhooks",
    description: "Endpoints that receive job events.",
    matches: (p) => p.startsWith("/v1/webhooks"),
  },
  {
    name: "dead letters",
    description: "Files the task queue gave up on.",
    matches: (p) => p.startsWith("/v1/dead-letters"),
  },
  {
    name: "stats",
    description: "Jobs, files, failures and stage durations over a recent window.",
    matches: (p) => p.startsWith("/v1/stats"),
  },
  {
    name: "admin",
    description: "Tenants and API keys (ADMIN_TOKEN).",
    matches: (p) => p.startsWith("/admin"),
  },
  { name: "service", description: "Liveness.", matches: () => true },
];

export function enrichDocument(document: Json): Json {
  const paths = isObject(document["paths"]) ? document["paths"] : {};
  for (const [path, item] of Object.entries(paths)) {
    if (!isObject(item)) continue;
    for (const operation of Object.values(item)) {
      if (!isObject(operation)) continue;
      if (!Array.isArray(operation["tags"]) || operation["tags"].length === 0) {
        operation["tags"] = [TAGS.find((tag) => tag.matches(path))?.name ?? "service"];
      }
      const body = operation["requestBody"];
      if (isObject(body)) addComponentExamples(body["content"]);
      const responses = isObject(operation["responses"]) ? operation["responses"] : {};
      for (const [status, response] of Object.entries(responses)) {
        if (!isObject(response)) continue;
        addComponentExamples(response["content"]);
        addProblemExamples(Number(status), response);
        if (path.endsWith("/events") && status === "200") addStreamExample(response["content"]);
      }
    }
  }
  const info = isObject(document["info"]) ? document["info"] : {};
  const description = typeof info["description"] === "string" ? info["description"] : "";
  if (!description.includes("## Errors")) info["description"] = `${description}\n\n${errorCodesMarkdown()}`;
  const used = new Set(
    Object.values(paths).flatMap((item) =>
      isObject(item)
        ? Object.values(item).flatMap((op) => (isObject(op) ? (op["tags"] as string[]) : []))
        : [],
    ),
  );
  const known = new Set(TAGS.map((tag) => tag.name));
  document["tags"] = [
    ...TAGS.filter((tag) => used.has(tag.name)).map(({ name, description: text }) => ({
      name,
      description: text,
    })),
    ...[...used].filter((name) => !known.has(name)).map((name) => ({ name })),
  ];
  return document;
}

function addComponentExamples(content: unknown): void {
  if (!isObject(content)) return;
  const media = content["application/json"];
  if (!isObject(media) || "example" in media || "examples" in media) return;
  const ref = isObject(media["schema"]) ? media["schema"]["$ref"] : undefined;
  const name = typeof ref === "string" ? ref.replace("#/components/schemas/", "") : "";
  if (name in COMPONENT_EXAMPLES) media["example"] = COMPONENT_EXAMPLES[name];
}

function addStreamExample(content: unknown): void {
  const media = isObject(content) ? content["text/event-stream"] : undefined;
  if (isObject(media) && !("example" in media)) media["example"] = eventStreamExample;
}

/** One example per error code the response's description names, e.g. "No such job (`not_found`)". */
function addProblemExamples(status: number, response: Json): void {
  const content = response["content"];
  const media = isObject(content) ? content["application/problem+json"] : undefined;
  if (!isObject(media) || "examples" in media) return;
  const description = typeof response["description"] === "string" ? response["description"] : "";
  const named = [...description.matchAll(/`([a-z0-9_]+)`/g)]
    .map((match) => match[1] ?? "")
    .filter(isErrorCode)
    .filter((code) => ERROR_CODES[code].status === status);
  const codes: ErrorCode[] =
    named.length > 0
      ? [...new Set(named)]
      : (Object.keys(ERROR_CODES) as ErrorCode[])
          .filter((code) => ERROR_CODES[code].status === status)
          .slice(0, 1);
  if (codes.length === 0) return;
  media["examples"] = Object.fromEntries(
    codes.map((code) => [
      code,
      { summary: `${code}: ${ERROR_CODES[code].title}`, value: problemExample(code) },
    ]),
  );
}

/** Serves the enriched document in place of the generated one. */
export const enrichOpenApi = createMiddleware<AppEnv>(async (c, next) => {
  await next();
  if (c.res.status !== 200) return;
  const document: unknown = await c.res.json();
  if (!isObject(document)) return;
  c.res = new Response(JSON.stringify(enrichDocument(document)), {
    headers: { "Content-Type": "application/json; charset=utf-8" },
  });
});
