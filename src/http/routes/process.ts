/**
 * POST /v1/process: runs stages over a few small files synchronously and answers with each file's
 * per-stage results and outputs inline (text as strings, thumbnails as base64). Nothing is stored. The
 * files come as `multipart/form-data` `file` parts, or as one raw body (`?name=`). Limits (files, total
 * bytes, total PDF pages) keep one request inside a Worker's time and memory; past them the answer is
 * 413 `sync_limit_exceeded`, pointing at POST /v1/jobs. One file's failure never fails the request.
 */
import { createRoute, z } from "@hono/zod-openapi";
import {
  MaxFileSizeExceededError,
  MaxPartsExceededError,
  MaxTotalSizeExceededError,
  MultipartParseError,
  parseMultipartRequest,
} from "@remix-run/multipart-parser";
import { getConfig, processingLimits, type Config } from "../../config";
import { ApiError } from "../../errors";
import { mediaTypeEssence } from "../../files/content-type";
import { normalizeFileName } from "../../files/file-name";
import { enrichmentProviderFor } from "../../pipeline/enrich/select";
import { runInline, type InlineFile } from "../../pipeline/inline/run-inline";
import { DEFAULT_JOB_OPTIONS } from "../../pipeline/options";
import { openPdf } from "../../pipeline/pdf/open";
import { sniff } from "../../pipeline/sniff";
import type { StageServices } from "../../pipeline/stage";
import { commonErrors, problemResponse } from "../../schemas/common";
import {
  ProcessOptionsSchema,
  ProcessQuerySchema,
  ProcessResponseSchema,
  ProcessStagesSchema,
} from "../../schemas/process";
import { describeIssues } from "../problem";
import { bearerAuth, createRouter } from "../router";

export const processRoutes = createRouter();

/** Multipart framing (boundaries, part headers) allowed on top of the byte limit. */
const MULTIPART_OVERHEAD_BYTES = 64 * 1024;

const processRoute = createRoute({
  method: "post",
  path: "/v1/process",
  summary: "Process files synchronously",
  description:
    "Runs `stages` over a few small files and answers with every file's per-stage results and outputs " +
    "inline; nothing is stored. Send `multipart/form-data` with `file` parts, or one file as the raw body. " +
    "Limits (defaults): 5 files, 10 MiB in all, 50 PDF pages in all (SYNC_MAX_FILES, SYNC_MAX_BYTES, " +
    "SYNC_MAX_PAGES). Larger work: upload the files and create a job (POST /v1/jobs).",
  security: bearerAuth,
  request: {
    query: ProcessQuerySchema,
    body: {
      required: true,
      content: {
        "multipart/form-data": {
          schema: {
            type: "object",
            properties: { file: { type: "array", items: { type: "string", format: "binary" } } },
          },
        },
        "application/octet-stream": { schema: { type: "string", format: "binary" } },
      },
    },
  },
  responses: {
    200: {
      description: "Every file's results (files that failed say why; the request itself succeeded).",
      content: { "application/json": { schema: ProcessResponseSchema } },
    },
    ...commonErrors,
    413: problemResponse("Over the synchronous limits (`sync_limit_exceeded`): use POST /v1/jobs."),
    422: problemResponse("The body is empty (`empty_body`)."),
  },
});

/** Synchronous processing stores nothing, so its stages have no search index (`index` is refused). */
const notIndexed = (): Promise<never> =>
  Promise.reject(new Error("nothing is indexed by synchronous processing"));

processRoutes.openapi(processRoute, async (c) => {
  const config = getConfig(c.env);
  const query = c.req.valid("query");
  const stages = parseOrThrow(ProcessStagesSchema, query.stages ?? "extract", "query.stages");
  const options = query.options
    ? parseOrThrow(ProcessOptionsSchema, query.options, "query.options")
    : DEFAULT_JOB_OPTIONS;
  const declaredLength = Number(c.req.header("Content-Length") ?? Number.NaN);
  if (declaredLength > config.SYNC_MAX_BYTES + MULTIPART_OVERHEAD_BYTES) {
    throw tooLarge(
      config,
      `the request is ${declaredLength} bytes; at most ${config.SYNC_MAX_BYTES} bytes of files`,
    );
  }
  const multipart = mediaTypeEssence(c.req.header("Content-Type")) === "multipart/form-data";
  const files = multipart
    ? await readFormFiles(c.req.raw, config)
    : [await readRawFile(c.req.raw, config, normalizeFileName(query.name))];
  await checkPageCount(files, config);

  const limits = {
    ...processingLimits(config),
    maxPdfPages: Math.min(config.MAX_PDF_PAGES, config.SYNC_MAX_PAGES),
  };
  const services: StageServices = {
    searchIndex: { replace: notIndexed, usage: notIndexed },
    enrichment: enrichmentProviderFor(c.env),
  };
  const results = [];
  for (const file of files) results.push(await runInline(file, stages, options, limits, services));
  const failed = results.filter((result) => result.status === "failed").length;
  return c.json(
    { files: results, counts: { total: results.length, completed: results.length - failed, failed } },
    200,
  );
});

function parseOrThrow<T>(schema: z.ZodType<T, string>, value: string, where: string): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const { detail, errors } = describeIssues(parsed.error, where);
  throw new ApiError("validation_failed", detail, { errors });
}

function tooLarge(config: Config, detail: string): ApiError {
  return new ApiError(
    "sync_limit_exceeded",
    `${detail}. Synchronous processing is for a few small files: upload them (POST /v1/files) and create a job (POST /v1/jobs)`,
    {
      limits: { files: config.SYNC_MAX_FILES, bytes: config.SYNC_MAX_BYTES, pages: config.SYNC_MAX_PAGES },
      alternative: "/v1/jobs",
    },
    { Link: '</v1/jobs>; rel="alternate"' },
  );
}

async function readFormFiles(request: Request, config: Config): Promise<InlineFile[]> {
  const files: InlineFile[] = [];
  try {
    for await (const part of parseMultipartRequest(request, {
      maxFileSize: config.SYNC_MAX_BYTES,
      maxTotalSize: config.SYNC_MAX_BYTES,
      maxParts: config.SYNC_MAX_FILES,
    })) {
      if (part.name !== "file") {
        throw new ApiError(
          "bad_request",
          `unexpected form field '${part.name ?? ""}': send files as 'file' parts`,
        );
      }
      files.push({
        name: normalizeFileName(part.filename),
        contentType: mediaTypeEssence(part.mediaType) ?? "application/octet-stream",
        bytes: new Uint8Array(await new Blob(part.content).arrayBuffer()),
      });
    }
  } catch (error) {
    if (error instanceof MaxPartsExceededError)
      throw tooLarge(config, `at most ${config.SYNC_MAX_FILES} files`);
    if (error instanceof MaxTotalSizeExceededError || error instanceof MaxFileSizeExceededError) {
      throw tooLarge(config, `at most ${config.SYNC_MAX_BYTES} bytes of files`);
    }
    if (error instanceof MultipartParseError) {
      throw new ApiError("bad_request", `the multipart body could not be parsed: ${error.message}`);
    }
    throw error;
  }
  if (files.length === 0) throw new ApiError("bad_request", "the form has no 'file' part");
  return files;
}

async function readRawFile(request: Request, config: Config, name: string): Promise<InlineFile> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (request.body) {
    for await (const chunk of request.body as ReadableStream<Uint8Array>) {
      size += chunk.byteLength;
      if (size > config.SYNC_MAX_BYTES)
        throw tooLarge(config, `at most ${config.SYNC_MAX_BYTES} bytes of files`);
      chunks.push(chunk);
    }
  }
  if (size === 0) throw new ApiError("empty_body", "the body is empty (0 bytes)");
  const bytes = new Uint8Array(await new Blob(chunks).arrayBuffer());
  return {
    name,
    contentType: mediaTypeEssence(request.headers.get("Content-Type")) ?? "application/octet-stream",
    bytes,
  };
}

/** Counts the PDFs' pages before any work starts; one that cannot be opened counts 0 (its stages will say why). */
async function checkPageCount(files: InlineFile[], config: Config): Promise<void> {
  let pages = 0;
  for (const file of files) {
    if (sniff(file.bytes).kind !== "pdf") continue;
    try {
      const doc = await openPdf(file.bytes);
      pages += doc.numPages;
      await doc.loadingTask.destroy();
    } catch {
      continue;
    }
    if (pages > config.SYNC_MAX_PAGES) {
      throw tooLarge(config, `the PDFs have more than ${config.SYNC_MAX_PAGES} pages in all`);
    }
  }
}
