/** Parsing W3C `traceparent` headers: what is continued, what is ignored, and the ids Sluice makes. */
import { describe, expect, it } from "vitest";
import { parseTraceparent, traceFrom, traceResponse } from "../../src/observability/trace";

const TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
const SPAN = "00f067aa0ba902b7";

describe("traceparent", () => {
  it("continues a valid header (version 00, and later versions with more fields)", () => {
    expect(parseTraceparent(`00-${TRACE}-${SPAN}-01`)).toEqual({
      traceId: TRACE,
      parentId: SPAN,
      flags: "01",
    });
    expect(parseTraceparent(` 00-${TRACE}-${SPAN}-00 `)?.flags).toBe("00");
    expect(parseTraceparent(`cc-${TRACE}-${SPAN}-01-what-comes-later`)?.traceId).toBe(TRACE);
  });

  it("ignores invalid headers", () => {
    for (const header of [
      undefined,
      "",
      "garbage",
      `00-${TRACE.toUpperCase()}-${SPAN}-01`,
      `ff-${TRACE}-${SPAN}-01`,
      `00-${TRACE}-${SPAN}-01-extra`,
      `00-${"0".repeat(32)}-${SPAN}-01`,
      `00-${TRACE}-${"0".repeat(16)}-01`,
      `00-${TRACE.slice(1)}-${SPAN}-01`,
      `00-${TRACE}-${SPAN}-1`,
      `cc-${TRACE}-${SPAN}-01extra`,
    ]) {
      expect(parseTraceparent(header), String(header)).toBeNull();
    }
  });

  it("starts a new sampled trace when there is nothing to continue, and answers with a new span", () => {
    const first = traceFrom("garbage");
    const second = traceFrom(null);
    expect(first.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(first.traceId).not.toBe(second.traceId);
    expect(first).toMatchObject({ parentId: null, flags: "01" });
    const response = traceResponse(traceFrom(`00-${TRACE}-${SPAN}-00`));
    expect(response).toMatch(new RegExp(`^00-${TRACE}-[0-9a-f]{16}-00$`));
    expect(response).not.toContain(SPAN);
  });
});
