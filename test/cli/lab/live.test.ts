// live.test.ts: the live lab commands end to end through bin/mkctl.js in a temporary MKCTL_HOME (issue 6 parts 2
// and 3). The reference session of labs/examples/scale-web is run once with mkctl and once with the real kubectl,
// each against its own lab profile: both are journaled, `lab check` gives full marks, `lab export` writes a session
// that `lab grade` scores the same, and an edited journal is reported. Also: hints, status, reset, and the unit
// behaviour of turning journal events into session commands (src/cli/lab/session.ts).
// MKCTL_LIVE_ROOT may point at another build of mkctl (a tree with bin/ and dist/) to run against.
import assert from 'node:assert/strict'
import {spawnSync} from 'node:child_process'
import {existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {sessionRecords} from '../../../src/cli/lab/session.js'
import type {AuditEvent} from '../../../src/cli/lab/wire.js'
import {parseSession} from '../../../src/lab/session.js'

const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..')
const ROOT = process.env.MKCTL_LIVE_ROOT ?? REPO
const MKCTL = join(ROOT, 'bin', 'mkctl.js')
const LAB = join(REPO, 'labs', 'examples', 'scale-web')

interface Run {
  code: number
  stdout: string
  stderr: string
}

function hasKubectl(): boolean {
  return spawnSync('kubectl', ['version', '--client'], {encoding: 'utf8'}).status === 0
}

describe('mkctl lab start|status|hint|check|reset|export (live, through the binary)', function () {
  this.timeout(180_000)
  let home: string
  let env: NodeJS.ProcessEnv
  const mkctl = (args: string[], input = ''): Run => {
    const r = spawnSync(process.execPath, [MKCTL, ...args], {cwd: LAB, env, input, encoding: 'utf8', timeout: 120_000})
    return {code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr}
  }
  const kubectl = (args: string[], input = ''): Run => {
    const r = spawnSync('kubectl', args, {
      cwd: LAB,
      env: {...env, KUBECONFIG: join(home, 'kubeconfig')},
      input,
      encoding: 'utf8',
      timeout: 120_000,
    })
    return {code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr}
  }
  const ok = (r: Run, what: string) => assert.equal(r.code, 0, `${what}: exit ${r.code}\n${r.stdout}\n${r.stderr}`)
  const reference = parseSession(readFileSync(join(LAB, 'reference.session'), 'utf8'), 'reference.session', LAB)
  // The debug pod ignores SIGTERM (as `sleep` as PID 1 does): a live delete would wait its 30 s grace period.
  for (const c of reference.commands) if (c.argv[1] === 'delete') c.argv.push('--grace-period=1')
  const grade = (file: string) => {
    const r = mkctl(['lab', 'grade', LAB, '--session', file, '--format', 'json'])
    ok(r, 'lab grade')
    return JSON.parse(r.stdout).sessions[0] as {
      score: number
      maxScore: number
      error?: string
      tasks: {name: string; points: number}[]
    }
  }

  before(function () {
    if (!existsSync(join(ROOT, 'dist', 'mkctl.cjs'))) this.skip()
    home = mkdtempSync(join(tmpdir(), 'mkctl-lab-live-'))
    env = {
      ...process.env,
      MKCTL_HOME: home,
      HOME: home,
      KUBECONFIG: '',
      MKCTL_AUTOSTART: '',
      KUBECACHEDIR: join(home, 'kube-cache'),
    }
  })
  after(function () {
    if (!home) return
    mkctl(['cluster', 'delete', '--all'])
    rmSync(home, {recursive: true, force: true})
  })

  const scores: Record<string, {score: number; tasks: {name: string; points: number}[]}> = {}

  it('lab start creates the profile, applies the setup and prints the tasks', () => {
    const r = mkctl(['lab', 'start', LAB, '-p', 'lab-m', '--student', 'ann', '--timing', 'fast'])
    ok(r, 'lab start')
    assert.match(r.stdout, /# Scale a web deployment \(lab "scale-web", seed 42, student ann\)/)
    assert.match(
      r.stdout,
      /Tasks \(8 points\):\n {2}1\. Run nginx 1\.27 as deployment "web" in namespace shop with 3 replicas \[deploy, 3 points\]/,
    )
    assert.ok(existsSync(join(home, 'profiles', 'lab-m', 'journal.jsonl')))
    const again = mkctl(['lab', 'start', LAB, '-p', 'lab-m'])
    assert.equal(again.code, 1)
    assert.match(again.stderr, /profile "lab-m" already exists: run "mkctl lab reset -p lab-m"/)
  })

  it('lab hint reveals the next hint of the first unfinished task, once', () => {
    const r = mkctl(['lab', 'hint', '-p', 'lab-m'])
    ok(r, 'lab hint')
    assert.equal(r.stdout, 'Hint 1/2 for task "deploy": kubectl create deployment --help\n')
  })

  it('the reference session run with mkctl scores full marks live, and the same from its export', () => {
    for (const c of reference.commands) ok(mkctl([...c.argv.slice(1), '--context', 'lab-m'], c.stdin ?? ''), c.text)
    const check = mkctl(['lab', 'check', '-p', 'lab-m'])
    ok(check, 'lab check')
    assert.match(check.stdout, /^PASS {2}deploy \(3\/3\)/m)
    assert.match(check.stdout, /\[pass\] history deployment\/web -n shop recreated=false/)
    assert.match(check.stdout, /\nScore: 8\/8\nAll tasks are done\.\n$/)
    const status = mkctl(['lab', 'status', '-p', 'lab-m'])
    ok(status, 'lab status')
    assert.match(status.stdout, /Score: 8\/8, 1 hint used, 7 commands journaled/)
    assert.match(status.stdout, /deploy +3\/3 +1\/2 +done/)
    const file = join(home, 'lab-m.jsonl')
    ok(mkctl(['lab', 'export', '-p', 'lab-m', '--out', file]), 'lab export')
    const lines = readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
    assert.deepEqual(lines[0].hints, [{task: 'deploy', index: 0}])
    assert.equal(lines[0].student, 'ann')
    assert.equal(lines[0].journal.ok, true)
    assert.equal(lines.length, 1 + reference.commands.length)
    // The flags that chose the live cluster are not replayed; the files read travel with the session.
    assert.ok(lines.slice(1).every((l) => !l.argv.includes('--context')))
    assert.match(lines[2].files['deploy-1.26.yaml'] ?? '', /image: nginx:1\.26/)
    assert.match(lines[5].stdin ?? '', /greeting: hello/)
    const g = grade(file)
    assert.equal(g.error, undefined)
    assert.equal(g.score, 8)
    assert.equal(g.maxScore, 8)
    scores.mkctl = g
  })

  it('the reference session run with the real kubectl is journaled and graded the same', function () {
    if (!hasKubectl()) this.skip()
    ok(mkctl(['lab', 'start', LAB, '-p', 'lab-k', '--timing', 'fast']), 'lab start')
    for (const c of reference.commands) ok(kubectl([...c.argv.slice(1), '--context', 'lab-k'], c.stdin ?? ''), c.text)
    const check = mkctl(['lab', 'check', '-p', 'lab-k'])
    ok(check, 'lab check')
    assert.match(check.stdout, /\nScore: 8\/8\n/)
    const file = join(home, 'lab-k.jsonl')
    ok(mkctl(['lab', 'export', '-p', 'lab-k', '--out', file]), 'lab export')
    const texts = readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => JSON.parse(l).text)
    // Each kubectl invocation is one command: by the objects it wrote, else by the first resource it read.
    assert.deepEqual(texts, [
      'kubectl get pods -n shop',
      'kubectl apply deployment/web -n shop',
      'kubectl get deployment/web -n shop',
      'kubectl apply deployment/web -n shop',
      'kubectl apply configmap/web-config -n shop',
      'kubectl delete pod/debug -n shop',
      'kubectl get pods -n shop',
    ])
    const g = grade(file)
    assert.equal(g.score, 8)
    scores.kubectl = g
    if (scores.mkctl)
      assert.deepEqual(
        g.tasks.map((t) => [t.name, t.points]),
        scores.mkctl.tasks.map((t) => [t.name, t.points]),
      )
  })

  it('reads by the real kubectl are journaled once per invocation and seen by command checks', function () {
    if (!hasKubectl()) this.skip()
    const dir = join(home, 'read-lab')
    mkdirSync(dir, {recursive: true})
    writeFileSync(
      join(dir, 'lab.yaml'),
      [
        'apiVersion: mkctl.dev/v1',
        'kind: Lab',
        'metadata: {name: read-web, title: Look at a deployment}',
        'setup:',
        '  - run: kubectl create deployment web --image=nginx:1.27',
        'tasks:',
        '  - name: look',
        '    title: Describe deployment web',
        '    checks:',
        "      - command: {matches: '^kubectl describe deployment/web', successful: true}",
        "      - command: {matches: '^kubectl get pods', max: 1}",
        '',
      ].join('\n'),
    )
    ok(mkctl(['lab', 'start', dir, '-p', 'lab-r', '--timing', 'fast']), 'lab start')
    const before = mkctl(['lab', 'check', '-p', 'lab-r'])
    assert.match(before.stdout, /no successful command matched \/\^kubectl describe deployment\/web\//)
    ok(kubectl(['get', 'pods', '--context', 'lab-r']), 'kubectl get pods')
    ok(kubectl(['describe', 'deploy', 'web', '--context', 'lab-r']), 'kubectl describe deploy web')
    const check = mkctl(['lab', 'check', '-p', 'lab-r'])
    ok(check, 'lab check')
    assert.match(check.stdout, /\nScore: 1\/1\n/)
    const file = join(home, 'lab-r.jsonl')
    ok(mkctl(['lab', 'export', '-p', 'lab-r', '--out', file]), 'lab export')
    const recs = readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => JSON.parse(l))
    assert.deepEqual(
      recs.map((r) => [r.text, r.read, r.exitCode]),
      [
        ['kubectl get pods -n default', true, 0],
        ['kubectl describe deployment/web -n default', true, 0],
      ],
    )
    const r = mkctl(['lab', 'grade', dir, '--session', file, '--format', 'json'])
    ok(r, 'lab grade')
    const g = JSON.parse(r.stdout).sessions[0]
    assert.equal(g.score, 1)
    assert.deepEqual(
      g.commands.map((c: {command: string; exitCode: number}) => [c.command, c.exitCode]),
      recs.map((x) => [x.text, 0]),
    )
  })

  it('an edited journal is reported by lab check and lab export', function () {
    const profile = existsSync(join(home, 'profiles', 'lab-k')) ? 'lab-k' : 'lab-m'
    const path = join(home, 'profiles', profile, 'journal.jsonl')
    const text = readFileSync(path, 'utf8')
    const lines = text.trim().split('\n')
    const i = lines.findIndex((l) => l.includes('"debug"'))
    assert.ok(i > 0)
    lines[i] = lines[i].replace('"debug"', '"other"')
    writeFileSync(path, lines.join('\n') + '\n')
    try {
      const check = mkctl(['lab', 'check', '-p', profile])
      assert.equal(check.code, 1)
      assert.match(
        check.stderr,
        new RegExp(`error: the lab journal was altered:\\n {2}line ${i + 1}: its content does not match its hash`),
      )
      const exp = mkctl(['lab', 'export', '-p', profile, '--out', join(home, 'tampered.jsonl')])
      assert.equal(exp.code, 1)
      assert.match(exp.stderr, /the lab journal was altered/)
      assert.equal(JSON.parse(readFileSync(join(home, 'tampered.jsonl'), 'utf8').split('\n')[0]).journal.ok, false)
    } finally {
      writeFileSync(path, text)
    }
    ok(mkctl(['lab', 'check', '-p', profile]), 'lab check after the journal is restored')
  })

  it('lab reset starts the lab over from scratch with the same seed and student', () => {
    const r = mkctl(['lab', 'reset', '-p', 'lab-m'])
    ok(r, 'lab reset')
    assert.match(r.stdout, /Resetting lab "scale-web": deleting profile "lab-m"/)
    assert.match(r.stdout, /seed 42, student ann/)
    const status = mkctl(['lab', 'status', '-p', 'lab-m'])
    ok(status, 'lab status')
    assert.match(status.stdout, /Score: 0\/8, 0 hints used, 0 commands journaled/)
  })
})

describe('lab journal to session commands', () => {
  const ev = (
    e: Omit<Partial<AuditEvent>, 'kind'> & {kind?: string; session?: string; command?: string},
  ): AuditEvent => ({
    kind: 'Event',
    apiVersion: 'audit.k8s.io/v1',
    level: 'Request',
    auditID: 'x',
    stage: 'ResponseComplete',
    requestURI: e.requestURI ?? '/',
    verb: e.verb ?? 'create',
    user: {username: 'u'},
    requestReceivedTimestamp: 't',
    stageTimestamp: 't',
    responseStatus: e.responseStatus ?? {metadata: {}, code: 200},
    ...(e.objectRef ? {objectRef: e.objectRef} : {}),
    ...(e.requestObject !== undefined ? {requestObject: e.requestObject} : {}),
    annotations: {
      'mkctl.dev/journal-kind': e.kind ?? 'api-write',
      ...(e.session ? {'mkctl.dev/kubectl-session': e.session} : {}),
      ...(e.command ? {'mkctl.dev/kubectl-command': e.command} : {}),
      ...e.annotations,
    },
  })
  const deploy = {resource: 'deployments', apiGroup: 'apps', apiVersion: 'v1', namespace: 'shop', name: 'web'}

  it('keeps mkctl commands, drops the writes they made, and turns other writes into replayable commands', () => {
    const obj = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {name: 'c', namespace: 'shop', resourceVersion: '9', uid: 'u'},
    }
    const recs = sessionRecords([
      ev({kind: 'lab-started'}),
      ev({objectRef: {...deploy}, session: 'm1', verb: 'patch'}),
      ev({
        kind: 'command',
        session: 'm1',
        requestObject: {
          argv: ['mkctl', 'scale', 'deploy/web', '--replicas=3'],
          exitCode: 0,
          session: 'm1',
          replayArgv: ['mkctl', 'scale', 'deploy/web', '--replicas=3'],
        },
      }),
      ev({
        objectRef: {resource: 'configmaps', apiGroup: '', apiVersion: 'v1', namespace: 'shop'},
        requestObject: obj,
        session: 'k1',
        command: 'kubectl apply',
      }),
      ev({
        objectRef: {...deploy},
        verb: 'patch',
        session: 'k1',
        command: 'kubectl apply',
        requestObject: {spec: {replicas: 2}},
        annotations: {'mkctl.dev/content-type': 'application/strategic-merge-patch+json'},
      }),
      ev({
        objectRef: {...deploy},
        verb: 'delete',
        requestURI: '/apis/apps/v1/namespaces/shop/deployments/web?dryRun=All',
        session: 'k2',
        command: 'kubectl delete',
      }),
      ev({
        objectRef: {...deploy, subresource: 'scale'},
        verb: 'patch',
        session: 'k3',
        command: 'kubectl scale',
        requestObject: {spec: {replicas: 5}},
        responseStatus: {metadata: {}, code: 422},
        annotations: {'mkctl.dev/content-type': 'application/merge-patch+json'},
      }),
      ev({kind: 'hint'}),
    ])
    assert.deepEqual(
      recs.map((r) => [r.text, r.exitCode]),
      [
        ['mkctl scale deploy/web --replicas=3', 0],
        ['kubectl apply configmap/c deployment/web -n shop', 0],
        [
          '# kubectl apply, request 2: kubectl patch deployments.apps web -n shop --type strategic -p \'{"spec":{"replicas":2}}\'',
          0,
        ],
        ['kubectl scale deployment/web -n shop', 1],
      ],
    )
    assert.deepEqual(recs[1].argv, ['kubectl', 'create', '-f', 'object.json'])
    assert.deepEqual(JSON.parse(recs[1].files!['object.json']), {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {name: 'c', namespace: 'shop'},
    })
    assert.deepEqual(recs[3].argv, [
      'kubectl',
      'patch',
      'deployments.apps',
      'web',
      '-n',
      'shop',
      '--type',
      'merge',
      '-p',
      '{"spec":{"replicas":5}}',
      '--subresource=scale',
    ])
  })

  it('turns reads of other clients into records that are not replayed, unless the invocation wrote', () => {
    const read = (session: string, command: string, objectRef: object, code = 200) =>
      ev({kind: 'api-read', verb: 'get', session, command, objectRef, responseStatus: {metadata: {}, code}})
    const recs = sessionRecords([
      read('k1', 'kubectl get', {resource: 'pods', apiGroup: '', apiVersion: 'v1', namespace: 'shop'}),
      read('k2', 'kubectl scale', {...deploy}),
      read('k3', 'kubectl describe', {...deploy}),
      ev({
        objectRef: {...deploy, subresource: 'scale'},
        verb: 'patch',
        session: 'k2',
        command: 'kubectl scale',
        requestObject: {spec: {replicas: 5}},
        annotations: {'mkctl.dev/content-type': 'application/merge-patch+json'},
      }),
      read('k4', 'kubectl logs', {resource: 'pods', apiGroup: '', apiVersion: 'v1', namespace: 'shop', name: 'x'}, 404),
      read('m1', 'mkctl get', {...deploy}),
      ev({
        kind: 'command',
        session: 'm1',
        requestObject: {argv: ['mkctl', 'get', 'deploy'], exitCode: 0, session: 'm1'},
      }),
    ])
    assert.deepEqual(
      recs.map((r) => [r.text, r.exitCode, r.read ?? false]),
      [
        ['kubectl get pods -n shop', 0, true],
        ['kubectl describe deployment/web -n shop', 0, true],
        ['kubectl scale deployment/web -n shop', 0, false],
        ['kubectl logs pod/x -n shop', 1, true],
        ['mkctl get deploy', 0, false],
      ],
    )
    assert.deepEqual(recs[1].argv, ['kubectl', 'describe', 'deployments.apps', 'web', '-n', 'shop'])
    // lab grade does not replay them: parseSession keeps the recorded exit code.
    const s = parseSession(recs.map((r) => JSON.stringify(r)).join('\n'), 's.jsonl', '/')
    assert.deepEqual(
      s.commands.map((c) => c.recorded),
      [{exitCode: 0}, {exitCode: 0}, undefined, {exitCode: 1}, undefined],
    )
  })
})
