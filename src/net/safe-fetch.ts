/**
 * `fetch` for URLs a client gave us. Redirects are followed by hand (`redirect: "manual"`), and every
 * hop goes through the URL guard before it is requested, so a public URL cannot bounce the request to
 * a loopback or metadata address. The number of hops is capped. The caller owns the returned
 * response's body; the bodies of redirect responses are discarded here.
 */
import { assertPublicHttpUrl, UrlNotAllowedError, type UrlGuardOptions } from "./url-guard";

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

export interface SafeFetchOptions extends UrlGuardOptions {
  /** Redirects followed before giving up (0: none). */
  maxRedirects: number;
  signal?: AbortSignal;
  headers?: HeadersInit;
  /** The fetch to use (the global one unless a test or a caller routes it elsewhere). */
  fetcher?: (request: Request) => Promise<Response>;
}

export interface SafeFetchResult {
  response: Response;
  /** The URL that answered (after redirects). */
  url: URL;
  /** Every URL requested, the first one included. */
  chain: URL[];
}

/** A redirect hop led to a URL the guard refuses. */
export class RedirectNotAllowedError extends Error {
  override readonly name = "RedirectNotAllowedError";
  constructor(
    readonly hop: number,
    readonly location: string,
    readonly refusal: UrlNotAllowedError,
  ) {
    super(`redirect ${hop} to ${location} is not allowed: ${refusal.reason}`);
  }
}

export class TooManyRedirectsError extends Error {
  override readonly name = "TooManyRedirectsError";
  constructor(readonly limit: number) {
    super(`more than ${limit} redirects`);
  }
}

/** GETs `input`, following only redirects that pass the guard. Throws the errors above. */
export async function fetchPublicUrl(
  input: string | URL,
  options: SafeFetchOptions,
): Promise<SafeFetchResult> {
  const fetcher = options.fetcher ?? ((request: Request) => fetch(request));
  let url = await assertPublicHttpUrl(input, options);
  const chain = [url];
  for (let hop = 0; ; hop++) {
    const response = await fetcher(
      new Request(url, {
        method: "GET",
        redirect: "manual",
        headers: options.headers,
        signal: options.signal,
      }),
    );
    const location = response.headers.get("Location");
    if (!REDIRECT_STATUSES.has(response.status) || location === null) return { response, url, chain };
    await response.body?.cancel();
    if (hop >= options.maxRedirects) throw new TooManyRedirectsError(options.maxRedirects);
    url = await nextHop(url, location, hop + 1, options);
    chain.push(url);
  }
}

async function nextHop(from: URL, location: string, hop: number, options: UrlGuardOptions): Promise<URL> {
  let target: URL;
  try {
    target = new URL(location, from);
  } catch {
    throw new RedirectNotAllowedError(
      hop,
      location,
      new UrlNotAllowedError("url_invalid", "not a valid URL"),
    );
  }
  try {
    return await assertPublicHttpUrl(target, options);
  } catch (error) {
    if (error instanceof UrlNotAllowedError) throw new RedirectNotAllowedError(hop, target.href, error);
    throw error;
  }
}
