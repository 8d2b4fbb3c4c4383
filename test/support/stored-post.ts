import { normaliseArticle } from '../../src/builder/normalise/index.ts'
import { SCHEMA_VERSION, type StoredPost } from '../../src/shared/schema.ts'

/** A stored post around an HTML body, normalised as the build does. */
export function storedPost(html: string, from?: string, extra: Partial<StoredPost> = {}): StoredPost {
  const body = normaliseArticle({ html, from })
  return {
    schema: SCHEMA_VERSION,
    slug: '2024-01-02-test',
    url: '/2024/01/02/test/',
    file: 'test.md',
    title: 'Test',
    date: '2024-01-02T00:00:00.000Z',
    from,
    tags: [],
    categories: [],
    comments: false,
    ...body,
    hash: 'test',
    ...extra,
  }
}
