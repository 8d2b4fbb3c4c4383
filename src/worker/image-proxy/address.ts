/**
 * Which hosts the proxy may contact. A URL's hostname arrives normalised by
 * the WHATWG URL parser (IPv4 in dotted decimal whatever form it was written
 * in, IPv6 in brackets and lowercase hex), so literals are judged by value.
 *
 * Names are not resolved here (Workers have no DNS API); on Cloudflare a
 * Worker's fetch() cannot reach private networks anyway, and this check stops
 * the literal and well-known local forms before any request is made.
 */

/** IPv4 blocks that are not globally reachable (IANA special-purpose registry, multicast, reserved). */
const PRIVATE_IPV4 = [
  '0.0.0.0/8', // "this network"
  '10.0.0.0/8', // private
  '100.64.0.0/10', // CGNAT shared address space
  '127.0.0.0/8', // loopback
  '169.254.0.0/16', // link-local, cloud metadata
  '172.16.0.0/12', // private
  '192.0.0.0/24', // IETF protocol assignments
  '192.0.2.0/24', // documentation
  '192.88.99.0/24', // 6to4 relay anycast
  '192.168.0.0/16', // private
  '198.18.0.0/15', // benchmarking
  '198.51.100.0/24', // documentation
  '203.0.113.0/24', // documentation
  '224.0.0.0/4', // multicast
  '240.0.0.0/4', // reserved, broadcast
].map((cidr) => parseCidr(cidr, parseIPv4, 32))

/** Only global unicast IPv6 is public… */
const GLOBAL_IPV6 = parseCidr('2000::/3', parseIPv6, 128)
/** …minus the special-purpose blocks inside it. */
const PRIVATE_GLOBAL_IPV6 = [
  '2001::/23', // IETF protocol assignments, Teredo
  '2001:db8::/32', // documentation
  '3fff::/20', // documentation
].map((cidr) => parseCidr(cidr, parseIPv6, 128))

/** IPv6 forms that carry an IPv4 address, judged by that address: [prefix, bit offset of the IPv4 part]. */
const IPV4_IN_IPV6 = [
  ['::ffff:0:0/96', 96], // IPv4-mapped
  ['64:ff9b::/96', 96], // NAT64
  ['2002::/16', 16], // 6to4
] as const
const EMBEDDING_IPV6 = IPV4_IN_IPV6.map(([cidr, offset]) => ({ block: parseCidr(cidr, parseIPv6, 128), offset }))

/** Names that never denote a public host (RFC 6761, 6762, 8375) and single-label names. */
const LOCAL_NAME_SUFFIXES = ['localhost', 'local', 'internal', 'localdomain', 'home.arpa', 'invalid', 'test']

/** True when `hostname` (as `URL.hostname` gives it) is a public name or address. */
export function isPublicHost(hostname: string): boolean {
  const name = hostname.toLowerCase().replace(/\.$/, '')
  if (name.startsWith('[')) {
    const address = parseIPv6(name.slice(1, -1))
    return address !== null && isPublicIPv6(address)
  }
  const v4 = parseIPv4(name)
  if (v4 !== null) return !PRIVATE_IPV4.some((block) => inBlock(v4, block, 32))
  if (!name.includes('.')) return false
  return !LOCAL_NAME_SUFFIXES.some((suffix) => name === suffix || name.endsWith(`.${suffix}`))
}

function isPublicIPv6(address: bigint): boolean {
  const embedding = EMBEDDING_IPV6.find(({ block }) => inBlock(address, block, 128))
  if (embedding) {
    const v4 = (address >> BigInt(128 - embedding.offset - 32)) & 0xffffffffn
    return !PRIVATE_IPV4.some((block) => inBlock(v4, block, 32))
  }
  return inBlock(address, GLOBAL_IPV6, 128) && !PRIVATE_GLOBAL_IPV6.some((block) => inBlock(address, block, 128))
}

interface Block {
  network: bigint
  prefix: number
}

function inBlock(address: bigint, { network, prefix }: Block, width: number): boolean {
  const shift = BigInt(width - prefix)
  return address >> shift === network >> shift
}

function parseCidr(cidr: string, parse: (text: string) => bigint | null, width: number): Block {
  const [address, prefix] = cidr.split('/')
  const network = parse(address)
  const bits = Number(prefix)
  if (network === null || !(bits >= 0 && bits <= width)) throw new Error(`bad CIDR ${cidr}`)
  return { network, prefix: bits }
}

/** Dotted-decimal IPv4 (the form URL.hostname normalises to), as a 32-bit number. */
export function parseIPv4(text: string): bigint | null {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text)
  if (!match) return null
  const octets = match.slice(1).map(Number)
  if (octets.some((octet) => octet > 255)) return null
  return octets.reduce((value, octet) => (value << 8n) | BigInt(octet), 0n)
}

/** IPv6 text (with `::` and an optional trailing dotted IPv4), as a 128-bit number. */
export function parseIPv6(text: string): bigint | null {
  const halves = text.split('::')
  if (halves.length > 2) return null
  const groups = halves.map((half) => (half === '' ? [] : half.split(':')))
  const last = groups[groups.length - 1]
  const tail = last[last.length - 1]
  if (tail?.includes('.')) {
    const v4 = parseIPv4(tail)
    if (v4 === null) return null
    last.splice(-1, 1, (v4 >> 16n).toString(16), (v4 & 0xffffn).toString(16))
  }
  const count = groups.reduce((sum, g) => sum + g.length, 0)
  if (halves.length === 1 ? count !== 8 : count > 7) return null
  const words = [...groups[0], ...Array<string>(8 - count).fill('0'), ...(groups[1] ?? [])]
  if (!words.every((word) => /^[0-9a-f]{1,4}$/i.test(word))) return null
  return words.reduce((value, word) => (value << 16n) | BigInt(parseInt(word, 16)), 0n)
}
