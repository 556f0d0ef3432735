/**
 * The webhooks queue consumer: delivers each job event to its endpoint as a signed POST. The event id
 * is the `webhook-id` on every attempt (retries and replays), so receivers can drop duplicates.
 * Failures (non-2xx, redirects, which are never followed, timeouts, network errors) are retried by
 * the queue with exponential backoff and jitter until WEBHOOK_MAX_ATTEMPTS; a 410 Gone stops delivery
 * and disables the endpoint. Every attempt is recorded.
 */
import { getConfig, type Config } from "../config";
import { backoffSeconds } from "../queue/backoff";
import {
  ensureDelivery,
  recordAttempt,
  setDeliveryStatus,
  type DeliveryRecord,
} from "../storage/webhook-deliveries-repo";
import { disableEndpoint, getEndpoint, type EndpointRecord } from "../storage/webhook-endpoints-repo";
import { WebhookMessageSchema } from "./messages";
import { signWebhook } from "./signing";
import { checkDestination } from "./destination";
import { log } from "../observability/log";

type Outcome = { kind: "delivered" | "gone" | "failed"; status: number | null; error: string | null };

export async function handleWebhookBatch(batch: MessageBatch, env: Env): Promise<void> {
  const config = getConfig(env);
  // Deliveries wait on other people's servers: run them side by side so one slow receiver does not
  // hold up the rest of the batch.
  await Promise.all(batch.messages.map((message) => handleMessage(message, env, config)));
}

async function handleMessage(message: Message, env: Env, config: Config): Promise<void> {
  const parsed = WebhookMessageSchema.safeParse(message.body);
  if (!parsed.success) {
    log("error", "invalid webhook message", { messageId: message.id });
    message.ack();
    return;
  }
  const { tenantId, endpointId, event } = parsed.data;
  const now = Date.now();
  const delivery = await ensureDelivery(env.DB, {
    tenantId,
    id: event.id,
    endpointId,
    jobId: event.jobId,
    eventType: event.type,
    payload: JSON.stringify(event),
    status: "pending",
    attempts: 0,
    lastStatus: null,
    lastError: null,
    createdAt: now,
    updatedAt: now,
    deliveredAt: null,
  });
  if (delivery.status !== "pending") {
    message.ack();
    return;
  }
  const endpoint = await getEndpoint(env.DB, tenantId, endpointId);
  if (!endpoint || endpoint.disabledAt !== null) {
    const reason = endpoint
      ? `the endpoint is disabled (${endpoint.disabledReason ?? ""})`
      : "the endpoint was deleted";
    await setDeliveryStatus(env.DB, delivery, "failed", reason, now);
    message.ack();
    return;
  }
  const started = Date.now();
  const outcome = await attempt(config, endpoint, delivery);
  const final = outcome.kind !== "failed" || message.attempts >= config.WEBHOOK_MAX_ATTEMPTS;
  log(outcome.kind === "delivered" ? "info" : "warn", "webhook attempt", {
    tenantId,
    jobId: event.jobId,
    endpointId,
    eventId: event.id,
    eventType: event.type,
    attempt: message.attempts,
    outcome: outcome.kind,
    status: outcome.status,
    error: outcome.error ?? undefined,
    final,
    durationMs: Date.now() - started,
  });
  await recordAttempt(
    env.DB,
    delivery,
    {
      attemptedAt: started,
      status: outcome.status,
      error: outcome.error,
      durationMs: Date.now() - started,
    },
    final ? outcome.kind : "pending",
  );
  if (outcome.kind === "gone")
    await disableEndpoint(env.DB, tenantId, endpointId, "the receiver answered 410 Gone", now);
  if (final) message.ack();
  else {
    message.retry({
      delaySeconds: backoffSeconds(
        message.attempts,
        config.WEBHOOK_RETRY_BASE_DELAY_SECONDS,
        config.WEBHOOK_RETRY_MAX_DELAY_SECONDS,
      ),
    });
  }
}

async function attempt(config: Config, endpoint: EndpointRecord, delivery: DeliveryRecord): Promise<Outcome> {
  const refused = await checkDestination(endpoint.url, config);
  if (refused) return { kind: "failed", status: null, error: refused };
  const secrets = [endpoint.secret];
  if (endpoint.previousSecret && (endpoint.previousSecretExpiresAt ?? 0) > Date.now()) {
    secrets.push(endpoint.previousSecret);
  }
  try {
    const response = await fetch(endpoint.url, {
      method: "POST",
      body: delivery.payload,
      headers: {
        ...signWebhook(secrets, delivery.id, new Date(), delivery.payload),
        "Content-Type": "application/json",
        "User-Agent": "Sluice-Webhooks/1",
      },
      redirect: "manual",
      signal: AbortSignal.timeout(config.WEBHOOK_TIMEOUT_MS),
    });
    await response.body?.cancel();
    if (response.ok) return { kind: "delivered", status: response.status, error: null };
    if (response.status === 410) return { kind: "gone", status: 410, error: "410 Gone" };
    const why =
      response.status >= 300 && response.status < 400 ? "redirects are not followed" : "non-2xx answer";
    return { kind: "failed", status: response.status, error: `${response.status}: ${why}` };
  } catch (error) {
    const timedOut = error instanceof DOMException && error.name === "TimeoutError";
    return {
      kind: "failed",
      status: null,
      error: timedOut ? `no answer within ${config.WEBHOOK_TIMEOUT_MS} ms` : String(error),
    };
  }
}
