/**
 * Where webhooks may go: the same guard as URL import (src/net/url-guard.ts): http(s) only, no
 * credentials, and no private, loopback, link-local or metadata hosts, with the optional DNS-over-HTTPS
 * check of names when IMPORT_DOH_URL is configured. Checked when an endpoint is registered and again
 * before every delivery. Returns why a URL is refused, or null when it may be used.
 */
import type { Config } from "../config";
import { dohResolver } from "../net/doh";
import { assertPublicHttpUrl, UrlNotAllowedError } from "../net/url-guard";

export async function checkDestination(url: string, config: Config): Promise<string | null> {
  try {
    await assertPublicHttpUrl(
      url,
      config.IMPORT_DOH_URL ? { resolve: dohResolver(config.IMPORT_DOH_URL) } : {},
    );
    return null;
  } catch (error) {
    if (error instanceof UrlNotAllowedError) return error.reason;
    throw error;
  }
}
