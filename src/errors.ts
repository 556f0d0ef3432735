/**
 * The one error model of the HTTP API. Every failure a client can see has a stable machine-readable
 * `code`; the table below maps each code to its HTTP status and a short human title, so the status
 * of an error is decided in exactly one place.
 */
export const ERROR_CODES = {
  bad_request: { status: 400, title: "The request is not valid" },
  validation_failed: { status: 400, title: "The request did not pass validation" },
  invalid_json: { status: 400, title: "The body is not valid JSON" },
  invalid_cursor: { status: 400, title: "The pagination cursor is not valid" },
  invalid_stages: { status: 400, title: "The stages are not a valid pipeline" },
  unknown_file: { status: 400, title: "A file named in the request does not exist" },
  unauthorized: { status: 401, title: "A valid API key is required" },
  not_found: { status: 404, title: "Not found" },
  route_not_found: { status: 404, title: "There is no such route" },
  method_not_allowed: { status: 405, title: "This method is not allowed on this route" },
  conflict: { status: 409, title: "The request conflicts with the current state" },
  job_terminal: { status: 409, title: "The job has already ended" },
  nothing_to_retry: { status: 409, title: "The job has no failed files to retry" },
  idempotency_key_in_use: { status: 409, title: "A request with this idempotency key is still in progress" },
  rate_limited: { status: 429, title: "Too many requests for this tenant" },
  payload_too_large: { status: 413, title: "The request body is too large" },
  unsupported_media_type: { status: 415, title: "The content type is not supported here" },
  range_not_satisfiable: { status: 416, title: "The requested range cannot be served" },
  invalid_destination: { status: 400, title: "The URL points somewhere Sluice does not send to" },
  unknown_webhook: { status: 400, title: "The webhook endpoint named in the request does not exist" },
  idempotency_key_reused: {
    status: 422,
    title: "This idempotency key was already used with a different request",
  },
  empty_body: { status: 422, title: "The body is empty" },
  internal_error: { status: 500, title: "Internal error" },
  unavailable: { status: 503, title: "A dependency is temporarily unavailable" },
  // Direct, presigned and multipart uploads.
  content_type_mismatch: { status: 415, title: "The bytes are not of the declared content type" },
  uploads_not_configured: { status: 503, title: "Presigned uploads are not configured on this deployment" },
  upload_too_large: { status: 422, title: "The upload is larger than allowed" },
  upload_object_missing: { status: 422, title: "Nothing has been uploaded for this upload yet" },
  upload_size_mismatch: { status: 422, title: "The uploaded size differs from the declared size" },
  upload_type_mismatch: { status: 422, title: "The uploaded bytes are not of the declared content type" },
  upload_checksum_mismatch: { status: 422, title: "The uploaded bytes do not match the declared SHA-256" },
  upload_parts_invalid: { status: 422, title: "The multipart upload's parts cannot be assembled" },
  upload_not_multipart: { status: 409, title: "This upload is a single PUT, not a multipart upload" },
  upload_aborted: { status: 409, title: "The upload was aborted" },
  upload_expired: { status: 410, title: "The upload expired before it was completed" },
  // Import by URL (the url_* codes also apply wherever Sluice fetches a URL it was given).
  url_invalid: { status: 400, title: "The URL is not valid" },
  url_scheme_not_allowed: { status: 400, title: "Only http and https URLs are allowed" },
  url_credentials_not_allowed: { status: 400, title: "URLs must not carry credentials" },
  url_host_not_allowed: { status: 400, title: "The URL points at a private, local or reserved address" },
  url_redirect_not_allowed: { status: 400, title: "The URL redirects to a URL that is not allowed" },
  import_too_many_redirects: { status: 422, title: "The URL redirects too many times" },
  import_source_failed: { status: 422, title: "The URL did not answer with a file" },
  import_too_large: { status: 422, title: "The file at the URL is larger than allowed" },
  import_unreachable: { status: 502, title: "The URL could not be reached" },
  import_timeout: { status: 504, title: "Fetching the URL took too long" },
  // Dead letters.
  not_redrivable: { status: 409, title: "This dead letter cannot be re-driven" },
  invalid_query: { status: 400, title: "The search query cannot be used" },
  sync_limit_exceeded: { status: 413, title: "The request is too large to process synchronously" },
  // Residency and per-tenant quotas (docs/tenants.md).
  stage_not_allowed_in_jurisdiction: {
    status: 400,
    title: "A requested stage would store data outside the tenant's jurisdiction",
  },
  pending_upload_quota_exceeded: { status: 429, title: "The tenant has too many pending multipart uploads" },
  webhook_endpoint_quota_exceeded: {
    status: 409,
    title: "The tenant has as many webhook endpoints as allowed",
  },
  file_quota_exceeded: { status: 409, title: "The tenant stores as many files as allowed" },
} as const satisfies Record<string, { status: number; title: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;

/** An error meant for the client: rendered as problem+json by the app's error handler. */
export class ApiError extends Error {
  override readonly name = "ApiError";
  readonly status: number;

  constructor(
    readonly code: ErrorCode,
    readonly detail: string,
    readonly extensions: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(detail);
    this.status = ERROR_CODES[code].status;
  }
}

export function notFound(what: string): ApiError {
  return new ApiError("not_found", `${what} was not found`);
}
