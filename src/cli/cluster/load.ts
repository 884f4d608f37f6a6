// load.ts holds `mkctl cluster load`: it asks the daemon to start a load run (/mkctl/v1/load, network/load.ts),
// prints a progress line per second of real time (cluster time, sent, ok, errors, current rate) and a summary at the
// end — requests, successes, failures by kind, throughput and latency percentiles, as hey and k6 print them. An
// interrupt (Ctrl-C) stops the run early and still prints the summary.
import {formatGoDuration, parseGoDuration} from '../../api/duration.js'
import type {IOStreams} from '../io.js'
import {call} from './admin.js'
import {UsageError} from './lifecycle.js'
import {requestFor} from './trace.js'

/** LoadOptions is what the user asked for. */
export interface LoadOptions {
  target: string
  namespace: string
  rps: number
  /** duration is a Go duration ("30s", "2m"), or a number of seconds. */
  duration: string
  from?: string
  port?: number
  path?: string
  method?: string
}

/** LoadStatus is the daemon's view of a run (see src/daemon/network/load.ts). */
export interface LoadStatus {
  id: string
  request: string
  origin: string
  rps: number
  durationMs: number
  total: number
  elapsedMs: number
  state: 'running' | 'done' | 'stopped'
  sent: number
  ok: number
  errors: number
  currentRps: number
  throughput: number
  failures: Record<string, number>
  statusCodes: Record<string, number>
  pods: Record<string, number>
  latencyMs?: {p50: number; p90: number; p99: number; mean: number; max: number}
  lastError?: string
}

/** LoadDeps are the environment, the interrupt and the progress interval (tests shorten it). */
export interface LoadDeps {
  env?: NodeJS.ProcessEnv
  signal?: AbortSignal
  intervalMs?: number
}

/** parseLoadDuration reads a Go duration, or a bare number of seconds. */
export function parseLoadDuration(s: string): number {
  if (/^\d+(\.\d+)?$/.test(s)) return Number(s) * 1000
  let ms: number
  try {
    ms = parseGoDuration(s)
  } catch {
    throw new UsageError(`invalid duration "${s}": use a duration like 30s, 2m or 1m30s`)
  }
  return ms
}

/** loadRequest turns the command line into the daemon's start request. */
export function loadRequest(o: LoadOptions): object {
  if (!Number.isFinite(o.rps) || o.rps <= 0) throw new UsageError('--rps must be a positive number')
  const durationMs = parseLoadDuration(o.duration)
  if (durationMs <= 0) throw new UsageError('--duration must be positive')
  if (o.path !== undefined && !o.path.startsWith('/')) throw new UsageError('--path must start with /')
  const base = requestFor({
    target: o.target,
    namespace: o.namespace,
    ...(o.from ? {from: o.from} : {}),
    ...(o.port ? {port: o.port} : {}),
    ...(o.method ? {method: o.method} : {}),
  })
  return {...base, ...(o.path ? {path: o.path} : {}), rps: o.rps, durationMs}
}

const dur = (ms: number) => formatGoDuration(Math.round(ms / 100) * 100)
const num = (n: number) => String(Math.round(n * 100) / 100)
const msText = (n: number) => `${num(n)}ms`

/** formatProgress is one progress line. */
export function formatProgress(s: LoadStatus): string {
  return `  ${dur(s.elapsedMs).padStart(6)}/${dur(s.durationMs)}  sent ${s.sent}  ok ${s.ok}  errors ${s.errors}  ${num(s.currentRps)} req/s\n`
}

function counts(m: Record<string, number>): string {
  return Object.entries(m)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .map(([k, v]) => `${k}: ${v}`)
    .join(', ')
}

/** formatSummary renders a finished (or stopped) run. */
export function formatSummary(s: LoadStatus): string {
  const lines = [
    `* Summary${s.state === 'stopped' ? ' (stopped early)' : ''}:`,
    `  Requests:      ${s.sent} in ${dur(s.elapsedMs)} of cluster time`,
    `  Successes:     ${s.ok}`,
    `  Failures:      ${s.errors}`,
  ]
  for (const [kind, n] of Object.entries(s.failures).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)))
    lines.push(`    ${kind}: ${n}`)
  if (s.lastError) lines.push(`    last error: ${s.lastError}`)
  lines.push(`  Throughput:    ${num(s.throughput)} requests/s`)
  if (s.latencyMs) {
    const l = s.latencyMs
    lines.push(
      `  Latency:       p50 ${msText(l.p50)}  p90 ${msText(l.p90)}  p99 ${msText(l.p99)}  (mean ${msText(l.mean)}, max ${msText(l.max)}, simulated)`,
    )
  }
  if (Object.keys(s.statusCodes).length) lines.push(`  Status codes:  ${counts(s.statusCodes)}`)
  if (Object.keys(s.pods).length) lines.push(`  Served by:     ${counts(s.pods)}`)
  return lines.join('\n') + '\n'
}

function wait(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve()
    const t = setTimeout(done, ms)
    function done() {
      clearTimeout(t)
      signal?.removeEventListener('abort', done)
      resolve()
    }
    signal?.addEventListener('abort', done, {once: true})
  })
}

/** runLoad starts a run, follows it and prints its summary; an aborted signal stops the run early. */
export async function runLoad(
  profile: string,
  o: LoadOptions,
  io: IOStreams,
  deps: LoadDeps = {},
): Promise<LoadStatus> {
  const env = deps.env ?? process.env
  const body = loadRequest(o)
  let s: LoadStatus = await call(profile, 'POST', '/load', body, env)
  io.out.write(
    `* Sending ${num(s.rps)} requests/s for ${dur(s.durationMs)} (${s.total} requests): ${s.request} from ${s.origin} [${s.id}]\n`,
  )
  while (s.state === 'running') {
    await wait(deps.intervalMs ?? 1000, deps.signal)
    if (deps.signal?.aborted) {
      s = await call(profile, 'POST', `/load/${encodeURIComponent(s.id)}/stop`, {}, env)
      break
    }
    s = await call(profile, 'GET', `/load/${encodeURIComponent(s.id)}`, undefined, env)
    // The last poll of a finished run is the summary's, not a progress line.
    if (s.state === 'running') io.out.write(formatProgress(s))
  }
  io.out.write(formatSummary(s))
  return s
}
