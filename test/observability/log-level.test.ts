/** LOG_LEVEL drops the lines below it; an unset or invalid value keeps the default, `info`. */
import { afterEach, describe, expect, it, vi } from "vitest";
import { configureLogging, log } from "../../src/observability/log";

afterEach(() => {
  configureLogging({});
  vi.restoreAllMocks();
});

/** The messages written while `write` runs, by console method. */
function captured(write: () => void): Record<"log" | "warn" | "error", string[]> {
  const spies = {
    log: vi.spyOn(console, "log").mockImplementation(() => undefined),
    warn: vi.spyOn(console, "warn").mockImplementation(() => undefined),
    error: vi.spyOn(console, "error").mockImplementation(() => undefined),
  };
  write();
  const messages = (spy: (typeof spies)["log"]) =>
    spy.mock.calls.map(([line]) => (JSON.parse(String(line)) as { msg: string }).msg);
  const result = { log: messages(spies.log), warn: messages(spies.warn), error: messages(spies.error) };
  vi.restoreAllMocks();
  return result;
}

const writeAll = () => {
  log("debug", "d");
  log("info", "i");
  log("warn", "w");
  log("error", "e");
};

describe("LOG_LEVEL", () => {
  it("writes info and above by default", () => {
    configureLogging({});
    expect(captured(writeAll)).toEqual({ log: ["i"], warn: ["w"], error: ["e"] });
  });

  it("drops info lines at warn", () => {
    configureLogging({ LOG_LEVEL: "warn" });
    expect(captured(writeAll)).toEqual({ log: [], warn: ["w"], error: ["e"] });
  });

  it("keeps only errors at error, and falls back to info for a value it does not know", () => {
    configureLogging({ LOG_LEVEL: "error" });
    expect(captured(writeAll)).toEqual({ log: [], warn: [], error: ["e"] });
    configureLogging({ LOG_LEVEL: "verbose" });
    expect(captured(writeAll)).toEqual({ log: ["i"], warn: ["w"], error: ["e"] });
  });
});
