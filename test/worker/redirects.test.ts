import { beforeAll, describe, expect, it } from 'vitest'
import type { StoredPost } from '../../src/shared/schema.ts'
import { loadSite, storedPosts as posts } from './load-site.ts'
import { get } from './worker-requests.ts'

/**
 * The permalink Jekyll gave a post: `:title` is the file name's title slugged
 * in Jekyll's "pretty" mode (case kept; letters, marks, digits and
 * `._~!$&'()+,;=@` kept; every other run a hyphen), the date is the post's in
 * the site's time zone, `:categories` are lowercased and joined with `/`.
 */
function jekyllPermalink(post: StoredPost, utcOffsetMinutes: number, withCategories: boolean): string {
  const fileTitle = /^\d{4}-\d{2}-\d{2}-(.+)\.md$/.exec(post.file.split('/').pop()!)![1]
  const title = fileTitle.replace(/[^\p{M}\p{L}\p{Nd}._~!$&'()+,;=@]+/gu, '-').replace(/^-|-$/g, '')
  const [year, month, day] = new Date(Date.parse(post.date) + utcOffsetMinutes * 60_000)
    .toISOString()
    .slice(0, 10)
    .split('-')
  const categories = withCategories ? post.categories.map((c) => `/${c.toLowerCase()}`).join('') : ''
  return encodeURI(`${categories}/${year}/${month}/${day}/${title}.html`)
}

beforeAll(loadSite, 120_000)

describe('old Jekyll permalinks', () => {
  it('answer 301 with the canonical URL, with or without categories, whatever the site time zone was', async () => {
    const failures: string[] = []
    for (const [i, post] of posts().entries()) {
      // UTC, China (+8) and US Pacific (−7): the dated day moves by one either way around midnight.
      for (const offset of [0, 480, -420]) {
        const path = jekyllPermalink(post, offset, i % 2 === 0)
        const response = await get(path)
        const location = response.headers.get('location')
        if (response.status !== 301 || location !== post.url) failures.push(`${path} → ${response.status} ${location}`)
      }
    }
    expect(failures).toEqual([])
    expect(posts().length).toBeGreaterThan(30)
  })

  it('redirects the seed post from its mirror permalink', async () => {
    const path = encodeURI('/联合早报/2022/11/15/G20-王毅谈习拜会-有利推动两国关系重回健康正轨.html')
    const response = await get(path)
    expect(response.status).toBe(301)
    expect(response.headers.get('location')).toBe(
      `/2022/11/15/${encodeURIComponent('g20-王毅谈习拜会-有利推动两国关系重回健康正轨')}/`,
    )
  })

  it('answer 404 when no post had the link', async () => {
    for (const path of [
      '/2022/11/15/no-such-post.html',
      '/news/2022/11/15/no-such-post.html',
      '/2022/13/45/x.html',
      '/2022/02/30/x.html',
      '/index.html',
      '/2022/11/15/.html',
    ]) {
      const response = await get(path)
      expect(response.status, path).toBe(404)
    }
  })
})
