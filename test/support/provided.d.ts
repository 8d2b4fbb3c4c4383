// Values the vitest global setups provide to tests (vitest's provide/inject).
declare module 'vitest' {
  export interface ProvidedContext {
    siteEntries: { key: string; value: string }[]
    /** Rows of manifest.json (src/builder/site.ts ManifestEntry), kept structural so workerd code need not see Node types. */
    siteManifest: { file: string; slug: string; url: string; title: string; date: string; hash: string }[]
  }
}

export {}
