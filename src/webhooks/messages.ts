/**
 * The webhooks queue message: deliver this event of this tenant to this endpoint. The event's id is
 * the Standard Webhooks `webhook-id`, the same on every retry, so receivers can drop duplicates.
 */
import { z } from "zod";
import type { EventObject } from "../schemas/jobs";

export const WEBHOOKS_QUEUE = "sluice-webhooks";

export const WebhookMessageSchema = z.object({
  v: z.literal(1),
  tenantId: z.string().min(1),
  endpointId: z.string().min(1),
  event: z.object({ id: z.string().min(1), type: z.string(), jobId: z.string() }).loose(),
});

export interface WebhookMessage {
  v: 1;
  tenantId: string;
  endpointId: string;
  event: EventObject;
}
