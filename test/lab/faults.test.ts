import assert from 'node:assert/strict'
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {gradeSession, runSetup, type SessionResult} from '../../src/lab/grader.js'
import {parseLab} from '../../src/lab/load.js'
import {startReplayer} from '../../src/lab/replay.js'
import {parseSession} from '../../src/lab/session.js'
import type {Lab} from '../../src/lab/types.js'

// Setup images and faults (docs/labs.md "Setup"): graded in replay, where the faults fire on the virtual clock.

const dir = mkdtempSync(join(tmpdir(), 'mkctl-faults-test-'))
after(() => rmSync(dir, {recursive: true, force: true}))

function lab(text: string): {lab: Lab; dir: string} {
  const l = parseLab(text, join(dir, 'lab.yaml'), dir)
  assert.deepEqual(l.diagnostics, [])
  return {lab: l.lab!, dir}
}

const grade = (src: {lab: Lab; dir: string}, session: string) =>
  gradeSession(src, parseSession(session, 'student.session', dir))

const failing = (r: SessionResult) => r.tasks.flatMap((t) => t.checks.filter((c) => !c.passed).map((c) => c.message))

const deployment = (name: string, image: string, replicas: number, port = 80) => `
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: ${name}}
      spec:
        replicas: ${replicas}
        selector: {matchLabels: {app: ${name}}}
        template:
          metadata: {labels: {app: ${name}}}
          spec:
            containers: [{name: main, image: '${image}', ports: [{containerPort: ${port}}]}]`

describe('lab/faults: setup images and faults', function () {
  this.timeout(120_000)

  describe('a node stopped at +2m', () => {
    const src = lab(`
apiVersion: mkctl.dev/v1
kind: Lab
metadata: {name: node-down}
setup:
  - run: mkctl cluster node add
  - apply: |${deployment('web', 'nginx:1.27', 4)}
  - fault: {at: 2m, nodeStop: m02}
tasks:
  - name: survive
    checks:
      - ready: {resource: deployment/web}
      # The pods of the stopped node stay Terminating (its kubelet cannot confirm), as in Kubernetes: count the others.
      - field: {resource: pods, selector: app=web, jsonpath: '{.items[?(@.spec.nodeName=="mkctl")].metadata.name}', count: 4}
        message: 'pods rescheduled on the healthy node: {{ .actual }}, want 4'
`)

    it('has its pods rescheduled once the node is gone long enough', async () => {
      const r = await grade(src, 'kubectl get pods -o wide\nmkctl cluster time advance 10m\n')
      assert.equal(r.error, undefined)
      assert.deepEqual(failing(r), [])
      assert.equal(r.score, 1)
    })

    it('fires the fault before grading a short session: the pods are still on the stopped node', async () => {
      const r = await grade(src, 'kubectl get pods -o wide\n')
      assert.equal(r.error, undefined)
      const msgs = failing(r)
      assert.equal(msgs.length, 1, JSON.stringify(msgs))
      assert.match(msgs[0]!, /^pods rescheduled on the healthy node: (web-\S+ ?){1,3}, want 4$/)
    })
  })

  describe('an image registry failure', () => {
    const src = lab(`
apiVersion: mkctl.dev/v1
kind: Lab
metadata: {name: registry-down}
setup:
  - fault: {registryFailure: {image: 'nginx:1.27'}}
tasks:
  - name: run
    checks:
      - ready: {resource: deployment/web, timeout: 2m}
`)

    it('leaves pulls of the image in ImagePullBackOff', async () => {
      const r = await startReplayer({seed: 1})
      try {
        await runSetup(r, src.lab.setup!, dir, {})
        assert.equal((await r.run(['create', 'deployment', 'web', '--image=nginx:1.27'])).code, 0)
        await r.advance(60_000)
        const out = await r.run(['get', 'pods'])
        assert.match(out.stdout, /ImagePullBackOff|ErrImagePull/)
        const desc = await r.run(['describe', 'pods'])
        assert.match(desc.stdout, /503 Service Unavailable/)
      } finally {
        await r.stop()
      }
    })

    it('fails the session that keeps the image and passes the one that changes it', async () => {
      const bad = await grade(src, 'kubectl create deployment web --image=nginx:1.27\n')
      assert.equal(bad.score, 0)
      assert.equal(failing(bad).length, 1)
      const good = await grade(
        src,
        'kubectl create deployment web --image=nginx:1.27\nkubectl set image deployment/web nginx=nginx:1.26\n',
      )
      assert.deepEqual(failing(good), [])
      assert.equal(good.score, 1)
    })
  })

  describe('an image declared by the lab', () => {
    writeFileSync(
      join(dir, 'images.yaml'),
      `- name: shop/web\n  tags: ['2.0']\n  ports: [8080]\n  behavior: {http: {'/': {status: 200, body: 'shop web'}}}\n`,
    )
    const src = lab(`
apiVersion: mkctl.dev/v1
kind: Lab
metadata: {name: shop-api}
setup:
  - images:
      - name: shop/api
        tags: ['1.0']
        ports: [8080]
        behavior:
          logs: ['api listening on :8080']
          http: {'/': {status: 200, body: 'shop api 1.0'}}
  - images: {file: images.yaml}
  - apply: |${deployment('api', 'shop/api:1.0', 1, 8080)}
tasks:
  - name: serve
    checks:
      - ready: {resource: deployment/api}
      - reachable: {service: api, bodyContains: 'shop api 1.0'}
      - script: {run: 'kubectl logs deployment/api', outputMatches: 'api listening on :8080'}
      - script: {run: 'kubectl run web --image=shop/web:2.0'}
      - ready: {resource: pod/web}
`)

    it('pulls and runs it, with its ports, answers and logs', async () => {
      const r = await grade(src, 'kubectl expose deployment api --port 80 --target-port 8080\n')
      assert.equal(r.error, undefined)
      assert.deepEqual(failing(r), [])
    })
  })

  describe('a pod kill', () => {
    const src = lab(`
apiVersion: mkctl.dev/v1
kind: Lab
metadata: {name: pod-kill}
setup:
  - apply: |${deployment('web', 'nginx:1.27', 1)}
  - fault: {at: 1m, podKill: {selector: app=web}}
tasks:
  - name: restarted
    checks:
      - field: {resource: pods, selector: app=web, jsonpath: '{.items[0].status.containerStatuses[0].restartCount}', equals: '1'}
      - field: {resource: pods, selector: app=web, jsonpath: '{.items[0].status.containerStatuses[0].lastState.terminated.exitCode}', equals: '137'}
`)

    it('kills the matching container at its time, and the kubelet restarts it', async () => {
      const r = await grade(src, 'mkctl cluster time advance 2m\n')
      assert.deepEqual(failing(r), [])
    })
  })

  it('lab validate reports bad faults', () => {
    const l = parseLab(
      `
apiVersion: mkctl.dev/v1
kind: Lab
metadata: {name: bad}
setup:
  - fault: {at: 1m}
  - fault: {at: 5m, registryFailure: {until: 1m, image: x}}
  - fault: {podKill: {}}
  - fault: {nodeStop: a, nodeStart: a}
  - images: {file: missing.yaml}
tasks: [{name: t, checks: [{command: {matches: x}}]}]
`,
      join(dir, 'bad.yaml'),
      dir,
    )
    const msgs = l.diagnostics.map((d) => `${d.path}: ${d.message}`)
    const want = [
      /fault has no kind/,
      /until \(1m\) must be later than at \(5m\)/,
      /a pod kill needs a pod name or a label selector/,
      /fault has several kinds: nodeStop, nodeStart/,
      /file not found: missing\.yaml/,
    ]
    for (const w of want)
      assert.ok(
        msgs.some((m) => w.test(m)),
        `${w} not in ${JSON.stringify(msgs)}`,
      )
    const schema = parseLab(
      'apiVersion: mkctl.dev/v1\nkind: Lab\nmetadata: {name: bad}\nsetup: [{fault: {at: soon, nodeStop: a}}]\ntasks: [{name: t, checks: [{command: {matches: x}}]}]\n',
      join(dir, 'bad2.yaml'),
      dir,
    )
    assert.match(
      schema.diagnostics.map((d) => `${d.path}: ${d.message}`).join('\n'),
      /setup\[0\]\.fault\.at: does not match/,
    )
  })
})
