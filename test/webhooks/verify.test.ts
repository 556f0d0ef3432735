import { describe, expect, it } from "vitest";
import { generateWebhookSecret, signWebhook } from "../../src/webhooks/signing";
import { verifyWebhook, WebhookVerificationError } from "../../src/webhooks/verify";

const body = '{"type":"job.completed","data":{"status":"completed"}}';
const id = "evt_01JD3Z7A2B4C6D8E0F1G3H5J7K_7";

describe("Standard Webhooks signing", () => {
  it("matches the specification's reference signature", () => {
    const headers = signWebhook(
      ["whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"],
      "msg_p5jXN8AQM9LWM0D4loKWxJek",
      new Date(1614265330 * 1000),
      '{"test": 2432232314}',
    );
    expect(headers["webhook-signature"]).toBe("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    expect(headers["webhook-timestamp"]).toBe("1614265330");
  });

  it("generates 32-byte whsec_ secrets", () => {
    const secret = generateWebhookSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(atob(secret.slice(6))).toHaveLength(32);
    expect(generateWebhookSecret()).not.toBe(secret);
  });
});

describe("verifyWebhook (the receivers' helper)", () => {
  const secret = generateWebhookSecret();
  const signed = (secrets = [secret], at = new Date(), payload = body) =>
    signWebhook(secrets, id, at, payload);

  it("accepts a valid delivery and returns the event", () => {
    expect(verifyWebhook(body, signed(), [secret])).toEqual(JSON.parse(body));
    expect(verifyWebhook(body, new Headers({ ...signed() }), [secret])).toEqual(JSON.parse(body));
  });

  it("accepts both secrets during a rotation, with either one configured at the receiver", () => {
    const next = generateWebhookSecret();
    const headers = signed([next, secret]);
    expect(headers["webhook-signature"].split(" ")).toHaveLength(2);
    expect(verifyWebhook(body, headers, [secret])).toEqual(JSON.parse(body));
    expect(verifyWebhook(body, headers, [next])).toEqual(JSON.parse(body));
    expect(verifyWebhook(body, signed([next]), [secret, next])).toEqual(JSON.parse(body));
  });

  it("refuses a tampered body", () => {
    expect(() => verifyWebhook(body.replace("completed", "failed"), signed(), [secret])).toThrow(
      WebhookVerificationError,
    );
  });

  it("refuses a wrong secret", () => {
    expect(() => verifyWebhook(body, signed(), [generateWebhookSecret()])).toThrow(WebhookVerificationError);
  });

  it("refuses stale and future timestamps (more than five minutes off)", () => {
    const old = new Date(Date.now() - 6 * 60 * 1000);
    const future = new Date(Date.now() + 6 * 60 * 1000);
    expect(() => verifyWebhook(body, signed([secret], old), [secret])).toThrow(/too old/);
    expect(() => verifyWebhook(body, signed([secret], future), [secret])).toThrow(/too new/);
  });

  it("refuses a delivery with a missing header", () => {
    for (const name of ["webhook-id", "webhook-timestamp", "webhook-signature"] as const) {
      const headers = Object.fromEntries(Object.entries(signed()).filter(([header]) => header !== name));
      expect(() => verifyWebhook(body, headers, [secret])).toThrow(/missing header/);
    }
  });

  it("refuses a different webhook-id (the id is signed)", () => {
    expect(() => verifyWebhook(body, { ...signed(), "webhook-id": "evt_other_1" }, [secret])).toThrow(
      WebhookVerificationError,
    );
  });
});
