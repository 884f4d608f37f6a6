// taint.test.ts: differential tests of `mkctl taint` against the real kubectl on twin daemons (run `npm run build`
// first: the tests spawn bin/mkctl.js).
import {startTwins, type Twins} from '../../helpers/differential.js'

describe('mkctl taint (differential)', function () {
  this.timeout(120_000)
  let t: Twins
  before(async function () {
    t = await startTwins(this, {cluster: {nodes: 2}} as never)
  })
  after(async () => t?.stop())

  const taints = ['get', 'nodes', '-o', 'jsonpath={range .items[*]}{.metadata.name}{" "}{.spec.taints}{"\\n"}{end}']

  it('adds, overwrites and removes taints', async () => {
    await t.same(['taint', 'nodes', 'mkctl-m02', 'dedicated=gpu:NoSchedule'])
    await t.same(['taint', 'nodes', 'mkctl-m02', 'dedicated=cpu:NoSchedule'])
    await t.same(['taint', 'nodes', 'mkctl-m02', 'dedicated=cpu:NoSchedule', '--overwrite'])
    await t.same(['taint', 'node', 'mkctl-m02', 'bar:PreferNoSchedule', 'dedicated:NoExecute'])
    await t.same(taints)
    await t.same(['taint', 'nodes', 'mkctl-m02', 'dedicated:NoSchedule-'])
    await t.same(['taint', 'nodes', 'mkctl-m02', 'dedicated-', 'zone=a:NoSchedule'])
    await t.same(['taint', 'nodes', 'mkctl-m02', 'nope-'])
    await t.same(taints)
    await t.same(['taint', 'nodes', '--all', 'maint=yes:PreferNoSchedule'])
    await t.same(['taint', 'nodes', '-l', 'kubernetes.io/hostname=mkctl', 'maint-'])
    await t.same(['taint', 'nodes', 'mkctl-m02', 'x=y:NoSchedule', '--dry-run=client'])
    await t.same(['taint', 'nodes', 'mkctl-m02', 'x=y:NoSchedule', '--dry-run=server', '-o', 'name'])
    await t.same(taints)
    await t.same(['get', 'node', 'mkctl-m02', '-o', 'yaml'])
  })

  it('errors', async () => {
    await t.same(['taint', 'nodes'])
    await t.same(['taint', 'nodes', 'mkctl-m02'])
    await t.same(['taint', 'nodes', 'mkctl-m02', 'a=b:Bad'])
    await t.same(['taint', 'nodes', 'mkctl-m02', 'a=b'])
    await t.same(['taint', 'nodes', 'mkctl-m02', 'a=b=c:NoSchedule'])
    await t.same(['taint', 'nodes', 'mkctl-m02', '-bad=b:NoSchedule'])
    await t.same(['taint', 'nodes', 'mkctl-m02', 'a=b:NoSchedule', 'a=c:NoSchedule'])
    await t.same(['taint', 'nodes', 'mkctl-m02', 'a=b:NoSchedule', 'a:NoSchedule-'])
    await t.same(['taint', 'nodes', 'mkctl-m02', 'a=b:NoSchedule', 'extra'])
    await t.same(['taint', 'pods', 'x', 'a=b:NoSchedule'])
    await t.same(['taint', 'podz', 'x', 'a=b:NoSchedule'])
    await t.same(['taint', 'nodes', 'a=b:NoSchedule'])
    await t.same(['taint', 'nodes', '--all', '-l', 'x=y', 'a=b:NoSchedule'])
    await t.same(['taint', 'nodes', 'nope', 'a=b:NoSchedule'])
    await t.same(['taint', 'nodes', 'mkctl-m02', 'a:NoSchedule', '--validate=bogus'])
  })
})
