/**
 * The HTTP API: request ids, authentication for /v1, the route groups, one error handler that turns
 * every failure into problem+json, and the OpenAPI 3.1 document generated from the routes' schemas.
 */
import { bodyLimit } from "hono/body-limit";
import { requestId } from "hono/request-id";
import { ApiError } from "../errors";
import { requireApiKey } from "./auth";
import { problem, toApiError } from "./problem";
import { createRouter } from "./router";
import { files } from "./routes/files";
import { health } from "./routes/health";
import { jobs } from "./routes/jobs";

/** JSON bodies are small (a job names at most 1,000 ids); uploads have their own limits. */
const MAX_JSON_BODY_BYTES = 256 * 1024;

export function createApp() {
  const app = createRouter();

  app.use(requestId());
  app.use("/v1/*", requireApiKey);
  app.on(
    ["POST", "PUT", "PATCH"],
    "/v1/jobs/*",
    bodyLimit({
      maxSize: MAX_JSON_BODY_BYTES,
      onError: () => {
        throw new ApiError("payload_too_large", `JSON bodies can be at most ${MAX_JSON_BODY_BYTES} bytes`);
      },
    }),
  );
  app.on(
    ["POST"],
    "/v1/jobs",
    bodyLimit({
      maxSize: MAX_JSON_BODY_BYTES,
      onError: () => {
        throw new ApiError("payload_too_large", `JSON bodies can be at most ${MAX_JSON_BODY_BYTES} bytes`);
      },
    }),
  );

  app.route("/", health);
  app.route("/", files);
  app.route("/", jobs);

  app.openAPIRegistry.registerComponent("securitySchemes", "bearerAuth", {
    type: "http",
    scheme: "bearer",
    description: "An API key of your tenant: `Authorization: Bearer <key>`.",
  });
  app.doc31("/openapi.json", {
    openapi: "3.1.0",
    info: {
      title: "Sluice API",
      version: "1.0.0",
      description:
        "File and document processing: upload files, run a pipeline of stages over them as a job, and follow " +
        "the job to its end. Errors are RFC 9457 problem+json documents with a stable `code`.",
    },
  });

  app.notFound((c) =>
    problem(c, new ApiError("route_not_found", `no route for ${c.req.method} ${c.req.path}`)),
  );
  app.onError((error, c) => {
    const apiError = toApiError(error);
    if (apiError) return problem(c, apiError);
    console.error(
      JSON.stringify({
        msg: "unhandled error",
        requestId: c.get("requestId"),
        path: c.req.path,
        error: String(error),
      }),
    );
    return problem(
      c,
      new ApiError("internal_error", "something went wrong on our side; the request id identifies it"),
    );
  });
  return app;
}
