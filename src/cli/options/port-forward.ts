// port-forward.ts holds PortForwardOptions for `mkctl port-forward` (kubectl/pkg/cmd/portforward/portforward.go):
// resolve TYPE/NAME to a running pod (polymorphic.ts), turn service or named ports into the pod's port numbers,
// listen on the local addresses and carry each accepted connection through one tunnel (client/portforward.ts).
import {createServer, type Server} from 'node:net'
import type {Pod} from 'kubernetes-types/core/v1.js'
import type {KubeObject} from '../../api/object.js'
import type {Factory} from '../client/factory.js'
import {parseGoDuration} from '../client/factory.js'
import {klogHeader} from '../client/klog.js'
import {PortForwarder} from '../client/portforward.js'
import {FlagParseError, UsageError} from '../errors.js'
import {write, type IOStreams} from '../io.js'
import {newBuilder} from '../resource/builder.js'
import {attachablePodForObject, fetchObject} from '../resource/polymorphic.js'

/** PortPair is one `[LOCAL:]REMOTE` argument after ports were resolved. */
export interface PortPair {
  local: number
  remote: number
  /** spec is the argument as typed, for messages. */
  spec: string
}

interface ContainerPort {
  name?: string
  containerPort: number
  protocol?: string
}

function podPorts(pod: Pod): ContainerPort[] {
  return (pod.spec?.containers ?? []).flatMap((c) => (c.ports ?? []) as ContainerPort[])
}

/** splitPort splits `8080:80`, `:80` (random local port) and `80` (same local port) into its parts. */
export function splitPort(spec: string): {local: string; remote: string} {
  const parts = spec.split(':')
  if (parts.length > 2) throw new Error(`invalid port format '${spec}'`)
  return parts.length === 2 ? {local: parts[0]!, remote: parts[1]!} : {local: parts[0]!, remote: parts[0]!}
}

/** translateServicePorts maps service ports to the pod's target ports (translateServicePortToTargetPort). */
export function translateServicePorts(specs: string[], svc: KubeObject, pod: Pod): string[] {
  const ports = (svc.spec as {ports?: {port: number; name?: string; targetPort?: number | string}[]})?.ports ?? []
  return specs.map((spec) => {
    const {local, remote} = splitPort(spec)
    const n = Number(remote)
    const sp = Number.isInteger(n) ? ports.find((p) => p.port === n) : ports.find((p) => p.name === remote)
    if (!sp) {
      const svcName = svc.metadata?.name
      throw new Error(
        Number.isInteger(n)
          ? `Service ${svcName} does not have a service port ${remote}`
          : `Service ${svcName} does not have a named port '${remote}'`,
      )
    }
    let target: number
    const tp = sp.targetPort ?? sp.port
    if (typeof tp === 'number' || /^\d+$/.test(tp)) target = Number(tp)
    else {
      const cp = podPorts(pod).find((p) => p.name === tp)
      if (!cp) throw new Error(`Pod '${pod.metadata?.name}' does not have a named port '${tp}'`)
      target = cp.containerPort
    }
    // kubectl keeps the local port as typed; without one, the local port is the service port.
    const localPart = spec.includes(':') ? local : String(sp.port)
    return localPart === String(target) && !spec.includes(':') ? String(target) : `${localPart}:${target}`
  })
}

/** convertNamedPorts replaces named remote ports with the pod's numbers (convertPodNamedPortToNumber). */
export function convertNamedPorts(specs: string[], pod: Pod): string[] {
  return specs.map((spec) => {
    const {local, remote} = splitPort(spec)
    if (/^\d+$/.test(remote)) return spec
    const cp = podPorts(pod).find((p) => p.name === remote)
    if (!cp) throw new Error(`Pod '${pod.metadata?.name}' does not have a named port '${remote}'`)
    return spec.includes(':') ? `${local}:${cp.containerPort}` : `${cp.containerPort}`
  })
}

/** parsePorts validates resolved port specs as client-go's parsePorts does. */
export function parsePorts(specs: string[]): PortPair[] {
  return specs.map((spec) => {
    const {local, remote} = splitPort(spec)
    const r = Number(remote)
    if (!/^\d+$/.test(remote) || r < 1 || r > 65535)
      throw new Error(`error parsing remote port '${remote}': strconv.ParseUint: parsing "${remote}": invalid syntax`)
    if (r === 0) throw new Error(`remote port must be > 0`)
    let l = 0
    if (local !== '') {
      if (!/^\d+$/.test(local) || Number(local) > 65535)
        throw new Error(`error parsing local port '${local}': strconv.ParseUint: parsing "${local}": invalid syntax`)
      l = Number(local)
    }
    return {local: spec.includes(':') || local !== '' ? l : r, remote: r, spec}
  })
}

/** PortForwardOptions forwards local ports to a pod. */
export class PortForwardOptions {
  args: string[] = []
  addresses: string[] = ['localhost']
  podRunningTimeout = '1m0s'
  commandPath = 'mkctl port-forward'
  private pod?: Pod
  private pairs: PortPair[] = []
  private namespace = ''

  constructor(readonly io: IOStreams) {}

  /** complete resolves the pod and the ports. */
  async complete(f: Factory): Promise<void> {
    if (this.args.length < 2)
      throw new UsageError('TYPE/NAME and list of ports are required for port-forward', this.commandPath)
    this.namespace = (await f.namespace()).namespace
    const [target, ...ports] = this.args
    const arg = target!.includes('/') ? [target!] : ['pods', target!]
    const b = await newBuilder(f, this.io.in, {args: arg})
    let obj: KubeObject | undefined
    for await (const item of b.visit()) {
      if ('error' in item) throw item.error
      obj = await fetchObject(f, item.info)
      break
    }
    if (!obj) throw new Error(`no resource found for ${target}`)
    const timeoutMs = parseGoDuration(this.podRunningTimeout)
    if (timeoutMs === undefined || timeoutMs <= 0)
      throw new FlagParseError(
        `invalid argument "${this.podRunningTimeout}" for "--pod-running-timeout" flag: time: invalid duration "${this.podRunningTimeout}"`,
        this.commandPath,
      )
    const pod = await attachablePodForObject(f, obj, timeoutMs)
    this.pod = pod
    const resolved = obj.kind === 'Service' ? translateServicePorts(ports, obj, pod) : convertNamedPorts(ports, pod)
    this.pairs = parsePorts(resolved)
  }

  /** validate checks what the API said about the pod (kubectl refuses a pod that is not Running). */
  validate(): void {
    const phase = this.pod?.status?.phase
    if (phase !== 'Running')
      throw new Error(`unable to forward port because pod is not running. Current status=${phase}`)
  }

  /** run listens and forwards until interrupted or the pod goes away. */
  async run(f: Factory): Promise<void> {
    const rest = await f.restClient()
    const pod = this.pod!
    const errOut = this.io.errOut
    const pf = await PortForwarder.dial(
      rest,
      pod.metadata!.namespace ?? this.namespace,
      pod.metadata!.name!,
      (local, remote, msg) => {
        const header = klogHeader('E', new Date(), process.pid, 'portforward.go:424')
        errOut.write(
          `${header}"Unhandled Error" err="an error occurred forwarding ${local} -> ${remote}: ${msg.replaceAll('"', '\\"')}"\n`,
        )
      },
    )
    const servers: Server[] = []
    const hosts = this.addresses.flatMap((a) =>
      a === 'localhost'
        ? [
            {host: '127.0.0.1', label: '127.0.0.1'},
            {host: '::1', label: '[::1]'},
          ]
        : [{host: a, label: a.includes(':') ? `[${a}]` : a}],
    )
    for (const pair of this.pairs) {
      let bound = 0
      const failures: string[] = []
      for (const h of hosts) {
        const server = createServer((sock) => {
          void write(this.io.out, `Handling connection for ${pair.local}\n`)
          pf.forward(sock, pair.local, pair.remote)
        })
        try {
          await new Promise<void>((resolve, reject) => {
            server.once('error', reject)
            server.listen(pair.local, h.host, () => resolve())
          })
          // A random local port (`:80`) is chosen by the first listener and reused by the others.
          if (pair.local === 0) pair.local = (server.address() as {port: number}).port
          servers.push(server)
          bound++
          await write(this.io.out, `Forwarding from ${h.label}:${pair.local} -> ${pair.remote}\n`)
        } catch (e) {
          const err = e as NodeJS.ErrnoException
          const family = h.host.includes(':') ? 'tcp6' : 'tcp4'
          const reason =
            err.code === 'EADDRINUSE'
              ? 'bind: address already in use'
              : err.code === 'EADDRNOTAVAIL'
                ? 'bind: cannot assign requested address'
                : err.message
          failures.push(`unable to create listener: Error listen ${family} ${h.label}:${pair.local}: ${reason}`)
        }
      }
      if (bound === 0) {
        for (const s of servers) s.close()
        pf.close()
        await write(
          errOut,
          `Unable to listen on port ${pair.local}: Listeners failed to create with the following errors: [${failures.join(' ')}]\n`,
        )
        throw new Error(
          `unable to listen on any of the requested ports: [${this.pairs.map((p) => `{${p.local} ${p.remote}}`).join(' ')}]`,
        )
      }
    }
    const stop = () => pf.close()
    process.once('SIGINT', stop)
    process.once('SIGTERM', stop)
    const lost = await pf.closed
    process.off('SIGINT', stop)
    process.off('SIGTERM', stop)
    for (const s of servers) s.close()
    if (lost) throw new Error('lost connection to pod')
  }
}
