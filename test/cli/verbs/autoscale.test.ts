// autoscale.test.ts compares `mkctl autoscale` with the real kubectl on twin daemons
// (kubectl/pkg/cmd/autoscale): the autoscaling/v1 object kubectl builds, its typed JSON, and the errors.
import assert from 'node:assert/strict'
import {normalize, startTwins, type Twins} from '../../helpers/differential.js'

const KLOG = /^E\d{4} \d\d:\d\d:\d\d\.\d{6} +\d+ /gm

describe('mkctl autoscale (differential)', function () {
  this.timeout(120_000)
  let t: Twins
  before(async function () {
    t = await startTwins(this)
    await t.setup(['create', 'deployment', 'web', '--image=nginx'])
    await t.setup(['run', 'p1', '--image=nginx'])
  })
  after(async () => t?.stop())

  it('builds the autoscaler as kubectl does', async () => {
    await t.same(['autoscale', 'deploy', 'web', '--max=5', '--dry-run=client', '-o', 'yaml'])
    await t.same([
      'autoscale',
      'deploy',
      'web',
      '--max=5',
      '--min=2',
      '--cpu-percent=80',
      '--dry-run=client',
      '-o',
      'json',
    ])
    await t.same(['autoscale', 'deploy', 'web', '--max=5', '--dry-run=client'])
    await t.same(['autoscale', 'deploy', 'web', '--max=5', '--dry-run=server'])
  })

  it('creates autoscalers', async () => {
    await t.same(['autoscale', 'deploy', 'web', '--max=5'])
    await t.same(['autoscale', 'deploy/web', '--max=4', '--name=w2', '-o', 'name'])
    await t.same(['autoscale', 'deploy', 'web', '--max=4', '--name=w3', '-o', 'json'])
    await t.same([
      'autoscale',
      'deploy',
      'web',
      '--max=4',
      '--name=w4',
      '--save-config',
      '-o',
      'jsonpath={.metadata.annotations.kubectl\\.kubernetes\\.io/last-applied-configuration}',
    ])
    // (the annotation's key would read mkctl.kubernetes.io after the harness renames kubectl: only its value is compared)
    await t.same(['get', 'hpa', 'web', 'w2', '-o', 'yaml'])
  })

  it('reports errors as kubectl does', async () => {
    await t.same(['autoscale', 'deploy', 'web', '--max=5'])
    await t.same(['autoscale', 'deploy', 'web', '--max=0'])
    await t.same(['autoscale', 'deploy', 'web', '--max=2', '--min=3'])
    await t.same(['autoscale', 'pod', 'p1', '--max=2'])
    await t.same(['autoscale', 'deploy', 'nope', '--max=2'])
    await t.same(['autoscale', 'deploy', '--max=2'])
    await t.same(['autoscale', '--max=2'])
    await t.same(['autoscale', 'deploy', 'web', '--max=x'])
    await t.same(['autoscale', 'deploy', 'web', '--max=2', '--dry-run=bogus'])
    const r = await t.both(['autoscale', 'deploy', 'web'])
    const strip = (s: string) => s.replace(KLOG, 'E ')
    const k = normalize(r.kubectl, 'kubectl')
    assert.deepEqual({...r.mkctl, stderr: strip(r.mkctl.stderr)}, {...k, stderr: strip(k.stderr)})
  })
})
