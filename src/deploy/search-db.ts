import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { SqlStatement } from '../shared/search-index.ts'
import type { LocalState } from './local-state.ts'
import { DeployError } from './store.ts'
import { runWrangler } from './wrangler-run.ts'

/**
 * The search index's D1 database as deploy writes it: the statements of
 * src/shared/search-index.ts, values always bound. Each `batch` is one D1
 * transaction, so a failed one can be retried whole.
 */
export interface SearchDb {
  readonly target: string
  /** Applies the migrations in migrations/ that the database has not had yet. */
  migrate(): Promise<void>
  all<T>(statement: SqlStatement): Promise<T[]>
  batch(statements: readonly SqlStatement[]): Promise<void>
}

/** Where the index's schema lives (wrangler.toml `migrations_dir`). */
export const MIGRATIONS_DIR = 'migrations'

/**
 * The local state's database (what `wrangler dev` serves), its statements run
 * inside the local state's workerd like its KV writes. Migrations are recorded
 * in wrangler's own table (`d1_migrations`), so `wrangler d1 migrations apply
 * --local` agrees.
 */
export class LocalSearchDb implements SearchDb {
  readonly target: string
  private readonly state: LocalState
  private readonly binding: string
  private readonly migrationsDir: string

  constructor(state: LocalState, binding = 'SEARCH', migrationsDir = MIGRATIONS_DIR) {
    this.state = state
    this.binding = binding
    this.migrationsDir = migrationsDir
    this.target = `local ${state.persistTo} (D1 ${binding})`
  }

  async migrate(): Promise<void> {
    await this.batch([
      {
        sql: 'CREATE TABLE IF NOT EXISTS d1_migrations (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT UNIQUE, applied_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP)',
        params: [],
      },
    ])
    const applied = new Set(
      (await this.all<{ name: string }>({ sql: 'SELECT name FROM d1_migrations', params: [] })).map((r) => r.name),
    )
    for (const name of (await readdir(this.migrationsDir)).filter((f) => f.endsWith('.sql')).sort()) {
      if (applied.has(name)) continue
      const sql = await readFile(join(this.migrationsDir, name), 'utf8')
      // One transaction: the schema and its record land together.
      await this.batch([
        ...sqlStatements(sql).map((statement) => ({ sql: statement, params: [] })),
        { sql: 'INSERT INTO d1_migrations (name) VALUES (?1)', params: [name] },
      ])
    }
  }

  all<T>(statement: SqlStatement): Promise<T[]> {
    return this.state.queryD1<T>(this.binding, statement)
  }

  batch(statements: readonly SqlStatement[]): Promise<void> {
    return this.state.transactD1(this.binding, statements)
  }
}

/**
 * The statements of a migration file: split at a `;` ending a line, but not
 * inside a trigger's BEGIN … END; `--` comment lines dropped.
 */
export function sqlStatements(sql: string): string[] {
  const statements: string[] = []
  let current: string[] = []
  let depth = 0
  for (const line of sql.split('\n')) {
    const trimmed = line.trim()
    if (trimmed === '' || trimmed.startsWith('--')) continue
    current.push(line)
    if (/\bBEGIN$/i.test(trimmed)) depth++
    if (/^END;$/i.test(trimmed)) depth--
    if (depth === 0 && trimmed.endsWith(';')) {
      statements.push(current.join('\n'))
      current = []
    }
  }
  if (current.length > 0) statements.push(current.join('\n'))
  return statements
}

/**
 * Cloudflare's D1 through its HTTP API (`POST …/d1/database/{id}/query` with
 * a `batch` of `{ sql, params }`): every value bound, so a post's text is never
 * spliced into SQL and D1's 100 KB statement limit never meets it, and the
 * database keeps serving while rows are written (`wrangler d1 execute --file`
 * goes through D1's import, which blocks the database, and takes literal SQL
 * only). Migrations go through `wrangler d1 migrations apply --remote`.
 * Needs CLOUDFLARE_ACCOUNT_ID and CLOUDFLARE_API_TOKEN (D1 edit).
 */
export class RemoteSearchDb implements SearchDb {
  readonly target: string
  private readonly databaseId: string
  private readonly config: string
  private readonly binding: string
  /** CLOUDFLARE_ACCOUNT_ID, CLOUDFLARE_API_TOKEN, and CLOUDFLARE_API_BASE_URL (wrangler's name) for a local stand-in in tests. */
  private readonly env: Record<string, string | undefined>

  constructor(
    databaseId: string,
    config: string,
    binding = 'SEARCH',
    env: Record<string, string | undefined> = process.env,
  ) {
    this.databaseId = databaseId
    this.config = config
    this.binding = binding
    this.env = env
    this.target = `remote D1 ${binding} (${databaseId})`
  }

  async migrate(): Promise<void> {
    // Not a terminal: wrangler takes its default answer (yes) to "Ok to proceed?".
    await runWrangler(['d1', 'migrations', 'apply', this.binding, '--remote', '--config', this.config])
  }

  async all<T>(statement: SqlStatement): Promise<T[]> {
    const [result] = await this.query({ sql: statement.sql, params: statement.params })
    return (result?.results ?? []) as T[]
  }

  async batch(statements: readonly SqlStatement[]): Promise<void> {
    await this.query({ batch: statements.map(({ sql, params }) => ({ sql, params })) })
  }

  private async query(body: object): Promise<{ results?: unknown[] }[]> {
    const { CLOUDFLARE_ACCOUNT_ID: account, CLOUDFLARE_API_TOKEN: token } = this.env
    const base = this.env.CLOUDFLARE_API_BASE_URL ?? 'https://api.cloudflare.com/client/v4'
    if (!account || !token)
      throw new DeployError(
        'set CLOUDFLARE_ACCOUNT_ID and CLOUDFLARE_API_TOKEN (with D1 edit) to write the search index',
        false,
      )
    let response: Response
    try {
      response = await fetch(`${base}/accounts/${account}/d1/database/${this.databaseId}/query`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      })
    } catch (err) {
      throw new DeployError(`D1 API: ${(err as Error).message}`, true)
    }
    const answer = (await response.json().catch(() => null)) as {
      success?: boolean
      result?: { results?: unknown[] }[]
      errors?: { message: string }[]
    } | null
    if (!response.ok || !answer?.success) {
      const message = answer?.errors?.map((e) => e.message).join('; ') || `HTTP ${response.status}`
      const retryAfter = Number(response.headers.get('retry-after'))
      throw new DeployError(
        `D1 API ${response.status}: ${message}`,
        response.status === 429 || response.status >= 500,
        Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : undefined,
      )
    }
    return answer.result ?? []
  }
}
