/**
 * `node scripts/generate-posts.ts --from DIR --count N --out DIR [--first K]`
 *
 * Writes N Jekyll posts made from the posts in DIR — same bodies and front
 * matter, new dates and file names — for measuring at scale without copying a
 * corpus into the repo. Post i (counting from --first, default 0) is made from
 * source post i mod M and dated 2000-01-01 plus i hours, so every post is newer
 * than the one before it and `--first N --count 1` adds the newest post to a
 * folder generated with `--count N`.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import yaml from 'js-yaml'
import { readFrontMatter } from '../src/builder/front-matter.ts'
import { findPostFiles } from '../src/builder/post-files.ts'
import { parseJekyllName } from '../src/builder/slugs.ts'

const HOUR = 3600_000
const START = Date.UTC(2000, 0, 1)

const { values } = parseArgs({
  options: {
    from: { type: 'string' },
    count: { type: 'string' },
    out: { type: 'string' },
    first: { type: 'string', default: '0' },
  },
})
const count = Number(values.count)
const first = Number(values.first)
if (!values.from || !values.out || !Number.isInteger(count) || count < 0 || !Number.isInteger(first) || first < 0) {
  console.error('usage: node scripts/generate-posts.ts --from DIR --count N --out DIR [--first K]')
  process.exit(2)
}

const { root, files } = await findPostFiles(values.from)
if (files.length === 0) {
  console.error(`error: no posts (*.md, *.markdown) in ${values.from}`)
  process.exit(1)
}
await mkdir(values.out, { recursive: true })

for (let i = first; i < first + count; i++) {
  const source = files[i % files.length]
  const { data, content } = readFrontMatter(source, await readFile(join(root, source), 'utf8'))
  const date = new Date(START + i * HOUR)
  // The file name, not front matter, must name each copy: drop what would pin a copy to the original.
  delete data.slug
  delete data.permalink
  data.date = date
  const name = source.split('/').pop() ?? source
  const title = parseJekyllName(name)?.title ?? name.replace(/\.(md|markdown)$/i, '')
  const file = `${date.toISOString().slice(0, 10)}-${title}-${i}.md`
  await writeFile(join(values.out, file), `---\n${yaml.safeDump(data)}---\n${content}`)
}
console.log(
  `wrote ${count} posts (${first}…${first + count - 1}) from ${files.length} in ${values.from} to ${values.out}`,
)
