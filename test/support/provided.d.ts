// Values the vitest global setups provide to tests (vitest's provide/inject).
import type { SearchDoc } from '../../src/shared/search-index.ts'

declare module 'vitest' {
  export interface ProvidedContext {
    /** KV entries of the test site: content/ plus test/fixtures. */
    siteEntries: KvEntries
    siteManifest: Manifest
    /** The test site's search rows, as deploy would write them. */
    siteSearch: SearchDoc[]
    /** The same for content/ plus the whole shared corpus; null when it is not beside the repo. */
    corpusEntries: KvEntries | null
    corpusManifest: Manifest | null
    corpusSearch: SearchDoc[] | null
  }
}

type KvEntries = { key: string; value: string }[]
/** Rows of manifest.json (src/builder/site.ts ManifestEntry), kept structural so workerd code need not see Node types. */
type Manifest = { file: string; slug: string; url: string; title: string; date: string; hash: string }[]
