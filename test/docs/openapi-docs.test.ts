/**
 * The API reference: the /docs page (Swagger UI from this origin only) and what the OpenAPI document adds
 * for readers (tags, whole examples valid for their schemas, an example per error code, the code tables).
 */
import { describe, expect, it } from "vitest";
import { ERROR_CODES, type ErrorCode } from "../../src/errors";
import { COMPONENT_EXAMPLES } from "../../src/http/openapi/enrich";
import { eventListExample, jobExample } from "../../src/http/openapi/examples";
import { FileSchema } from "../../src/schemas/files";
import { CreateJobSchema, EventListSchema, JobListSchema, JobSchema } from "../../src/schemas/jobs";
import { SearchResponseSchema } from "../../src/schemas/search";
import { call } from "../helpers/api";

interface Media {
  schema?: { $ref?: string };
  example?: unknown;
  examples?: Record<string, { summary: string; value: { code: ErrorCode; status: number; title: string } }>;
}
interface Operation {
  tags?: string[];
  requestBody?: { content: Record<string, Media> };
  responses: Record<string, { description: string; content?: Record<string, Media> }>;
}
interface Document {
  info: { description: string };
  tags: { name: string; description?: string }[];
  paths: Record<string, Record<string, Operation>>;
}

const documentOf = async (): Promise<Document> => (await call(null, "/openapi.json")).json<Document>();
const operations = (document: Document) =>
  Object.entries(document.paths).flatMap(([path, item]) =>
    Object.entries(item).map(([method, operation]) => ({ path, method, operation })),
  );

describe("the API reference", () => {
  it("serves /docs: Swagger UI from this origin's assets, with a policy that allows no other origin", async () => {
    const response = await call(null, "/docs");
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toMatch(/^text\/html/);
    const csp = response.headers.get("Content-Security-Policy") ?? "";
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    const html = await response.text();
    expect(html).toContain('<script src="/docs/swagger-ui-bundle.js"></script>');
    expect(html).toContain('<script src="/docs/init.js"></script>');
    expect(html).not.toMatch(/https?:\/\//);
  });

  it("groups every operation under a tag, and lists the tags in order with descriptions", async () => {
    const document = await documentOf();
    for (const { path, method, operation } of operations(document)) {
      expect(operation.tags?.length, `${method} ${path}`).toBeGreaterThan(0);
    }
    const names = document.tags.map((tag) => tag.name);
    expect(names.slice(0, 4)).toEqual(["files", "uploads", "events", "jobs"]);
    expect(operations(document).find((o) => o.path === "/v1/jobs/{id}/events")?.operation.tags).toEqual([
      "events",
    ]);
  });

  it("gives every problem response an example per error code it names, with the code's real status", async () => {
    const document = await documentOf();
    let examples = 0;
    for (const { path, method, operation } of operations(document)) {
      for (const [status, response] of Object.entries(operation.responses)) {
        const media = response.content?.["application/problem+json"];
        if (!media) continue;
        expect(media.examples, `${method} ${path} ${status}`).toBeDefined();
        for (const [code, example] of Object.entries(media.examples ?? {})) {
          examples++;
          expect(example.value.code).toBe(code);
          expect(example.value.status).toBe(Number(status));
          expect(example.value.title).toBe(ERROR_CODES[code as ErrorCode].title);
        }
      }
    }
    expect(examples).toBeGreaterThan(80);
    const create = document.paths["/v1/jobs"]?.["post"];
    expect(
      Object.keys(create?.responses["422"]?.content?.["application/problem+json"]?.examples ?? {}),
    ).toEqual(["idempotency_key_reused"]);
  });

  it("shows whole examples of the main objects, and the event stream's wire format", async () => {
    const document = await documentOf();
    const job = document.paths["/v1/jobs/{id}"]?.["get"]?.responses["200"]?.content?.["application/json"];
    expect(job?.example).toEqual(jobExample);
    const body = document.paths["/v1/jobs"]?.["post"]?.requestBody?.content["application/json"];
    expect(body?.example).toMatchObject({ stages: ["extract", "analyze", "enrich", "thumbnail", "index"] });
    const events = document.paths["/v1/jobs/{id}/events"]?.["get"]?.responses["200"]?.content;
    expect(events?.["application/json"]?.example).toEqual(eventListExample);
    expect(String(events?.["text/event-stream"]?.example)).toMatch(
      /^retry: 3000\n\nid: 1\ndata: \{"id":"evt_/,
    );
  });

  it("keeps every example valid for its schema", () => {
    const schemas = {
      File: FileSchema,
      CreateJob: CreateJobSchema,
      Job: JobSchema,
      JobList: JobListSchema,
      EventList: EventListSchema,
      SearchResults: SearchResponseSchema,
    };
    expect(Object.keys(COMPONENT_EXAMPLES).sort()).toEqual(Object.keys(schemas).sort());
    for (const [name, schema] of Object.entries(schemas)) {
      const parsed = schema.safeParse(COMPONENT_EXAMPLES[name]);
      expect(parsed.success, `${name}: ${parsed.error?.message ?? ""}`).toBe(true);
    }
  });

  it("ends the description with every error code, its status and meaning, and the stage codes", async () => {
    const { info } = await documentOf();
    for (const [code, { status, title }] of Object.entries(ERROR_CODES)) {
      expect(info.description).toContain(`| \`${code}\` | ${status} | ${title} |`);
    }
    expect(info.description).toContain("| `corrupt_file` | the file is damaged or not what its type says |");
    expect(info.description).toContain("| `dependency_failed` |");
  });
});
