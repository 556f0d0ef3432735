/** Request and response schemas of GET /v1/search. */
import { z } from "@hono/zod-openapi";
import { FileIdSchema, JobIdSchema } from "../ids";
import { MAX_QUERY_CHARS } from "../search/query";

export const SearchQuerySchema = z.object({
  q: z
    .string()
    .min(1, "the query is empty")
    .max(MAX_QUERY_CHARS, `the query can be at most ${MAX_QUERY_CHARS} characters`)
    .openapi({
      param: { name: "q", in: "query" },
      description:
        'Words to find (all required). "Quoted words" match as a phrase, `OR` between terms matches either, ' +
        "a leading `-` (or `NOT`) excludes a term, a trailing `*` matches a prefix. Everything else is literal.",
      example: '"trace tree" compil*',
    }),
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(50)
    .default(10)
    .openapi({ param: { name: "limit", in: "query" }, description: "Results per page, 1-50 (default 10)." }),
  cursor: z
    .string()
    .max(512)
    .optional()
    .openapi({ param: { name: "cursor", in: "query" }, description: "`nextCursor` of the previous page." }),
});

export const SearchResultSchema = z
  .object({
    fileId: FileIdSchema,
    jobId: JobIdSchema.openapi({ description: "The job whose index stage indexed the file (the latest)." }),
    name: z.string(),
    page: z.number().int().nullable().openapi({ description: "PDF page (1-based); null for text files." }),
    snippet: z.string().openapi({ description: "Plain text around the matches, with … where it was cut." }),
    highlights: z
      .array(z.object({ start: z.number().int(), end: z.number().int() }))
      .openapi({ description: "The matched words in `snippet` (string offsets, end exclusive)." }),
    snippetHtml: z
      .string()
      .openapi({ description: "`snippet` HTML-escaped, with the matched words in `<mark>`." }),
    score: z
      .number()
      .openapi({ description: "Relevance (bm25, higher is better); comparable within one query." }),
  })
  .openapi("SearchResult");

export const SearchResponseSchema = z
  .object({ results: z.array(SearchResultSchema), nextCursor: z.string().nullable() })
  .openapi("SearchResults");
