// setup.ts: a cluster core with controllers and kubelets (no HTTP) for the sandbox tests, with helpers to create
// objects and get a running container's sandbox.
import type {Pod} from 'kubernetes-types/core/v1.js'
import type {KubeObject} from '../../../src/api/object.js'
import {FakeClock} from '../../../src/daemon/clock.js'
import {createCluster, type Cluster} from '../../../src/daemon/cluster.js'
import {resolveResource} from '../../../src/daemon/controllers/framework/informer.js'
import {SandboxManager, type ContainerSandbox} from '../../../src/daemon/sandbox/index.js'

/** Env is a running cluster core and a sandbox manager over it. */
export interface Env {
  cluster: Cluster
  clock: FakeClock
  boxes: SandboxManager
  create(resource: string, obj: KubeObject): KubeObject
  update(resource: string, obj: KubeObject): KubeObject
  pod(name: string, ns?: string): Pod
  sandbox(pod: string, container?: string, ns?: string): Promise<ContainerSandbox>
  stop(): Promise<void>
}

/** startEnv creates the cluster and waits for it to settle. */
export async function startEnv(): Promise<Env> {
  const clock = new FakeClock()
  const cluster = createCluster({dbPath: ':memory:', clock, seed: 1})
  await cluster.manager.settle()
  const res = (ref: string) => resolveResource(cluster.resources(), ref)
  const boxes = new SandboxManager(cluster)
  const env: Env = {
    cluster,
    clock,
    boxes,
    create: (resource, obj) => cluster.registry.create(res(resource), obj.metadata?.namespace ?? 'default', obj),
    update: (resource, obj) =>
      cluster.registry.update(res(resource), obj.metadata?.namespace ?? 'default', obj.metadata!.name!, obj).object,
    pod: (name, ns = 'default') => cluster.registry.get(res('pods'), ns, name) as Pod,
    async sandbox(name, container, ns = 'default') {
      await cluster.manager.settle()
      const p = env.pod(name, ns)
      const c = container ?? p.spec!.containers[0]!.name
      const inst = cluster.runtime.instance(p.metadata!.uid!, c)
      if (!inst) throw new Error(`no instance for ${name}/${c}: ${JSON.stringify(p.status)}`)
      return boxes.sandbox(p, c, inst)
    },
    stop: () => cluster.stop(),
  }
  return env
}
