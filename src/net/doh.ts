/**
 * Name resolution over DNS-over-HTTPS (the JSON API that Cloudflare's and Google's resolvers serve),
 * for the URL guard: Workers cannot resolve names themselves. Both A and AAAA records are asked for;
 * a resolver error or an unexpected answer fails the lookup, so the guard refuses rather than guesses.
 *
 * This narrows, but does not close, the gap: the fetch that follows resolves the name again, and a
 * name with a very short TTL can answer differently the second time (DNS rebinding).
 */
import { z } from "zod";

const DnsJsonSchema = z.object({
  Status: z.number().int(),
  Answer: z.array(z.object({ type: z.number().int(), data: z.string() })).optional(),
});

const RECORD_TYPES = { A: 1, AAAA: 28 } as const;
const NOERROR = 0;
const NXDOMAIN = 3;

export type Resolver = (hostname: string) => Promise<string[]>;

export function dohResolver(
  endpoint: string,
  fetcher: (request: Request) => Promise<Response> = (request) => fetch(request),
): Resolver {
  return async (hostname) => {
    const answers = await Promise.all(
      (Object.keys(RECORD_TYPES) as (keyof typeof RECORD_TYPES)[]).map(async (type) => {
        const url = new URL(endpoint);
        url.searchParams.set("name", hostname);
        url.searchParams.set("type", type);
        const response = await fetcher(new Request(url, { headers: { Accept: "application/dns-json" } }));
        if (!response.ok) throw new Error(`resolver answered HTTP ${response.status}`);
        const body = DnsJsonSchema.parse(await response.json());
        if (body.Status === NXDOMAIN) return [];
        if (body.Status !== NOERROR) throw new Error(`resolver answered DNS status ${body.Status}`);
        // CNAME records come along in the answer; only the addresses they lead to matter.
        return (body.Answer ?? []).filter((record) => record.type === RECORD_TYPES[type]).map((r) => r.data);
      }),
    );
    return answers.flat();
  };
}
