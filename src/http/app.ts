/**
 * The HTTP API: request ids, authentication for /v1, the route groups, one error handler that turns
 * every failure into problem+json, and the OpenAPI 3.1 document generated from the routes' schemas.
 */
import { requestId } from "hono/request-id";
import { ApiError } from "../errors";
import { requireApiKey } from "./auth";
import { limitJsonBodies } from "./body-limit";
import { browserCors } from "./cors";
import { rateLimit } from "./rate-limit";
import { problem, toApiError } from "./problem";
import { createRouter } from "./router";
import { files } from "./routes/files";
import { importUrl } from "./routes/import";
import { uploads } from "./routes/uploads";
import { health } from "./routes/health";
import { deadLetters } from "./routes/dead-letters";
import { jobEvents } from "./routes/job-events";
import { jobs } from "./routes/jobs";
import { admin } from "./routes/admin";
import { webhooks } from "./routes/webhooks";
import { search } from "./routes/search";
import { processRoutes } from "./routes/process";
import { docs } from "./routes/docs";
import { enrichOpenApi } from "./openapi/enrich";
import { observeRequests } from "../observability/request-log";
import { stats } from "./routes/stats";
import { errorText, log } from "../observability/log";

export function createApp() {
  const app = createRouter();

  app.use(requestId());
  app.use(observeRequests);
  app.use(browserCors);
  app.use("/v1/*", requireApiKey, rateLimit);
  app.use("/openapi.json", enrichOpenApi);
  app.use(limitJsonBodies);

  app.route("/", health);
  app.route("/", files);
  app.route("/", importUrl);
  app.route("/", uploads);
  app.route("/", jobs);
  app.route("/", deadLetters);
  app.route("/", jobEvents);
  app.route("/", admin);
  app.route("/", webhooks);
  app.route("/", search);
  app.route("/", processRoutes);
  app.route("/", docs);
  app.route("/", stats);

  app.openAPIRegistry.registerComponent("securitySchemes", "bearerAuth", {
    type: "http",
    scheme: "bearer",
    description: "An API key of your tenant: `Authorization: Bearer <key>`.",
  });
  app.openAPIRegistry.registerComponent("securitySchemes", "adminToken", {
    type: "http",
    scheme: "bearer",
    description: "The deployment's ADMIN_TOKEN (admin routes only).",
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
    log("error", "unhandled error", {
      requestId: c.get("requestId"),
      traceId: c.get("traceId"),
      path: c.req.path,
      error: errorText(error),
    });
    return problem(
      c,
      new ApiError("internal_error", "something went wrong on our side; the request id identifies it"),
    );
  });
  return app;
}
