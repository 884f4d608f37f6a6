// addons.ts holds the behaviour of `mkctl cluster addons list|enable|disable` and `mkctl cluster service` (minikube's
// commands of the same names): they ask the running daemon, which owns the addons' objects and the host listeners.
import {RawError} from '../errors.js'
import type {IOStreams} from '../io.js'
import {call} from './admin.js'

interface AddonRow {
  name: string
  enabled: boolean
  maintainer: string
  available: boolean
}

interface ServiceURL {
  namespace: string
  name: string
  port: {name?: string; port: number; targetPort?: number | string; nodePort?: number}
  url: string
}

/** table draws minikube's bordered table. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)) + 2)
  const line = `|${widths.map((w) => '-'.repeat(w)).join('|')}|\n`
  const center = (s: string, w: number) => {
    const left = Math.floor((w - s.length) / 2)
    return ' '.repeat(left) + s + ' '.repeat(w - s.length - left)
  }
  const body = rows.map((r) => `|${r.map((c, i) => ` ${c.padEnd(widths[i]! - 1)}`).join('|')}|\n`).join('')
  return line + `|${header.map((h, i) => center(h, widths[i]!)).join('|')}|\n` + line + body + line
}

/** listAddons prints every addon with its status. */
export async function listAddons(profile: string, io: IOStreams, env = process.env): Promise<void> {
  const rows: AddonRow[] = await call(profile, 'GET', '/addons', undefined, env)
  io.out.write(
    table(
      ['ADDON NAME', 'PROFILE', 'STATUS', 'MAINTAINER'],
      rows.map((a) => [
        a.name,
        profile,
        a.enabled ? 'enabled' : a.available ? 'disabled' : 'not available',
        a.maintainer,
      ]),
    ),
  )
}

/** enableAddon turns an addon on and prints what it opened. */
export async function enableAddon(profile: string, name: string, io: IOStreams, env = process.env): Promise<void> {
  const rows: AddonRow[] = await call(profile, 'GET', '/addons', undefined, env)
  const a = rows.find((r) => r.name === name)
  if (!a)
    throw new RawError(
      `X Exiting due to MK_ADDON_ENABLE: enable failed: run callbacks: running callbacks: [addon '${name}' does not exist]`,
      69,
    )
  io.out.write(`* ${name} is an addon maintained by ${a.maintainer}.\n`)
  const out: {images: string[]; urls: ServiceURL[]} = await call(
    profile,
    'POST',
    `/addons/${encodeURIComponent(name)}/enable`,
    {},
    env,
  )
  for (const img of out.images) io.out.write(`  - Using image ${img}\n`)
  if (out.images.length) io.out.write(`* Verifying ${name} addon...\n`)
  for (const u of out.urls)
    io.out.write(`* Service ${u.namespace}/${u.name} port ${u.port.name ?? u.port.port} is reachable at ${u.url}\n`)
  io.out.write(`* The '${name}' addon is enabled\n`)
}

/** disableAddon turns an addon off. */
export async function disableAddon(profile: string, name: string, io: IOStreams, env = process.env): Promise<void> {
  await call(profile, 'POST', `/addons/${encodeURIComponent(name)}/disable`, {}, env)
  io.out.write(`* The '${name}' addon is disabled\n`)
}

/** serviceURL prints the host URLs of a NodePort or LoadBalancer service (a table, or bare URLs with --url). */
export async function serviceURL(
  profile: string,
  namespace: string,
  name: string,
  urlOnly: boolean,
  io: IOStreams,
  env = process.env,
): Promise<void> {
  let urls: ServiceURL[]
  try {
    urls = await call(
      profile,
      'GET',
      `/services/${encodeURIComponent(namespace)}/${encodeURIComponent(name)}/urls`,
      undefined,
      env,
    )
  } catch (e) {
    const msg = (e as Error).message
    if (/not found/.test(msg))
      throw new RawError(
        `X Exiting due to SVC_NOT_FOUND: Service '${name}' was not found in '${namespace}' namespace.\n` +
          `You may select another namespace by using 'mkctl cluster service ${name} -n <namespace>'. Or list out all the services using 'mkctl get services -A'`,
        85,
      )
    if (/has no node port/.test(msg))
      throw new RawError(`X Exiting due to SVC_UNREACHABLE: service ${namespace}/${name} has no node port`, 84)
    throw e
  }
  if (urlOnly) {
    for (const u of urls) io.out.write(`${u.url}\n`)
    return
  }
  io.out.write(
    table(
      ['NAMESPACE', 'NAME', 'TARGET PORT', 'URL'],
      urls.map((u, i) => [
        i === 0 ? namespace : '',
        i === 0 ? name : '',
        `${u.port.name ?? ''}/${u.port.port}`.replace(/^\//, ''),
        u.url,
      ]),
    ),
  )
}

/**
 * tunnel runs `mkctl cluster tunnel` until interrupted: LoadBalancer services get EXTERNAL-IP 127.0.0.1 and host
 * listeners (on their NodePort numbers: binding the service port itself would need root, which mkctl never asks for);
 * new LoadBalancer services are picked up every interval. On SIGINT/SIGTERM the addresses are removed again.
 */
export async function tunnel(
  profile: string,
  io: IOStreams,
  opts: {intervalMs?: number; signal?: AbortSignal; env?: NodeJS.ProcessEnv} = {},
): Promise<void> {
  const env = opts.env ?? process.env
  const seen = new Set<string>()
  const round = async () => {
    const up: {namespace: string; name: string; urls: string[]}[] = await call(profile, 'POST', '/tunnel', {}, env)
    for (const s of up) {
      const key = `${s.namespace}/${s.name}`
      if (seen.has(key)) continue
      seen.add(key)
      io.out.write(`* Starting tunnel for service ${s.name}.\n`)
      for (const u of s.urls) io.out.write(`  - ${key} is reachable at ${u}\n`)
    }
  }
  await round()
  io.out.write(
    '* Tunnel successfully started\n\n* NOTE: Please do not close this terminal as this process must stay alive for the tunnel to be accessible ...\n\n',
  )
  const ctl = new AbortController()
  const stop = () => ctl.abort()
  opts.signal?.addEventListener('abort', stop)
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
  try {
    while (!ctl.signal.aborted) {
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, opts.intervalMs ?? 2000)
        ctl.signal.addEventListener('abort', () => (clearTimeout(t), resolve()), {once: true})
      })
      if (!ctl.signal.aborted) await round()
    }
  } finally {
    process.off('SIGINT', stop)
    process.off('SIGTERM', stop)
    await call(profile, 'DELETE', '/tunnel', undefined, env)
    io.out.write('* Stopped tunnel\n')
  }
}
