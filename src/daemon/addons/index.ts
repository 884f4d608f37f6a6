// addons/ holds minikube-style addons: `mkctl cluster addons list|enable|disable`. The state (which addons are on)
// is kept in the store's daemon_state table, so a restarted daemon reopens the addons' host listeners.
import {badRequest, notFound} from '../../api/errors.js'
import type {KubeObject} from '../../api/object.js'
import type {Cluster} from '../cluster.js'
import {refOf, resolveResource} from '../controllers/framework/informer.js'
import type {HostGateway, ServiceURL} from '../network/host.js'
import {METRICS_SERVER_IMAGE, metricsServerObjects} from './metrics-server.js'
import {
  CONTROLLER_IMAGE,
  CONTROLLER_NAME,
  INGRESS_CLASS,
  INGRESS_NAMESPACE,
  ingressHandler,
  ingressObjects,
} from './ingress.js'

/** AddonInfo is one row of `addons list`. */
export interface AddonInfo {
  name: string
  enabled: boolean
  maintainer: string
  /** available is false for addons mkctl lists but cannot enable yet. */
  available: boolean
}

const CATALOG: {name: string; maintainer: string; always?: boolean; available: boolean}[] = [
  {name: 'dashboard', maintainer: 'Kubernetes', available: false},
  {name: 'default-storageclass', maintainer: 'Kubernetes', always: true, available: true},
  {name: 'ingress', maintainer: 'Kubernetes', available: true},
  {name: 'metrics-server', maintainer: 'Kubernetes', available: true},
  {name: 'storage-provisioner', maintainer: 'minikube', always: true, available: true},
]

const STATE = 'addons'

/** Addons turns addons on and off on a running cluster. */
export class Addons {
  private removeIngress?: () => void

  constructor(
    private readonly cluster: Cluster,
    private readonly gateway: HostGateway,
  ) {}

  private enabledSet(): Set<string> {
    return new Set<string>(JSON.parse(this.cluster.store.getState(STATE) ?? '[]') as string[])
  }

  private save(s: Set<string>): void {
    this.cluster.store.setState(STATE, JSON.stringify([...s].sort()))
  }

  /** list shows every addon mkctl knows. */
  list(): AddonInfo[] {
    const on = this.enabledSet()
    return CATALOG.map((a) => ({
      name: a.name,
      maintainer: a.maintainer,
      enabled: Boolean(a.always) || on.has(a.name),
      available: a.available,
    }))
  }

  /** resume reinstalls the in-process parts of enabled addons after a daemon restart. */
  async resume(): Promise<void> {
    if (this.enabledSet().has('ingress')) await this.startIngress()
  }

  /** enable turns an addon on; it returns the URLs it opened on the host. */
  async enable(name: string): Promise<{images: string[]; urls: ServiceURL[]}> {
    const a = this.find(name)
    if (a.always) return {images: [], urls: []}
    if (!a.available) throw badRequest(`the ${name} addon is not available in mkctl yet`)
    const on = this.enabledSet()
    if (name === 'metrics-server') {
      this.createObjects(metricsServerObjects())
      on.add(name)
      this.save(on)
      await this.cluster.manager.settle()
      return {images: [METRICS_SERVER_IMAGE], urls: []}
    }
    const urls = await this.startIngress(true)
    on.add(name)
    this.save(on)
    return {images: [CONTROLLER_IMAGE], urls}
  }

  /** disable turns an addon off and removes its objects. */
  async disable(name: string): Promise<void> {
    const a = this.find(name)
    if (a.always) throw badRequest(`the ${name} addon cannot be disabled in mkctl`)
    const on = this.enabledSet()
    if (name === 'metrics-server') {
      // Switched off first, so the Metrics API stops answering before its objects go.
      on.delete(name)
      this.save(on)
      for (const {ref, obj} of [...metricsServerObjects()].reverse()) {
        if (!this.known(ref)) continue
        const r = resolveResource(this.cluster.resources(), ref)
        if (this.cluster.registry.tryGet(r, obj.metadata?.namespace, obj.metadata!.name!))
          this.cluster.registry.delete(r, obj.metadata?.namespace, obj.metadata!.name!, {})
      }
    }
    if (name === 'ingress') {
      this.removeIngress?.()
      this.removeIngress = undefined
      await this.gateway.closeService(INGRESS_NAMESPACE, CONTROLLER_NAME)
      const res = (ref: string) => resolveResource(this.cluster.resources(), ref)
      for (const [ref, ns, n] of [
        ['networking.k8s.io/ingressclasses', undefined, INGRESS_CLASS],
        ['namespaces', undefined, INGRESS_NAMESPACE],
      ] as const) {
        if (this.cluster.registry.tryGet(res(ref), ns, n)) this.cluster.registry.delete(res(ref), ns, n, {})
      }
    }
    on.delete(name)
    this.save(on)
    await this.cluster.manager.settle()
  }

  private find(name: string): (typeof CATALOG)[number] {
    const a = CATALOG.find((x) => x.name === name)
    if (!a) throw notFound({group: 'mkctl.dev', plural: 'addons'}, name)
    return a
  }

  /** known says whether the resource table serves ref (APIServices are not served yet: they are skipped). */
  private known(ref: string): boolean {
    return this.cluster.resources().all.some((r) => refOf(r) === ref)
  }

  /** createObjects creates an addon's objects that do not exist yet. */
  private createObjects(objs: {ref: string; obj: KubeObject}[]): void {
    const c = this.cluster
    for (const {ref, obj} of objs) {
      if (!this.known(ref)) continue
      const r = resolveResource(c.resources(), ref)
      if (!c.registry.tryGet(r, obj.metadata?.namespace, obj.metadata!.name!))
        c.registry.create(r, obj.metadata?.namespace, obj)
    }
  }

  /** startIngress creates the addon's objects (when asked) and installs its proxy and host listeners. */
  private async startIngress(create = false): Promise<ServiceURL[]> {
    if (create) {
      this.createObjects(ingressObjects())
      await this.cluster.manager.settle()
    }
    this.removeIngress ??= this.cluster.network.addHttpHandler(ingressHandler(this.cluster))
    return this.gateway.serviceURLs(INGRESS_NAMESPACE, CONTROLLER_NAME)
  }
}
