// annotate.test.ts compares `mkctl annotate` with the real kubectl on twin daemons (kubectl/pkg/cmd/annotate).
import {mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import assert from 'node:assert/strict'
import {normalize, startTwins, type Twins} from '../../helpers/differential.js'

// sameLines is t.same for output whose line order is Go's random map order (`--list` of several annotations)
async function sameLines(t: Twins, args: string[]): Promise<void> {
  const r = await t.both(args)
  const sort = (s: string) => s.split('\n').sort().join('\n')
  const k = normalize(r.kubectl, 'kubectl')
  const m = normalize(r.mkctl, 'mkctl')
  assert.deepEqual({...m, stdout: sort(m.stdout)}, {...k, stdout: sort(k.stdout)}, `mkctl ${args.join(' ')}`)
}

describe('mkctl annotate (differential)', function () {
  this.timeout(120_000)
  let t: Twins
  let dir: string
  before(async function () {
    t = await startTwins(this)
    dir = mkdtempSync(join(tmpdir(), 'mkctl-annotate-'))
    await t.setup(['create', 'deployment', 'web', '--image=nginx'])
    await t.setup(['create', 'configmap', 'c1', '--from-literal=a=1'])
    await t.setup(['create', 'configmap', 'c2', '--from-literal=a=1'])
  })
  after(async () => t?.stop())

  it('sets, keeps, overwrites and removes annotations', async () => {
    await t.same(['annotate', 'deploy', 'web', 'd=x'])
    await t.same(['annotate', 'deploy', 'web', 'd=x'])
    await t.same(['annotate', 'deploy', 'web', 'd=y'])
    await t.same(['annotate', 'deploy', 'web', 'd=y', '--overwrite'])
    await t.same(['annotate', 'deploy', 'web', 'json={"a": [1, 2]}', 'eq=a=b'])
    await t.same(['annotate', 'deploy/web', 'd-'])
    await t.same(['annotate', 'deploy/web', 'd-'])
    await t.same(['get', 'deploy', 'web', '-o', 'yaml'])
  })

  it('selects, lists, prints and dry-runs', async () => {
    await t.same(['annotate', 'configmaps', '--all', 'team=x'])
    await t.same(['annotate', 'configmaps', '--field-selector', 'metadata.name=c1', 'one=1'])
    await t.same(['annotate', 'configmap', 'c2', '--list'])
    await t.same(['annotate', 'configmap', 'c2', 'n=1', '-o', 'name'])
    await t.same(['annotate', 'configmap', 'c2', 'n=2', '--overwrite', '-o', 'jsonpath={.metadata.annotations.n}'])
    await t.same(['annotate', 'configmap', 'c2', 'dr=1', '--dry-run=client', '-o', 'yaml'])
    await t.same(['annotate', 'configmap', 'c2', 'dr=1', '--dry-run=server'])
    await t.same(['annotate', 'configmap', 'c2', 'rv=1', '--resource-version=1'])
    await t.same(['get', 'configmaps', 'c1', 'c2', '-o', 'yaml'])
  })

  it('annotates files locally and on the server', async () => {
    const f = join(dir, 'cm.yaml')
    writeFileSync(f, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c1\n  namespace: default\n')
    await t.same(['annotate', '--local', '-f', f, 'loc=1', '-o', 'json'])
    await t.same(['annotate', '-f', f, 'srv=1'])
    await t.same(['get', 'configmap', 'c1', '-o', 'yaml'])
  })

  it('reports errors as kubectl does', async () => {
    await t.same(['annotate', 'deploy', 'web', '=x'])
    await t.same(['annotate', 'deploy', 'web', 'x'])
    await t.same(['annotate', 'deploy', 'web', 'k=1', 'k-'])
    await t.same(['annotate', 'deploy', 'web', 'foo', 'bar-'])
    await t.same(['annotate', 'deploy', 'web', 'bad key=1'])
    await t.same(['annotate', 'deploy', 'web', '--local', 'x=1'])
    await t.same(['annotate', '--local', 'x=1'])
    await sameLines(t, ['annotate', 'deploy', 'web', 'x=1', '--list'])
    await sameLines(t, ['annotate', 'deploy', 'web', 'x=1', '--list', '-o', 'name'])
    await t.same(['annotate', 'deploy', '--all', '--field-selector', 'a=b', 'x=1'])
    await t.same(['annotate', 'deploy', 'nope', 'x=1'])
    await t.same(['annotate', 'podz', 'x', 'x=1'])
    await t.same(['annotate', 'deploy', 'web', 'x=1', '-o', 'bogus'])
    await t.same(['annotate', 'deploy', 'web', 'x=1', 'y', 'z=1'])
  })
})
