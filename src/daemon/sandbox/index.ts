// sandbox/ holds the simulated inside of containers for exec and attach: a file system per container run that
// persists across exec calls (keyed by pod uid + container, rebuilt when the container restarts, as a real
// container's writable layer is), the pod's volumes, and a just-bash shell over them.
import type {ConfigMap, Container, PersistentVolumeClaim, Pod, Secret} from 'kubernetes-types/core/v1.js'
import type {Cluster} from '../cluster.js'
import type {RuntimeContainer} from '../runtime/runtime.js'
import {ContainerSandbox} from './container.js'
import {clusterNetwork, type SandboxNetwork} from './net.js'
import {VolumeStore, type SavedVolumes, type VolumeSources} from './volumes.js'

/** VOLUME_STATE is the daemon_state row holding PVC and hostPath data. */
const VOLUME_STATE = 'volume_data'

export {ContainerSandbox} from './container.js'
export {ShellSession, type SessionIO, type SessionOptions} from './session.js'

/** SandboxManager hands out container sandboxes and forgets those of deleted pods. */
export class SandboxManager {
  private readonly boxes = new Map<string, {instanceId: string; box: Promise<ContainerSandbox>}>()
  readonly volumes: VolumeStore
  readonly network: SandboxNetwork
  private readonly restored: Promise<void>
  private lastSaved?: string

  constructor(private readonly cluster: Cluster) {
    const get = <T>(plural: string, ns: string, name: string): T | undefined => {
      const r = cluster.resources().lookup('', 'v1', plural)
      return r ? (cluster.registry.tryGet(r, ns, name) as T | undefined) : undefined
    }
    const sources: VolumeSources = {
      configMap: (ns, name) => get<ConfigMap>('configmaps', ns, name),
      secret: (ns, name) => get<Secret>('secrets', ns, name),
      pvc: (ns, name) => get<PersistentVolumeClaim>('persistentvolumeclaims', ns, name),
      allocatable: (node) =>
        (get<{status?: {allocatable?: Record<string, string>}}>('nodes', '', node)?.status?.allocatable ??
          {}) as Record<string, string>,
      now: () => cluster.clock.now(),
    }
    this.volumes = new VolumeStore(sources)
    this.network = clusterNetwork(cluster)
    const saved = cluster.store.getState(VOLUME_STATE)
    this.restored = saved ? this.volumes.restore(JSON.parse(saved) as SavedVolumes) : Promise.resolve()
  }

  /**
   * persist writes the data that outlives pods (PVCs, hostPaths) to the store after an exec or attach session, so
   * it survives a daemon restart as a real PersistentVolume does.
   */
  async persist(): Promise<void> {
    await this.restored
    const data = await this.volumes.save()
    const text = JSON.stringify(data)
    if (text !== this.lastSaved) {
      this.cluster.store.setState(VOLUME_STATE, text)
      this.lastSaved = text
    }
  }

  /** sandbox returns the sandbox of a pod's container run (the same one for every exec into that run). */
  async sandbox(pod: Pod, containerName: string, inst: RuntimeContainer): Promise<ContainerSandbox> {
    await this.restored
    return this.box(pod, containerName, inst)
  }

  private box(pod: Pod, containerName: string, inst: RuntimeContainer): Promise<ContainerSandbox> {
    const key = `${pod.metadata?.uid ?? ''}/${containerName}`
    const have = this.boxes.get(key)
    if (have && have.instanceId === inst.id) return have.box
    if (!have) this.gc()
    // Ephemeral containers (kubectl debug) get a sandbox too: an EphemeralContainer has a Container's fields.
    const ephemeral = (pod.spec?.ephemeralContainers ?? []) as (Container & {targetContainerName?: string})[]
    const container = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? []), ...ephemeral].find(
      (c) => c.name === containerName,
    )!
    let box = ContainerSandbox.create(pod, container, inst, {
      volumes: this.volumes,
      now: () => this.cluster.clock.now(),
      network: this.network,
    })
    const target = ephemeral.find((c) => c.name === containerName)?.targetContainerName
    if (target) box = box.then((b) => this.shareProcesses(pod, b, target))
    this.boxes.set(key, {instanceId: inst.id, box})
    box.catch(() => this.boxes.delete(key))
    return box
  }

  /**
   * shareProcesses gives an ephemeral container with a target the target's process namespace (kubectl debug
   * --target): its `ps` lists the target's processes first, then its own shell and commands, numbered after them.
   */
  private async shareProcesses(pod: Pod, box: ContainerSandbox, target: string): Promise<ContainerSandbox> {
    const inst = this.cluster.runtime.instance(pod.metadata?.uid ?? '', target)
    if (!inst) return box
    const theirs = await this.box(pod, target, inst)
    const own = box.processes.bind(box)
    box.processes = (self) => {
      const shared = theirs.processes([]).slice(0, -1)
      const top = Math.max(0, ...shared.map((p) => p.pid))
      return [
        ...shared,
        ...own(self).map((p) => ({...p, pid: p.pid === 1 ? top + 1 : top + 2 + Math.max(0, p.pid - 31)})),
      ]
    }
    return box
  }

  /** gc drops the sandboxes and per-pod volumes of pods that no longer exist. */
  gc(): void {
    const r = this.cluster.resources().lookup('', 'v1', 'pods')
    if (!r) return
    const live = new Set(this.cluster.registry.list(r, undefined).items.map((p) => p.metadata?.uid ?? ''))
    for (const key of [...this.boxes.keys()]) if (!live.has(key.split('/')[0]!)) this.boxes.delete(key)
    for (const uid of this.volumes.podUids()) if (!live.has(uid)) this.volumes.forgetPod(uid)
  }
}
