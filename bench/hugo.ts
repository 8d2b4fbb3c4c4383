import { execFile } from 'node:child_process'
import { link, mkdir, readdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { runCommand } from './command.ts'

/** Debian's package (`apt-get install hugo`); the bench says so when it is missing. */
export const HUGO = process.env.HUGO_BIN ?? '/usr/bin/hugo'

/** Hugo's version line, or null when it is not installed. */
export async function hugoVersion(): Promise<string | null> {
  try {
    const { stdout } = await promisify(execFile)(HUGO, ['version'])
    return /v[\d.]+\S*/.exec(stdout)?.[0] ?? stdout.trim()
  } catch {
    return null
  }
}

/**
 * The same posts as a minimal Hugo site: the files hard-linked into
 * content/posts, raw HTML allowed (as our build keeps the mirrored HTML),
 * an article page with its older and newer post, paginated listings for the
 * home page, tags and categories (20 a page, as ours), and Hugo's own RSS
 * and sitemap.
 */
export async function hugoSite(dir: string, postsDir: string): Promise<void> {
  const content = join(dir, 'content/posts')
  await mkdir(content, { recursive: true })
  for (const name of await readdir(postsDir))
    if (name.endsWith('.md')) await link(join(postsDir, name), join(content, name))
  await mkdir(join(dir, 'layouts/_default'), { recursive: true })
  await writeFile(
    join(dir, 'config.toml'),
    [
      'baseURL = "https://news.example.org/"',
      'title = "News Archive"',
      'paginate = 20',
      '[taxonomies]',
      '  tag = "tags"',
      '  category = "categories"',
      '[markup.goldmark.renderer]',
      '  unsafe = true',
      '',
    ].join('\n'),
  )
  const page = (body: string) =>
    `<!doctype html><html><head><meta charset="utf-8"><title>{{ .Title }}</title></head><body>${body}</body></html>\n`
  await writeFile(
    join(dir, 'layouts/_default/single.html'),
    page(
      '<article><h1>{{ .Title }}</h1><time>{{ .Date.Format "2006-01-02" }}</time>{{ .Content }}</article>' +
        '{{ with .PrevInSection }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}' +
        '{{ with .NextInSection }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}',
    ),
  )
  await writeFile(
    join(dir, 'layouts/_default/list.html'),
    page(
      '<h1>{{ .Title }}</h1><ul>{{ range .Paginator.Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>',
    ),
  )
}

/** One cold build (fresh output folder, fresh Hugo cache): wall seconds. */
export async function hugoBuild(dir: string, run: number): Promise<number> {
  const out = join(dir, `public-${run}`)
  const { seconds } = await runCommand(HUGO, ['--quiet', '--source', dir, '--destination', out], {
    env: { HUGO_CACHEDIR: join(dir, `cache-${run}`) },
  })
  return seconds
}
