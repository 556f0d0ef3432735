/**
 * The error codes as documentation: a Markdown table of every API error code (from ERROR_CODES, the
 * one place statuses are decided) and of the codes a file's stage can fail or be skipped with, plus an
 * example problem document per code for the reference's error responses.
 */
import { ERROR_CODES, type ErrorCode } from "../../errors";
import { STAGE_ERROR_CODES, type StageErrorCode } from "../../pipeline/stage";

/** What each stage error code means (the compiler insists every code is described). */
const STAGE_ERROR_MEANINGS: Record<StageErrorCode, string> = {
  empty_file: "the file has no bytes",
  unsupported_type: "the stage cannot read this kind of file",
  corrupt_file: "the file is damaged or not what its type says",
  pdf_encrypted: "the PDF needs a password",
  too_many_pages: "the PDF has more pages than MAX_PDF_PAGES",
  image_too_large:
    "the image cannot be decoded within a Worker's memory: over 268 MP, or over MAX_IMAGE_PIXELS where no reduced decode applies",
  file_too_large: "the file is larger than MAX_PROCESS_BYTES",
  source_missing: "the file's bytes are gone (deleted while the job ran)",
  unsupported_encoding: "the text's encoding could not be determined",
  retries_exhausted: "a transient error kept happening until the retries ran out",
  index_quota_exceeded: "indexing the file would take the tenant past its indexed-bytes quota",
  index_not_allowed_in_jurisdiction: "the search database is outside the tenant's jurisdiction (EU tenants)",
};

const SKIP_REASONS: Record<string, string> = {
  dependency_failed: "a stage it needs failed or was skipped",
  no_text: "the file has no text (an image, or a scan without a text layer)",
  not_an_image: "thumbnails are made of images and PDFs",
};

/** Sample `detail` texts for the codes clients meet most; the others reuse their title. */
const SAMPLE_DETAILS: Partial<Record<ErrorCode, string>> = {
  validation_failed: "body.stages: stage 'analyze' needs 'extract' to come before it",
  unauthorized: "the API key is not valid",
  not_found: "the job was not found",
  job_terminal: "the job has already ended with status 'completed'",
  nothing_to_retry: "the job has no failed files",
  idempotency_key_reused: "this Idempotency-Key was used with a different request body",
  rate_limited: "this tenant may send 50 requests per second (bursts of 100); retry in 1 s",
  payload_too_large: "files can be at most 104857600 bytes",
  content_type_mismatch: "the body was declared image/png but its bytes are HTML",
  invalid_query: "the query has no words to search for",
};

export function problemExample(code: ErrorCode): Record<string, unknown> {
  const { status, title } = ERROR_CODES[code];
  return {
    type: `/problems/${code}`,
    title,
    status,
    detail: SAMPLE_DETAILS[code] ?? title.charAt(0).toLowerCase() + title.slice(1),
    code,
    requestId: "5f0c2a7e-3b1d-4c8e-9a6f-2d7b1e0c9f43",
  };
}

export const isErrorCode = (value: string): value is ErrorCode => Object.hasOwn(ERROR_CODES, value);

export function errorCodesMarkdown(): string {
  const apiRows = (Object.keys(ERROR_CODES) as ErrorCode[])
    .sort((a, b) => ERROR_CODES[a].status - ERROR_CODES[b].status || a.localeCompare(b))
    .map((code) => `| \`${code}\` | ${ERROR_CODES[code].status} | ${ERROR_CODES[code].title} |`);
  const stageRows = STAGE_ERROR_CODES.map((code) => `| \`${code}\` | ${STAGE_ERROR_MEANINGS[code]} |`);
  const skipRows = Object.entries(SKIP_REASONS).map(([code, meaning]) => `| \`${code}\` | ${meaning} |`);
  return [
    "## Errors",
    "",
    "Every error is an RFC 9457 `application/problem+json` document with `type`, `title`, `status`, " +
      "`detail`, a stable `code` and the `requestId` (also in the `X-Request-Id` header). Branch on `code`.",
    "",
    // Collapsed, so the operations stay near the top of the page.
    `<details><summary>All ${apiRows.length} error codes</summary>`,
    "",
    "| code | HTTP status | meaning |",
    "| --- | --- | --- |",
    ...apiRows,
    "",
    "</details>",
    "",
    "A bad file fails only its own stage, with `error: {code, message}` in the job's file entry; a stage " +
      "that cannot apply is `skipped` with `reason: {code, message}`.",
    "",
    "<details><summary>Stage error codes and skip reasons</summary>",
    "",
    "| code | meaning |",
    "| --- | --- |",
    ...stageRows,
    "",
    "| reason | meaning |",
    "| --- | --- |",
    ...skipRows,
    "",
    "</details>",
  ].join("\n");
}
