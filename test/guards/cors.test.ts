/**
 * CORS for browser uploads: the tests' Worker allows https://app.example.com (CORS_ALLOWED_ORIGINS in
 * vitest.config.ts). Its preflights are answered without an API key, its answers (errors too) name it
 * and expose ETag, Location and X-Request-Id; other origins get no CORS headers.
 */
import { describe, expect, it } from "vitest";
import { api, call } from "../helpers/api";

const APP = "https://app.example.com";

const preflight = (origin: string, path: string, method: string) =>
  call(null, path, {
    method: "OPTIONS",
    headers: {
      Origin: origin,
      "Access-Control-Request-Method": method,
      "Access-Control-Request-Headers": "authorization, content-type",
    },
  });

describe("CORS", () => {
  it("answers a preflight from an allowed origin before authentication", async () => {
    const response = await preflight(APP, "/v1/uploads/s3/multipart", "POST");
    expect(response.status).toBe(204);
    expect(response.headers.get("Access-Control-Allow-Origin")).toBe(APP);
    expect(response.headers.get("Access-Control-Allow-Methods")).toContain("POST");
    expect(response.headers.get("Access-Control-Allow-Headers")?.toLowerCase()).toContain("authorization");
    expect(response.headers.get("Access-Control-Max-Age")).toBe("600");
  });

  it("exposes ETag, Location and X-Request-Id to the allowed origin, on successes and errors", async () => {
    const created = await api("/v1/files?name=a.txt", {
      method: "POST",
      headers: { Origin: APP, "Content-Type": "text/plain" },
      body: "hello",
    });
    expect(created.status).toBe(201);
    expect(created.headers.get("Access-Control-Allow-Origin")).toBe(APP);
    const exposed = (created.headers.get("Access-Control-Expose-Headers") ?? "").split(",");
    expect(exposed).toEqual(expect.arrayContaining(["ETag", "Location", "X-Request-Id"]));
    expect(created.headers.get("Vary")).toContain("Origin");

    const unauthorized = await call(null, "/v1/files", { headers: { Origin: APP } });
    expect(unauthorized.status).toBe(401);
    expect(unauthorized.headers.get("Access-Control-Allow-Origin")).toBe(APP);
  });

  it("gives other origins no CORS headers", async () => {
    const response = await preflight("https://evil.example.net", "/v1/files", "POST");
    expect(response.headers.get("Access-Control-Allow-Origin")).toBeNull();
    const get = await api("/v1/files", { headers: { Origin: "https://evil.example.net" } });
    expect(get.status).toBe(200);
    expect(get.headers.get("Access-Control-Allow-Origin")).toBeNull();
  });
});
