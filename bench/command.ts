import { spawn } from 'node:child_process'
import { wranglerEnv } from '../src/deploy/wrangler-bin.ts'

export interface CommandResult {
  seconds: number
  stdout: string
  stderr: string
}

/**
 * Runs a command to completion with its output captured, timed from spawn to
 * exit. A failure is an error carrying the output: a benchmark of a broken
 * command is no number at all. The environment is wrangler's (no telemetry).
 */
export function runCommand(
  command: string,
  args: readonly string[],
  options: { cwd?: string; env?: Record<string, string> } = {},
): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const started = performance.now()
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: { ...wranglerEnv, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    child.on('error', reject)
    child.on('close', (code, signal) => {
      const seconds = (performance.now() - started) / 1000
      if (code === 0) resolve({ seconds, stdout, stderr })
      else
        reject(new Error(`${command} ${args.join(' ')} exited with ${signal ?? code}:\n${stdout}${stderr}`.trimEnd()))
    })
  })
}

/** `npm run <script> -- <args>`, as a user types it. */
export function npmRun(
  script: string,
  args: readonly string[] = [],
  env?: Record<string, string>,
): Promise<CommandResult> {
  return runCommand('npm', ['run', '--silent', script, '--', ...args], { env })
}
