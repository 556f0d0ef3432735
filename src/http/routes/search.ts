/** /v1/search: full-text search over the tenant's indexed documents. */
import { createRoute } from "@hono/zod-openapi";
import { ApiError } from "../../errors";
import { commonErrors } from "../../schemas/common";
import { SearchQuerySchema, SearchResponseSchema } from "../../schemas/search";
import { decodeSearchCursor, encodeSearchCursor, MAX_SEARCH_OFFSET } from "../../search/cursor";
import { parseQuery } from "../../search/query";
import { searchSections, toSnippet } from "../../search/search-repo";
import { bearerAuth, createRouter } from "../router";

export const search = createRouter();

const searchRoute = createRoute({
  method: "get",
  path: "/v1/search",
  summary: "Search indexed documents",
  description:
    "Full-text search over the documents the `index` stage indexed for this tenant, best matches first " +
    "(bm25), one result per matching PDF page or text section, with a highlighted snippet. Any query is " +
    "safe to send: operators are only those listed under `q`, everything else is searched for literally. " +
    `Pages go up to ${MAX_SEARCH_OFFSET} results deep.`,
  security: bearerAuth,
  request: { query: SearchQuerySchema },
  responses: {
    200: {
      description: "A page of results.",
      content: { "application/json": { schema: SearchResponseSchema } },
    },
    ...commonErrors,
  },
});

search.openapi(searchRoute, async (c) => {
  const { q, limit, cursor } = c.req.valid("query");
  const parsed = parseQuery(q);
  if (!parsed.ok) throw new ApiError("invalid_query", parsed.reason);
  let offset = 0;
  if (cursor !== undefined) {
    const decoded = await decodeSearchCursor(q, cursor);
    if (decoded === null) {
      throw new ApiError(
        "invalid_cursor",
        "the cursor is not one this query returned; start again without it",
      );
    }
    offset = decoded;
  }
  const take = Math.min(limit, MAX_SEARCH_OFFSET - offset);
  const rows =
    take > 0 ? await searchSections(c.env.DB, c.get("tenant").id, parsed.expression, take + 1, offset) : [];
  const page = rows.slice(0, take);
  const next = offset + page.length;
  const nextCursor =
    rows.length > take && next < MAX_SEARCH_OFFSET ? await encodeSearchCursor(q, next) : null;
  return c.json(
    {
      results: page.map((row) => {
        const snippet = toSnippet(row.snippet);
        return {
          fileId: row.fileId,
          jobId: row.jobId,
          name: row.name,
          page: row.page,
          snippet: snippet.text,
          highlights: snippet.highlights,
          snippetHtml: snippet.html,
          score: Math.round(-row.rank * 1_000_000) / 1_000_000,
        };
      }),
      nextCursor,
    },
    200,
  );
});
