// bootstrap.test.ts: the objects a fresh cluster starts with, where their names are drawn at random.
import assert from 'node:assert/strict'
import {FakeClock} from '../../src/daemon/clock.js'
import {createCluster} from '../../src/daemon/cluster.js'
import {makeIds} from '../../src/daemon/ids.js'

describe('bootstrap', () => {
  it('draws a kube-proxy pod name again when its suffix is taken, instead of failing the start', async () => {
    // The first two suffixes collide, as they may among a 1,000-node cluster's kube-proxy pods.
    const ids = makeIds(1)
    let calls = 0
    const next = ids.nameSuffix
    ids.nameSuffix = () => (++calls <= 2 ? 'aaaaa' : next())
    const cluster = createCluster({
      dbPath: ':memory:',
      clock: new FakeClock(),
      ids,
      cluster: {nodes: 3},
      controllers: false,
    })
    try {
      const pods = cluster.registry
        .list(
          cluster.resources().all.find((r) => r.plural === 'pods')!,
          'kube-system',
        )
        .items.filter((p) => p.metadata?.labels?.['k8s-app'] === 'kube-proxy')
      assert.equal(new Set(pods.map((p) => p.metadata!.name)).size, 3)
      assert.deepEqual(pods.map((p) => (p.spec as {nodeName: string}).nodeName).sort(), [
        'mkctl',
        'mkctl-m02',
        'mkctl-m03',
      ])
      assert.ok(pods.some((p) => p.metadata!.name === 'kube-proxy-aaaaa'))
      assert.ok(pods.every((p) => p.metadata!.generateName === 'kube-proxy-'))
      assert.ok(pods.every((p) => (p.status as {phase: string}).phase === 'Running'))
    } finally {
      await cluster.stop()
    }
  })
})
