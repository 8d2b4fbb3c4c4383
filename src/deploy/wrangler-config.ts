import { readFileSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { parse } from 'smol-toml'

/**
 * The storage bindings of a wrangler configuration, each under the id its
 * local state is kept by. `wrangler dev` resolves them with preview ids first
 * (`preview_id ?? id` for KV, `preview_bucket_name ?? bucket_name` for R2,
 * `preview_database_id ?? database_id` for D1), and so must whatever writes
 * the state it serves.
 */
export interface LocalBindings {
  compatibilityDate: string
  /** Binding → KV namespace id. */
  kv: Record<string, string>
  /** Binding → R2 bucket name. */
  r2: Record<string, string>
  /** Binding → D1 database id. */
  d1: Record<string, string>
}

type Table = Record<string, unknown>

/** Reads wrangler.toml with a TOML parser of its own: loading wrangler for this costs seconds. */
export function localBindings(configPath: string): LocalBindings {
  const config = parse(readFileSync(configPath, 'utf8')) as Table
  const tables = (name: string) => (Array.isArray(config[name]) ? (config[name] as Table[]) : [])
  const ids = (name: string, fields: string[]) =>
    Object.fromEntries(
      tables(name).map((table) => {
        const binding = String(table.binding)
        const id = fields.map((field) => table[field]).find((value) => typeof value === 'string')
        return [binding, (id as string | undefined) ?? binding]
      }),
    )
  return {
    compatibilityDate: String(config.compatibility_date ?? '2026-11-01'),
    kv: ids('kv_namespaces', ['preview_id', 'id']),
    r2: ids('r2_buckets', ['preview_bucket_name', 'bucket_name']),
    d1: ids('d1_databases', ['preview_database_id', 'database_id']),
  }
}

/** The remote id of a D1 binding; none when it is missing or still wrangler.toml's placeholder. */
export async function remoteDatabaseId(configPath: string, binding: string): Promise<string | undefined> {
  const config = parse(await readFile(configPath, 'utf8').catch(() => '')) as Table
  const databases = Array.isArray(config.d1_databases) ? (config.d1_databases as Table[]) : []
  const id = databases.find((table) => table.binding === binding)?.database_id
  return typeof id === 'string' && !/^[0-]+$/.test(id) ? id : undefined
}
