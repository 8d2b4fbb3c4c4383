import type { Context } from 'hono'
import type { AppEnv } from '../env.ts'
import type { CacheKind } from './cache-policy.ts'
import { type ReadLog, recordingKv } from './reads.ts'

/** What the caching layer knows of one request while its route runs. */
export interface RequestState {
  log: ReadLog
  /** Set by `cacheable`: the response follows this kind's policy and may be stored. */
  kind?: CacheKind
  /** The route produced a body (rendered), rather than answering from its validators. */
  produced: boolean
}

const states = new WeakMap<Context, RequestState>()

/** Starts recording the request's KV reads: from here on, routes read POSTS through the recorder. */
export function track(c: Context<AppEnv>): RequestState {
  const state: RequestState = { log: { reads: [], unversioned: [] }, produced: false }
  c.env = Object.create(c.env, {
    POSTS: { value: recordingKv(c.env.POSTS, state.log), enumerable: true },
  }) as AppEnv['Bindings']
  states.set(c, state)
  return state
}

export function stateOf(c: Context): RequestState | undefined {
  return states.get(c)
}
