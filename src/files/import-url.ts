/**
 * Import by URL: fetches a public http(s) URL and stores the response like a direct upload (streamed to
 * R2, size-capped while streaming, its declared type checked against the bytes). Every URL on the way,
 * redirects included, passes the URL guard (src/net); the whole fetch, body included, runs under one
 * time limit. Failures become API errors with stable codes: `url_*` (400) for URLs that are not allowed,
 * `import_*` for sources that misbehave.
 */
import { getConfig } from "../config";
import { ApiError } from "../errors";
import { dohResolver } from "../net/doh";
import { fetchPublicUrl, RedirectNotAllowedError, TooManyRedirectsError } from "../net/safe-fetch";
import { UrlNotAllowedError } from "../net/url-guard";
import type { FileRecord } from "../storage/files-repo";
import type { Tenant } from "../tenancy/tenant";
import { mediaTypeEssence } from "./content-type";
import { normalizeFileName } from "./file-name";
import { storeUpload } from "./store-upload";

const USER_AGENT = "Sluice-Import/1.0";

export interface ImportRequest {
  url: string;
  name?: string | undefined;
}

export async function importFromUrl(env: Env, tenant: Tenant, request: ImportRequest): Promise<FileRecord> {
  const config = getConfig(env);
  const signal = AbortSignal.timeout(config.IMPORT_TIMEOUT_MS);
  const limit = config.IMPORT_MAX_BYTES;
  try {
    const { response, url } = await fetchPublicUrl(request.url, {
      allowPrivateHosts: config.IMPORT_ALLOW_PRIVATE_HOSTS,
      resolve: config.IMPORT_DOH_URL ? dohResolver(config.IMPORT_DOH_URL) : undefined,
      maxRedirects: config.IMPORT_MAX_REDIRECTS,
      signal,
      headers: { "User-Agent": USER_AGENT, Accept: "*/*" },
    });
    if (!response.ok) {
      await response.body?.cancel();
      throw new ApiError("import_source_failed", `${url.href} answered HTTP ${response.status}`, {
        upstreamStatus: response.status,
      });
    }
    if (Number(response.headers.get("Content-Length")) > limit) {
      await response.body?.cancel();
      throw tooLarge(limit);
    }
    if (!response.body) throw new ApiError("empty_body", `${url.href} answered an empty body`);
    return await storeUpload(env, {
      tenant,
      name: normalizeFileName(request.name ?? nameFromResponse(response, url)),
      declaredType: mediaTypeEssence(response.headers.get("Content-Type")),
      body: response.body as ReadableStream<Uint8Array>,
      maxBytes: limit,
    });
  } catch (error) {
    throw translate(error, signal, limit, config.IMPORT_TIMEOUT_MS);
  }
}

function translate(error: unknown, signal: AbortSignal, limit: number, timeoutMs: number): unknown {
  if (signal.aborted) {
    return new ApiError("import_timeout", `the import did not finish within ${timeoutMs} ms`, { timeoutMs });
  }
  if (error instanceof ApiError) return error.code === "payload_too_large" ? tooLarge(limit) : error;
  if (error instanceof UrlNotAllowedError) return new ApiError(error.code, error.reason);
  if (error instanceof RedirectNotAllowedError) {
    return new ApiError("url_redirect_not_allowed", error.message, {
      hop: error.hop,
      location: error.location,
      reason: error.refusal.code,
    });
  }
  if (error instanceof TooManyRedirectsError) {
    return new ApiError("import_too_many_redirects", `the URL redirected more than ${error.limit} times`, {
      limit: error.limit,
    });
  }
  return new ApiError("import_unreachable", `the URL could not be fetched: ${String(error)}`);
}

const tooLarge = (limit: number) =>
  new ApiError("import_too_large", `imports can be at most ${limit} bytes`, { limit });

/** The name a server gives the file (Content-Disposition), else the URL's last path segment. */
function nameFromResponse(response: Response, url: URL): string {
  const disposition = response.headers.get("Content-Disposition") ?? "";
  const extended = /filename\*\s*=\s*UTF-8''([^;]+)/i.exec(disposition)?.[1];
  if (extended) {
    try {
      return decodeURIComponent(extended.trim());
    } catch {
      // A malformed escape: fall through to the plain parameter.
    }
  }
  const plain = /filename\s*=\s*"?([^";]+)"?/i.exec(disposition)?.[1];
  if (plain) return plain.trim();
  const segment = url.pathname.split("/").pop() ?? "";
  try {
    return decodeURIComponent(segment) || "download";
  } catch {
    return segment || "download";
  }
}
