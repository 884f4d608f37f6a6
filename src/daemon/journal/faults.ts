// faults.ts is what a lab's setup declares beyond manifests (issue 6, docs/labs.md "Setup"): images added to the
// runtime's catalog, and faults scheduled on the cluster's clock — a node stopped or started, an image registry
// failing its pulls for a while, the containers of matching pods killed. They are declared once, by `lab start` or
// the grader, through /mkctl/v1/lab/faults (lab-ops.ts), kept in the store's daemon_state (so a restarted daemon
// keeps its images and its pending faults) and fired by clock timers: on a live profile's VirtualClock that is
// wall time, in a replay the FakeClock's virtual time, so grading stays deterministic.
//
// The runtime is not changed: the injector interposes on its pull and start (fault injection as a proxy, the way
// chaos tools wrap a CRI). A failed pull gives the kubelet an error as containerd reports an unreachable registry,
// so the pod goes ErrImagePull → ImagePullBackOff and recovers at the next back-off once the failure is over. A
// killed container is one started before the kill time: its exit plan says it ends at that time with 137 (SIGKILL),
// so the kubelet restarts it per the pod's restart policy (containers already running when the fault is declared
// are not touched: setup declares faults before it applies anything).
import {parseSelector} from '../../api/labels.js'
import type {Cluster} from '../cluster.js'
import {startNode, stopNode} from '../kubelet/index.js'
import {parseImageDefs, parseReference, type ImageDef} from '../runtime/index.js'
import type {Timer} from '../clock.js'
import type {PullResult, StartRequest} from '../runtime/types.js'

/** FaultSpec is one fault as declared: exactly one kind, `at` ms after the declaration. */
export interface FaultSpec {
  at: number
  nodeStop?: string
  nodeStart?: string
  /** registryFailure fails pulls of an image (`repo` or `repo:tag`) or of a whole registry host, until `until` ms. */
  registryFailure?: {image?: string; registry?: string; until?: number; message?: string}
  /** podKill kills the containers (or one `container`) of the pods matching name/selector in namespace. */
  podKill?: {namespace?: string; name?: string; selector?: string; container?: string}
}

/** FaultState is what the store keeps: the declaration time (cluster ms), the images, the faults and which fired. */
export interface FaultState {
  declaredAt: number
  images: ImageDef[]
  faults: FaultSpec[]
  fired: boolean[]
}

/** FaultDeclaration is the body of POST /mkctl/v1/lab/faults. */
export interface FaultDeclaration {
  images?: unknown
  faults?: FaultSpec[]
}

/** FAULT_STATE is the daemon_state row holding the FaultState. */
const FAULT_STATE = 'lab_faults'

/** FaultError is a declaration the injector refuses (a bad image list, an unknown fault kind). */
export class FaultError extends Error {}

const KINDS = ['nodeStop', 'nodeStart', 'registryFailure', 'podKill'] as const

/** faultKind names a fault's kind. */
export function faultKind(f: FaultSpec): (typeof KINDS)[number] | undefined {
  return KINDS.find((k) => f[k] !== undefined)
}

/** FaultInjector holds one cluster's declared images and faults. */
export class FaultInjector {
  private state: FaultState | undefined
  private timers: Timer[] = []

  constructor(private readonly cluster: Cluster) {
    const saved = cluster.store.getState(FAULT_STATE)
    this.interpose()
    if (saved) this.arm(JSON.parse(saved) as FaultState)
  }

  /** declare adds images and schedules faults (once per cluster: a second declaration is refused). */
  declare(d: FaultDeclaration): FaultState {
    if (this.state) throw new FaultError('faults and images were declared already for this cluster')
    // A lab's `app` image runs its declared behaviour; without an entrypoint it gets one named after the image.
    const images = (d.images === undefined ? [] : parseImageDefs(d.images, 'images')).map((def) =>
      def.profile === 'app' && !def.entrypoint && !def.cmd && def.images.every((v) => !v.entrypoint && !v.cmd)
        ? {...def, entrypoint: [`/${def.name.split('/').pop()}`]}
        : def,
    )
    const faults = d.faults ?? []
    if (!Array.isArray(faults)) throw new FaultError('"faults" must be a list')
    for (const [i, f] of faults.entries()) {
      const kinds = KINDS.filter((k) => f?.[k] !== undefined)
      if (kinds.length !== 1) throw new FaultError(`faults[${i}] must have exactly one of ${KINDS.join(', ')}`)
      if (!Number.isFinite(f.at) || f.at < 0) throw new FaultError(`faults[${i}].at must be a non-negative number`)
    }
    const state: FaultState = {declaredAt: this.cluster.clock.now(), images, faults, fired: faults.map(() => false)}
    this.arm(state)
    this.save()
    return state
  }

  /** status is the declared state, or undefined. */
  status(): FaultState | undefined {
    return this.state
  }

  private save(): void {
    if (this.state) this.cluster.store.setState(FAULT_STATE, JSON.stringify(this.state))
  }

  private arm(state: FaultState): void {
    this.state = state
    for (const def of state.images) this.cluster.runtime.index.add(def)
    const now = this.cluster.clock.now()
    state.faults.forEach((f, i) => {
      if (state.fired[i]) return
      const due = state.declaredAt + f.at
      if (due <= now) this.fire(i)
      else this.timers.push(this.cluster.clock.setTimeout(() => this.fire(i), due - now))
    })
  }

  private fire(i: number): void {
    const st = this.state!
    if (st.fired[i]) return
    st.fired[i] = true
    const f = st.faults[i]!
    const ctx = this.cluster.manager.context()
    try {
      this.save()
      if (f.nodeStop !== undefined) stopNode(ctx, this.nodeName(f.nodeStop))
      else if (f.nodeStart !== undefined) startNode(ctx, this.nodeName(f.nodeStart))
    } catch (e) {
      ctx.log(`lab fault ${i}: ${(e as Error).message}`)
    }
  }

  /**
   * nodeName resolves a lab's node name: the name itself when such a node exists, else `m02` (or `minikube-m02`)
   * names the node whose name ends in `-m02` and `m01` the first node, so one lab works in every profile (a replay
   * cluster's nodes are mkctl, mkctl-m02; a live lab's lab-NAME, lab-NAME-m02).
   */
  private nodeName(name: string): string {
    const nodes = this.cluster.registry
      .list(this.cluster.resources().lookup('', 'v1', 'nodes')!, undefined)
      .items.map((n) => String(n.metadata?.name))
    if (nodes.includes(name)) return name
    const m = /(?:^|-)(m0*\d+)$/.exec(name)
    if (!m) return name
    if (/^m0*1$/.test(m[1]!)) return nodes[0] ?? name
    return nodes.find((n) => n.endsWith(`-${m[1]}`)) ?? name
  }

  /** interpose wraps the runtime's pull (registry failures) and start (pod kills). */
  private interpose(): void {
    const rt = this.cluster.runtime
    const pull = rt.pull.bind(rt)
    rt.pull = (node, image, policy, now): PullResult => {
      const why = this.pullFailure(node, image, policy, now)
      return why !== undefined ? {ok: false, message: why} : pull(node, image, policy, now)
    }
    const start = rt.start.bind(rt)
    rt.start = (req) => {
      const inst = start(req)
      const killAt = this.killTime(req)
      if (killAt !== undefined && inst.process) {
        const after = killAt - req.now
        if (!inst.exit || inst.exit.afterMs > after) inst.exit = {afterMs: after, code: 137, reason: 'Error'}
      }
      return inst
    }
  }

  /** pullFailure is containerd's error for a pull that reaches a failing registry now, or undefined. */
  private pullFailure(node: string, image: string, policy: string, now: number): string | undefined {
    const st = this.state
    if (!st) return undefined
    let ref
    try {
      ref = parseReference(image)
    } catch {
      return undefined
    }
    // A pull that the node's image cache answers does not reach the registry.
    if (policy !== 'Always' && this.cluster.runtime.hasImage(node, image)) return undefined
    for (const f of st.faults) {
      const r = f.registryFailure
      if (!r || now < st.declaredAt + f.at) continue
      if (r.until !== undefined && now >= st.declaredAt + r.until) continue
      if (!matchesImage(r, ref)) continue
      const tagOrDigest = ref.digest ?? ref.tag ?? 'latest'
      const host = ref.domain === 'docker.io' ? 'registry-1.docker.io' : ref.domain
      return (
        r.message ??
        `failed to pull and unpack image "${ref.ref}": failed to resolve reference "${ref.ref}": unexpected status from HEAD request to https://${host}/v2/${ref.path}/manifests/${tagOrDigest}: 503 Service Unavailable`
      )
    }
    return undefined
  }

  /** killTime is the earliest pending kill of a container being started (after its start), or undefined. */
  private killTime(req: StartRequest): number | undefined {
    const st = this.state
    if (!st) return undefined
    let at: number | undefined
    for (const f of st.faults) {
      const k = f.podKill
      if (!k) continue
      const t = st.declaredAt + f.at
      if (t <= req.now || (at !== undefined && t >= at)) continue
      const meta = req.pod.metadata ?? {}
      if ((meta.namespace ?? 'default') !== (k.namespace ?? 'default')) continue
      if (k.name !== undefined && meta.name !== k.name) continue
      if (k.selector !== undefined && !parseSelector(k.selector).matches((meta.labels ?? {}) as Record<string, string>))
        continue
      if (k.container !== undefined && req.container.name !== k.container) continue
      at = t
    }
    return at
  }

  /** stop cancels the pending timers. */
  stop(): void {
    for (const t of this.timers) t.cancel()
    this.timers = []
  }
}

/** matchesImage tells whether a registry failure covers a parsed reference (by registry host or by image). */
function matchesImage(r: NonNullable<FaultSpec['registryFailure']>, ref: ReturnType<typeof parseReference>): boolean {
  if (r.registry !== undefined && ref.domain !== r.registry) return false
  if (r.image !== undefined) {
    const want = parseReference(r.image)
    if (want.repository !== ref.repository) return false
    if (/:[^/]+$/.test(r.image) && want.tag !== ref.tag) return false
  }
  return true
}
