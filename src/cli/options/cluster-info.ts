// cluster-info.ts holds ClusterInfoOptions for `mkctl cluster-info` (kubectl/pkg/cmd/clusterinfo/clusterinfo.go).
// kubectl 1.32 prints no colour escapes here (observed on a TTY), so neither does mkctl.
import type {KubeList, KubeObject} from '../../api/object.js'
import type {RestClient} from '../client/rest.js'
import {ACCEPT_DEFAULT} from '../client/rest.js'
import type {IOStreams} from '../io.js'

interface ServicePort {
  name?: string
  port?: number
}
interface Service extends KubeObject {
  spec?: {ports?: ServicePort[]}
  status?: {loadBalancer?: {ingress?: {ip?: string; hostname?: string}[]}}
}

/** joinSchemeNamePort mirrors apimachinery/pkg/util/net JoinSchemeNamePort. */
export function joinSchemeNamePort(scheme: string, name: string, port: string): string {
  if (scheme) return `${scheme}:${name}:${port}`
  return port ? `${name}:${port}` : name
}

/** serviceLink computes the URL cluster-info shows for one cluster service. */
export function serviceLink(host: string, svc: Service): string {
  const ingress = svc.status?.loadBalancer?.ingress ?? []
  if (ingress.length > 0) {
    const ip = ingress[0].ip || ingress[0].hostname || ''
    return (svc.spec?.ports ?? []).map((p) => `http://${ip}:${p.port} `).join('')
  }
  let name = svc.metadata?.name ?? ''
  const ports = svc.spec?.ports ?? []
  if (ports.length > 0) {
    const p = ports[0]
    const scheme = p.name === 'https' || p.port === 443 ? 'https' : ''
    name = joinSchemeNamePort(scheme, name, p.name ?? '')
  }
  return `${host}/api/v1/namespaces/${svc.metadata?.namespace ?? 'kube-system'}/services/${name}/proxy`
}

/** clusterInfo prints the control plane address and each `kubernetes.io/cluster-service=true` service in kube-system. */
export async function clusterInfo(
  rest: RestClient,
  io: IOStreams,
  resolveServices?: () => Promise<unknown>,
): Promise<void> {
  const host = rest.url('')
  const dump = "\nTo further debug and diagnose cluster problems, use 'mkctl cluster-info dump'.\n"
  let list: KubeList<Service>
  try {
    // kubectl resolves "services" through discovery first (resource.Builder), then lists them
    await resolveServices?.()
    list = await rest.get<KubeList<Service>>('/api/v1/namespaces/kube-system/services', {
      query: {labelSelector: 'kubernetes.io/cluster-service=true'},
      accept: ACCEPT_DEFAULT,
    })
  } catch (e) {
    // kubectl prints its closing hint even when the lookup fails, then the error
    io.out.write(dump)
    throw e
  }
  let out = `Kubernetes control plane is running at ${host}\n`
  for (const svc of list.items ?? []) {
    const shown = svc.metadata?.labels?.['kubernetes.io/name'] || svc.metadata?.name || ''
    out += `${shown} is running at ${serviceLink(host, svc)}\n`
  }
  io.out.write(out + dump)
}
