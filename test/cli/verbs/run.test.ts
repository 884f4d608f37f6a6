// run.test.ts compares `mkctl run` with kubectl against twin daemons: the pod (and with --expose the service), the
// flags that shape them, client and server dry runs, and kubectl's usage errors.
import assert from 'node:assert/strict'
import {normalize, startTwins, type Twins} from '../../helpers/differential.js'

/** noKlogTime blanks a klog header's time and pid, which cannot be equal between two processes. */
function noKlogTime(s: string): string {
  return s.replace(/^([EWI])\d{4} [\d:.]+ +\d+ /gm, '$1<HDR> ')
}

describe('run (differential)', function () {
  this.timeout(120000)
  let t: Twins
  before(async function () {
    t = await startTwins(this)
  })
  after(async () => t?.stop())

  it('creates a pod as kubectl does', async () => {
    await t.same(['run', 'web', '--image=nginx'])
    await t.same(['get', 'pod', 'web', '-o', 'yaml'])
    await t.same(['run', 'web', '--image=nginx'])
    await t.same([
      'run', 'full', '--image=busybox', '--port=8080', '--env=A=1', '--env=B=x=y', '--labels=app=full,tier=be',
      '--annotations=note=hi', '--restart=Never', '--image-pull-policy=IfNotPresent', '--privileged',
      '--command', '--', 'sh', '-c', 'sleep 3600',
    ]) // prettier-ignore
    await t.same(['get', 'pod', 'full', '-o', 'yaml'])
    await t.same(['run', 'argsonly', '--image=busybox', '--restart=OnFailure', '-o', 'name', '--', 'sleep', '10'])
    await t.same(['get', 'pod', 'argsonly', '-o', 'yaml'])
  })

  it('client and server dry runs, overrides', async () => {
    await t.same(['run', 'x', '--image=nginx', '--dry-run=client', '-o', 'yaml'])
    await t.same(['run', 'x', '--image=nginx', '--dry-run=client', '-o', 'json', '-n', 'kube-system', '--port=80'])
    await t.same(['run', 'x', '--image=nginx', '--dry-run=server', '-o', 'name'])
    await t.same([
      'run',
      'x',
      '--image=nginx',
      '--dry-run=client',
      '-o',
      'yaml',
      '--overrides={"spec":{"nodeName":"n1"}}',
    ])
    await t.same(['run', 'x', '--image=nginx', '--dry-run=client', '-o', 'yaml', '--override-type=strategic',
      '--overrides={"spec":{"containers":[{"name":"x","image":"redis"}]}}']) // prettier-ignore
    await t.same(['get', 'pods'])
  })

  it('--expose creates a service too', async () => {
    await t.same(['run', 'api', '--image=nginx', '--port=80', '--expose'])
    await t.same(['get', 'svc', 'api', '-o', 'yaml'])
    await t.same([
      'run',
      'api2',
      '--image=nginx',
      '--port=80',
      '--expose',
      '-l',
      'a=b',
      '--dry-run=client',
      '-o',
      'yaml',
    ])
    await t.same(['run', 'api3', '--image=nginx', '--expose'])
  })

  it("kubectl's errors", async () => {
    // a missing required flag is a klog line from kubectl: compare it without its time and pid
    const r = await t.both(['run', 'x'])
    const k = normalize(r.kubectl, 'kubectl')
    const m = normalize(r.mkctl, 'mkctl')
    assert.deepEqual({...m, stderr: noKlogTime(m.stderr)}, {...k, stderr: noKlogTime(k.stderr)})
    await t.same(['run', '--image=nginx'])
    await t.same(['run', 'x', '--image=nginx', '--restart=Sometimes'])
    await t.same(['run', 'x', '--image=nginx', '--rm'])
    await t.same(['run', 'x', '--image=nginx', '-t'])
    await t.same(['run', 'x', '--image=nginx', '-i', '--dry-run=client'])
    await t.same(['run', 'x', '--image=nginx', '--image-pull-policy=Sometimes'])
    await t.same(['run', 'x', '--image=Bad Image'])
    await t.same(['run', 'x', '--image='])
    await t.same(['run', 'x', '--image=nginx', '--env=B'])
    await t.same(['run', 'x', '--image=nginx', '--labels=a'])
    await t.same(['run', 'x', '--image=nginx', '--annotations=a'])
    await t.same(['run', 'x', '--image=nginx', '--port=abc'])
    await t.same(['run', 'Bad_Name', '--image=nginx'])
  })
})
