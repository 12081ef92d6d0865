import { isIP } from 'node:net';

/** The part of an IPv6 address that is one client's: a subscriber commonly holds a whole /64. */
const IPV6_CLIENT_PREFIX_HEXTETS = 4;

/**
 * The client an address counts as, for per-client limits: an IPv4 address as it is (also when
 * mapped into IPv6), the IPv6 loopback as `::1`, any other IPv6 address as its /64 network, so
 * that a client cannot get a fresh budget from each address of its own network.
 */
export function clientOf(ip: string): string {
  const address = ip.split('%')[0];
  if (isIP(address) !== 6) return address;
  const hextets = expand(address);
  if (hextets.slice(0, 7).every((hextet) => hextet === 0) && hextets[7] === 1) return '::1';
  if (hextets.slice(0, 5).every((hextet) => hextet === 0) && hextets[5] === 0xffff) {
    return [hextets[6] >> 8, hextets[6] & 0xff, hextets[7] >> 8, hextets[7] & 0xff].join('.');
  }
  const network = hextets.slice(0, IPV6_CLIENT_PREFIX_HEXTETS).map((hextet) => hextet.toString(16));
  return `${network.join(':')}::/${IPV6_CLIENT_PREFIX_HEXTETS * 16}`;
}

/** The eight 16-bit groups of a valid IPv6 address. */
function expand(address: string): number[] {
  // The URL parser writes it canonically: lower case, an IPv4 tail as two groups, one `::`.
  const canonical = new URL(`http://[${address}]`).hostname.slice(1, -1);
  const [head, tail] = canonical.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  const zeros = new Array<string>(8 - left.length - right.length).fill('0');
  return [...left, ...zeros, ...right].map((group) => parseInt(group, 16));
}
