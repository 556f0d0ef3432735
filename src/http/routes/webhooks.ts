/**
 * /v1/webhooks: register endpoints (each with its own signing secret, shown once), rotate secrets
 * (the old one keeps signing for a day), and look at deliveries and their attempts; a delivery that
 * failed can be replayed with the same webhook-id.
 */
import { createRoute, z } from "@hono/zod-openapi";
import { ulid } from "ulid";
import { getConfig } from "../../config";
import { ApiError, notFound } from "../../errors";
import { commonErrors, problemResponse } from "../../schemas/common";
import {
  CreateEndpointSchema,
  DeliveryDetailSchema,
  DeliverySchema,
  EndpointIdSchema,
  EndpointSchema,
  EndpointWithSecretSchema,
  toAttemptObject,
  toDeliveryObject,
  toEndpointObject,
} from "../../schemas/webhooks";
import {
  getDelivery,
  listAttempts,
  listDeliveries,
  setDeliveryStatus,
} from "../../storage/webhook-deliveries-repo";
import {
  deleteEndpoint,
  getEndpoint,
  insertEndpoint,
  listEndpoints,
  rotateSecret,
} from "../../storage/webhook-endpoints-repo";
import { assertWithinQuota } from "../../tenancy/quotas";
import { checkDestination } from "../../webhooks/destination";
import type { WebhookMessage } from "../../webhooks/messages";
import { generateWebhookSecret } from "../../webhooks/signing";
import { bearerAuth, createRouter } from "../router";

export const webhooks = createRouter();

/** How long a rotated-out secret keeps signing, so receivers can switch without missing deliveries. */
const ROTATION_OVERLAP_MS = 24 * 60 * 60 * 1000;

const json = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { "application/json": { schema } },
});
const endpointParams = z.object({ id: EndpointIdSchema.openapi({ param: { name: "id", in: "path" } }) });
const deliveryParams = endpointParams.extend({
  deliveryId: z
    .string()
    .max(100)
    .openapi({ param: { name: "deliveryId", in: "path" } }),
});
const notFoundResponse = { 404: problemResponse("No such endpoint or delivery (`not_found`).") };

webhooks.openapi(
  createRoute({
    method: "post",
    path: "/v1/webhooks",
    summary: "Register a webhook endpoint",
    tags: ["webhooks"],
    security: bearerAuth,
    request: { body: { required: true, content: { "application/json": { schema: CreateEndpointSchema } } } },
    responses: {
      201: json(EndpointWithSecretSchema, "Registered; the secret is shown once."),
      ...commonErrors,
      409: problemResponse(
        "The tenant has as many endpoints as allowed (`webhook_endpoint_quota_exceeded`).",
      ),
    },
  }),
  async (c) => {
    const body = c.req.valid("json");
    await assertWithinQuota(c.env, c.get("tenant"), "webhookEndpoints");
    const refused = await checkDestination(body.url, getConfig(c.env));
    if (refused) throw new ApiError("invalid_destination", `this URL cannot receive webhooks: ${refused}`);
    const endpoint = {
      tenantId: c.get("tenant").id,
      id: `wh_${ulid()}`,
      url: body.url,
      secret: generateWebhookSecret(),
      previousSecret: null,
      previousSecretExpiresAt: null,
      isDefault: body.default,
      createdAt: Date.now(),
      disabledAt: null,
      disabledReason: null,
    };
    await insertEndpoint(c.env.DB, endpoint);
    return c.json({ ...toEndpointObject(endpoint), secret: endpoint.secret }, 201);
  },
);

webhooks.openapi(
  createRoute({
    method: "get",
    path: "/v1/webhooks",
    summary: "List webhook endpoints",
    tags: ["webhooks"],
    security: bearerAuth,
    responses: {
      200: json(z.object({ webhooks: z.array(EndpointSchema) }), "The endpoints."),
      ...commonErrors,
    },
  }),
  async (c) =>
    c.json({ webhooks: (await listEndpoints(c.env.DB, c.get("tenant").id)).map(toEndpointObject) }, 200),
);

webhooks.openapi(
  createRoute({
    method: "delete",
    path: "/v1/webhooks/{id}",
    summary: "Delete a webhook endpoint",
    tags: ["webhooks"],
    security: bearerAuth,
    request: { params: endpointParams },
    responses: { 204: { description: "Deleted." }, ...commonErrors, ...notFoundResponse },
  }),
  async (c) => {
    if (!(await deleteEndpoint(c.env.DB, c.get("tenant").id, c.req.valid("param").id))) {
      throw notFound("the webhook endpoint");
    }
    return c.body(null, 204);
  },
);

webhooks.openapi(
  createRoute({
    method: "post",
    path: "/v1/webhooks/{id}/rotate",
    summary: "Rotate an endpoint's signing secret",
    description: "Deliveries are signed with both the new and the old secret for 24 hours.",
    tags: ["webhooks"],
    security: bearerAuth,
    request: { params: endpointParams },
    responses: {
      200: json(EndpointWithSecretSchema, "The new secret."),
      ...commonErrors,
      ...notFoundResponse,
    },
  }),
  async (c) => {
    const tenantId = c.get("tenant").id;
    const id = c.req.valid("param").id;
    const secret = generateWebhookSecret();
    if (!(await rotateSecret(c.env.DB, tenantId, id, secret, Date.now() + ROTATION_OVERLAP_MS))) {
      throw notFound("the webhook endpoint");
    }
    const endpoint = await getEndpoint(c.env.DB, tenantId, id);
    if (!endpoint) throw notFound("the webhook endpoint");
    return c.json({ ...toEndpointObject(endpoint), secret }, 200);
  },
);

webhooks.openapi(
  createRoute({
    method: "get",
    path: "/v1/webhooks/{id}/deliveries",
    summary: "List an endpoint's deliveries",
    tags: ["webhooks"],
    security: bearerAuth,
    request: {
      params: endpointParams,
      query: z.object({
        jobId: z
          .string()
          .max(64)
          .optional()
          .openapi({ param: { name: "jobId", in: "query" } }),
        status: z
          .enum(["pending", "delivered", "failed", "gone"])
          .optional()
          .openapi({ param: { name: "status", in: "query" } }),
        limit: z.coerce
          .number()
          .int()
          .min(1)
          .max(1000)
          .default(100)
          .openapi({ param: { name: "limit", in: "query" } }),
      }),
    },
    responses: {
      200: json(z.object({ deliveries: z.array(DeliverySchema) }), "Deliveries, oldest first."),
      ...commonErrors,
      ...notFoundResponse,
    },
  }),
  async (c) => {
    const tenantId = c.get("tenant").id;
    const { id } = c.req.valid("param");
    if (!(await getEndpoint(c.env.DB, tenantId, id))) throw notFound("the webhook endpoint");
    const { jobId, status, limit } = c.req.valid("query");
    const rows = await listDeliveries(c.env.DB, tenantId, { endpointId: id, jobId, status }, limit);
    return c.json({ deliveries: rows.map(toDeliveryObject) }, 200);
  },
);

webhooks.openapi(
  createRoute({
    method: "get",
    path: "/v1/webhooks/{id}/deliveries/{deliveryId}",
    summary: "Get a delivery with its attempts",
    tags: ["webhooks"],
    security: bearerAuth,
    request: { params: deliveryParams },
    responses: { 200: json(DeliveryDetailSchema, "The delivery."), ...commonErrors, ...notFoundResponse },
  }),
  async (c) => {
    const { id, deliveryId } = c.req.valid("param");
    const delivery = await getDelivery(c.env.DB, c.get("tenant").id, id, deliveryId);
    if (!delivery) throw notFound("the delivery");
    const attempts = await listAttempts(c.env.DB, delivery);
    return c.json(
      {
        ...toDeliveryObject(delivery),
        payload: JSON.parse(delivery.payload) as Record<string, unknown>,
        attemptLog: attempts.map(toAttemptObject),
      },
      200,
    );
  },
);

webhooks.openapi(
  createRoute({
    method: "post",
    path: "/v1/webhooks/{id}/deliveries/{deliveryId}/replay",
    summary: "Deliver an event again",
    description: "Sends the same payload with the same webhook-id (receivers that saw it can drop it).",
    tags: ["webhooks"],
    security: bearerAuth,
    request: { params: deliveryParams },
    responses: { 202: json(DeliverySchema, "Queued for delivery."), ...commonErrors, ...notFoundResponse },
  }),
  async (c) => {
    const tenantId = c.get("tenant").id;
    const { id, deliveryId } = c.req.valid("param");
    const delivery = await getDelivery(c.env.DB, tenantId, id, deliveryId);
    if (!delivery) throw notFound("the delivery");
    await setDeliveryStatus(c.env.DB, delivery, "pending", null, Date.now());
    const message: WebhookMessage = {
      v: 1,
      tenantId,
      endpointId: id,
      event: JSON.parse(delivery.payload) as WebhookMessage["event"],
    };
    await c.env.WEBHOOKS.send(message, { contentType: "json" });
    return c.json({ ...toDeliveryObject(delivery), status: "pending" as const }, 202);
  },
);
