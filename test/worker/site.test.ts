import { createExecutionContext } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { parseHTML } from 'linkedom'
import { beforeAll, describe, expect, it } from 'vitest'
import { keys } from '../../src/shared/schema.ts'
import { app } from '../../src/worker/app.ts'
import { loadSite, manifest } from './load-site.ts'
import { get, page } from './worker-requests.ts'

const SEED_FROM = 'https://www.zaobao.com/realtime/china/story20221115-1333258'

beforeAll(loadSite)

describe('the seed post', () => {
  const seed = () => manifest().find((p) => p.file.endsWith('王毅谈习拜会：有利推动两国关系重回健康正轨.md'))!

  it('is published at a dated, percent-encoded URL', () => {
    expect(seed().url).toBe(`/2022/11/15/${encodeURIComponent('g20-王毅谈习拜会-有利推动两国关系重回健康正轨')}/`)
  })

  it('is served with its title, date, source link and every paragraph', async () => {
    const { response, document } = await page(seed().url)
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toMatch(/^text\/html; charset=utf-8/i)
    expect(document.querySelector('h1')?.textContent).toBe('【G20】王毅谈习拜会：有利推动两国关系重回健康正轨')
    expect(document.querySelector('time')?.getAttribute('datetime')).toBe('2022-11-15T00:45:00.000Z')
    expect([...document.querySelectorAll('a')].some((a) => a.getAttribute('href') === SEED_FROM)).toBe(true)

    const stored = JSON.parse((await env.POSTS.get(keys.post(seed().slug)))!)
    const source = parseHTML(`<div>${stored.html}</div>`).document
    const paragraphs = [...source.querySelectorAll('p')].map((p) => p.textContent.trim()).filter(Boolean)
    expect(paragraphs.length).toBeGreaterThan(5)
    const served = document.querySelector('article')!.textContent
    for (const paragraph of paragraphs) expect(served).toContain(paragraph)
  })

  it('links each of its tags and categories to a listing that lists it', async () => {
    const { document } = await page(seed().url)
    const terms = [...document.querySelectorAll('article footer a')].map((a) => a.getAttribute('href')!)
    expect(terms).toEqual([
      `/categories/${encodeURIComponent('联合早报')}/`,
      `/tags/${encodeURIComponent('联合早报')}/`,
    ])
    for (const path of terms) {
      const listing = await page(path)
      expect(listing.response.status, path).toBe(200)
      expect(
        [...listing.document.querySelectorAll('main a')].some((a) => a.getAttribute('href') === seed().url),
        path,
      ).toBe(true)
    }
  })

  it('uses SITE_URL, when set, as the origin of its canonical URL', async () => {
    const request = new Request(`http://127.0.0.1:8787${seed().url}`)
    const byRequest = parseHTML(await (await app.fetch(request, env, createExecutionContext())).text()).document
    expect(byRequest.querySelector('link[rel=canonical]')?.getAttribute('href')).toBe(
      `http://127.0.0.1:8787${seed().url}`,
    )
    const configured = { ...env, SITE_URL: 'https://news.example.org/' }
    const bySetting = parseHTML(await (await app.fetch(request, configured, createExecutionContext())).text()).document
    expect(bySetting.querySelector('link[rel=canonical]')?.getAttribute('href')).toBe(
      `https://news.example.org${seed().url}`,
    )
  })

  it('redirects the URL without its trailing slash', async () => {
    const response = await get(seed().url.slice(0, -1), { redirect: 'manual' })
    expect(response.status).toBe(301)
    expect(new URL(response.headers.get('location')!, 'http://example.com').pathname).toBe(seed().url)
  })
})

describe('the home page', () => {
  it('links the latest posts, newest first', async () => {
    const { response, document } = await page('/')
    expect(response.status).toBe(200)
    const links = [...document.querySelectorAll('main ol.posts a.title')].map((a) => a.getAttribute('href'))
    const newest = [...manifest()].sort((a, b) => b.date.localeCompare(a.date)).slice(0, links.length)
    expect(links.length).toBeGreaterThan(10)
    expect(links).toEqual(newest.map((p) => p.url))
  })
})

describe('errors', () => {
  it('answers an unknown URL with a 404 HTML page', async () => {
    for (const path of ['/nope', '/2022/11/15/no-such-post/', '/2022/11/15/%E0%A4%A/']) {
      const response = await get(path)
      expect(response.status, path).toBe(404)
      expect(response.headers.get('content-type')).toMatch(/^text\/html/)
      expect(await response.text()).toContain('<h1>404</h1>')
    }
  })

  it('answers a corrupt stored post with a 500 page, not an exception', async () => {
    await env.POSTS.put(keys.post('2001-01-01-corrupt'), '{"schema":1,"title":')
    await env.POSTS.put(keys.post('2001-01-02-wrong-shape'), JSON.stringify({ schema: 999, title: 'x' }))
    for (const path of ['/2001/01/01/corrupt/', '/2001/01/02/wrong-shape/']) {
      const response = await get(path)
      expect(response.status, path).toBe(500)
      expect(await response.text()).toContain('<h1>500</h1>')
    }
  })
})

describe('the site icon', () => {
  it('is declared by every page and served as an SVG', async () => {
    const { document } = await page('/')
    expect(document.querySelector('link[rel=icon]')?.getAttribute('href')).toBe('/favicon.svg')
    const response = await get('/favicon.svg')
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('image/svg+xml')
    expect(parseHTML(await response.text()).document.querySelector('svg')).not.toBeNull()
  })
})
