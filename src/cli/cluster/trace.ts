// trace.ts holds `mkctl cluster trace`: it asks the daemon to send one simulated request and prints each hop of its
// way (NodePort, ingress rule, DNS, service, endpoint, policy, pod on node, container) and the answer.
import {RawError} from '../errors.js'
import type {IOStreams} from '../io.js'
import {call} from './admin.js'

interface TraceResult {
  request: string
  origin: string
  hops: {step: string; detail: string}[]
  response?: {status: number; bytes: number; pod: string; container: string}
  error?: string
}

/** TraceTarget is what the user named: a URL, or svc/NAME. */
export interface TraceTarget {
  target: string
  namespace: string
  from?: string
  port?: number
  method?: string
}

/** requestFor turns the command line into the daemon's trace request. */
export function requestFor(t: TraceTarget): object {
  const m = /^(?:svc|service|services)\/([a-z0-9.-]+)$/.exec(t.target)
  const base = t.method ? {method: t.method} : {}
  if (m) return {...base, service: {namespace: t.namespace, name: m[1], ...(t.port ? {port: t.port} : {})}}
  const from = t.from?.replace(/^(pod|pods|po)\//, '')
  return {...base, url: t.target, ...(from ? {from: {namespace: t.namespace, pod: from}} : {})}
}

/** formatTrace renders a trace as numbered hops. */
export function formatTrace(r: TraceResult): string {
  const width = Math.max(...r.hops.map((h) => h.step.length), 4)
  const lines = [`* ${r.request} from ${r.origin}`]
  r.hops.forEach((h, i) => lines.push(`  ${String(i + 1).padStart(2)}. ${h.step.padEnd(width)}  ${h.detail}`))
  if (r.response)
    lines.push(
      `* Answer: ${r.response.status}, ${r.response.bytes} bytes, from pod ${r.response.pod} (container ${r.response.container})`,
    )
  else lines.push(`* No answer: ${r.error}`)
  return lines.join('\n') + '\n'
}

/** traceRequest runs one trace; it exits 1 when the request got no answer. */
export async function traceRequest(profile: string, t: TraceTarget, io: IOStreams, env = process.env): Promise<void> {
  const r: TraceResult = await call(profile, 'POST', '/trace', requestFor(t), env)
  io.out.write(formatTrace(r))
  if (!r.response) throw new RawError('', 1)
}
