import assert from 'node:assert/strict'
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {LabGradeOptions} from '../../src/cli/options/lab/grade.js'
import {bufferedIOStreams} from '../../src/cli/io.js'
import {gradeLive} from '../../src/lab/live-view.js'
import {runInProcess} from '../../src/lab/replay.js'
import {startTestDaemon, type TestDaemon} from '../helpers/daemon.js'

const APP = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop, labels: {app: web}}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: nginx, image: "nginx:1.27"}]
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec:
  selector: {app: web}
  ports: [{port: 80}]
`

const LAB = `apiVersion: mkctl.dev/v1
kind: Lab
metadata: {name: live, title: Live grading}
parameters:
  ns: shop
tasks:
  - name: deploy
    points: 3
    checks:
      - field: {resource: deployment/web, namespace: "{{ .ns }}", jsonpath: "{.spec.replicas}", equals: 3}
      - ready: {resource: deploy/web, namespace: "{{ .ns }}"}
      - command: {matches: "^kubectl scale "}
  - name: serve
    checks:
      - exists: {resource: pods, selector: app=web, namespace: "{{ .ns }}", count: 2}
      - script: {run: "kubectl get svc web -n {{ .ns }}"}
      - reachable: {service: web, namespace: "{{ .ns }}", port: 80}
  - name: history
    points: 2
    checks:
      - history: {resource: deployment/web, namespace: "{{ .ns }}", edited: true}
`

describe('lab grade --kubeconfig: grading a live cluster through the Kubernetes API', function () {
  this.timeout(60_000)
  let t: TestDaemon
  let dir: string
  let labFile: string

  before(async () => {
    t = await startTestDaemon()
    dir = mkdtempSync(join(tmpdir(), 'mkctl-live-grade-'))
    labFile = join(dir, 'lab.yaml')
    writeFileSync(labFile, LAB)
    const saved = {...process.env}
    Object.assign(process.env, {KUBECONFIG: t.kubeconfig, MKCTL_AUTOSTART: '0', MKCTL_JOURNAL: '0', MKCTL_HOME: dir})
    try {
      const io = bufferedIOStreams(`apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n---\n${APP}`)
      assert.equal(await runInProcess(['apply', '-f', '-'], io), 0, io.errText())
    } finally {
      for (const k of ['KUBECONFIG', 'MKCTL_AUTOSTART', 'MKCTL_JOURNAL', 'MKCTL_HOME']) {
        if (saved[k] === undefined) delete process.env[k]
        else process.env[k] = saved[k]
      }
    }
    await t.settle()
    await t.advance(60_000)
  })
  after(async () => {
    await t.stop()
    rmSync(dir, {recursive: true, force: true})
  })

  it('runs the checks a live cluster can answer and skips the journal-based ones', async () => {
    const lab = (await import('../../src/lab/load.js')).loadLab(labFile)
    const res = await gradeLive(lab, {kubeconfig: t.kubeconfig, context: 'mkctl'})
    assert.equal(res.error, undefined)
    const [deploy, serve, history] = res.tasks
    assert.deepEqual(
      deploy.checks.map((c) => [c.passed, c.skipped ?? false, c.message]),
      [
        [false, false, 'deployment "web" in namespace "shop" has 2 replicas, want 3'],
        [true, false, 'deployment "web" is rolled out (2/2 available)'],
        [false, true, 'skipped: journal-based: a live cluster keeps no journal of commands'],
      ],
    )
    assert.equal(deploy.points, 0)
    assert.deepEqual(
      serve.checks.map((c) => [c.passed, c.message]),
      [
        [true, 'found 2 pods matching app=web in namespace "shop"'],
        [true, 'kubectl get svc web -n shop exited 0'],
        [true, 'GET http://web.shop.svc:80/: 200'],
      ],
    )
    assert.equal(serve.points, 1)
    // A task whose checks are all skipped is worth nothing here.
    assert.deepEqual([history.passed, history.points, history.maxPoints, history.checks[0].skipped], [true, 0, 0, true])
    assert.deepEqual([res.score, res.maxScore, res.session], [1, 4, 'mkctl'])
  })

  it('mkctl lab grade LAB --kubeconfig FILE --context C reports as for sessions', async () => {
    const io = bufferedIOStreams()
    const o = new LabGradeOptions(io)
    o.kubeconfig = t.kubeconfig
    o.context = 'mkctl'
    o.format = 'json'
    o.validate([labFile])
    await o.run()
    const report = JSON.parse(io.outText())
    assert.equal(report.sessions.length, 1)
    assert.deepEqual([report.sessions[0].score, report.sessions[0].maxScore], [1, 4])
  })

  it('a context the kubeconfig does not have is reported as the session error', async () => {
    const lab = (await import('../../src/lab/load.js')).loadLab(labFile)
    const res = await gradeLive(lab, {kubeconfig: t.kubeconfig, context: 'nope'})
    assert.match(res.error ?? '', /^grading failed: .*nope/)
    assert.equal(res.score, 0)
  })

  it('refuses --kubeconfig with --session, and --context without --kubeconfig', () => {
    const o = new LabGradeOptions(bufferedIOStreams())
    o.kubeconfig = t.kubeconfig
    o.sessions = ['a.session']
    assert.throws(() => o.validate([labFile]), /either --session FILE... or --kubeconfig FILE/)
    const p = new LabGradeOptions(bufferedIOStreams())
    p.context = 'mkctl'
    assert.throws(() => p.validate([labFile]), /--context selects a context of --kubeconfig FILE/)
  })
})
