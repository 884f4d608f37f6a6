// scale.test.ts compares `mkctl scale` with the real kubectl on twin daemons (kubectl/pkg/cmd/scale): the scale
// subresource patch, the preconditions, selectors, files and the errors.
import assert from 'node:assert/strict'
import {mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {normalize, startTwins, type Twins} from '../../helpers/differential.js'

// the klog header of kubectl's "command failed" line carries a time and a pid
const KLOG = /^E\d{4} \d\d:\d\d:\d\d\.\d{6} +\d+ /gm

describe('mkctl scale (differential)', function () {
  this.timeout(120_000)
  let t: Twins
  let dir: string
  before(async function () {
    t = await startTwins(this)
    dir = mkdtempSync(join(tmpdir(), 'mkctl-scale-'))
    await t.setup(['create', 'deployment', 'web', '--image=nginx'])
    await t.setup(['create', 'deployment', 'api', '--image=nginx'])
    await t.setup(['run', 'p1', '--image=nginx'])
  })
  after(async () => t?.stop())

  it('scales deployments, replica sets and stateful sets', async () => {
    const f = join(dir, 'workloads.yaml')
    const tpl = `  selector: {matchLabels: {app: X}}
  template:
    metadata: {labels: {app: X}}
    spec: {containers: [{name: c, image: nginx}]}
`
    writeFileSync(
      f,
      `apiVersion: apps/v1\nkind: ReplicaSet\nmetadata: {name: rs1}\nspec:\n  replicas: 1\n${tpl.replaceAll('X', 'rs1')}---\n` +
        `apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: db}\nspec:\n  replicas: 1\n  serviceName: db\n${tpl.replaceAll('X', 'db')}`,
    )
    await t.setup(['create', '-f', f])
    await t.same(['scale', 'rs', 'rs1', '--replicas=2'])
    await t.same(['scale', 'statefulset/db', '--replicas=2'])
    await t.same(['get', 'rs', 'rs1', '-o', 'jsonpath={.spec.replicas}'])
    await t.same(['get', 'sts', 'db', '-o', 'jsonpath={.spec.replicas}'])
    await t.same(['scale', 'deploy', 'web', '--replicas=3'])
    await t.same(['scale', 'deploy', 'web', '--replicas=3'])
    await t.same(['scale', 'deployment/web', '--replicas=2', '-o', 'name'])
    await t.same(['get', 'deploy', 'web', '-o', 'yaml'])
    await t.same(['get', 'rs', '-o', 'name'])
  })

  it('checks preconditions', async () => {
    await t.same(['scale', 'deploy', 'web', '--replicas=4', '--current-replicas=3'])
    await t.same(['scale', 'deploy', 'web', '--replicas=4', '--current-replicas=2'])
    await t.same(['scale', 'deploy', 'web', '--replicas=4', '--resource-version=1'])
    await t.same(['get', 'deploy', 'web', '-o', 'yaml'])
  })

  it('selects with --all, -l and -f, dry-runs and waits', async () => {
    await t.same(['scale', 'deploy', '--all', '--replicas=2'])
    await t.same(['scale', 'deploy', '-l', 'app=api', '--replicas=1'])
    await t.same(['scale', 'deploy', '-l', 'app=nomatch', '--replicas=1'])
    await t.same(['scale', 'deploy', '--all', '--replicas=2', '--resource-version=1'])
    await t.same(['scale', 'deploy', 'web', '--replicas=5', '--dry-run=client'])
    await t.same(['scale', 'deploy', 'web', '--replicas=5', '--dry-run=server'])
    await t.same(['scale', 'deploy', 'web', '--replicas=5', '--dry-run=client', '-o', 'yaml'])
    const f = join(dir, 'api.yaml')
    writeFileSync(f, 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\n')
    await t.same(['scale', '-f', f, '--replicas=3'])
    await t.same(['scale', 'deploy', 'web', 'nope', '--replicas=1'])
    await t.same(['scale', 'deploy', 'web', '--replicas=3', '--timeout=1m'])
    await t.same(['get', 'deploy', '-o', 'yaml'])
  })

  it('reports errors as kubectl does', async () => {
    await t.same(['scale', 'deploy', 'web', '--replicas=-1'])
    await t.same(['scale', 'deploy', 'web', '--replicas=1', '--current-replicas=-2'])
    await t.same(['scale', 'deploy', 'web', '--replicas=x'])
    await t.same(['scale', 'deploy', 'web', '--replicas=1', '--timeout=bogus'])
    await t.same(['scale', 'pod', 'p1', '--replicas=2'])
    await t.same(['scale', 'deploy', 'nope', '--replicas=2'])
    await t.same(['scale', 'deploy', '--replicas=2'])
    await t.same(['scale', '--replicas=2'])
    await t.same(['scale', 'podz', 'x', '--replicas=2'])
    await t.same(['scale', 'deploy', 'web', '--replicas=2', '-o', 'bogus'])
    await t.same(['scale', 'deploy', 'web', '--replicas=2', '--dry-run=bogus'])
    // a missing required flag is logged by kubectl's main as a klog line: compare it without time and pid
    const r = await t.both(['scale', 'deploy', 'web'])
    const strip = (s: string) => s.replace(KLOG, 'E ')
    const k = normalize(r.kubectl, 'kubectl')
    assert.deepEqual({...r.mkctl, stderr: strip(r.mkctl.stderr)}, {...k, stderr: strip(k.stderr)})
    await t.same(['get', 'deploy', '-o', 'yaml'])
  })
})
