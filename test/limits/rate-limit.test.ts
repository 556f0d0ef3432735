import { describe, expect, it } from "vitest";
import { adminTenant, call, json } from "../helpers/api";

describe("fair use per tenant", () => {
  it("answers a burst over the tenant's limit with 429 and Retry-After, and leaves other tenants alone", async () => {
    const flooding = await adminTenant({ id: "flooder", settings: { requestsPerSecond: 0.5, burst: 5 } });
    const quiet = await adminTenant({ id: "quiet", settings: { requestsPerSecond: 0.5, burst: 5 } });

    const statuses: number[] = [];
    let limited: Response | undefined;
    for (let i = 0; i < 8; i++) {
      const response = await call(flooding, "/v1/files");
      statuses.push(response.status);
      if (response.status === 429) limited = response;
      else await response.body?.cancel();
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429, 429]);
    expect(limited?.headers.get("Retry-After")).toBe("2");
    const problem = await json(limited ?? new Response(), 429);
    expect(problem["code"]).toBe("rate_limited");

    expect((await call(quiet, "/v1/files")).status).toBe(200);
  });

  it("takes its limits from the tenant's settings", async () => {
    const generous = await adminTenant({ id: "generous", settings: { requestsPerSecond: 100, burst: 50 } });
    for (let i = 0; i < 40; i++) expect((await call(generous, "/v1/files")).status).toBe(200);
  });
});
