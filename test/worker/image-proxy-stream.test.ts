/**
 * The proxy's streaming parts: they hold a chunk or two of an image, never
 * the whole of it. Sources here count how much has been pulled from them.
 */
import { describe, expect, it } from 'vitest'
import { limitBytes, peek, TooLarge, teeInStep } from '../../src/worker/image-proxy/stream.ts'

const CHUNK = 1024

/** A stream of `chunks` chunks of CHUNK bytes (byte i of chunk n is n), counting pulls. */
function countingSource(chunks: number) {
  const state = { pulled: 0, cancelled: undefined as unknown }
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (state.pulled === chunks) return controller.close()
        controller.enqueue(new Uint8Array(CHUNK).fill(state.pulled++))
      },
      cancel(reason) {
        state.cancelled = reason ?? 'cancelled'
      },
    },
    { highWaterMark: 0 },
  )
  return { stream, state }
}

async function readAll(stream: ReadableStream<Uint8Array>): Promise<number[]> {
  const firstBytes: number[] = []
  const reader = stream.getReader()
  for (let next = await reader.read(); !next.done; next = await reader.read()) firstBytes.push(next.value[0])
  return firstBytes
}

describe('teeInStep', () => {
  /** Reads a fast branch to the end in the background and 10 chunks of a slow one: how much was pulled? */
  async function pulledWithSlowBranch(
    tee: (s: ReadableStream<Uint8Array>) => [ReadableStream<Uint8Array>, ReadableStream<Uint8Array>],
  ) {
    const { stream, state } = countingSource(100)
    const [fast, slow] = tee(stream)
    const fastRead = readAll(fast)
    const slowReader = slow.getReader()
    for (let i = 0; i < 10; i++) expect((await slowReader.read()).value![0]).toBe(i)
    // Give the fast branch every chance to run ahead.
    await new Promise((resolve) => setTimeout(resolve, 50))
    const pulled = state.pulled
    for (let next = await slowReader.read(); !next.done; next = await slowReader.read());
    expect(await fastRead).toEqual([...Array(100).keys()])
    return pulled
  }

  it('reads the source only as far as the slower branch, where tee() reads it all', async () => {
    expect(await pulledWithSlowBranch((s) => s.tee())).toBe(100)
    expect(
      await pulledWithSlowBranch(
        (s) => teeInStep(s).map((b) => b.stream) as [ReadableStream<Uint8Array>, ReadableStream<Uint8Array>],
      ),
    ).toBeLessThanOrEqual(12)
  })

  it('lets one branch go on alone when the other is cancelled or detached', async () => {
    for (const leave of ['cancel', 'detach'] as const) {
      const { stream, state } = countingSource(20)
      const [gone, stays] = teeInStep(stream)
      if (leave === 'cancel') await gone.stream.cancel()
      else gone.detach()
      expect(await readAll(stays.stream)).toEqual([...Array(20).keys()])
      expect(state.cancelled).toBeUndefined()
    }
  })

  it('cancels the source once both branches are gone', async () => {
    const { stream, state } = countingSource(20)
    const [a, b] = teeInStep(stream)
    await a.stream.cancel('a gone')
    await b.stream.cancel('b gone')
    expect(state.cancelled).toBe('b gone')
  })

  it('passes a source error to both branches', async () => {
    const broken = new ReadableStream<Uint8Array>({ pull: (c) => c.error(new Error('upstream reset')) })
    const [a, b] = teeInStep(broken)
    await expect(readAll(a.stream)).rejects.toThrow('upstream reset')
    await expect(readAll(b.stream)).rejects.toThrow('upstream reset')
  })
})

describe('peek', () => {
  it('returns the first bytes and the whole body, having read only as far as needed', async () => {
    const { stream, state } = countingSource(50)
    const { head, body } = await peek(stream, CHUNK + 10)
    expect(head.byteLength).toBe(CHUNK + 10)
    expect(head[0]).toBe(0)
    expect(head[CHUNK]).toBe(1)
    expect(state.pulled).toBe(2)
    expect(await readAll(body)).toEqual([...Array(50).keys()])
  })

  it('copes with a body shorter than asked for', async () => {
    const { head, body } = await peek(countingSource(1).stream, 4096)
    expect(head.byteLength).toBe(CHUNK)
    expect(await readAll(body)).toEqual([0])
  })
})

describe('limitBytes', () => {
  it('passes a body within the limit and reports it complete', async () => {
    const limit = limitBytes(10 * CHUNK)
    const piped = countingSource(10).stream.pipeThrough(limit.stream)
    expect(limit.complete()).toBe(false)
    expect(await readAll(piped)).toHaveLength(10)
    expect(limit.complete()).toBe(true)
  })

  it('errors the stream past the limit, cancels the source and is never complete', async () => {
    const { stream, state } = countingSource(100)
    const limit = limitBytes(10 * CHUNK)
    const reader = stream.pipeThrough(limit.stream).getReader()
    let received = 0
    await expect(
      (async () => {
        for (let next = await reader.read(); !next.done; next = await reader.read()) received += next.value.byteLength
      })(),
    ).rejects.toBeInstanceOf(TooLarge)
    expect(received).toBe(10 * CHUNK)
    expect(limit.complete()).toBe(false)
    await new Promise((resolve) => setTimeout(resolve, 0))
    expect(state.cancelled).toBeInstanceOf(TooLarge)
    expect(state.pulled).toBeLessThan(100)
  })
})
