// net.ts: the shell's curl, wget, nslookup and ping, over the container's view of the cluster network. Names,
// routing and NetworkPolicies are the cluster network's (src/daemon/network): the pod's resolv.conf search path,
// round robin over ready endpoints, policies that drop packets (a timeout, as on a real cluster). Answers come from
// the simulated servers of the runtime — nothing leaves the daemon.
import type {Pod} from 'kubernetes-types/core/v1.js'
import {defineCommand} from 'just-bash'
import type {Command} from 'just-bash'
import type {KubeObject} from '../../api/object.js'
import type {Cluster} from '../cluster.js'
import type {HttpRequest, HttpResponse} from '../runtime/shell/types.js'

/** Resolved is a DNS answer: the canonical name and its addresses. */
export interface Resolved {
  name: string
  ips: string[]
}

/** SandboxNetwork is the simulated network a container reaches. */
export interface SandboxNetwork {
  /** resolve looks a name up from a pod (search path applied); undefined is NXDOMAIN. */
  resolve(from: Pod, host: string): Resolved | undefined
  /** http sends a request to ip:port; a string is the failure (refused, timeout). */
  http(from: Pod, ip: string, port: number, req: HttpRequest): HttpResponse | 'refused' | 'timeout'
}

/** NetHost is the part of a sandbox the network commands use. */
export interface NetHost {
  readonly pod: Pod
  readonly hostname: string
  readonly network: SandboxNetwork | undefined
  readonly instance: {podIP: string; http(port: number, req: HttpRequest, now: number): HttpResponse | undefined}
  now(): number
}

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/

/**
 * clusterNetwork is the SandboxNetwork over the cluster's simulated network (src/daemon/network): CoreDNS names,
 * kube-proxy routing with session affinity, NetworkPolicies, and the ingress controller's proxy.
 */
export function clusterNetwork(cluster: Cluster): SandboxNetwork {
  return {
    resolve(from, host) {
      const h = host.replace(/\.$/, '').toLowerCase()
      if (h === 'localhost') return {name: h, ips: ['127.0.0.1']}
      if (IPV4.test(h)) return {name: h, ips: [h]}
      const a = cluster.network.resolve(host, from.metadata?.namespace ?? 'default')
      return a && a.ips.length > 0 ? {name: a.cname ?? a.name, ips: a.ips} : undefined
    },
    http(from, ip, port, req) {
      const {clientIP: _c, ...rest} = req
      const out = cluster.network.http({pod: from as KubeObject}, ip, port, rest)
      if (out.ok) return out.response
      return out.error === 'refused' ? 'refused' : 'timeout'
    },
  }
}

const REASONS: Record<number, string> = {
  200: 'OK',
  201: 'Created',
  204: 'No Content',
  301: 'Moved Permanently',
  302: 'Found',
  400: 'Bad Request',
  403: 'Forbidden',
  404: 'Not Found',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
}

type Fetched =
  | {res: HttpResponse; ip: string; host: string; port: number}
  | {error: 'resolve' | 'refused' | 'timeout'; host: string; port: number; ip?: string}

function fetchFrom(h: NetHost, url: string, method: string, headers: Record<string, string>, body?: string): Fetched {
  const m = /^(?:(https?):\/\/)?(\[[^\]]+\]|[^/:?#]+)(?::(\d+))?([/?][^#]*)?/.exec(url)
  if (!m) return {error: 'resolve', host: url, port: 80}
  const host = m[2]!
  const port = Number(m[3] ?? (m[1] === 'https' ? 443 : 80))
  const path = m[4] ? (m[4].startsWith('?') ? '/' + m[4] : m[4]) : '/'
  const req: HttpRequest = {
    method,
    path,
    host: m[3] ? `${host}:${port}` : host,
    headers: {Host: m[3] ? `${host}:${port}` : host, 'User-Agent': 'curl/8.5.0', Accept: '*/*', ...headers},
    clientIP: h.instance.podIP,
    body,
  }
  const local = ['localhost', '127.0.0.1', '::1', '[::1]', '0.0.0.0', h.instance.podIP, h.hostname].includes(host)
  if (local) {
    const res = h.instance.http(port, {...req, clientIP: '127.0.0.1'}, h.now())
    return res ? {res, ip: '127.0.0.1', host, port} : {error: 'refused', host, port, ip: '127.0.0.1'}
  }
  const net = h.network
  const r = net?.resolve(h.pod, host)
  if (!net || !r || r.ips.length === 0) return {error: 'resolve', host, port}
  const ip = r.ips[0]!
  const res = net.http(h.pod, ip, port, req)
  if (typeof res === 'string') return {error: res, host, port, ip}
  return {res, ip, host, port}
}

/** netCommands are curl, wget, nslookup and ping over the simulated network. */
export function netCommands(h: NetHost): Command[] {
  const curl = defineCommand('curl', async (args) => {
    let method = 'GET'
    let body: string | undefined
    const headers: Record<string, string> = {}
    let url: string | undefined
    let silent = false
    let showErr = false
    let fail = false
    let include = false
    let headOnly = false
    let output: string | undefined
    let writeOut: string | undefined
    for (let i = 0; i < args.length; i++) {
      const a = args[i]!
      const next = () => args[++i] ?? ''
      if (a === '-X' || a === '--request') method = next()
      else if (a === '-H' || a === '--header') {
        const hv = next()
        const c = hv.indexOf(':')
        if (c > 0) headers[hv.slice(0, c).trim()] = hv.slice(c + 1).trim()
      } else if (a === '-d' || a === '--data' || a === '--data-raw') {
        body = next()
        if (method === 'GET') method = 'POST'
      } else if (a === '-o' || a === '--output') output = next()
      else if (a === '-w' || a === '--write-out') writeOut = next()
      else if (['-m', '--max-time', '--connect-timeout', '-A', '--user-agent', '-u', '--user', '-e'].includes(a)) next()
      else if (a === '--silent') silent = true
      else if (a === '--show-error') showErr = true
      else if (a === '--fail') fail = true
      else if (a === '--include') include = true
      else if (a === '--head') headOnly = true
      else if (/^-[a-zA-Z]+$/.test(a)) {
        if (a.includes('s')) silent = true
        if (a.includes('S')) showErr = true
        if (a.includes('f')) fail = true
        if (a.includes('i')) include = true
        if (a.includes('I')) headOnly = true
      } else if (!a.startsWith('-')) url = a
    }
    if (!url)
      return {stdout: '', stderr: "curl: try 'curl --help' or 'curl --manual' for more information\n", exitCode: 2}
    if (headOnly) method = 'HEAD'
    const r = fetchFrom(h, url, method, headers, body)
    const quietErr = silent && !showErr
    if ('error' in r) {
      const msg =
        r.error === 'resolve'
          ? [6, `curl: (6) Could not resolve host: ${r.host}`]
          : r.error === 'refused'
            ? [7, `curl: (7) Failed to connect to ${r.host} port ${r.port} after 0 ms: Couldn't connect to server`]
            : [28, `curl: (28) Failed to connect to ${r.host} port ${r.port} after 10001 ms: Timeout was reached`]
      return {stdout: '', stderr: quietErr ? '' : `${msg[1]}\n`, exitCode: msg[0] as number}
    }
    if (fail && r.res.status >= 400)
      return {
        stdout: '',
        stderr: quietErr ? '' : `curl: (22) The requested URL returned error: ${r.res.status}\n`,
        exitCode: 22,
      }
    let out = ''
    if (include || headOnly) {
      out += `HTTP/1.1 ${r.res.status} ${REASONS[r.res.status] ?? ''}\r\n`
      for (const [k, v] of Object.entries(r.res.headers ?? {})) out += `${k}: ${v}\r\n`
      out += `Content-Length: ${Buffer.byteLength(r.res.body)}\r\n\r\n`
    }
    if (!headOnly) out += r.res.body
    if (output && output !== '-') out = ''
    if (writeOut) out += writeOut.replace(/%\{http_code\}/g, String(r.res.status)).replace(/\\n/g, '\n')
    return {stdout: out, stderr: '', exitCode: 0}
  })
  const wget = defineCommand('wget', async (args) => {
    const url = args.find(
      (a, i) => !a.startsWith('-') && !['-O', '-T', '-U', '--output-document', '--timeout'].includes(args[i - 1] ?? ''),
    )
    if (!url) return {stdout: '', stderr: 'wget: missing URL\n', exitCode: 1}
    const quiet = args.some((a) => /^-[a-zA-Z]*q/.test(a) || a === '--quiet')
    const toStdout = args.some((a, i) => (a === '-O' && args[i + 1] === '-') || /^-[a-zA-Z]*O-$/.test(a))
    const spider = args.includes('--spider')
    const r = fetchFrom(h, url, spider ? 'HEAD' : 'GET', {'User-Agent': 'Wget'})
    if ('error' in r)
      return {
        stdout: '',
        stderr:
          r.error === 'resolve'
            ? `wget: bad address '${r.host}'\n`
            : r.error === 'refused'
              ? `wget: can't connect to remote host (${r.ip ?? r.host}): Connection refused\n`
              : `wget: download timed out\n`,
        exitCode: 1,
      }
    let stderr = quiet ? '' : `Connecting to ${r.host} (${r.ip}:${r.port})\n`
    if (r.res.status >= 400)
      return {
        stdout: '',
        stderr: stderr + `wget: server returned error: HTTP/1.1 ${r.res.status} ${REASONS[r.res.status] ?? ''}\n`,
        exitCode: 1,
      }
    if (spider) return {stdout: '', stderr: stderr + (quiet ? '' : 'remote file exists\n'), exitCode: 0}
    if (toStdout) return {stdout: r.res.body, stderr: stderr + (quiet ? '' : 'writing to stdout\n'), exitCode: 0}
    stderr += quiet ? '' : "saving to 'index.html'\n"
    return {stdout: '', stderr, exitCode: 0}
  })
  const nslookup = defineCommand('nslookup', async (args) => {
    const name = args.find((a) => !a.startsWith('-'))
    if (!name)
      return {stdout: '', stderr: 'Usage: nslookup [-type=QUERY_TYPE] [-debug] HOST [DNS_SERVER]\n', exitCode: 1}
    const head = 'Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\n'
    const r = h.network?.resolve(h.pod, name)
    if (!r || r.ips.length === 0)
      return {stdout: head + `** server can't find ${name}: NXDOMAIN\n\n`, stderr: '', exitCode: 1}
    return {
      stdout: head + r.ips.map((ip) => `Name:\t${r.name}\nAddress: ${ip}\n`).join('') + '\n',
      stderr: '',
      exitCode: 0,
    }
  })
  const ping = defineCommand('ping', async (args) => {
    const name = args.find((a, i) => !a.startsWith('-') && !['-c', '-W', '-w', '-i'].includes(args[i - 1] ?? ''))
    if (!name) return {stdout: '', stderr: 'ping: usage error: Destination address required\n', exitCode: 1}
    const ci = args.indexOf('-c')
    const count = Math.min(Number(ci >= 0 ? args[ci + 1] : 4) || 4, 10)
    const r =
      name === 'localhost' || name === '127.0.0.1' ? {name, ips: ['127.0.0.1']} : h.network?.resolve(h.pod, name)
    if (!r || r.ips.length === 0) return {stdout: '', stderr: `ping: bad address '${name}'\n`, exitCode: 1}
    const ip = r.ips[0]!
    let out = `PING ${name} (${ip}): 56 data bytes\n`
    for (let i = 0; i < count; i++) out += `64 bytes from ${ip}: seq=${i} ttl=64 time=0.0${(i % 9) + 1}0 ms\n`
    out += `\n--- ${name} ping statistics ---\n${count} packets transmitted, ${count} packets received, 0% packet loss\nround-trip min/avg/max = 0.010/0.050/0.090 ms\n`
    return {stdout: out, stderr: '', exitCode: 0}
  })
  return [curl, wget, nslookup, ping]
}
