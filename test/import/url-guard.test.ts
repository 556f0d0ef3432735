/**
 * The URL guard (src/net) on its own: which URLs a server-side fetch may reach, how numeric host
 * spellings are caught, what a resolver adds, and how redirects are followed hop by hop.
 */
import { describe, expect, it } from "vitest";
import { getConfig } from "../../src/config";
import { fetchPublicUrl, RedirectNotAllowedError, TooManyRedirectsError } from "../../src/net/safe-fetch";
import { assertPublicHttpUrl, checkPublicHttpUrl, UrlNotAllowedError } from "../../src/net/url-guard";

function refusal(url: string, options = {}): [string, string] | null {
  try {
    checkPublicHttpUrl(url, options);
    return null;
  } catch (error) {
    if (!(error instanceof UrlNotAllowedError)) throw error;
    return [error.code, error.reason];
  }
}

describe("checkPublicHttpUrl", () => {
  it.each([
    ["http://127.0.0.1/", "127.0.0.1 is a loopback address"],
    ["http://[::1]/", "::1 is a loopback address"],
    ["http://169.254.169.254/latest/meta-data/", "169.254.169.254 is a cloud metadata address"],
    ["http://[fd00:ec2::254]/", "fd00:ec2::254 is a cloud metadata address"],
    [
      "http://metadata.google.internal/computeMetadata/v1/",
      "metadata.google.internal is a cloud metadata host",
    ],
    ["http://10.1.2.3/", "10.1.2.3 is a private network address"],
    ["http://172.16.0.1/", "172.16.0.1 is a private network address"],
    ["http://192.168.1.1/", "192.168.1.1 is a private network address"],
    ["http://100.64.0.1/", "100.64.0.1 is a carrier-grade NAT (shared) address"],
    ["http://169.254.1.1/", "169.254.1.1 is a link-local address"],
    ["http://[fe80::1]/", "fe80::1 is a link-local address"],
    ["http://[fc00::1]/", "fc00::1 is a unique local (private) IPv6 address"],
    ["http://0.0.0.0/", "0.0.0.0 is the unspecified address"],
    ["http://[::]/", ":: is the unspecified address"],
    ["http://224.0.0.1/", "224.0.0.1 is a multicast address"],
    ["http://[ff02::1]/", "ff02::1 is a multicast address"],
    ["http://255.255.255.255/", "255.255.255.255 is the broadcast address"],
    ["http://192.0.2.1/", "192.0.2.1 is a reserved address (reserved)"],
    ["http://[::ffff:127.0.0.1]/", "::ffff:7f00:1 is an IPv4-mapped IPv6 address (of 127.0.0.1)"],
    ["http://[::ffff:a9fe:a9fe]/", "::ffff:a9fe:a9fe is an IPv4-mapped IPv6 address (of 169.254.169.254)"],
    // Numeric spellings of 127.0.0.1: WHATWG URL parsing turns them all into dotted decimal.
    ["http://0x7f000001/", "127.0.0.1 is a loopback address"],
    ["http://2130706433/", "127.0.0.1 is a loopback address"],
    ["http://0177.0.0.1/", "127.0.0.1 is a loopback address"],
    ["http://127.1/", "127.0.0.1 is a loopback address"],
    ["http://0x7f.1/", "127.0.0.1 is a loopback address"],
    ["http://localhost:8080/", "localhost is this machine"],
    ["http://LOCALHOST./", "localhost is this machine"],
    ["http://api.localhost/", "api.localhost is this machine"],
    ["http://printer.local/", "printer.local is a local-only name (.local)"],
    ["http://intranet/", "intranet is a single-label (local) name"],
  ])("refuses %s", (url, reason) => {
    expect(refusal(url)).toEqual(["url_host_not_allowed", reason]);
  });

  it("refuses other schemes, credentials and junk with their own codes", () => {
    expect(refusal("file:///etc/passwd")?.[0]).toBe("url_scheme_not_allowed");
    expect(refusal("gopher://example.com:70/_GET")?.[0]).toBe("url_scheme_not_allowed");
    expect(refusal("ftp://example.com/a")?.[0]).toBe("url_scheme_not_allowed");
    expect(refusal("javascript:alert(1)")?.[0]).toBe("url_scheme_not_allowed");
    expect(refusal("data:text/plain,hi")?.[0]).toBe("url_scheme_not_allowed");
    expect(refusal("https://user:secret@example.com/")?.[0]).toBe("url_credentials_not_allowed");
    expect(refusal("https://user@example.com/")?.[0]).toBe("url_credentials_not_allowed");
    expect(refusal("not a url")?.[0]).toBe("url_invalid");
    expect(refusal("//example.com/relative")?.[0]).toBe("url_invalid");
  });

  it("allows public addresses and names", () => {
    for (const url of [
      "https://example.com/report.pdf",
      "http://93.184.215.14/",
      "https://[2606:4700:4700::1111]/",
      "http://1.1.1.1:8080/x?y=z",
    ]) {
      expect(refusal(url)).toBeNull();
    }
  });

  it("lets through exactly the allow-listed private origins, and production allows none", () => {
    expect(refusal("http://127.0.0.1:4010/a", { allowPrivateHosts: ["127.0.0.1:4010"] })).toBeNull();
    expect(refusal("http://127.0.0.1:4011/a", { allowPrivateHosts: ["127.0.0.1:4010"] })?.[0]).toBe(
      "url_host_not_allowed",
    );
    expect(refusal("http://127.0.0.1/a", { allowPrivateHosts: ["127.0.0.1:4010"] })?.[0]).toBe(
      "url_host_not_allowed",
    );
    // Defaults (what a deployment without the test setting gets): nothing is allow-listed, no resolver.
    const defaults = getConfig({});
    expect(defaults.IMPORT_ALLOW_PRIVATE_HOSTS).toEqual([]);
    expect(defaults.IMPORT_DOH_URL).toBeUndefined();
  });
});

describe("assertPublicHttpUrl with a resolver", () => {
  const resolver = (table: Record<string, string[]>) => (name: string) => {
    const answer = table[name];
    return answer ? Promise.resolve(answer) : Promise.reject(new Error("SERVFAIL"));
  };

  it("refuses a public-looking name that resolves to a private address, and fails closed", async () => {
    const resolve = resolver({
      "ok.example": ["93.184.215.14"],
      "evil.example": ["93.184.215.14", "127.0.0.1"],
    });
    await expect(assertPublicHttpUrl("https://ok.example/", { resolve })).resolves.toBeInstanceOf(URL);
    await expect(assertPublicHttpUrl("https://evil.example/", { resolve })).rejects.toThrow(
      "evil.example resolves to 127.0.0.1 is a loopback address",
    );
    await expect(assertPublicHttpUrl("https://broken.example/", { resolve })).rejects.toThrow(
      "name resolution failed",
    );
    // IP literals are judged as they are; the resolver is not asked.
    await expect(assertPublicHttpUrl("http://93.184.215.14/", { resolve })).resolves.toBeInstanceOf(URL);
  });
});

describe("fetchPublicUrl", () => {
  /** A scripted origin: path → response. Records what was requested. */
  function origin(routes: Record<string, () => Response>) {
    const requested: string[] = [];
    const fetcher = (request: Request) => {
      requested.push(request.url);
      expect(request.redirect).toBe("manual");
      const route = routes[new URL(request.url).pathname];
      return Promise.resolve(route ? route() : new Response("missing", { status: 404 }));
    };
    return { fetcher, requested };
  }
  const redirect =
    (location: string, status = 302) =>
    () =>
      new Response(null, { status, headers: { Location: location } });

  it("follows allowed redirects (relative ones too) and reports the chain", async () => {
    const { fetcher, requested } = origin({
      "/a": redirect("/b", 301),
      "/b": redirect("https://example.com/c", 303),
      "/c": () => new Response("done"),
    });
    const result = await fetchPublicUrl("https://example.com/a", { maxRedirects: 5, fetcher });
    expect(await result.response.text()).toBe("done");
    expect(result.url.href).toBe("https://example.com/c");
    expect(requested).toEqual(["https://example.com/a", "https://example.com/b", "https://example.com/c"]);
  });

  it("checks every hop before requesting it", async () => {
    const { fetcher, requested } = origin({
      "/a": redirect("/b"),
      "/b": redirect("http://169.254.169.254/latest/"),
    });
    const error = await fetchPublicUrl("https://example.com/a", { maxRedirects: 5, fetcher }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(RedirectNotAllowedError);
    expect((error as RedirectNotAllowedError).hop).toBe(2);
    expect((error as RedirectNotAllowedError).refusal.code).toBe("url_host_not_allowed");
    expect(requested).not.toContain("http://169.254.169.254/latest/");

    const toFile = origin({ "/a": redirect("file:///etc/passwd") });
    const scheme = await fetchPublicUrl("https://example.com/a", {
      maxRedirects: 5,
      fetcher: toFile.fetcher,
    }).catch((e: unknown) => e);
    expect((scheme as RedirectNotAllowedError).refusal.code).toBe("url_scheme_not_allowed");
  });

  it("caps the number of hops", async () => {
    const { fetcher } = origin({ "/a": redirect("/b"), "/b": redirect("/a") });
    await expect(
      fetchPublicUrl("https://example.com/a", { maxRedirects: 3, fetcher }),
    ).rejects.toBeInstanceOf(TooManyRedirectsError);
    const none = origin({ "/a": redirect("/b"), "/b": () => new Response("b") });
    await expect(
      fetchPublicUrl("https://example.com/a", { maxRedirects: 0, fetcher: none.fetcher }),
    ).rejects.toThrow("more than 0 redirects");
  });

  it("refuses the first URL before any request", async () => {
    const { fetcher, requested } = origin({});
    await expect(fetchPublicUrl("http://[::1]:8080/", { maxRedirects: 5, fetcher })).rejects.toBeInstanceOf(
      UrlNotAllowedError,
    );
    expect(requested).toEqual([]);
  });
});
