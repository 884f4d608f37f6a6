// drain.test.ts: differential tests of `mkctl cordon|uncordon|drain` against the real kubectl on twin daemons (run
// `npm run build` first: the tests spawn bin/mkctl.js). kubectl evicts pods in parallel goroutines and joins some
// messages in Go map order, so cases that would print several pods or several kinds of warnings are kept out.
import assert from 'node:assert/strict'
import {startTwins, type Twins} from '../../helpers/differential.js'

describe('mkctl cordon, uncordon, drain (differential)', function () {
  this.timeout(120_000)
  let t: Twins
  before(async function () {
    t = await startTwins(this, {cluster: {nodes: 2}} as never)
    await t.setup(['create', 'deployment', 'web', '--image=nginx', '--replicas=1'])
    await t.setup(['run', 'lone', '--image=nginx'])
  })
  after(async () => t?.stop())

  const wide = [
    'get',
    'pods',
    '-o',
    'custom-columns=NAME:.metadata.name,NODE:.spec.nodeName',
    '--sort-by=.metadata.name',
  ]

  it('cordon and uncordon', async () => {
    await t.same(['cordon', 'mkctl-m02'])
    await t.same(['cordon', 'mkctl-m02'])
    await t.same(['get', 'node', 'mkctl-m02', '-o', 'jsonpath={.spec}'])
    await t.same(['uncordon', 'mkctl-m02', '--dry-run=client'])
    await t.same(['uncordon', 'mkctl-m02'])
    await t.same(['uncordon', 'mkctl-m02'])
    await t.same(['cordon', '-l', 'kubernetes.io/hostname=mkctl', '--dry-run=server'])
    await t.same(['get', 'nodes'])
  })

  it('cordon errors', async () => {
    await t.same(['cordon'])
    await t.same(['uncordon'])
    await t.same(['cordon', 'nope'])
    await t.same(['cordon', 'mkctl', '-l', 'a=b'])
    await t.same(['drain'])
  })

  it('drain refuses unmanaged and DaemonSet pods, then dry runs', async () => {
    await t.same(wide)
    const node = (await t.m.mkctl(['get', 'pod', 'lone', '-o', 'jsonpath={.spec.nodeName}'])).stdout
    assert.ok(node)
    await t.same(['drain', node, '--dry-run=client', '--ignore-daemonsets'])
    await t.same(['drain', node, '--dry-run=client', '--pod-selector=run=lone', '--force'])
    await t.same(['drain', node, '--dry-run=client', '--ignore-daemonsets', '--pod-selector=run=lone'])
    await t.same(['drain', node, '--pod-selector=run=lone', '--ignore-daemonsets', '--force', '--dry-run=client'])
    await t.same(['drain', node, '--pod-selector=in valid'])
    await t.same(['uncordon', node])
  })

  it('drain evicts a pod and reports the node drained', async () => {
    await t.same(['drain', 'mkctl-m02', '--ignore-daemonsets', '--pod-selector=run=lone', '--force'])
    await t.same(['drain', 'mkctl', '--ignore-daemonsets', '--pod-selector=run=lone', '--force', '--disable-eviction'])
    await t.same(['get', 'nodes'])
    await t.same(['get', 'pods'])
  })
})
