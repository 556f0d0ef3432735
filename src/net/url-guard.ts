/**
 * The guard for every URL Sluice fetches on a client's behalf (URL import, webhook deliveries): only
 * http(s), no credentials in the URL, and a host that is a public internet address or name. Names can
 * additionally be checked by resolving them (see `dohResolver`), because Workers cannot resolve DNS
 * themselves; without a resolver a public-looking name that points at a private address gets through,
 * which is the residual risk the README describes.
 *
 * Refusals are `UrlNotAllowedError`s with a stable code, so each caller can map them to its own API
 * error without string matching.
 */
import { classifyAddress, classifyHost, isIpLiteral } from "./address";

export type UrlRefusalCode =
  "url_invalid" | "url_scheme_not_allowed" | "url_credentials_not_allowed" | "url_host_not_allowed";

export class UrlNotAllowedError extends Error {
  override readonly name = "UrlNotAllowedError";
  constructor(
    readonly code: UrlRefusalCode,
    readonly reason: string,
  ) {
    super(reason);
  }
}

export interface UrlGuardOptions {
  /**
   * `host` or `host:port` entries (lower case) allowed although they are private or loopback. Meant
   * for tests that serve fixtures from a local origin; production configuration leaves it empty.
   */
  allowPrivateHosts?: readonly string[];
  /** Resolves a name to its addresses; when given, a name with any non-public address is refused. */
  resolve?: (hostname: string) => Promise<string[]>;
}

const ALLOWED_PROTOCOLS = new Set(["http:", "https:"]);

/**
 * Checks everything that can be decided from the URL alone. Returns the parsed URL, or throws
 * UrlNotAllowedError.
 */
export function checkPublicHttpUrl(input: string | URL, options: UrlGuardOptions = {}): URL {
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    throw new UrlNotAllowedError("url_invalid", "not a valid absolute URL");
  }
  if (!ALLOWED_PROTOCOLS.has(url.protocol)) {
    throw new UrlNotAllowedError("url_scheme_not_allowed", `the scheme ${url.protocol} is not allowed`);
  }
  if (url.username !== "" || url.password !== "") {
    throw new UrlNotAllowedError("url_credentials_not_allowed", "the URL carries a user name or password");
  }
  if (isAllowListed(url, options)) return url;
  const refusal = classifyHost(url.hostname);
  if (refusal) throw new UrlNotAllowedError("url_host_not_allowed", refusal);
  return url;
}

/**
 * `checkPublicHttpUrl`, then (with a resolver) the addresses the name resolves to. A resolver failure
 * refuses the URL: a guard that cannot tell must not let the request through.
 */
export async function assertPublicHttpUrl(input: string | URL, options: UrlGuardOptions = {}): Promise<URL> {
  const url = checkPublicHttpUrl(input, options);
  if (!options.resolve || isAllowListed(url, options) || isIpLiteral(url.hostname)) return url;
  let addresses: string[];
  try {
    addresses = await options.resolve(url.hostname);
  } catch (error) {
    throw new UrlNotAllowedError(
      "url_host_not_allowed",
      `${url.hostname} could not be checked: name resolution failed (${String(error)})`,
    );
  }
  for (const address of addresses) {
    const refusal = classifyAddress(address);
    if (refusal === undefined) {
      throw new UrlNotAllowedError(
        "url_host_not_allowed",
        `${url.hostname} resolves to ${address}, not an IP address`,
      );
    }
    if (refusal)
      throw new UrlNotAllowedError("url_host_not_allowed", `${url.hostname} resolves to ${refusal}`);
  }
  return url;
}

function isAllowListed(url: URL, options: UrlGuardOptions): boolean {
  const allowed = options.allowPrivateHosts ?? [];
  return allowed.includes(url.host.toLowerCase()) || allowed.includes(url.hostname.toLowerCase());
}
