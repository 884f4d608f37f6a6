// edit.test.ts compares `mkctl edit` with the real kubectl on twin daemons. The user's editor is a small node script
// (edit-editor.mjs) set as KUBE_EDITOR / EDITOR, applying scripted changes; what it was shown is logged, so the
// edit files themselves are compared too. Temp file paths differ by name (kubectl-edit-N vs mkctl-edit-N) and are
// replaced by <FILE> before comparing.
import assert from 'node:assert/strict'
import {mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {normalize, startTwins, type Twins} from '../../helpers/differential.js'

const EDITOR = `${process.execPath} ${fileURLToPath(new URL('./edit-editor.mjs', import.meta.url))}`
const FILE = /\/[^\s"`]*\/(?:kubectl|mkctl)-edit-\d+\.(?:yaml|json)/g

describe('mkctl edit (differential)', function () {
  this.timeout(120000)
  let t: Twins
  let dir: string
  let n = 0
  before(async function () {
    t = await startTwins(this)
    dir = mkdtempSync(join(tmpdir(), 'mkctl-edit-'))
    await t.setup(['create', 'deployment', 'web', '--image=nginx'])
    await t.setup(['create', 'configmap', 'cm', '--from-literal=a=1'])
    await t.setup(['create', 'configmap', 'cm2', '--from-literal=b=2'])
    await t.setup(['create', 'secret', 'generic', 's1', '--from-literal=x=1'])
    await t.setup(['create', 'secret', 'generic', 's2', '--from-literal=y=2'])
  })
  after(async () => {
    await t?.stop()
    rmSync(dir, {recursive: true, force: true})
  })

  // edit runs `edit args` both ways with the scripted editor and compares output, exit code and the edit files.
  async function edit(args: string[], steps: [string, string][], extra: Record<string, string> = {}) {
    const id = n++
    const envFor = (who: string) => ({
      KUBE_EDITOR: EDITOR,
      ED_STEPS: JSON.stringify(steps),
      ED_COUNT: join(dir, `${who}-${id}.count`),
      ED_LOG: join(dir, `${who}-${id}.log`),
      ...extra,
    })
    const kubectl = await t.k.kubectl(['edit', ...args], {env: envFor('k')})
    const mkctl = await t.m.mkctl(['edit', ...args], {env: envFor('m')})
    await Promise.all([t.k.settle(), t.m.settle()])
    const fix = (r: typeof kubectl, who: 'kubectl' | 'mkctl') => {
      const x = normalize(r, who)
      return {...x, stdout: x.stdout.replace(FILE, '<FILE>'), stderr: x.stderr.replace(FILE, '<FILE>')}
    }
    assert.deepEqual(fix(mkctl, 'mkctl'), fix(kubectl, 'kubectl'), `mkctl edit ${args.join(' ')}`)
    const log = (who: string) => {
      try {
        return readFileSync(join(dir, `${who}-${id}.log`), 'utf8')
      } catch {
        return ''
      }
    }
    assert.equal(log('m'), log('k'), `edit files of mkctl edit ${args.join(' ')}`)
  }

  it('applies an edit as a patch', async () => {
    await edit(['deploy/web'], [['replicas: 1', 'replicas: 2']])
    await t.same(['get', 'deploy', 'web', '-o', 'yaml'])
  })
  it('cancels when nothing changed', async () => {
    await edit(['deploy', 'web'], [])
    await edit(['deploy/web'], [['^# Please', '# Really, please']])
  })
  it('cancels on an empty file', async () => {
    await edit(['cm/cm'], [['^ALL$', '# nothing\n']])
  })
  it('reopens with the errors commented, then succeeds', async () => {
    await edit(
      ['deploy/web'],
      [
        ['replicas: 2', 'replicas: -1'],
        ['replicas: -1', 'replicas: 3'],
      ],
    )
    await t.same(['get', 'deploy', 'web', '-o', 'yaml'])
  })
  it('gives up when the reopened file is saved unchanged', async () => {
    await edit(
      ['deploy/web'],
      [
        ['replicas: 3', 'replicas: -1'],
        ['zzz', 'zzz'],
      ],
    )
  })
  it('reopens on a file that fails validation', async () => {
    await edit(
      ['cm/cm'],
      [
        ['^kind: ConfigMap', 'kindd: ConfigMap'],
        ['^kindd: ConfigMap', 'kind: ConfigMap'],
      ],
    )
    await edit(
      ['cm/cm'],
      [
        ['^data:', 'data: "oops'],
        ['data: "oops', 'data:'],
      ],
    )
  })
  it('prints the patch, edits JSON and saves the config', async () => {
    await edit(['cm/cm', '--output-patch'], [['a: "1"', 'a: "5"']])
    await edit(['cm/cm', '-o', 'json'], [['"a": "5"', '"a": "6"']])
    await edit(['cm/cm', '--save-config'], [['a: "6"', 'a: "7"']])
    // the last-applied annotation holds manager names that the kubectl→mkctl rewriting of the harness would alter
    await t.same(['get', 'cm', 'cm', '-o', 'jsonpath={.data}'])
  })
  it('edits several objects as a List', async () => {
    await edit(['cm', 'cm', 'cm2'], [['b: "2"', 'b: "3"']])
    await edit(['secrets'], [['x: MQ==', 'x: Mg==']])
    await t.same(['get', 'secrets', '-o', 'yaml'])
  })
  it('edits a subresource', async () => {
    await edit(['deploy/web', '--subresource=status'], [['observedGeneration: (\\d+)', 'observedGeneration: 1$1']])
  })
  it('rejects changes of name and kind', async () => {
    await edit(['cm/cm'], [['name: cm$', 'name: other']])
  })
  it('reports a failing editor and unknown objects', async () => {
    await edit(['cm/cm'], [], {ED_FAIL: '1'})
    await edit(['cm/cm'], [], {KUBE_EDITOR: 'no-such-editor-xyz'})
    await edit(['cm/missing'], [])
    await edit([], [])
    await edit(['secrets'], [])
  })
})
