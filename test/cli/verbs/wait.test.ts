// wait.test.ts: differential tests of `mkctl wait` against the real kubectl on twin daemons (run `npm run build`
// first: the tests spawn bin/mkctl.js).
import assert from 'node:assert/strict'
import {normalize, startTwins, type Twins} from '../../helpers/differential.js'
import {background} from './rollout-helpers.js'

describe('mkctl wait (differential)', function () {
  this.timeout(120_000)
  let t: Twins
  before(async function () {
    t = await startTwins(this, {cluster: {nodes: 2}} as never)
    await t.setup(['create', 'deployment', 'web', '--image=nginx', '--replicas=2'])
  })
  after(async () => t?.stop())

  it('conditions and jsonpath that already hold', async () => {
    await t.same(['wait', '--for=condition=Available', 'deployment/web'])
    await t.same(['wait', '--for=condition=available=true', 'deployment', 'web'])
    await t.same(['wait', '--for=jsonpath={.status.phase}=Running', 'pods', '-l', 'app=web'])
    await t.same(['wait', '--for=jsonpath={.status.readyReplicas}', 'deployment/web', '-o', 'name'])
    await t.same(['wait', '--for=jsonpath={.status.phase}=Running', 'pods', '--all'])
    await t.same(['wait', '--for=condition=Available', 'deployment/web', '--timeout=0'])
    await t.same(['wait', '--for=create', 'deployment/web'])
  })

  it('delete of a missing object succeeds quietly; a deleted object is reported', async () => {
    await t.same(['wait', '--for=delete', 'pod/nope'])
    await t.same(['wait', '--for=delete', 'pods', '-l', 'app=nope'])
    await t.setup(['create', 'configmap', 'gone'])
    // -v=6 logs each request when its answer arrives: delete only once both watches are open
    const args = ['wait', '--for=delete', 'configmap/gone', '--timeout=60s', '-v=6']
    const open = /GET \S*watch=true\S* 200 OK/
    const k = background(t.k, 'kubectl', args, open)
    const m = background(t.m, 'mkctl', args, open)
    await Promise.all([k.started, m.started])
    await t.setup(['delete', 'configmap', 'gone'])
    const [kr, mr] = await Promise.all([k.done, m.done])
    assert.deepEqual([mr.stdout, mr.code], [kr.stdout, kr.code])
    assert.equal(mr.stdout, 'configmap/gone condition met\n')
  })

  it('timeouts and unmet conditions', async () => {
    // kubectl's reflector may log a `very short watch` warning when a 1s timeout cuts its watch; the rest must match
    const sameEnd = async (args: string[]) => {
      const {kubectl, mkctl} = await t.both(args)
      const k = normalize(kubectl, 'kubectl')
      const m = normalize(mkctl, 'mkctl')
      assert.deepEqual([m.stdout, m.code], [k.stdout, k.code])
      assert.ok(k.stderr.endsWith(m.stderr), `${m.stderr} vs ${k.stderr}`)
      assert.equal(m.stderr, 'error: timed out waiting for the condition on deployments/web\n')
    }
    await sameEnd(['wait', '--for=condition=Bogus', 'deployment/web', '--timeout=1s'])
    await sameEnd(['wait', '--for=delete', 'deployment/web', '--timeout=1s'])
    await t.same(['wait', '--for=condition=Bogus', 'deployment/web', '--timeout=0'])
    await t.same(['wait', '--for=delete', 'deployment/web', '--timeout=0'])
  })

  it('errors', async () => {
    await t.same(['wait', 'deployment/web'])
    await t.same(['wait', '--for=ready', 'deployment/web'])
    await t.same(['wait', '--for=condition=Available'])
    await t.same(['wait', '--for=condition=Ready', 'pod/nope'])
    await t.same(['wait', '--for=condition=Ready', 'podz/nope'])
    await t.same(['wait', '--for=condition=Available', 'deployment', '-l', 'app=none'])
    await t.same(['wait', '--for=jsonpath={.spec}', 'deployment/web'])
    await t.same(['wait', '--for=jsonpath={.spec.replicas}=', 'deployment/web'])
    await t.same(['wait', '--for=jsonpath=', 'deployment/web'])
    await t.same(['wait', '--for=condition=Available', 'deployment/web', '--timeout=x'])
  })
})
