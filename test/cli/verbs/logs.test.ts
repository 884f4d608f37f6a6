// logs.test.ts compares `mkctl logs` with the real kubectl on twin daemons: pods, workloads, containers, previous
// runs, selectors, prefixes, tail/timestamps/since/limit-bytes, errors, and a live `logs -f`.
import assert from 'node:assert/strict'
import {spawn} from 'node:child_process'
import {join} from 'node:path'
import {startTwins, type Twins} from '../../helpers/differential.js'

const ROOT = join(import.meta.dirname, '..', '..', '..')

const PODS = `apiVersion: v1
kind: Pod
metadata:
  name: duo
  labels: {app: duo}
spec:
  containers:
  - name: web
    image: nginx
  - name: side
    image: busybox
    command: ['sh', '-c', 'echo side started; sleep 3600']
---
apiVersion: v1
kind: Pod
metadata:
  name: annotated
  annotations:
    kubectl.kubernetes.io/default-container: side
spec:
  containers:
  - name: web
    image: nginx
  - name: side
    image: busybox
    command: ['sh', '-c', 'echo from side; sleep 3600']
---
apiVersion: v1
kind: Pod
metadata:
  name: crash
spec:
  containers:
  - name: c
    image: busybox
    command: ['sh', '-c', 'echo starting; sleep 2; exit 1']
---
apiVersion: v1
kind: Pod
metadata:
  name: ticker
spec:
  containers:
  - name: t
    image: busybox
    command: ['sh', '-c', 'i=0; while true; do i=$((i+1)); echo tick $i; sleep 1; done']
---
apiVersion: v1
kind: Pod
metadata:
  name: broken
spec:
  containers:
  - name: c
    image: ngnix-does-not-exist
`

describe('mkctl logs (differential)', function () {
  this.timeout(120000)
  let t: Twins
  before(async function () {
    t = await startTwins(this)
    await t.setup(['create', 'deployment', 'web', '--image=nginx', '--replicas=2'])
    await t.setup(['apply', '-f', '-'], {input: PODS})
    await t.advance(20_000)
  })
  after(async () => t?.stop())

  it('prints a pod log, by pod and by workload', async () => {
    await t.same(['logs', 'deploy/web'])
    await t.same(['logs', 'deployment/web', '--tail=3'])
    await t.same(['logs', 'rs/' + (await firstName(t, 'rs'))])
    await t.same(['logs', 'ticker', '--tail=2'])
    await t.same(['logs', 'ticker', '--tail=2', '--timestamps'])
    await t.same(['logs', 'ticker', '--since=5s'])
    await t.same(['logs', 'ticker', '--limit-bytes=20'])
    await t.same(['logs', 'ticker', '--since-time=2026-01-01T00:00:10Z', '--tail=3'])
  })

  it('picks the container as kubectl does', async () => {
    await t.same(['logs', 'duo'])
    await t.same(['logs', 'duo', '-c', 'side'])
    await t.same(['logs', 'duo', 'side'])
    await t.same(['logs', 'annotated'])
    // kubectl keeps its requests in a Go map: the order of the containers is random, the blocks are not.
    const r = await t.both(['logs', 'duo', '--all-containers', '--prefix'])
    const blocks = (s: string) => {
      const by = new Map<string, string>()
      for (const l of s.split(/(?<=\n)/)) by.set(l.split(' ')[0], (by.get(l.split(' ')[0]) ?? '') + l)
      return [...by.entries()].sort()
    }
    assert.deepEqual(blocks(r.mkctl.stdout), blocks(r.kubectl.stdout))
    assert.equal(blocks(r.mkctl.stdout).length, 2)
    assert.deepEqual([r.mkctl.stderr, r.mkctl.code], [r.kubectl.stderr, r.kubectl.code])
  })

  it('reads the previous run and selectors', async () => {
    await t.same(['logs', 'crash'])
    await t.same(['logs', 'crash', '-p'])
    await t.same(['logs', '-l', 'app=duo', '-c', 'side', '--prefix'])
    await t.same(['logs', '-l', 'app=none'])
  })

  it('fails as kubectl does', async () => {
    await t.same(['logs', 'nope'])
    await t.same(['logs', 'deploy/nope'])
    await t.same(['logs', 'duo', '-c', 'zz'])
    await t.same(['logs', 'ticker', '-p'])
    await t.same(['logs', 'broken'])
    await t.same(['logs', 'cm/kube-root-ca.crt'])
    await t.same(['logs', 'duo', 'side', '-c', 'web'])
    await t.same(['logs', 'duo', '--all-containers', '-c', 'web'])
    await t.same(['logs', 'ticker', '--since=1s', '--since-time=2026-01-01T00:00:00Z'])
    await t.same(['logs', 'ticker', '--tail=-5'])
    await t.same(['logs', 'ticker', '--limit-bytes=-1'])
    await t.same(['logs', 'ticker', '-l', 'app=x'])
    await t.same(['logs', '-l', 'app=duo', '-f', '--max-log-requests=1', '--all-containers'])
    await t.same(['logs', 'ticker', '--ignore-errors', '-p'])
  })

  it('follows with -f until killed', async () => {
    const child = spawn(process.execPath, [join(ROOT, 'bin', 'mkctl.js'), 'logs', '-f', 'ticker', '--tail=1'], {
      env: {
        ...process.env,
        KUBECONFIG: t.m.kubeconfig,
        MKCTL_HOME: t.m.home,
        MKCTL_AUTOSTART: '0',
        HOME: t.m.home,
      },
    })
    let out = ''
    child.stdout.on('data', (c) => (out += c))
    const waitFor = async (pred: () => boolean) => {
      const start = Date.now()
      while (!pred()) {
        if (Date.now() - start > 10000) throw new Error(`no match; got ${JSON.stringify(out)}`)
        await new Promise((r) => setTimeout(r, 25))
      }
    }
    try {
      await waitFor(() => /tick \d+\n/.test(out))
      const n = Number(/tick (\d+)/.exec(out)![1])
      await t.m.advance(2000)
      await waitFor(() => out.includes(`tick ${n + 2}\n`))
      assert.equal(out, `tick ${n}\ntick ${n + 1}\ntick ${n + 2}\n`)
    } finally {
      child.kill()
    }
  })
})

async function firstName(t: Twins, type: string): Promise<string> {
  const r = await t.k.kubectl(['get', type, '-o', 'jsonpath={.items[0].metadata.name}'])
  return r.stdout
}
