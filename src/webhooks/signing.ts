/**
 * Standard Webhooks signatures (https://www.standardwebhooks.com): HMAC-SHA256 over
 * `{webhook-id}.{webhook-timestamp}.{body}` with the endpoint's `whsec_` secret, sent as
 * `v1,<base64>`. During a secret rotation every active secret signs and the signatures are sent
 * space-separated, so receivers verify with either the old or the new secret. The signing itself is
 * the reference implementation's (the `standardwebhooks` package).
 */
import { Webhook } from "standardwebhooks";

const SECRET_BYTES = 32;

export function generateWebhookSecret(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(SECRET_BYTES));
  return `whsec_${btoa(String.fromCharCode(...bytes))}`;
}

export type SignedHeaders = Record<"webhook-id" | "webhook-timestamp" | "webhook-signature", string>;

export function signWebhook(
  secrets: readonly string[],
  id: string,
  timestamp: Date,
  body: string,
): SignedHeaders {
  return {
    "webhook-id": id,
    "webhook-timestamp": String(Math.floor(timestamp.getTime() / 1000)),
    "webhook-signature": secrets.map((secret) => new Webhook(secret).sign(id, timestamp, body)).join(" "),
  };
}
