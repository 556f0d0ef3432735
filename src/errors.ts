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
  payload_too_large: { status: 413, title: "The request body is too large" },
  unsupported_media_type: { status: 415, title: "The content type is not supported here" },
  range_not_satisfiable: { status: 416, title: "The requested range cannot be served" },
  idempotency_key_reused: {
    status: 422,
    title: "This idempotency key was already used with a different request",
  },
  empty_body: { status: 422, title: "The body is empty" },
  internal_error: { status: 500, title: "Internal error" },
  unavailable: { status: 503, title: "A dependency is temporarily unavailable" },
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
