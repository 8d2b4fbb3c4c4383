import { describe, expect, it } from 'vitest'
import { ConfigError, DEFAULT_SITE_NAME, parseConfig } from '../../src/shared/config.ts'

const KEY = { IMAGE_PROXY_KEY: 'a-secret' }

describe('the worker configuration (shared/config.ts)', () => {
  it('fills every default from empty or missing variables, as wrangler.toml ships them', () => {
    const empty = { SITE_NAME: '', SITE_URL: '', IMAGE_PROXY_ALLOW_HOSTS: '', IMAGE_PROXY_REFERERS: '' }
    for (const vars of [KEY, { ...KEY, ...empty }]) {
      expect(parseConfig(vars)).toEqual({
        siteName: DEFAULT_SITE_NAME,
        siteOrigin: null,
        imageProxy: {
          secret: 'a-secret',
          allowHosts: [],
          referers: new Map(),
          maxBytes: 10 * 1024 * 1024,
          timeoutMs: 10_000,
        },
        purgeToken: null,
        imageArchive: { token: null, batch: 8, batchBytes: 4 * 1024 * 1024 },
        renderCache: true,
      })
    }
  })

  it('reads every variable into its typed form', () => {
    const config = parseConfig({
      ...KEY,
      SITE_NAME: 'My Archive',
      SITE_URL: 'https://news.example.org/some/path',
      IMAGE_PROXY_ALLOW_HOSTS: '127.0.0.1:9000, localhost',
      IMAGE_PROXY_REFERERS: 'example.com=origin, *=https://news.example.org/',
      IMAGE_PROXY_MAX_BYTES: '2048',
      IMAGE_PROXY_TIMEOUT_MS: '500',
      CACHE_PURGE_TOKEN: 'token',
      IMAGE_ARCHIVE_TOKEN: 'archive-token',
      IMAGE_ARCHIVE_BATCH: '50',
      IMAGE_ARCHIVE_BATCH_BYTES: '1000000',
      RENDER_CACHE: 'off',
    })
    expect(config).toEqual({
      siteName: 'My Archive',
      siteOrigin: 'https://news.example.org',
      imageProxy: {
        secret: 'a-secret',
        allowHosts: [
          { hostname: '127.0.0.1', port: '9000' },
          { hostname: 'localhost', port: null },
        ],
        referers: new Map<string, unknown>([
          ['example.com', 'origin'],
          ['*', { fixed: 'https://news.example.org/' }],
        ]),
        maxBytes: 2048,
        timeoutMs: 500,
      },
      purgeToken: 'token',
      imageArchive: { token: 'archive-token', batch: 50, batchBytes: 1_000_000 },
      renderCache: false,
    })
  })

  it('refuses a missing secret and each malformed variable, naming the variable, all in one error', () => {
    const cases: [Record<string, string>, string][] = [
      [{}, 'IMAGE_PROXY_KEY is not set'],
      [{ ...KEY, SITE_URL: 'news.example.org' }, 'SITE_URL: "news.example.org"'],
      [{ ...KEY, SITE_URL: 'ftp://news.example.org/' }, 'SITE_URL'],
      [{ ...KEY, IMAGE_PROXY_ALLOW_HOSTS: 'http://x/' }, 'IMAGE_PROXY_ALLOW_HOSTS: "http://x/"'],
      [{ ...KEY, IMAGE_PROXY_REFERERS: 'nonsense' }, 'IMAGE_PROXY_REFERERS: "nonsense"'],
      [{ ...KEY, IMAGE_PROXY_REFERERS: 'a.example=sometimes' }, 'IMAGE_PROXY_REFERERS: policy for a.example'],
      [{ ...KEY, IMAGE_PROXY_MAX_BYTES: 'ten' }, 'IMAGE_PROXY_MAX_BYTES: "ten"'],
      [{ ...KEY, IMAGE_PROXY_TIMEOUT_MS: '-1' }, 'IMAGE_PROXY_TIMEOUT_MS: "-1"'],
      [{ ...KEY, IMAGE_ARCHIVE_BATCH: '0' }, 'IMAGE_ARCHIVE_BATCH: "0"'],
      [{ ...KEY, IMAGE_ARCHIVE_BATCH_BYTES: '4 MiB' }, 'IMAGE_ARCHIVE_BATCH_BYTES: "4 MiB"'],
      [{ ...KEY, RENDER_CACHE: 'no' }, 'RENDER_CACHE: "no"'],
    ]
    for (const [vars, message] of cases) {
      expect(() => parseConfig(vars), message).toThrow(ConfigError)
      expect(() => parseConfig(vars), message).toThrow(message)
    }
    const all = () => parseConfig({ SITE_URL: 'x', IMAGE_PROXY_MAX_BYTES: '0' })
    expect(all).toThrow(/IMAGE_PROXY_KEY.*; SITE_URL.*; IMAGE_PROXY_MAX_BYTES/)
  })
})
