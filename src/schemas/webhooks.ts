/** Schemas of the /v1/webhooks routes: endpoints, secrets, deliveries and their attempts. */
import { z } from "@hono/zod-openapi";
import type { AttemptRecord, DeliveryRecord } from "../storage/webhook-deliveries-repo";
import type { EndpointRecord } from "../storage/webhook-endpoints-repo";
import { Iso, toIso, toIsoOrNull } from "./common";

export const EndpointIdSchema = z
  .string()
  .regex(/^wh_[0-9A-HJKMNP-TV-Z]{26}$/, "must be a webhook endpoint id");

export const CreateEndpointSchema = z
  .object({
    url: z
      .url({ protocol: /^https?$/ })
      .max(2048)
      .openapi({ example: "https://example.com/hooks/sluice" }),
    default: z
      .boolean()
      .default(false)
      .openapi({ description: "Receive the events of every job that names no endpoint of its own." }),
  })
  .strict()
  .openapi("CreateWebhookEndpoint");

export const EndpointSchema = z
  .object({
    id: EndpointIdSchema,
    url: z.string(),
    default: z.boolean(),
    createdAt: Iso,
    disabledAt: Iso.nullable(),
    disabledReason: z.string().nullable(),
    rotationEndsAt: Iso.nullable().openapi({ description: "Until then the previous secret also signs." }),
  })
  .openapi("WebhookEndpoint");

export const EndpointWithSecretSchema = EndpointSchema.extend({
  secret: z
    .string()
    .openapi({ description: "The signing secret (`whsec_…`). Shown only here and on rotation." }),
}).openapi("WebhookEndpointWithSecret");

export const AttemptSchema = z
  .object({
    attemptedAt: Iso,
    status: z.number().int().nullable(),
    error: z.string().nullable(),
    durationMs: z.number(),
  })
  .openapi("WebhookAttempt");

export const DeliverySchema = z
  .object({
    id: z.string().openapi({ description: "The event id, sent as `webhook-id`." }),
    endpointId: EndpointIdSchema,
    jobId: z.string(),
    eventType: z.string(),
    status: z.enum(["pending", "delivered", "failed", "gone"]),
    attempts: z.number().int(),
    lastStatus: z.number().int().nullable(),
    lastError: z.string().nullable(),
    createdAt: Iso,
    updatedAt: Iso,
    deliveredAt: Iso.nullable(),
  })
  .openapi("WebhookDelivery");

export const DeliveryDetailSchema = DeliverySchema.extend({
  payload: z.record(z.string(), z.unknown()),
  attemptLog: z.array(AttemptSchema),
}).openapi("WebhookDeliveryDetail");

export const toEndpointObject = (endpoint: EndpointRecord): z.infer<typeof EndpointSchema> => ({
  id: endpoint.id,
  url: endpoint.url,
  default: endpoint.isDefault,
  createdAt: toIso(endpoint.createdAt),
  disabledAt: toIsoOrNull(endpoint.disabledAt),
  disabledReason: endpoint.disabledReason,
  rotationEndsAt:
    endpoint.previousSecretExpiresAt !== null && endpoint.previousSecretExpiresAt > Date.now()
      ? toIso(endpoint.previousSecretExpiresAt)
      : null,
});

export const toDeliveryObject = (delivery: DeliveryRecord): z.infer<typeof DeliverySchema> => ({
  id: delivery.id,
  endpointId: delivery.endpointId,
  jobId: delivery.jobId,
  eventType: delivery.eventType,
  status: delivery.status,
  attempts: delivery.attempts,
  lastStatus: delivery.lastStatus,
  lastError: delivery.lastError,
  createdAt: toIso(delivery.createdAt),
  updatedAt: toIso(delivery.updatedAt),
  deliveredAt: toIsoOrNull(delivery.deliveredAt),
});

export const toAttemptObject = (attempt: AttemptRecord): z.infer<typeof AttemptSchema> => ({
  attemptedAt: toIso(attempt.attemptedAt),
  status: attempt.status,
  error: attempt.error,
  durationMs: attempt.durationMs,
});
