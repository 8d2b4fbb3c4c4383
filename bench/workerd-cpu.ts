import { readdir, readFile } from 'node:fs/promises'

/** The workerd processes this process started, once found: /proc holds hundreds of processes to read. */
let workerdPids: string[] = []

/**
 * CPU time, in milliseconds, used so far by the workerd processes this
 * process started (Miniflare's child), from Linux's per-thread scheduler
 * statistics (`/proc/<pid>/task/<tid>/schedstat`, nanoseconds); null where
 * there is no /proc. Read around a request, it is what that request cost
 * workerd — on the CPU, whatever else the machine was doing.
 */
export async function workerdCpuMs(): Promise<number | null> {
  if (workerdPids.length === 0) workerdPids = await findWorkerd()
  if (workerdPids.length === 0) return null
  let total = 0
  for (const pid of workerdPids) {
    for (const tid of await readdir(`/proc/${pid}/task`).catch(() => [] as string[])) {
      const schedstat = await readFile(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').catch(() => '0')
      total += Number(schedstat.split(' ')[0]) / 1e6
    }
  }
  return total
}

async function findWorkerd(): Promise<string[]> {
  const found: string[] = []
  for (const pid of await readdir('/proc').catch(() => [] as string[])) {
    if (!/^\d+$/.test(pid)) continue
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '')
    // "pid (comm) state ppid …": comm may hold spaces, so read after its closing parenthesis.
    const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'))
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
    if (comm === 'workerd' && ppid === process.pid) found.push(pid)
  }
  return found
}
