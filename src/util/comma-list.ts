/**
 * Lists written as one comma-separated string (settings, query parameters): items trimmed, empty ones
 * dropped, so "a, b," and "a,b" read the same.
 */
export const splitCommas = (value: string): string[] =>
  value
    .split(",")
    .map((item) => item.trim())
    .filter((item) => item !== "");
