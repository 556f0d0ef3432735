/**
 * Settings a production deployment must carry in wrangler.toml's `[vars]`, checked by `npm run deploy`
 * before anything is deployed and by the configuration test. Workers cannot resolve DNS themselves, so
 * without IMPORT_DOH_URL the SSRF guard of URL import and webhook destinations (src/net/url-guard.ts)
 * could not see that a public-looking name points at a private address: production requires it.
 */
import { URL } from "node:url";

/**
 * Why the configuration is not fit for production (empty when it is).
 * @param {import("wrangler").Unstable_RawConfig} config
 * @returns {string[]}
 */
export function productionSettingProblems(config) {
  const problems = [];
  const resolver = config.vars?.["IMPORT_DOH_URL"];
  if (typeof resolver !== "string" || !isHttpsUrl(resolver)) {
    problems.push(
      "[vars] IMPORT_DOH_URL must be an https DNS-over-HTTPS resolver (e.g. https://cloudflare-dns.com/dns-query): " +
        "without it import and webhook destinations get no DNS check",
    );
  }
  return problems;
}

/** @param {string} value */
function isHttpsUrl(value) {
  try {
    return new URL(value).protocol === "https:";
  } catch {
    return false;
  }
}
