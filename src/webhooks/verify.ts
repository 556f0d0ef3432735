/**
 * Verification for webhook receivers: checks a delivery's `webhook-signature` against one or more
 * secrets (pass the old and the new one while rotating), refuses timestamps more than five minutes
 * off, and returns the parsed event. Throws `WebhookVerificationError` for anything that does not
 * verify: a missing header, a tampered body, a wrong secret, a stale timestamp.
 *
 *   import { verifyWebhook } from "sluice/webhooks/verify";
 *   const event = verifyWebhook(await request.text(), request.headers, [env.SLUICE_WEBHOOK_SECRET]);
 */
import { Webhook, WebhookVerificationError } from "standardwebhooks";

export { WebhookVerificationError };

const HEADERS = ["webhook-id", "webhook-timestamp", "webhook-signature"] as const;

export function verifyWebhook(
  body: string,
  headers: Headers | Readonly<Record<string, string>>,
  secrets: readonly string[],
): unknown {
  const get = (name: string) => (headers instanceof Headers ? headers.get(name) : headers[name]) ?? undefined;
  const values: Record<string, string> = {};
  for (const name of HEADERS) {
    const value = get(name);
    if (value === undefined) throw new WebhookVerificationError(`missing header ${name}`);
    values[name] = value;
  }
  if (secrets.length === 0) throw new WebhookVerificationError("no secret to verify with");
  let lastError: unknown;
  for (const secret of secrets) {
    try {
      return new Webhook(secret).verify(body, values);
    } catch (error) {
      lastError = error;
    }
  }
  throw lastError instanceof WebhookVerificationError
    ? lastError
    : new WebhookVerificationError("No matching signature found");
}
