// ephemeral.test.ts: the pods/ephemeralcontainers subresource (registry/ephemeral.ts through the registry's
// update path), its validation messages (ValidatePodEphemeralContainersUpdate), and the kubelet starting an added
// ephemeral container (status, events) in a running cluster.
import assert from 'node:assert/strict'
import {StatusError} from '../../../src/api/errors.js'
import type {KubeObject} from '../../../src/api/object.js'
import {
  mergeEphemeralContainers,
  validateEphemeralContainers,
  validateEphemeralContainersUpdate,
} from '../../../src/daemon/registry/ephemeral.js'
import {startTestDaemon, type TestDaemon} from '../../helpers/daemon.js'

const base = (): any => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {name: 'p', namespace: 'default'},
  spec: {
    containers: [{name: 'app', image: 'nginx', imagePullPolicy: 'Always', terminationMessagePolicy: 'File'}],
    initContainers: [{name: 'init', image: 'busybox', imagePullPolicy: 'Always', terminationMessagePolicy: 'File'}],
    restartPolicy: 'Always',
    dnsPolicy: 'ClusterFirst',
  },
})

const ec = (name: string, extra: Record<string, unknown> = {}) => ({
  name,
  image: 'busybox',
  imagePullPolicy: 'Always',
  terminationMessagePolicy: 'File',
  ...extra,
})

describe('registry/ephemeral', () => {
  it('merge takes only spec.ephemeralContainers from the request, defaulted', () => {
    const old = base()
    const incoming = {
      ...base(),
      metadata: {name: 'p', labels: {x: 'y'}},
      spec: {containers: [], ephemeralContainers: [{name: 'd', image: 'busybox'}]},
    }
    const next: any = mergeEphemeralContainers(old as KubeObject, incoming as KubeObject)
    assert.deepEqual(next.metadata, old.metadata)
    assert.deepEqual(next.spec.containers, old.spec.containers)
    assert.equal(next.spec.ephemeralContainers[0].terminationMessagePath, '/dev/termination-log')
    assert.equal(next.spec.ephemeralContainers[0].imagePullPolicy, 'Always')
  })

  it('validates names, targets and forbidden fields as validateEphemeralContainers does', () => {
    const spec = {
      ...base().spec,
      ephemeralContainers: [
        ec('app'),
        ec('d', {targetContainerName: 'nope'}),
        ec('e', {
          ports: [{containerPort: 80}],
          resources: {limits: {cpu: '1'}},
          readinessProbe: {exec: {command: ['x']}},
        }),
        ec('f', {volumeMounts: [{name: 'v', mountPath: '/v', subPath: 's'}]}),
        ec('d', {targetContainerName: 'init', resources: {}}),
      ],
    }
    const msgs = validateEphemeralContainers(spec).map((e) => `${e.field}: ${e.message}`)
    assert.deepEqual(msgs, [
      'spec.ephemeralContainers[0].name: Duplicate value: "app"',
      'spec.ephemeralContainers[1].targetContainerName: Not found: "nope"',
      'spec.ephemeralContainers[2].ports: Forbidden: cannot be set for an Ephemeral Container',
      'spec.ephemeralContainers[2].resources: Forbidden: cannot be set for an Ephemeral Container',
      'spec.ephemeralContainers[2].readinessProbe: Forbidden: cannot be set for an Ephemeral Container',
      'spec.ephemeralContainers[3].volumeMounts[0].name: Not found: "v"',
      'spec.ephemeralContainers[3].volumeMounts[0].subPath: Forbidden: cannot be set for an Ephemeral Container',
      'spec.ephemeralContainers[4].name: Duplicate value: "d"',
    ])
  })

  it('refuses removing or changing an existing ephemeral container, and static pods', () => {
    const old = base()
    old.spec.ephemeralContainers = [ec('d')]
    const removed = base()
    let msgs = validateEphemeralContainersUpdate(removed, old).map((e) => `${e.field}: ${e.message}`)
    assert.deepEqual(msgs, [
      'spec.ephemeralContainers: Forbidden: existing ephemeral containers "d" may not be removed\n',
    ])
    const changed = base()
    changed.spec.ephemeralContainers = [ec('d', {image: 'alpine'})]
    msgs = validateEphemeralContainersUpdate(changed, old).map((e) => `${e.field}: ${e.message}`)
    assert.match(
      msgs[0]!,
      /^spec\.ephemeralContainers\[d\]: Forbidden: existing ephemeral containers "d" may not be changed\n/,
    )
    const added = base()
    added.spec.ephemeralContainers = [ec('d'), ec('e')]
    assert.deepEqual(validateEphemeralContainersUpdate(added, old), [])
    const mirror = base()
    mirror.metadata.annotations = {'kubernetes.io/config.mirror': 'x'}
    assert.equal(
      validateEphemeralContainersUpdate(added, mirror)[0]!.message,
      'Forbidden: static pods do not support ephemeral containers',
    )
  })

  describe('in a cluster', function () {
    let t: TestDaemon
    before(async function () {
      this.timeout(30_000)
      t = await startTestDaemon()
    })
    after(async () => t?.stop())

    it('adds through the subresource only, and the kubelet starts the container', async function () {
      this.timeout(30_000)
      const reg = t.daemon.cluster.registry
      const pods = t.daemon.cluster.resources().lookup('', 'v1', 'pods')!
      reg.create(pods, 'default', {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: {name: 'web'},
        spec: {containers: [{name: 'web', image: 'nginx'}]},
      } as KubeObject)
      await t.advance(5000)
      const cur: any = reg.get(pods, 'default', 'web')
      // A plain update may not add one (ValidatePodUpdate).
      const plain = structuredClone(cur)
      plain.spec.ephemeralContainers = [
        {name: 'dbg', image: 'busybox', command: ['sleep', '3600'], terminationMessagePolicy: 'File'},
      ]
      assert.throws(
        () => reg.update(pods, 'default', 'web', plain),
        (e: unknown) => e instanceof StatusError && e.status.code === 422,
      )
      // The subresource ignores everything else of the body.
      const body = structuredClone(plain)
      body.metadata.labels = {changed: 'yes'}
      body.spec.ephemeralContainers[0].targetContainerName = 'web'
      reg.update(pods, 'default', 'web', body, {subresource: 'ephemeralcontainers'})
      await t.advance(3000)
      const pod: any = reg.get(pods, 'default', 'web')
      assert.equal(pod.metadata.labels, undefined)
      const st = pod.status.ephemeralContainerStatuses
      assert.equal(st.length, 1)
      assert.equal(st[0].name, 'dbg')
      assert.ok(st[0].state.running, JSON.stringify(st[0]))
      assert.equal(st[0].ready, false)
      assert.equal(st[0].started, undefined)
      assert.equal(pod.status.phase, 'Running')
      assert.ok(pod.status.conditions.some((c: any) => c.type === 'Ready' && c.status === 'True'))
      const events = (
        await t.kubectl([
          'get',
          'events',
          '--field-selector',
          'involvedObject.name=web',
          '-o',
          'jsonpath={range .items[*]}{.reason} {.involvedObject.fieldPath}{"\\n"}{end}',
        ])
      ).stdout
      for (const reason of ['Pulling', 'Pulled', 'Created', 'Started'])
        assert.match(events, new RegExp(`^${reason} spec.ephemeralContainers\\{dbg\\}$`, 'm'))
      // Removing it is refused.
      const again: any = reg.get(pods, 'default', 'web')
      delete again.spec.ephemeralContainers
      assert.throws(
        () => reg.update(pods, 'default', 'web', again, {subresource: 'ephemeralcontainers'}),
        /existing ephemeral containers "dbg" may not be removed/,
      )
      // exec reaches it, and with its target it sees the target's processes.
      const ps = await t.kubectl(['exec', 'web', '-c', 'dbg', '--', 'ps'])
      assert.equal(ps.code, 0, ps.stderr)
      assert.match(ps.stdout, /^\s+1 root\s+0:00 nginx: master process/m)
    })
  })
})
