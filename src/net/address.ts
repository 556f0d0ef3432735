/**
 * Classifies the host of a URL: is it a public internet address or name, or something a server-side
 * fetch must never reach (loopback, private networks, link-local, carrier-grade NAT, cloud metadata
 * services, multicast, reserved and documentation ranges, IPv4-mapped IPv6, local-only names)?
 *
 * Host strings come from WHATWG URL parsing, which already turns every numeric IPv4 spelling
 * (`0x7f000001`, `2130706433`, `0177.0.0.1`, `127.1`) into dotted decimal, so the tricks cannot hide
 * a loopback address. Address ranges come from ipaddr.js (IANA special-purpose registries); only its
 * `unicast` range counts as public.
 */
import * as ipaddr from "ipaddr.js";

/** Why a host is refused, in words a client can act on; null when the host is public. */
export type HostRefusal = string | null;

/** Cloud metadata endpoints, some of which sit on otherwise public or unremarkable addresses. */
const METADATA_ADDRESSES = new Set(["169.254.169.254", "168.63.129.16", "100.100.100.200", "fd00:ec2::254"]);

/** Names that only ever mean "this machine" or "this local network". */
const LOCAL_SUFFIXES = [".localhost", ".local", ".internal", ".home.arpa", ".localdomain", ".lan"];

const RANGE_WORDS: Record<string, string> = {
  loopback: "a loopback address",
  private: "a private network address",
  linkLocal: "a link-local address",
  carrierGradeNat: "a carrier-grade NAT (shared) address",
  unspecified: "the unspecified address",
  multicast: "a multicast address",
  broadcast: "the broadcast address",
  uniqueLocal: "a unique local (private) IPv6 address",
  ipv4Mapped: "an IPv4-mapped IPv6 address",
  rfc6145: "an IPv4-translated IPv6 address",
  rfc6052: "a NAT64 address",
  "6to4": "a 6to4 address",
  teredo: "a Teredo address",
};

/** Classifies an IP address literal (no brackets); undefined when the string is not an IP address. */
export function classifyAddress(address: string): HostRefusal | undefined {
  let parsed: ipaddr.IPv4 | ipaddr.IPv6;
  if (ipaddr.IPv4.isValidFourPartDecimal(address)) parsed = ipaddr.IPv4.parse(address);
  else if (ipaddr.IPv6.isValid(address)) parsed = ipaddr.IPv6.parse(address);
  else return undefined;
  const canonical = parsed.kind() === "ipv6" ? (parsed as ipaddr.IPv6).toRFC5952String() : parsed.toString();
  if (METADATA_ADDRESSES.has(canonical)) return `${canonical} is a cloud metadata address`;
  const range = parsed.range();
  if (range === "unicast") return null;
  if (parsed.kind() === "ipv6" && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) {
    return `${canonical} is an IPv4-mapped IPv6 address (of ${(parsed as ipaddr.IPv6).toIPv4Address().toString()})`;
  }
  return `${canonical} is ${RANGE_WORDS[range] ?? `a reserved address (${range})`}`;
}

/**
 * Classifies a URL's `hostname` (IPv6 literals in brackets, as URL gives them). Names are judged by
 * their form only; whether a name resolves to a private address is for the caller's resolver.
 */
export function classifyHost(hostname: string): HostRefusal {
  const host = hostname.toLowerCase().replace(/\.+$/, "");
  if (host === "") return "the URL has no host";
  const literal = host.startsWith("[") && host.endsWith("]") ? host.slice(1, -1) : host;
  const address = classifyAddress(literal);
  if (address !== undefined) return address;
  if (host === "localhost" || host.endsWith(".localhost")) return `${host} is this machine`;
  if (host === "metadata" || host === "metadata.google.internal") return `${host} is a cloud metadata host`;
  const suffix = LOCAL_SUFFIXES.find((s) => host.endsWith(s));
  if (suffix) return `${host} is a local-only name (${suffix})`;
  // A single label ("intranet", "db") is resolved through local search domains, never the public DNS.
  if (!host.includes(".")) return `${host} is a single-label (local) name`;
  return null;
}

/** True when `hostname` is an IP literal (so no name resolution applies). */
export function isIpLiteral(hostname: string): boolean {
  const literal = hostname.startsWith("[") ? hostname.slice(1, -1) : hostname;
  return ipaddr.IPv4.isValidFourPartDecimal(literal) || ipaddr.IPv6.isValid(literal);
}
