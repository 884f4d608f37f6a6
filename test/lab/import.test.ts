import assert from 'node:assert/strict'
import {mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {LabImportOptions} from '../../src/cli/options/lab/import.js'
import {bufferedIOStreams} from '../../src/cli/io.js'
import {gradeSession} from '../../src/lab/grader.js'
import {convertVerify, importKillercoda} from '../../src/lab/import/killercoda.js'
import {parseLab} from '../../src/lab/load.js'
import {parseSession} from '../../src/lab/session.js'

const DATA = join(import.meta.dirname, '..', 'testdata', 'killercoda')

describe('lab import killercoda', function () {
  this.timeout(60_000)

  it('turns steps into tasks, verify lines into checks and background lines into setup', () => {
    const r = importKillercoda(join(DATA, 'deploy-web'))
    const {lab} = r
    assert.equal(lab.metadata.name, 'deploy-and-expose-a-web-server')
    assert.equal(lab.metadata.minutes, 15)
    assert.match(lab.instructions ?? '', /namespace `shop` is ready/)
    assert.deepEqual(
      lab.tasks.map((t) => [t.name, t.title]),
      [
        ['step1', 'Create the deployment'],
        ['step2', 'Expose it'],
      ],
    )
    // Killercoda's {{exec}} / {{copy}} actions are dropped from the markdown.
    assert.doesNotMatch(lab.tasks[0].instructions ?? '', /exec/)
    assert.doesNotMatch(lab.tasks[1].instructions ?? '', /\{\{/)
    assert.deepEqual(lab.tasks[0].checks, [
      {script: {run: 'kubectl -n shop get deploy web'}},
      {field: {resource: 'deploy/web', namespace: 'shop', jsonpath: '{.spec.replicas}', contains: '3'}},
      {
        field: {
          resource: 'deploy/web',
          namespace: 'shop',
          jsonpath: '{.spec.template.spec.containers[0].image}',
          matches: '^(?:nginx:1.27)$',
        },
      },
    ])
    assert.deepEqual(lab.tasks[1].checks, [
      {field: {resource: 'svc/web', namespace: 'shop', jsonpath: '{.spec.ports[0].port}', equals: '80'}},
      {script: {run: 'kubectl get endpoints web -n shop', outputMatches: '80'}},
    ])
    assert.equal(lab.setup?.length, 2)
    assert.deepEqual(lab.setup?.[0], {run: 'kubectl create namespace shop'})
    assert.match((lab.setup?.[1] as {apply: string}).apply, /^apiVersion: v1\nkind: ConfigMap\n/)
    assert.deepEqual(
      r.notConverted.map((n) => `${n.file}:${n.line}`),
      ['background.sh:12', 'step2/verify.sh:4', 'step2/verify.sh:5'],
    )
    // The YAML loads as a valid lab.
    const loaded = parseLab(r.yaml, join(DATA, 'deploy-web', 'lab.yaml'))
    assert.deepEqual(loaded.diagnostics, [])
    assert.ok(loaded.lab)
  })

  it('lists what it cannot convert and keeps steps without checks as instructions', () => {
    const r = importKillercoda(join(DATA, 'fix-pod'))
    assert.deepEqual(
      r.lab.tasks.map((t) => t.name),
      ['step2'],
    )
    assert.match(r.lab.instructions ?? '', /## Look around\n\nList the pods: `kubectl get pods`$/)
    // A go-template's braces are kept literal in the (templated) lab text.
    assert.deepEqual(r.lab.tasks[0].checks[1], {
      script: {run: `kubectl get pod broken -o go-template='{{ "{{" }}.status.phase}}'`, outputMatches: 'Running'},
    })
    assert.deepEqual(
      r.notConverted.map((n) => `${n.file}:${n.line}: ${n.reason}`),
      [
        "index.json:0: step 1 has no convertible verify check: its text is kept in the lab's instructions, not as a task",
        'step2/background.sh:3: not a kubectl command',
        'step2/background.sh:4: reads a file of the scenario machine',
        'step2/verify.sh:4: a comparison of something other than kubectl get -o jsonpath',
        'step2/verify.sh:5: not a kubectl command',
        'step2/verify.sh:6: not a kubectl command',
        'step2/verify.sh:7: not a kubectl command',
      ],
    )
    assert.ok(parseLab(r.yaml, join(DATA, 'fix-pod', 'lab.yaml')).lab)
  })

  it('recognises the common verify shapes', () => {
    const {checks, notConverted} = convertVerify(
      'v.sh',
      [
        'kubectl get ns team-a >/dev/null 2>&1',
        `[[ $(kubectl get deploy api -n team-a -o jsonpath="{.status.readyReplicas}") -ge 2 ]]`,
        `test "$(kubectl get cm app -o jsonpath='{.data.mode}')" == "prod"`,
        `kubectl get pods -l app=api -o jsonpath='{.items[*].status.phase}' | grep -w Running`,
        'kubectl get svc web && kubectl get deploy web',
        'kubectl get pod x | grep -v Error',
        `[ "$(kubectl get cm app -o jsonpath='{.data.mode}')" != "prod" ]`,
      ].join('\n'),
    )
    assert.deepEqual(checks, [
      {script: {run: 'kubectl get ns team-a'}},
      {field: {resource: 'deploy/api', namespace: 'team-a', jsonpath: '{.status.readyReplicas}', gte: 2}},
      {field: {resource: 'cm/app', jsonpath: '{.data.mode}', equals: 'prod'}},
      {
        field: {
          resource: 'pods',
          selector: 'app=api',
          jsonpath: '{.items[*].status.phase}',
          matches: '(?:^|\\W)Running(?:\\W|$)',
        },
      },
      {script: {run: 'kubectl get svc web'}},
      {script: {run: 'kubectl get deploy web'}},
    ])
    assert.deepEqual(
      notConverted.map((n) => n.line),
      [6, 7],
    )
  })

  it('an imported lab grades a session in replay: the solution scores full marks, nothing scores 0', async () => {
    const r = importKillercoda(join(DATA, 'deploy-web'))
    const src = {lab: r.lab, dir: join(DATA, 'deploy-web')}
    const good = parseSession(
      [
        'kubectl -n shop create deployment web --image=nginx:1.27 --replicas=3',
        'kubectl -n shop expose deployment web --port=80',
      ].join('\n'),
      'good.session',
      DATA,
    )
    const res = await gradeSession(src, good)
    assert.equal(res.error, undefined)
    assert.deepEqual(
      res.tasks.flatMap((t) => t.checks.filter((c) => !c.passed).map((c) => c.message)),
      [],
    )
    assert.equal(res.score, 2)
    const none = await gradeSession(src, parseSession('', 'empty.session', DATA))
    assert.equal(none.score, 0)
    assert.equal(none.tasks[1].checks[0].message, 'service "web" not found in namespace "shop"')
  })

  it('the command writes the lab with -o and lists what it left out on stderr', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mkctl-import-'))
    try {
      const io = bufferedIOStreams()
      const o = new LabImportOptions(io)
      o.output = join(dir, 'lab.yaml')
      o.validate([join(DATA, 'deploy-web')])
      await o.run()
      assert.match(readFileSync(o.output, 'utf8'), /^# Imported from the Killercoda scenario deploy-web/)
      assert.equal(io.outText(), '')
      assert.equal(
        io.errText(),
        [
          'not converted:',
          'background.sh:12: not a kubectl command: echo done > /tmp/background-finished',
          'step2/verify.sh:4: not a kubectl command: curl -s web.shop.svc | grep -q nginx',
          'step2/verify.sh:5: not a kubectl command: sleep 1',
          `imported 2 tasks with 5 checks and 2 setup steps into ${o.output}`,
          '',
        ].join('\n'),
      )
    } finally {
      rmSync(dir, {recursive: true, force: true})
    }
  })
})
