// diff.test.ts compares `mkctl diff` with the real kubectl on twin daemons: the unified diff (temp directory names
// and file times normalised), exit codes 0/1/2, the errors, and that nothing was changed on the server.
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import assert from 'node:assert/strict'
import {normalize, startTwins, type Twins} from '../../helpers/differential.js'
import type {RunResult} from '../../helpers/daemon.js'

const CHANGED = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 3
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: nginx, image: nginx:7}]
---
apiVersion: v1
kind: Secret
metadata: {name: sec}
stringData: {pw: changed, extra: new}
`

const NEW = `apiVersion: v1
kind: ConfigMap
metadata: {name: fresh}
data: {a: "1"}
`

// fix normalises what varies between two runs of diff: temp dir names (LIVE-123/MERGED-456) and file times.
function fix(r: RunResult, who: 'kubectl' | 'mkctl'): RunResult {
  const x = normalize(r, who)
  const clean = (s: string) =>
    s.replace(/\/[^\s]*\/(LIVE|MERGED)-\d+/g, '<$1>').replace(/^((?:---|\+\+\+) \S+)\t.*$/gm, '$1')
  return {...x, stdout: clean(x.stdout), stderr: clean(x.stderr)}
}

describe('mkctl diff (differential)', function () {
  this.timeout(120000)
  let t: Twins
  let dir: string
  const file = (name: string, text: string) => {
    const p = join(dir, name)
    writeFileSync(p, text)
    return p
  }
  before(async function () {
    t = await startTwins(this)
    dir = mkdtempSync(join(tmpdir(), 'mkctl-diff-'))
    await t.setup(['create', 'deployment', 'web', '--image=nginx'])
    await t.setup(['create', 'secret', 'generic', 'sec', '--from-literal=pw=old', '--from-literal=keep=same'])
  })
  after(async () => {
    await t?.stop()
    rmSync(dir, {recursive: true, force: true})
  })

  async function same(args: string[], env: Record<string, string> = {}, input?: string) {
    const r = await t.both(args, {env, input})
    assert.deepEqual(fix(r.mkctl, 'mkctl'), fix(r.kubectl, 'kubectl'), `mkctl ${args.join(' ')}`)
    return r.mkctl
  }

  it('shows the changes an apply would make and exits 1', async () => {
    const r = await same(['diff', '-f', file('changed.yaml', CHANGED)])
    assert.equal(r.code, 1)
    await t.same(['get', 'deploy', 'web', '-o', 'yaml'])
  })
  it('exits 0 when there is no difference', async () => {
    const live = await t.k.kubectl(['get', 'secret', 'sec', '-o', 'yaml'])
    const r = await same(['diff', '-f', file('live.yaml', live.stdout)])
    assert.equal(r.code, 0)
  })
  it('diffs objects that do not exist yet, from stdin, and with an external diff program', async () => {
    await same(['diff', '-f', '-'], {}, NEW.replace('fresh', 'fresh2').replace('data: {a: "1"}', 'data: {}'))
    await same(['diff', '-f', file('new.yaml', NEW), '--server-side'], {KUBECTL_EXTERNAL_DIFF: 'diff -q'})
    await same(['diff', '-f', file('changed2.yaml', CHANGED)], {KUBECTL_EXTERNAL_DIFF: 'diff -N --brief'})
  })
  it('reports errors with exit code 2', async () => {
    await same(['diff'])
    await same(['diff', '-f', join(dir, 'nope.yaml')])
    await same(['diff', 'x', '-f', file('c3.yaml', CHANGED)])
    await same(['diff', '-f', file('c4.yaml', CHANGED), '--bogus'])
    await same(['diff', '-f', file('c5.yaml', CHANGED), '--force-conflicts'])
    await same(['diff', '-f', file('c6.yaml', CHANGED)], {KUBECTL_EXTERNAL_DIFF: 'no-such-diff-program'})
    await same([
      'diff',
      '-f',
      file('bad.yaml', 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: []}\n'),
    ])
  })
})
