/**
 * The admin API (ADMIN_TOKEN): create and list tenants, change their settings, and create, list and
 * revoke their API keys. A key is shown once, when it is created; only its hash is stored, and a
 * revoked key stops working with the next request (keys are not cached).
 */
import { createRoute, z } from "@hono/zod-openapi";
import { DISPLAY_PREFIX_LENGTH, generateApiKey } from "../../admin/api-keys";
import { ApiError, notFound } from "../../errors";
import { commonErrors, PageQuerySchema, problemResponse } from "../../schemas/common";
import {
  ApiKeySchema,
  CreateApiKeySchema,
  CreatedApiKeySchema,
  CreateTenantSchema,
  TenantParamSchema,
  TenantSchema,
  toApiKeyObject,
  toTenantObject,
  UpdateTenantSchema,
} from "../../schemas/admin";
import { sha256Hex } from "../../storage/api-keys-repo";
import {
  getTenant,
  insertApiKey,
  insertTenant,
  listApiKeys,
  listTenants,
  revokeApiKey,
  updateTenant,
} from "../../storage/tenants-repo";
import { ulid } from "ulid";
import { requireAdminToken } from "../admin-auth";
import { decodeCursor, paginate } from "../cursor";
import { createRouter } from "../router";

export const admin = createRouter();
admin.use("/admin/*", requireAdminToken);

const adminAuth = [{ adminToken: [] }];
const json = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { "application/json": { schema } },
});
const tenantNotFound = { 404: problemResponse("No such tenant (`not_found`).") };

admin.openapi(
  createRoute({
    method: "post",
    path: "/admin/tenants",
    summary: "Create a tenant",
    tags: ["admin"],
    security: adminAuth,
    request: { body: { required: true, content: { "application/json": { schema: CreateTenantSchema } } } },
    responses: {
      201: json(TenantSchema, "Created."),
      ...commonErrors,
      409: problemResponse("The id is taken (`conflict`)."),
    },
  }),
  async (c) => {
    const body = c.req.valid("json");
    const tenant = {
      id: body.id ?? `t${ulid().toLowerCase()}`,
      name: body.name,
      jurisdiction: body.jurisdiction,
      settings: body.settings,
      createdAt: Date.now(),
    };
    if (!(await insertTenant(c.env.DB, tenant))) {
      throw new ApiError("conflict", `a tenant with id '${tenant.id}' already exists`);
    }
    return c.json(toTenantObject(tenant), 201);
  },
);

admin.openapi(
  createRoute({
    method: "get",
    path: "/admin/tenants",
    summary: "List tenants",
    tags: ["admin"],
    security: adminAuth,
    request: { query: PageQuerySchema },
    responses: {
      200: json(z.object({ tenants: z.array(TenantSchema), nextCursor: z.string().nullable() }), "A page."),
      ...commonErrors,
    },
  }),
  async (c) => {
    const { limit, cursor } = c.req.valid("query");
    const rows = await listTenants(c.env.DB, limit + 1, decodeCursor(cursor));
    const { page, nextCursor } = paginate(rows, limit);
    return c.json({ tenants: page.map(toTenantObject), nextCursor }, 200);
  },
);

admin.openapi(
  createRoute({
    method: "get",
    path: "/admin/tenants/{tenantId}",
    summary: "Get a tenant",
    tags: ["admin"],
    security: adminAuth,
    request: { params: TenantParamSchema },
    responses: { 200: json(TenantSchema, "The tenant."), ...commonErrors, ...tenantNotFound },
  }),
  async (c) => {
    const tenant = await getTenant(c.env.DB, c.req.valid("param").tenantId);
    if (!tenant) throw notFound("the tenant");
    return c.json(toTenantObject(tenant), 200);
  },
);

admin.openapi(
  createRoute({
    method: "patch",
    path: "/admin/tenants/{tenantId}",
    summary: "Change a tenant's name or settings",
    description: "The jurisdiction cannot change: the tenant's data already lives there.",
    tags: ["admin"],
    security: adminAuth,
    request: {
      params: TenantParamSchema,
      body: { required: true, content: { "application/json": { schema: UpdateTenantSchema } } },
    },
    responses: { 200: json(TenantSchema, "The tenant."), ...commonErrors, ...tenantNotFound },
  }),
  async (c) => {
    const tenant = await updateTenant(c.env.DB, c.req.valid("param").tenantId, c.req.valid("json"));
    if (!tenant) throw notFound("the tenant");
    return c.json(toTenantObject(tenant), 200);
  },
);

admin.openapi(
  createRoute({
    method: "post",
    path: "/admin/tenants/{tenantId}/keys",
    summary: "Create an API key",
    description: "The response carries the key; it is never shown again (only its SHA-256 is stored).",
    tags: ["admin"],
    security: adminAuth,
    request: {
      params: TenantParamSchema,
      body: { required: false, content: { "application/json": { schema: CreateApiKeySchema } } },
    },
    responses: { 201: json(CreatedApiKeySchema, "Created."), ...commonErrors, ...tenantNotFound },
  }),
  async (c) => {
    const tenantId = c.req.valid("param").tenantId;
    if (!(await getTenant(c.env.DB, tenantId))) throw notFound("the tenant");
    const key = generateApiKey();
    const record = {
      id: `key_${ulid()}`,
      tenantId,
      prefix: key.slice(0, DISPLAY_PREFIX_LENGTH),
      name: c.req.valid("json").name ?? null,
      createdAt: Date.now(),
      revokedAt: null,
    };
    await insertApiKey(c.env.DB, record, await sha256Hex(key));
    return c.json({ ...toApiKeyObject(record), key }, 201);
  },
);

admin.openapi(
  createRoute({
    method: "get",
    path: "/admin/tenants/{tenantId}/keys",
    summary: "List a tenant's API keys",
    description: "Prefixes and dates only; keys themselves are never shown again.",
    tags: ["admin"],
    security: adminAuth,
    request: { params: TenantParamSchema },
    responses: {
      200: json(z.object({ keys: z.array(ApiKeySchema) }), "The keys."),
      ...commonErrors,
      ...tenantNotFound,
    },
  }),
  async (c) => {
    const tenantId = c.req.valid("param").tenantId;
    if (!(await getTenant(c.env.DB, tenantId))) throw notFound("the tenant");
    return c.json({ keys: (await listApiKeys(c.env.DB, tenantId)).map(toApiKeyObject) }, 200);
  },
);

admin.openapi(
  createRoute({
    method: "delete",
    path: "/admin/tenants/{tenantId}/keys/{keyId}",
    summary: "Revoke an API key",
    description: "The key stops working with the next request. Revoking twice is harmless.",
    tags: ["admin"],
    security: adminAuth,
    request: {
      params: TenantParamSchema.extend({
        keyId: z
          .string()
          .max(64)
          .openapi({ param: { name: "keyId", in: "path" } }),
      }),
    },
    responses: {
      204: { description: "Revoked." },
      ...commonErrors,
      404: problemResponse("No such tenant or key (`not_found`)."),
    },
  }),
  async (c) => {
    const { tenantId, keyId } = c.req.valid("param");
    if (!(await revokeApiKey(c.env.DB, tenantId, keyId, Date.now()))) throw notFound("the key");
    return c.body(null, 204);
  },
);
