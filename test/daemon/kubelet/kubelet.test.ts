import assert from 'node:assert/strict'
import type {Pod} from 'kubernetes-types/core/v1.js'
import {storageKey} from '../../../src/api/resources.js'
import type {KubeObject} from '../../../src/api/object.js'
import {resolveResource} from '../../../src/daemon/controllers/framework/informer.js'
import {nodeIP, podCIDR, podCIDRIndex} from '../../../src/daemon/bootstrap.js'
import {addNode, deleteNode, kubeletSet, startNode, stopNode} from '../../../src/daemon/kubelet/index.js'
import {fixture, type Fixture} from '../../helpers/cluster.js'
import {FakeRuntime} from './fake-runtime.js'

function pod(name: string, spec: Record<string, unknown>, node = 'mkctl'): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {name, namespace: 'default'},
    spec: {nodeName: node, ...spec},
  } as KubeObject
}

function getPod(f: Fixture, name: string): Pod {
  return f.get('pods', 'default', name) as Pod
}

function events(f: Fixture, name: string): string[] {
  return f
    .list('events', 'default')
    .filter((e: any) => e.involvedObject.name === name)
    .map((e: any) => `${e.type} ${e.reason} ${e.message}${e.count > 1 ? ` (x${e.count})` : ''}`)
}

/** markDeleting sets deletionTimestamp as a graceful DELETE does (the registry part is another package's). */
function markDeleting(f: Fixture, name: string, graceSeconds = 30): void {
  const r = resolveResource(f.cluster.resources(), 'pods')
  f.cluster.store.guaranteedUpdate(storageKey(r, 'default', name), (cur: any) => {
    cur.metadata.deletionTimestamp = new Date(f.clock.now() + graceSeconds * 1000).toISOString().replace('.000Z', 'Z')
    cur.metadata.deletionGracePeriodSeconds = graceSeconds
    return cur
  })
}

describe('kubelet', () => {
  let f: Fixture
  let rt: FakeRuntime
  const start = (opts: Parameters<typeof fixture>[0] = {}) => {
    f = fixture({cluster: {nodes: 2}, ...opts})
    rt = new FakeRuntime()
    const made = kubeletSet({runtime: rt})(f.ctx)
    f.start(...(Array.isArray(made) ? made : [made]))
  }
  afterEach(async () => {
    await f?.stop()
  })

  it('takes a bound pod to Running in one status write, with an IP from the node CIDR and kubelet events', async () => {
    start()
    await f.settle()
    const client = f.cluster.manager.client
    client.record = true
    f.seed('pods', pod('web', {containers: [{name: 'nginx', image: 'nginx:1.27'}]}, 'mkctl-m02'))
    await f.settle()
    client.record = false
    const podWrites = client.actions.filter((a) => a.resource === 'pods' && a.name === 'web')
    assert.deepEqual(
      podWrites.map((a) => `${a.verb} ${a.subresource}`),
      ['update status'],
      'one status write',
    )
    const p = getPod(f, 'web')
    assert.equal(p.status?.phase, 'Running')
    assert.equal(p.status?.podIP, '10.244.1.2')
    assert.deepEqual(p.status?.podIPs, [{ip: '10.244.1.2'}])
    assert.equal(p.status?.hostIP, '192.168.49.3')
    assert.deepEqual(
      p.status?.conditions?.map((c) => `${c.type}=${c.status}`),
      ['PodReadyToStartContainers=True', 'Initialized=True', 'Ready=True', 'ContainersReady=True', 'PodScheduled=True'],
    )
    const cs = p.status!.containerStatuses![0]!
    assert.equal(cs.ready, true)
    assert.equal(cs.started, true)
    assert.equal(cs.image, 'docker.io/library/nginx:1.27')
    assert.equal(cs.imageID, 'docker.io/library/nginx@sha256:' + 'a'.repeat(64))
    assert.match(cs.containerID!, /^containerd:\/\//)
    assert.ok(cs.state?.running?.startedAt)
    assert.deepEqual(events(f, 'web'), [
      'Normal Pulling Pulling image "nginx:1.27"',
      'Normal Pulled Successfully pulled image "nginx:1.27" in 1.234s (1.234s including waiting). Image size: 72099410 bytes.',
      'Normal Created Created container: nginx',
      'Normal Started Started container nginx',
    ])
    const ev = f.list('events', 'default').find((e: any) => e.reason === 'Started') as any
    assert.deepEqual(ev.source, {component: 'kubelet', host: 'mkctl-m02'})
    assert.equal(ev.involvedObject.fieldPath, 'spec.containers{nginx}')

    // A second pod gets the next IP, and the image is already present.
    f.seed('pods', pod('web2', {containers: [{name: 'nginx', image: 'nginx:1.27'}]}, 'mkctl-m02'))
    await f.settle()
    assert.equal(getPod(f, 'web2').status?.podIP, '10.244.1.3')
    assert.equal(events(f, 'web2')[0], 'Normal Pulled Container image "nginx:1.27" already present on machine')
  })

  it("writes the statuses of every node's pods of one turn in one transaction", async () => {
    start()
    await f.settle()
    const client = f.cluster.manager.client
    // Per outermost store transaction, the pods whose status it wrote.
    const rec = f.transactions((a) => a.resource === 'pods' && a.subresource === 'status')
    try {
      // Two pods on each node, all reaching Running in the same turn: one flush for both kubelets.
      client.transaction(() => {
        for (const [name, node] of [
          ['a', 'mkctl'],
          ['b', 'mkctl-m02'],
          ['c', 'mkctl'],
          ['d', 'mkctl-m02'],
        ]) {
          f.seed('pods', pod(name!, {containers: [{name: 'nginx', image: 'nginx:1.27'}]}, node))
        }
      })
      await f.settle()
    } finally {
      rec.stop()
    }
    const batches = rec.batches
    assert.deepEqual(batches, [['a', 'c', 'b', 'd']])
    for (const name of ['a', 'b', 'c', 'd']) assert.equal(getPod(f, name).status?.phase, 'Running', name)
  })

  it('leaves the bootstrap pods alone (no status writes) and hostNetwork pods get the node IP', async () => {
    const f0 = fixture({cluster: {nodes: 2}})
    const rev = f0.cluster.store.currentRevision()
    rt = new FakeRuntime()
    const made = kubeletSet({runtime: rt})(f0.ctx)
    f0.start(...(Array.isArray(made) ? made : [made]))
    await f0.settle()
    f = f0
    const podsAfter = f.list('pods')
    assert.ok(podsAfter.length >= 7)
    assert.ok(
      podsAfter.every((p: any) => Number(p.metadata.resourceVersion) <= rev),
      'no pod was rewritten',
    )
    f.seed('pods', pod('hn', {hostNetwork: true, containers: [{name: 'nginx', image: 'nginx'}]}))
    await f.settle()
    assert.equal(getPod(f, 'hn').status?.podIP, '192.168.49.2')
    // The control plane's CIDR already has coredns at .2.
    f.seed('pods', pod('p', {containers: [{name: 'nginx', image: 'nginx'}]}))
    await f.settle()
    assert.equal(getPod(f, 'p').status?.podIP, '10.244.0.3')
  })

  it('a command that exits 0 with restartPolicy Never makes the pod Succeeded', async () => {
    start()
    f.seed(
      'pods',
      pod('job', {
        restartPolicy: 'Never',
        containers: [{name: 'c', image: 'busybox', command: ['sh', '-c', 'echo hi']}],
      }),
    )
    await f.settle()
    const p = getPod(f, 'job')
    assert.equal(p.status?.phase, 'Succeeded')
    const t = p.status!.containerStatuses![0]!.state!.terminated!
    assert.equal(t.exitCode, 0)
    assert.equal(t.reason, 'Completed')
    assert.ok(t.startedAt && t.finishedAt)
    const cond = Object.fromEntries(p.status!.conditions!.map((c) => [c.type, `${c.status}/${c.reason ?? ''}`]))
    assert.equal(cond.Ready, 'False/PodCompleted')
    assert.equal(cond.PodReadyToStartContainers, 'False/')
  })

  it('`false` with restartPolicy Always goes to CrashLoopBackOff with back-off 10s, 20s, 40s', async () => {
    start()
    f.seed('pods', pod('crash', {containers: [{name: 'c', image: 'busybox', command: ['false']}]}))
    await f.settle()
    let cs = getPod(f, 'crash').status!.containerStatuses![0]!
    assert.equal(cs.state?.terminated?.reason, 'Error')
    assert.equal(cs.state?.terminated?.exitCode, 1)
    assert.equal(cs.restartCount, 0)
    await f.advance(1000) // PLEG notices: first restart at once
    cs = getPod(f, 'crash').status!.containerStatuses![0]!
    assert.equal(cs.restartCount, 1)
    await f.advance(1000)
    cs = getPod(f, 'crash').status!.containerStatuses![0]!
    const uid = getPod(f, 'crash').metadata!.uid
    assert.deepEqual(cs.state?.waiting, {
      reason: 'CrashLoopBackOff',
      message: `back-off 10s restarting failed container=c pod=crash_default(${uid})`,
    })
    assert.equal(cs.lastState?.terminated?.exitCode, 1)
    assert.equal(getPod(f, 'crash').status?.phase, 'Running')
    const counts: number[] = []
    for (const step of [9000, 1000, 20_000, 1000, 40_000]) {
      await f.advance(step)
      counts.push(getPod(f, 'crash').status!.containerStatuses![0]!.restartCount!)
    }
    assert.deepEqual(counts, [2, 2, 3, 3, 4])
    assert.match(getPod(f, 'crash').status!.containerStatuses![0]!.state!.waiting?.message ?? '', /^back-off 1m20s /)
    const backoff = events(f, 'crash').find((e) => e.includes('BackOff'))
    assert.equal(backoff, `Warning BackOff Back-off restarting failed container c in pod crash_default(${uid}) (x4)`)
  })

  it('an unknown image goes ErrImagePull then ImagePullBackOff, retrying with back-off', async () => {
    start()
    f.seed('pods', pod('bad', {containers: [{name: 'c', image: 'ngnix'}]}))
    await f.settle()
    let cs = getPod(f, 'bad').status!.containerStatuses![0]!
    assert.equal(cs.state?.waiting?.reason, 'ErrImagePull')
    assert.match(
      cs.state?.waiting?.message ?? '',
      /^failed to pull and unpack image "docker.io\/library\/ngnix:latest"/,
    )
    assert.equal(cs.image, 'ngnix')
    assert.equal(getPod(f, 'bad').status?.phase, 'Pending')
    await f.advance(1000)
    cs = getPod(f, 'bad').status!.containerStatuses![0]!
    assert.deepEqual(cs.state?.waiting, {reason: 'ImagePullBackOff', message: 'Back-off pulling image "ngnix"'})
    await f.advance(9000)
    assert.equal(getPod(f, 'bad').status!.containerStatuses![0]!.state?.waiting?.reason, 'ErrImagePull')
    const ev = events(f, 'bad')
    assert.ok(ev.includes('Normal Pulling Pulling image "ngnix" (x2)'), ev.join('\n'))
    assert.ok(ev.includes('Warning Failed Error: ErrImagePull (x2)'), ev.join('\n'))
    assert.ok(ev.includes('Normal BackOff Back-off pulling image "ngnix"'), ev.join('\n'))
    assert.ok(ev.includes('Warning Failed Error: ImagePullBackOff'), ev.join('\n'))
    assert.ok(ev.some((e) => e.startsWith('Warning Failed Failed to pull image "ngnix": failed to pull and unpack')))
  })

  it('restarts a container whose liveness probe fails failureThreshold times', async () => {
    start()
    let healthy = true
    rt.probe = () => (healthy ? {success: true} : {success: false, message: 'HTTP probe failed with statuscode: 500'})
    f.seed(
      'pods',
      pod('live', {
        containers: [
          {
            name: 'c',
            image: 'nginx',
            livenessProbe: {httpGet: {path: '/', port: 80}, periodSeconds: 10, failureThreshold: 3},
          },
        ],
      }),
    )
    await f.settle()
    await f.advance(20_000)
    assert.equal(getPod(f, 'live').status!.containerStatuses![0]!.restartCount, 0)
    healthy = false
    await f.advance(30_000)
    const ev = events(f, 'live')
    assert.ok(
      ev.includes('Warning Unhealthy Liveness probe failed: HTTP probe failed with statuscode: 500 (x3)'),
      ev.join('\n'),
    )
    assert.ok(ev.includes('Normal Killing Container c failed liveness probe, will be restarted'), ev.join('\n'))
    healthy = true
    await f.advance(2000)
    const cs = getPod(f, 'live').status!.containerStatuses![0]!
    assert.equal(cs.restartCount, 1)
    assert.ok(cs.state?.running)
    assert.equal(cs.lastState?.terminated?.reason, 'Completed')
  })

  it('readiness probes gate the Ready condition', async () => {
    start()
    let ready = false
    rt.probe = () => (ready ? {success: true} : {success: false, message: 'connection refused'})
    f.seed(
      'pods',
      pod('rd', {
        containers: [
          {
            name: 'c',
            image: 'nginx',
            readinessProbe: {tcpSocket: {port: 80}, initialDelaySeconds: 5, periodSeconds: 5},
          },
        ],
      }),
    )
    await f.settle()
    const readyCond = () => getPod(f, 'rd').status!.conditions!.find((c) => c.type === 'Ready')!
    assert.equal(readyCond().status, 'False')
    assert.equal(readyCond().message, 'containers with unready status: [c]')
    await f.advance(5000)
    assert.equal(readyCond().status, 'False')
    ready = true
    await f.advance(5000)
    assert.equal(readyCond().status, 'True')
    assert.equal(getPod(f, 'rd').status!.containerStatuses![0]!.ready, true)
    ready = false
    await f.advance(15_000)
    assert.equal(readyCond().status, 'False')
    assert.equal(getPod(f, 'rd').status!.containerStatuses![0]!.restartCount, 0)
  })

  it('startup probes hold back liveness until they pass', async () => {
    start()
    const seen: string[] = []
    let startedUp = false
    rt.probe = (_i, probe) => {
      const kind = probe.exec ? 'startup' : 'liveness'
      seen.push(kind)
      return kind === 'startup' ? {success: startedUp, message: 'not yet'} : {success: true}
    }
    f.seed(
      'pods',
      pod('su', {
        containers: [
          {
            name: 'c',
            image: 'nginx',
            startupProbe: {exec: {command: ['true']}, periodSeconds: 5, failureThreshold: 10},
            livenessProbe: {httpGet: {path: '/', port: 80}, periodSeconds: 5},
          },
        ],
      }),
    )
    await f.settle()
    await f.advance(10_000)
    assert.equal(getPod(f, 'su').status!.containerStatuses![0]!.started, false)
    assert.ok(!seen.includes('liveness'))
    startedUp = true
    await f.advance(10_000)
    assert.equal(getPod(f, 'su').status!.containerStatuses![0]!.started, true)
    assert.ok(seen.includes('liveness'))
    assert.equal(getPod(f, 'su').status!.conditions!.find((c) => c.type === 'Ready')!.status, 'True')
  })

  it('runs init containers in order, then sidecars keep running beside the main container', async () => {
    start({timing: 'realistic'})
    f.seed(
      'pods',
      pod('init', {
        initContainers: [
          {name: 'wait', image: 'busybox', command: ['sleep', '5']},
          {name: 'proxy', image: 'nginx', restartPolicy: 'Always'},
        ],
        containers: [{name: 'app', image: 'nginx'}],
      }),
    )
    await f.settle()
    let p = getPod(f, 'init')
    assert.equal(p.status?.phase, 'Pending')
    assert.deepEqual(
      p.status!.initContainerStatuses!.map((c) => c.state?.waiting?.reason),
      ['PodInitializing', 'PodInitializing'],
    )
    assert.equal(p.status!.containerStatuses![0]!.state?.waiting?.reason, 'PodInitializing')
    assert.equal(
      p.status!.conditions!.find((c) => c.type === 'Initialized')!.message,
      'containers with incomplete status: [wait proxy]',
    )
    await f.advance(6000)
    p = getPod(f, 'init')
    assert.ok(p.status!.initContainerStatuses![0]!.state?.running, 'first init container runs')
    assert.ok(!p.status!.initContainerStatuses![1]!.state?.running, 'sidecar waits for it')
    await f.advance(10_000)
    p = getPod(f, 'init')
    assert.equal(p.status!.initContainerStatuses![0]!.state?.terminated?.reason, 'Completed')
    assert.ok(p.status!.initContainerStatuses![1]!.state?.running)
    assert.ok(p.status!.containerStatuses![0]!.state?.running)
    assert.equal(p.status?.phase, 'Running')
    assert.equal(p.status!.conditions!.find((c) => c.type === 'Ready')!.status, 'True')
  })

  it('shows ContainerCreating before Running under realistic timing', async () => {
    start({timing: 'realistic'})
    f.seed('pods', pod('slow', {containers: [{name: 'nginx', image: 'nginx:1.27'}]}))
    await f.settle()
    const p = getPod(f, 'slow')
    assert.equal(p.status?.phase, 'Pending')
    assert.deepEqual(p.status!.containerStatuses![0]!.state, {waiting: {reason: 'ContainerCreating'}})
    assert.equal(p.status?.podIP, '10.244.0.3')
    assert.deepEqual(events(f, 'slow'), ['Normal Pulling Pulling image "nginx:1.27"'])
    await f.advance(1000)
    assert.equal(getPod(f, 'slow').status?.phase, 'Pending')
    await f.advance(2000)
    assert.equal(getPod(f, 'slow').status?.phase, 'Running')
  })

  it('reports OOMKilled from the runtime exit plan', async () => {
    start()
    f.seed('pods', pod('oom', {restartPolicy: 'Never', containers: [{name: 'c', image: 'memhog'}]}))
    await f.settle()
    await f.advance(5000)
    const p = getPod(f, 'oom')
    assert.equal(p.status?.phase, 'Failed')
    assert.deepEqual(
      {
        code: p.status!.containerStatuses![0]!.state?.terminated?.exitCode,
        reason: p.status!.containerStatuses![0]!.state?.terminated?.reason,
      },
      {code: 137, reason: 'OOMKilled'},
    )
  })

  it('terminates a deleting pod gracefully and deletes it with grace 0', async () => {
    start()
    f.seed('pods', pod('web', {containers: [{name: 'nginx', image: 'nginx'}]}))
    f.seed('pods', pod('sleeper', {containers: [{name: 'c', image: 'busybox', command: ['sleep', '3600']}]}))
    await f.settle()
    const uid = getPod(f, 'web').metadata!.uid!
    markDeleting(f, 'web')
    markDeleting(f, 'sleeper', 30)
    await f.settle()
    assert.equal(getPod(f, 'web'), undefined, 'nginx stops at once')
    assert.ok(rt.forgotten.includes(uid))
    assert.ok(events(f, 'web').includes('Normal Killing Stopping container nginx'))
    // busybox's sleep ignores SIGTERM: it goes when the grace period ends.
    assert.ok(getPod(f, 'sleeper'))
    await f.advance(29_000)
    assert.ok(getPod(f, 'sleeper'))
    await f.advance(1000)
    assert.equal(getPod(f, 'sleeper'), undefined)
  })

  it('a stopped node renews no lease and writes nothing; started again it restarts its containers', async () => {
    start()
    f.seed('pods', pod('web', {containers: [{name: 'nginx', image: 'nginx'}]}, 'mkctl-m02'))
    await f.settle()
    const lease = () => (f.get('coordination.k8s.io/leases', 'kube-node-lease', 'mkctl-m02') as any).spec.renewTime
    await f.advance(10_000)
    const renewed = lease()
    stopNode(f.ctx, 'mkctl-m02')
    assert.equal(f.ctx.state.get('node_stopped/mkctl-m02'), 'true')
    const rv = getPod(f, 'web').metadata!.resourceVersion
    await f.advance(60_000)
    assert.equal(lease(), renewed)
    assert.equal(getPod(f, 'web').metadata!.resourceVersion, rv)
    // The other node keeps renewing.
    assert.notEqual((f.get('coordination.k8s.io/leases', 'kube-node-lease', 'mkctl') as any).spec.renewTime, renewed)
    startNode(f.ctx, 'mkctl-m02')
    await f.settle()
    assert.notEqual(lease(), renewed)
    await f.advance(1000)
    const cs = getPod(f, 'web').status!.containerStatuses![0]!
    assert.equal(cs.restartCount, 1)
    assert.ok(cs.state?.running)
    assert.deepEqual(
      {code: cs.lastState?.terminated?.exitCode, reason: cs.lastState?.terminated?.reason},
      {code: 255, reason: 'Unknown'},
    )
    const nodeEvents = f
      .list('events', 'default')
      .filter((e: any) => e.involvedObject.kind === 'Node')
      .map((e: any) => e.reason)
    assert.ok(nodeEvents.includes('Starting'))
  })

  it('node addresses stay valid past 253 nodes and pod CIDRs past 256, the first ones unchanged', () => {
    assert.deepEqual([0, 252, 253, 505, 999].map(nodeIP), [
      '192.168.49.2',
      '192.168.49.254',
      '192.168.50.2',
      '192.168.50.254',
      '192.168.52.242',
    ])
    assert.deepEqual([0, 255, 256, 999].map(podCIDR), [
      '10.244.0.0/24',
      '10.244.255.0/24',
      '10.245.0.0/24',
      '10.247.231.0/24',
    ])
    for (const i of [0, 7, 255, 256, 999]) assert.equal(podCIDRIndex(podCIDR(i)), i)
    assert.equal(podCIDRIndex('10.96.0.0/24'), undefined)
  })

  it('adds a node with the next name, CIDR and IP, and deletes it', async () => {
    start()
    await f.settle()
    const made = addNode(f.ctx)
    assert.equal(made.metadata?.name, 'mkctl-m03')
    await f.settle()
    const n = f.get('nodes', undefined, 'mkctl-m03') as any
    assert.equal(n.spec.podCIDR, '10.244.2.0/24')
    assert.equal(n.status.addresses[0].address, '192.168.49.4')
    assert.equal(n.status.conditions.find((c: any) => c.type === 'Ready').status, 'True')
    assert.ok(f.get('coordination.k8s.io/leases', 'kube-node-lease', 'mkctl-m03'))
    f.seed('pods', pod('p3', {containers: [{name: 'nginx', image: 'nginx'}]}, 'mkctl-m03'))
    await f.settle()
    assert.equal(getPod(f, 'p3').status?.podIP, '10.244.2.2')
    await f.advance(10_000)
    assert.equal(
      (f.get('nodes', undefined, 'mkctl-m03') as any).status.images[0].names[1],
      'docker.io/library/nginx:latest',
    )
    deleteNode(f.ctx, 'mkctl-m03')
    await f.settle()
    assert.equal(f.get('nodes', undefined, 'mkctl-m03'), undefined)
    assert.equal(f.get('coordination.k8s.io/leases', 'kube-node-lease', 'mkctl-m03'), undefined)
    assert.ok(getPod(f, 'p3'), 'its pods stay for the pod GC')
  })

  it('takes 1000 bound pods to Running quickly in fast timing', async function () {
    this.timeout(60_000)
    start({cluster: {nodes: 5}})
    await f.settle()
    const r = resolveResource(f.cluster.resources(), 'pods')
    f.cluster.store.transaction(() => {
      for (let i = 0; i < 1000; i++) {
        f.cluster.registry.create(
          r,
          'default',
          pod(
            `p${i}`,
            {containers: [{name: 'nginx', image: 'nginx:1.27'}]},
            i % 5 === 0 ? 'mkctl' : `mkctl-m0${(i % 5) + 1}`,
          ),
        )
      }
    })
    const t0 = process.cpuUsage()
    const w0 = performance.now()
    await f.settle()
    const cpu = process.cpuUsage(t0)
    const ms = performance.now() - w0
    const pods = f.list('pods', 'default')
    assert.equal(pods.filter((p: any) => p.status.phase === 'Running').length, 1000)
    assert.equal(new Set(pods.map((p: any) => p.status.podIP)).size, 1000)
    // Idle: only the kubelets' heartbeat ticker (one for the five nodes' leases) waits on the clock.
    assert.equal(f.clock.pendingTimers(), 1)
    console.log(
      `      1000 pods Running in ${ms.toFixed(0)} ms wall, ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms CPU`,
    )
  })
})
