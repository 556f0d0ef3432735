/**
 * Per-tenant settings, stored as JSON on the tenant row. Every field is optional: what a tenant does
 * not set falls back to the deployment's defaults, so new settings never need a data migration.
 */
import { z } from "zod";

export const TenantSettingsSchema = z
  .object({
    /** Sustained requests per second allowed for the tenant's API keys. */
    requestsPerSecond: z.number().positive().max(10_000).optional(),
    /** Requests allowed in a burst above the sustained rate. */
    burst: z.number().int().positive().max(100_000).optional(),
    /** Files of this tenant that may be processing at the same time. */
    maxConcurrentFiles: z.number().int().positive().max(100_000).optional(),
    /** Days files and their outputs are kept before retention deletes them. */
    retentionDays: z.number().int().positive().max(3650).optional(),
    /** Bytes of extracted text the tenant may keep in the search index (UTF-8, all its files). */
    maxIndexedBytes: z
      .number()
      .int()
      .nonnegative()
      .max(10 * 1024 ** 3)
      .optional(),
    /** Multipart uploads the tenant may have started and not yet completed or aborted. */
    maxPendingUploads: z.number().int().nonnegative().max(100_000).optional(),
    /** Webhook endpoints the tenant may register. */
    maxWebhookEndpoints: z.number().int().nonnegative().max(1000).optional(),
    /** Files the tenant may store. */
    maxFiles: z.number().int().nonnegative().max(100_000_000).optional(),
  })
  .strict();

export type TenantSettings = z.infer<typeof TenantSettingsSchema>;

export function parseSettings(json: string): TenantSettings {
  const parsed = TenantSettingsSchema.safeParse(JSON.parse(json));
  return parsed.success ? parsed.data : {};
}
