// replace.test.ts compares `mkctl replace` with the real kubectl on twin daemons (kubectl/pkg/cmd/replace): PUT
// with the server's resourceVersion, --force (delete, wait, create), --save-config, dry runs and the errors.
import {mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {startTwins, type Twins} from '../../helpers/differential.js'

describe('mkctl replace (differential)', function () {
  this.timeout(120_000)
  let t: Twins
  let dir: string
  let cm: string
  let cmStale: string
  let missing: string
  before(async function () {
    t = await startTwins(this)
    dir = mkdtempSync(join(tmpdir(), 'mkctl-replace-'))
    await t.setup(['create', 'configmap', 'cm', '--from-literal=a=1'])
    await t.setup(['create', 'deployment', 'web', '--image=nginx'])
    cm = join(dir, 'cm.yaml')
    writeFileSync(cm, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\ndata:\n  a: "2"\n')
    cmStale = join(dir, 'stale.yaml')
    writeFileSync(
      cmStale,
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n  resourceVersion: "1"\ndata:\n  a: "3"\n',
    )
    missing = join(dir, 'missing.yaml')
    writeFileSync(missing, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cmx\ndata:\n  a: "1"\n')
  })
  after(async () => t?.stop())

  it('replaces objects', async () => {
    await t.same(['replace', '-f', cm])
    await t.same(['replace', '-f', cm, '-o', 'yaml'])
    await t.same(['replace', '-f', '-'], {
      input: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\ndata:\n  b: "1"\n',
    })
    await t.same(['replace', '-f', cm, '--dry-run=client'])
    await t.same(['replace', '-f', cm, '--dry-run=server', '-o', 'name'])
    await t.same(['replace', '-f', cm, '--save-config', '-o', 'jsonpath={.data}'])
    await t.same(['replace', '-f', cm, '-o', 'jsonpath={.metadata.annotations}'])
    await t.same(['get', 'configmap', 'cm', '-o', 'yaml'])
  })

  it('force-replaces objects', async () => {
    await t.same(['replace', '-f', cm, '--force'])
    await t.same(['replace', '-f', cm, '--force', '-o', 'name'])
    await t.same(['replace', '-f', missing, '--force'])
    await t.same(['replace', '-f', cm, '--force', '--grace-period=0'])
    await t.same(['replace', '-f', '-', '--force'], {input: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n'})
    await t.same(['get', 'configmaps', 'cm', 'cmx', '-o', 'yaml'])
  })

  it('reports errors as kubectl does', async () => {
    await t.same(['replace', '-f', cmStale])
    await t.same(['replace', '-f', join(dir, 'nope.yaml')])
    await t.same(['replace', '-f', cm, '--grace-period=3'])
    await t.same(['replace', '-f', cm, '--timeout=3s'])
    await t.same(['replace', '-f', cm, '--force', '--dry-run=client'])
    await t.same(['replace', '-f', cm, '--force', '--cascade=bogus'])
    await t.same(['replace', '-f', cm, '--subresource=status'])
    await t.same(['replace', '-f', cm, '--dry-run=bogus'])
    await t.same(['replace', '-f', cm, '-o', 'bogus'])
    await t.same(['replace'])
    await t.same(['replace', 'cm', 'x'])
    const gone = join(dir, 'gone.yaml')
    writeFileSync(gone, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: gone\n')
    await t.same(['replace', '-f', gone])
    await t.same(['get', 'configmap', 'cm', '-o', 'yaml'])
  })
})
