/**
 * The image proxy's decisions as data: which hosts are public, what the
 * allow-list admits, which Referer goes where, what counts as an image.
 * Hosts go through the URL parser first, exactly as source URLs do.
 */
import { describe, expect, it } from 'vitest'
import { parseAllowList, parseReferers } from '../../src/shared/config.ts'
import { isPublicHost, parseIPv6 } from '../../src/worker/image-proxy/address.ts'
import { isAllowedHost } from '../../src/worker/image-proxy/allow-list.ts'
import { refererFor } from '../../src/worker/image-proxy/referer.ts'
import { sniffImage } from '../../src/worker/image-proxy/sniff.ts'
import { bytesOf, HTML_ERROR_PAGE, IMAGES, SCRIPTED_SVG } from '../support/image-fixtures.ts'

const hostname = (host: string) => new URL(`http://${host}/`).hostname

describe('isPublicHost', () => {
  const refused = [
    // IPv4 in every spelling the URL parser accepts
    '127.0.0.1',
    '127.1',
    '0x7f.0.0.1',
    '2130706433',
    '017700000001',
    '0.0.0.0',
    '0',
    '10.1.2.3',
    '100.64.0.1',
    '100.127.255.255',
    '169.254.169.254',
    '172.16.0.1',
    '172.31.255.255',
    '192.0.0.8',
    '192.0.2.1',
    '192.168.1.1',
    '198.18.0.1',
    '198.51.100.7',
    '203.0.113.9',
    '224.0.0.1',
    '239.255.255.250',
    '240.0.0.1',
    '255.255.255.255',
    // IPv6, including every form that carries an IPv4 address
    '[::]',
    '[::1]',
    '[0:0:0:0:0:0:0:1]',
    '[::ffff:127.0.0.1]',
    '[::ffff:7f00:1]',
    '[::ffff:10.0.0.1]',
    '[::ffff:169.254.169.254]',
    '[::127.0.0.1]',
    '[64:ff9b::10.0.0.1]',
    '[64:ff9b:1::1]',
    '[2002:7f00:1::1]',
    '[2002:c0a8:101::]',
    '[fc00::1]',
    '[fd12:3456::1]',
    '[fe80::1]',
    '[fec0::1]',
    '[ff02::1]',
    '[2001:db8::1]',
    '[2001::1]',
    '[3fff::1]',
    '[100::1]',
    // names
    'localhost',
    'LOCALHOST',
    'localhost.',
    'api.localhost',
    'printer.local',
    'metadata.google.internal',
    'router.home.arpa',
    'intranet',
    'x.test',
  ]
  const allowed = [
    '8.8.8.8',
    '1.1.1.1',
    '93.184.216.34',
    '100.63.255.255',
    '100.128.0.1',
    '172.15.255.255',
    '172.32.0.1',
    '192.167.255.255',
    '192.169.0.1',
    '223.255.255.255',
    '[2606:4700:4700::1111]',
    '[2a00:1450:4001::200e]',
    '[::ffff:8.8.8.8]',
    '[64:ff9b::8.8.8.8]',
    '[2002:808:808::1]',
    'www.zaobao.com',
    'i0.wp.com',
    'cdn-images-1.medium.com',
    'tvax1.sinaimg.cn',
    'localhost.example.com',
  ]

  it.each(refused)('refuses %s', (host) => expect(isPublicHost(hostname(host))).toBe(false))
  it.each(allowed)('allows %s', (host) => expect(isPublicHost(hostname(host))).toBe(true))
})

describe('parseIPv6', () => {
  it('reads every textual form', () => {
    expect(parseIPv6('::1')).toBe(1n)
    expect(parseIPv6('1::')).toBe(1n << 112n)
    expect(parseIPv6('::ffff:1.2.3.4')).toBe(0xffff01020304n)
    expect(parseIPv6('1:2:3:4:5:6:7:8')).toBe(0x00010002000300040005000600070008n)
  })

  it('rejects malformed ones', () => {
    for (const text of [
      '1::2::3',
      '1:2:3:4:5:6:7',
      '1:2:3:4:5:6:7:8:9',
      '12345::',
      '::g',
      '::1.2.3',
      '1:2:3:4:5:6:7::8',
    ]) {
      expect(parseIPv6(text), text).toBeNull()
    }
  })
})

describe('IMAGE_PROXY_ALLOW_HOSTS', () => {
  const list = parseAllowList(' 127.0.0.1:8080 , localhost, [::1]:9000,Example.test:443')
  const allows = (url: string) => isAllowedHost(new URL(url), list)

  it('admits exactly the listed host and port', () => {
    expect(allows('http://127.0.0.1:8080/a.png')).toBe(true)
    expect(allows('http://127.0.0.1:8081/a.png')).toBe(false)
    expect(allows('http://127.0.0.1/a.png')).toBe(false)
    expect(allows('http://127.1:8080/a.png')).toBe(true)
    expect(allows('http://[::1]:9000/a.png')).toBe(true)
    expect(allows('http://[::1]:9001/a.png')).toBe(false)
    expect(allows('https://example.test/a.png')).toBe(true)
    expect(allows('http://example.test/a.png')).toBe(false)
  })

  it('admits any port of a host listed without one', () => {
    expect(allows('http://localhost:1234/a.png')).toBe(true)
    expect(allows('https://localhost/a.png')).toBe(true)
    expect(allows('http://sub.localhost/a.png')).toBe(false)
  })

  it('is empty when unset', () => {
    expect(parseAllowList(undefined)).toEqual([])
    expect(parseAllowList(' , ')).toEqual([])
  })

  it('rejects entries that are not host[:port]', () => {
    for (const entry of ['http://x', 'x/y', 'user@x', 'x?y', 'x:port', '::1'])
      expect(() => parseAllowList(entry), entry).toThrow(entry)
  })
})

describe('Referer policy', () => {
  const referer = (source: string, override?: string) => refererFor(new URL(source), parseReferers(override))

  it('sends none unless a host is set otherwise', () => {
    expect(referer('https://cdn.example.com/a.jpg')).toBeNull()
    expect(referer('https://www.zaobao.com/s3fs-public/a.jpg')).toBeNull()
  })

  it('has built-in settings for sites that need them, matching subdomains', () => {
    expect(referer('https://i.pximg.net/img-original/a.jpg')).toBe('https://www.pixiv.net/')
    expect(referer('https://tvax1.sinaimg.cn/large/a.jpg', '*=origin')).toBeNull()
    expect(referer('https://mmbiz.qpic.cn/a.jpg', '*=origin')).toBeNull()
  })

  it('lets IMAGE_PROXY_REFERERS override them and set the default', () => {
    expect(referer('https://i.pximg.net/a.jpg', 'i.pximg.net=none')).toBeNull()
    expect(referer('https://img.example.com:8443/a.jpg', '*=origin')).toBe('https://img.example.com:8443/')
    expect(referer('https://img.example.com/a.jpg', 'example.com=https://news.example.com/story')).toBe(
      'https://news.example.com/story',
    )
    expect(referer('https://a.img.example.com/a.jpg', 'example.com=origin, img.example.com=none')).toBeNull()
  })

  it('rejects malformed settings', () => {
    for (const override of ['nonsense', '=origin', 'example.com=sometimes', 'example.com=ftp://x/']) {
      expect(() => parseReferers(override), override).toThrow()
    }
  })
})

describe('sniffImage', () => {
  it.each(Object.entries(IMAGES))(
    'recognises %s by its bytes, whatever image type is declared',
    (_, { type, base64 }) => {
      const bytes = bytesOf(base64)
      expect(sniffImage(bytes, type)).toBe(type)
      expect(sniffImage(bytes, 'image/jpeg; charset=binary')).toBe(type)
      expect(sniffImage(bytes, 'application/octet-stream')).toBe(type)
      expect(sniffImage(bytes, null)).toBe(type)
    },
  )

  it('refuses images declared as something else than an image', () => {
    expect(sniffImage(bytesOf(IMAGES['photo.png'].base64), 'text/html')).toBeNull()
  })

  it('refuses HTML and text whatever they are labelled', () => {
    const html = new TextEncoder().encode(HTML_ERROR_PAGE)
    for (const declared of ['image/jpeg', 'image/png', 'image/svg+xml', null])
      expect(sniffImage(html, declared)).toBeNull()
    expect(sniffImage(new Uint8Array(), 'image/png')).toBeNull()
  })

  it('takes SVG only when declared as SVG and rooted at <svg>', () => {
    const svg = new TextEncoder().encode(SCRIPTED_SVG)
    expect(sniffImage(svg, 'image/svg+xml')).toBe('image/svg+xml')
    expect(
      sniffImage(new TextEncoder().encode('\uFEFF<!-- c --><!DOCTYPE svg PUBLIC "x" "y"><svg>'), 'image/svg+xml'),
    ).toBe('image/svg+xml')
    expect(sniffImage(svg, 'image/png')).toBeNull()
    expect(sniffImage(new TextEncoder().encode('<html><svg></svg></html>'), 'image/svg+xml')).toBeNull()
  })
})
