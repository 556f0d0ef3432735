/** Schemas of the admin API: tenants and their API keys. */
import { z } from "@hono/zod-openapi";
import type { ApiKeyRecord, TenantRecord } from "../storage/tenants-repo";
import { TenantSettingsSchema } from "../tenancy/settings";
import { JURISDICTIONS } from "../tenancy/tenant";
import { Iso, toIso, toIsoOrNull } from "./common";

export const TenantIdSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,39}$/, "must be 1-40 lower-case letters, digits or dashes");

export const TenantSchema = z
  .object({
    id: TenantIdSchema.openapi({ example: "acme" }),
    name: z.string().openapi({ example: "Acme Corp" }),
    jurisdiction: z.enum(JURISDICTIONS).openapi({ description: "Where the tenant's files and jobs live." }),
    settings: TenantSettingsSchema,
    createdAt: Iso,
  })
  .openapi("Tenant");

export const CreateTenantSchema = z
  .object({
    id: TenantIdSchema.optional().openapi({ description: "Chosen id; generated when absent." }),
    name: z.string().min(1).max(200),
    jurisdiction: z.enum(JURISDICTIONS).default("default"),
    settings: TenantSettingsSchema.default({}),
  })
  .strict()
  .openapi("CreateTenant");

export const UpdateTenantSchema = z
  .object({ name: z.string().min(1).max(200).optional(), settings: TenantSettingsSchema.optional() })
  .strict()
  .openapi("UpdateTenant");

export const ApiKeySchema = z
  .object({
    id: z.string(),
    prefix: z.string().openapi({ example: "sk_live_3fK9" }),
    name: z.string().nullable(),
    createdAt: Iso,
    revokedAt: Iso.nullable(),
  })
  .openapi("ApiKey");

export const CreatedApiKeySchema = ApiKeySchema.extend({
  key: z.string().openapi({ description: "The key itself. It is shown only in this response." }),
}).openapi("CreatedApiKey");

export const CreateApiKeySchema = z
  .object({ name: z.string().min(1).max(200).optional() })
  .strict()
  .openapi("CreateApiKey");

export const TenantParamSchema = z.object({
  tenantId: TenantIdSchema.openapi({ param: { name: "tenantId", in: "path" } }),
});

export const toTenantObject = (tenant: TenantRecord): z.infer<typeof TenantSchema> => ({
  id: tenant.id,
  name: tenant.name,
  jurisdiction: tenant.jurisdiction,
  settings: tenant.settings,
  createdAt: toIso(tenant.createdAt),
});

export const toApiKeyObject = (key: ApiKeyRecord): z.infer<typeof ApiKeySchema> => ({
  id: key.id,
  prefix: key.prefix,
  name: key.name,
  createdAt: toIso(key.createdAt),
  revokedAt: toIsoOrNull(key.revokedAt),
});
