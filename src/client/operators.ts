/**
 * The parts of the API that operators rather than end users call: webhook endpoints and their
 * deliveries, dead letters, and the admin API (tenants and API keys, with the ADMIN_TOKEN).
 */
import { paginate } from "./pagination";
import type { Transport } from "./transport";
import type {
  ApiKey,
  CreatedApiKey,
  CreateTenantRequest,
  CreateWebhookRequest,
  DeadLetter,
  DeadLetterList,
  Tenant,
  WebhookDelivery,
  WebhookDeliveryDetail,
  WebhookEndpoint,
  WebhookEndpointWithSecret,
} from "./types";

const enc = encodeURIComponent;

export class WebhooksApi {
  constructor(private readonly transport: Transport) {}

  /** Registers an endpoint; the answer holds its signing secret (shown only here). */
  create(request: CreateWebhookRequest): Promise<WebhookEndpointWithSecret> {
    return this.transport.json({ method: "POST", path: "/v1/webhooks", json: request });
  }

  async list(): Promise<WebhookEndpoint[]> {
    return (
      await this.transport.json<{ webhooks: WebhookEndpoint[] }>({ method: "GET", path: "/v1/webhooks" })
    ).webhooks;
  }

  async delete(id: string): Promise<void> {
    await this.transport.send({ method: "DELETE", path: `/v1/webhooks/${enc(id)}` });
  }

  rotate(id: string): Promise<WebhookEndpointWithSecret> {
    return this.transport.json({ method: "POST", path: `/v1/webhooks/${enc(id)}/rotate` });
  }

  async deliveries(
    id: string,
    query: { jobId?: string; status?: WebhookDelivery["status"]; limit?: number } = {},
  ): Promise<WebhookDelivery[]> {
    const answer = await this.transport.json<{ deliveries: WebhookDelivery[] }>({
      method: "GET",
      path: `/v1/webhooks/${enc(id)}/deliveries`,
      query,
    });
    return answer.deliveries;
  }

  delivery(id: string, deliveryId: string): Promise<WebhookDeliveryDetail> {
    return this.transport.json({
      method: "GET",
      path: `/v1/webhooks/${enc(id)}/deliveries/${enc(deliveryId)}`,
    });
  }

  replay(id: string, deliveryId: string): Promise<WebhookDelivery> {
    return this.transport.json({
      method: "POST",
      path: `/v1/webhooks/${enc(id)}/deliveries/${enc(deliveryId)}/replay`,
    });
  }
}

export class DeadLettersApi {
  constructor(private readonly transport: Transport) {}

  list(
    query: { status?: DeadLetter["status"]; limit?: number; cursor?: string } = {},
  ): Promise<DeadLetterList> {
    return this.transport.json({ method: "GET", path: "/v1/dead-letters", query });
  }

  iterate(query: { status?: DeadLetter["status"]; pageSize?: number } = {}): AsyncGenerator<DeadLetter> {
    return paginate(async (cursor) => {
      const page = await this.list({
        ...(query.status ? { status: query.status } : {}),
        limit: query.pageSize ?? 100,
        ...(cursor ? { cursor } : {}),
      });
      return { items: page.deadLetters, next: page.nextCursor };
    });
  }

  /** Runs a dead-lettered file again; answers the dead letter, now `redriven`. */
  redrive(id: string): Promise<DeadLetter> {
    return this.transport.json({ method: "POST", path: `/v1/dead-letters/${enc(id)}/redrive` });
  }
}

/** The admin API; the client must have been given the deployment's `adminToken`. */
export class AdminApi {
  constructor(private readonly transport: Transport) {}

  createTenant(request: CreateTenantRequest): Promise<Tenant> {
    return this.transport.json({ method: "POST", path: "/admin/tenants", json: request, auth: "admin" });
  }

  listTenants(
    query: { limit?: number; cursor?: string } = {},
  ): Promise<{ tenants: Tenant[]; nextCursor: string | null }> {
    return this.transport.json({ method: "GET", path: "/admin/tenants", query, auth: "admin" });
  }

  getTenant(id: string): Promise<Tenant> {
    return this.transport.json({ method: "GET", path: `/admin/tenants/${enc(id)}`, auth: "admin" });
  }

  updateTenant(id: string, update: { name?: string; settings?: Tenant["settings"] }): Promise<Tenant> {
    return this.transport.json({
      method: "PATCH",
      path: `/admin/tenants/${enc(id)}`,
      json: update,
      auth: "admin",
    });
  }

  /** Creates an API key; the answer holds the key itself (shown only here). */
  createKey(tenantId: string, name?: string): Promise<CreatedApiKey> {
    return this.transport.json({
      method: "POST",
      path: `/admin/tenants/${enc(tenantId)}/keys`,
      json: name ? { name } : {},
      auth: "admin",
    });
  }

  async listKeys(tenantId: string): Promise<ApiKey[]> {
    const answer = await this.transport.json<{ keys: ApiKey[] }>({
      method: "GET",
      path: `/admin/tenants/${enc(tenantId)}/keys`,
      auth: "admin",
    });
    return answer.keys;
  }

  async revokeKey(tenantId: string, keyId: string): Promise<void> {
    await this.transport.send({
      method: "DELETE",
      path: `/admin/tenants/${enc(tenantId)}/keys/${enc(keyId)}`,
      auth: "admin",
    });
  }
}
