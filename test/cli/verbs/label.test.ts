// label.test.ts compares `mkctl label` with the real kubectl on twin daemons: printed lines, resulting objects and
// errors (follows kubectl/pkg/cmd/label/label.go).
import {writeFileSync, mkdtempSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import assert from 'node:assert/strict'
import {normalize, startTwins, type Twins} from '../../helpers/differential.js'

// sameLines is t.same for output whose line order is Go's random map order (`--list` of several labels)
async function sameLines(t: Twins, args: string[]): Promise<void> {
  const r = await t.both(args)
  const sort = (s: string) => s.split('\n').sort().join('\n')
  const k = normalize(r.kubectl, 'kubectl')
  const m = normalize(r.mkctl, 'mkctl')
  assert.deepEqual({...m, stdout: sort(m.stdout)}, {...k, stdout: sort(k.stdout)}, `mkctl ${args.join(' ')}`)
}

describe('mkctl label (differential)', function () {
  this.timeout(120_000)
  let t: Twins
  let dir: string
  before(async function () {
    t = await startTwins(this)
    dir = mkdtempSync(join(tmpdir(), 'mkctl-label-'))
    await t.setup(['create', 'deployment', 'web', '--image=nginx'])
    await t.setup(['create', 'configmap', 'plain', '--from-literal=a=1'])
    await t.setup(['run', 'p1', '--image=nginx', '--labels=app=p'])
    await t.setup(['run', 'p2', '--image=nginx', '--labels=app=p'])
  })
  after(async () => t?.stop())

  it('adds, keeps, overwrites and removes labels', async () => {
    await t.same(['label', 'deploy', 'web', 'tier=fe'])
    await t.same(['label', 'deploy', 'web', 'tier=fe'])
    await t.same(['label', 'deploy', 'web', 'tier=be'])
    await t.same(['label', 'deploy', 'web', 'tier=be', '--overwrite'])
    await t.same(['label', 'deploy/web', 'tier-'])
    await t.same(['label', 'deploy/web', 'tier-'])
    await t.same(['get', 'deploy', 'web', '-o', 'yaml'])
  })

  it('removing a missing label from an object without labels', async () => {
    await t.same(['label', 'configmap', 'plain', 'nope-'])
    await t.same(['get', 'configmap', 'plain', '-o', 'yaml'])
  })

  it('selects with -l, --all and --field-selector, and lists', async () => {
    await t.same(['label', 'pods', '-l', 'app=p', 'team=x'])
    await t.same(['label', 'pods', '--all', 'team=y', '--overwrite'])
    await t.same(['label', 'pods', '--field-selector', 'metadata.name=p1', 'only=one'])
    await sameLines(t, ['label', 'pod', 'p1', '--list'])
    await sameLines(t, ['label', 'pods', '--all', '--list'])
    await t.same(['label', 'configmap', 'plain', 'k=v'])
    await t.same(['label', 'configmap', 'plain', '--list'])
    await t.same(['get', 'pods', '--show-labels'])
  })

  it('prints with -o and dry runs', async () => {
    await t.same(['label', 'deploy', 'web', 'x=1', '-o', 'name'])
    await t.same(['label', 'deploy', 'web', 'y=1', '--dry-run=client'])
    await t.same(['label', 'deploy', 'web', 'y=1', '--dry-run=server'])
    await t.same(['label', 'deploy', 'web', 'y=2', '--dry-run=client', '-o', 'yaml'])
    await t.same(['label', 'deploy', 'web', 'z=1', '-o', 'yaml'])
    await t.same(['get', 'deploy', 'web', '-o', 'yaml'])
  })

  it('works on files, locally and against the server', async () => {
    const f = join(dir, 'cm.yaml')
    writeFileSync(f, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: plain\ndata:\n  a: "1"\n')
    await t.same(['label', '-f', f, 'from=file'])
    await t.same(['label', '--local', '-f', f, 'loc=1', '-o', 'yaml'])
    await t.same(['label', '--local', '-f', f, 'loc=1'])
    await t.same(['get', 'configmap', 'plain', '-o', 'yaml'])
  })

  it('checks the resource version', async () => {
    await t.same(['label', 'deploy', 'web', 'rv=1', '--resource-version=1'])
    await t.same(['label', 'pods', '--all', 'rv=1', '--resource-version=1'])
  })

  it('reports errors as kubectl does', async () => {
    await t.same(['label', 'deploy', 'web', 'a=b=c'])
    await t.same(['label', 'deploy', 'web', 'a=-bad'])
    await t.same(['label', 'deploy', 'web', 'v=' + '0'.repeat(70)])
    await t.same(['label', 'deploy', 'web', 'bad key=x'])
    await t.same(['label', 'deploy', 'web', 'foo'])
    await t.same(['label', 'deploy', 'web', 'a=1', 'a-'])
    await t.same(['label', 'deploy', 'web', 'a=1', 'b'])
    await t.same(['label', 'web', 'a=1'])
    await t.same(['label', 'a=1'])
    await t.same(['label', 'deploy', 'nope', 'a=1'])
    await t.same(['label', 'deploy', 'web', 'nope', 'w=1'])
    await t.same(['label', 'podz', 'web', 'a=1'])
    await t.same(['label', 'deploy', '--all', '-l', 'x=y', 'a=1'])
    await t.same(['label', 'deploy', 'web', '--list', '-o', 'yaml'])
    await t.same(['label', 'deploy', 'web', 'y=1', '--dry-run=bogus'])
    await t.same(['label', 'deploy', 'web', 'y=1', '--local'])
    await t.same(['label', '--local', 'y=1'])
    await t.same(['label', '--local', '-f', join(dir, 'nope.yaml'), 'y=1'])
    await t.same(['label', 'deploy'])
    await t.same(['label', 'deploy', 'web', 'q=1', '-o', 'bogus'])
    await t.same(['get', 'deploy', 'web', '-o', 'yaml'])
  })
})
