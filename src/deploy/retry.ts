import { setTimeout as delay } from 'node:timers/promises'
import { DeployError } from './store.ts'

export interface RetryPolicy {
  /** Tries in all, the first included. */
  attempts: number
  baseDelayMs: number
  maxDelayMs: number
  sleep: (ms: number) => Promise<void>
  onRetry: (error: DeployError, attempt: number, waitMs: number) => void
}

/** 1, 2, 4, 8 s between five tries; a server's Retry-After wins when longer. */
export const defaultRetry: RetryPolicy = {
  attempts: 5,
  baseDelayMs: 1000,
  maxDelayMs: 30_000,
  sleep: (ms) => delay(ms),
  onRetry: () => {},
}

/**
 * Runs `request`, retrying transient failures with exponential backoff. A
 * permanent failure, or the last transient one, is thrown as a DeployError.
 */
export async function withRetry<T>(
  what: string,
  request: () => Promise<T>,
  policy: RetryPolicy = defaultRetry,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await request()
    } catch (err) {
      const error = err instanceof DeployError ? err : new DeployError((err as Error).message, false)
      if (!error.transient) throw new DeployError(`${what} failed: ${error.message}`, false)
      if (attempt >= policy.attempts) {
        throw new DeployError(`${what} failed ${attempt} times, giving up: ${error.message}`, true)
      }
      const backoff = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1))
      const waitMs = Math.max(backoff, error.retryAfterMs ?? 0)
      policy.onRetry(error, attempt, waitMs)
      await policy.sleep(waitMs)
    }
  }
}
