import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';

import ipaddr from 'ipaddr.js';

/**
 * Keeps webhooks off internal networks (SSRF). Only globally routable unicast addresses pass:
 * ipaddr.js classifies each address (`range()`), and anything but `unicast` — loopback, RFC 1918
 * private, link-local (and the cloud metadata address in it), unique-local, CGNAT, unspecified,
 * multicast, broadcast, reserved, and IPv6 forms that embed an IPv4 address (mapped, NAT64,
 * 6to4, Teredo) — is refused. IPv4-mapped IPv6 is judged as the IPv4 address it carries.
 *
 * The operator may allow named hosts (WEBHOOK_ALLOWED_HOSTS): matched against the URL's host
 * as written, so a name that merely resolves to an allowed address is not allowed.
 */

/** Why an address was refused, for the delivery log and the 400. */
export class InternalAddressError extends Error {
  constructor(
    readonly host: string,
    readonly address: string,
    readonly range: string,
  ) {
    super(
      host === address
        ? `${address} is an internal address (${range}); webhooks only go to public addresses`
        : `${host} resolves to ${address}, an internal address (${range}); webhooks only go to public addresses`,
    );
    this.name = 'InternalAddressError';
  }
}

/** The host does not resolve. */
export class UnresolvableHostError extends Error {
  constructor(readonly host: string) {
    super(`${host} does not resolve to an address`);
    this.name = 'UnresolvableHostError';
  }
}

/** The range name of an address ('unicast' for a public one), IPv4-mapped judged as IPv4. */
export function addressRange(address: string): string {
  let parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv6') {
    const v6 = parsed as ipaddr.IPv6;
    if (v6.isIPv4MappedAddress()) parsed = v6.toIPv4Address();
  }
  return parsed.range();
}

/** True for an address a webhook may reach. */
export function isPublicAddress(address: string): boolean {
  return addressRange(address) === 'unicast';
}

/** The address a request will connect to, vetted. */
export interface VettedAddress {
  address: string;
  family: 4 | 6;
}

export type Resolver = (host: string) => Promise<{ address: string; family: number }[]>;

const systemResolver: Resolver = (host) => lookup(host, { all: true, verbatim: true });

export class AddressGuard {
  private readonly allowed: Set<string>;

  constructor(
    allowedHosts: string,
    private readonly resolve: Resolver = systemResolver,
  ) {
    this.allowed = new Set(
      allowedHosts
        .split(',')
        .map((host) => normaliseHost(host.trim()))
        .filter((host) => host !== ''),
    );
  }

  /**
   * Resolves the host and checks every address it has (one internal address is enough to
   * refuse: the resolver could hand out either). Answers the first address, which the request
   * must then connect to, so a second lookup cannot swap it (DNS rebinding).
   */
  async vet(rawHost: string): Promise<VettedAddress> {
    const host = normaliseHost(rawHost);
    const allowed = this.allowed.has(host);
    const literal = isIP(host);
    const addresses = literal
      ? [{ address: host, family: literal }]
      : await this.resolve(host).catch(() => []);
    if (addresses.length === 0) throw new UnresolvableHostError(host);
    if (!allowed) {
      for (const { address } of addresses) {
        const range = addressRange(address);
        if (range !== 'unicast') throw new InternalAddressError(host, address, range);
      }
    }
    const first = addresses[0];
    return { address: first.address, family: first.family === 6 ? 6 : 4 };
  }
}

/** Lower case, without the brackets of an IPv6 literal in a URL. */
export function normaliseHost(host: string): string {
  return host.toLowerCase().replace(/^\[(.*)\]$/, '$1');
}
