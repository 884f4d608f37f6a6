// builtin.test.ts checks the built-in labs (labs/builtin) as issue 6 accepts them: every lab validates, its
// reference session scores full marks, its wrong session loses exactly the points its mistakes should (with the
// failing checks expected), grading is byte-for-byte reproducible, and a parameterised lab gives two seeds two
// sets of names. Also `mkctl lab list`, in-process and once through the built CLI.
import assert from 'node:assert/strict'
import {spawnSync} from 'node:child_process'
import {existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join, resolve} from 'node:path'
import {bufferedIOStreams} from '../../src/cli/io.js'
import {builtinLabs, builtinLabsDir, LabListOptions, localLabs} from '../../src/cli/options/lab/list.js'
import {LabValidateOptions} from '../../src/cli/options/lab/validate.js'
import {formatReport, gradeFile, gradeFiles, loadLab, type Report} from '../../src/lab/index.js'

const ROOT = resolve(import.meta.dirname, '..', '..')
const BUILTIN = join(ROOT, 'labs', 'builtin')

/** Expected is what grading a lab's two sessions must give: the wrong session's score and failing checks. */
interface Expected {
  max: number
  wrong: number
  /** failing lists the wrong session's failing checks as `task/kind`, in report order. */
  failing: string[]
}

// Each wrong.session says in its header comment which tasks it fails and why; this table is the same in data.
const EXPECTED: Record<string, Expected> = {
  'pods-deployments': {max: 6, wrong: 3, failing: ['pod/field', 'pods/command']},
  'scaling-self-healing': {
    max: 6,
    wrong: 2,
    failing: ['self-heal/command', 'intact/history', 'intact/history', 'intact/history'],
  },
  'rolling-update': {max: 6, wrong: 2, failing: ['undo/command', 'revisions/command']},
  services: {max: 6, wrong: 2, failing: ['endpoints/field', 'endpoints/field', 'scale/field']},
  ingress: {max: 6, wrong: 4, failing: ['rules/field', 'prefix/field']},
  'config-secrets': {max: 6, wrong: 2, failing: ['env/field', 'files/script']},
  'volumes-pvc': {max: 7, wrong: 2, failing: ['mount/field', 'survive/script']},
  statefulset: {
    max: 8,
    wrong: 4,
    failing: ['storage/ready', 'storage/ready', 'storage/ready', 'stable/history', 'stable/history'],
  },
  'team-namespaces': {max: 6, wrong: 3, failing: ['role/field', 'role/field', 'binding/field']},
  troubleshooting: {max: 8, wrong: 4, failing: ['probe/field', 'pending/ready']},
}

const failingChecks = (s: Report['sessions'][number]) =>
  s.tasks.flatMap((t) => t.checks.filter((c) => !c.passed).map((c) => `${t.name}/${c.kind}`))

describe('built-in labs', function () {
  // Each grading replays a session into a fresh in-process cluster (~0.5-1 s on a loaded 2-core machine).
  this.timeout(60_000)

  it('has at least 10 labs, every one with a reference and a wrong session, 3 or more with parameters', function () {
    const dirs = readdirSync(BUILTIN).filter((d) => existsSync(join(BUILTIN, d, 'lab.yaml')))
    assert.deepEqual([...dirs].sort(), Object.keys(EXPECTED).sort())
    for (const d of dirs) {
      assert.ok(existsSync(join(BUILTIN, d, 'reference.session')), `${d}/reference.session`)
      assert.ok(existsSync(join(BUILTIN, d, 'wrong.session')), `${d}/wrong.session`)
    }
    const withParams = dirs.filter(
      (d) => Object.keys(loadLab(join(BUILTIN, d, 'lab.yaml')).lab.parameters ?? {}).length,
    )
    assert.ok(withParams.length >= 3, `labs with parameters: ${withParams.join(', ')}`)
  })

  for (const [name, want] of Object.entries(EXPECTED)) {
    describe(name, function () {
      const dir = join(BUILTIN, name)
      const lab = join(dir, 'lab.yaml')
      const sessions = [join(dir, 'reference.session'), join(dir, 'wrong.session')]
      let first: Report

      before(async function () {
        first = await gradeFiles(lab, sessions)
      })

      it('passes lab validate', async function () {
        const io = bufferedIOStreams()
        const o = new LabValidateOptions(io)
        o.files = [dir]
        o.validate()
        await o.run()
        assert.match(io.outText(), new RegExp(`: lab "${name}" is valid \\(\\d+ tasks, ${want.max} points\\)\\n$`))
        assert.equal(loadLab(lab).lab.metadata.name, name)
      })

      it('scores the reference session full marks', function () {
        const ref = first.sessions[0]
        assert.equal(ref.error, undefined)
        assert.deepEqual(failingChecks(ref), [])
        assert.equal(ref.maxScore, want.max)
        assert.equal(ref.score, want.max)
      })

      it('scores the wrong session as its mistakes deserve', function () {
        const wrong = first.sessions[1]
        assert.equal(wrong.error, undefined)
        assert.deepEqual(failingChecks(wrong), want.failing)
        assert.equal(wrong.score, want.wrong)
        // Every failing check says why in one line.
        for (const t of wrong.tasks)
          for (const c of t.checks) if (!c.passed) assert.match(c.message, /^[^\n]+$/, `${t.name}: ${c.check}`)
      })

      it('grades the same sessions twice into byte-identical JSON reports', async function () {
        const again = await gradeFiles(lab, sessions)
        assert.equal(formatReport(again, 'json'), formatReport(first, 'json'))
      })
    })
  }

  describe('a parameterised lab (team-namespaces)', function () {
    let tmp: string
    before(function () {
      tmp = mkdtempSync(join(tmpdir(), 'mkctl-builtin-'))
    })
    after(function () {
      rmSync(tmp, {recursive: true, force: true})
    })

    it('gives two seeds different names and regrades each reproducibly', async function () {
      const lab = join(BUILTIN, 'team-namespaces', 'lab.yaml')
      // A session without its own seed: the seed comes from the grading options.
      const session = join(tmp, 'student.session')
      writeFileSync(session, 'kubectl create namespace team-gold\nkubectl get namespaces\n')
      const a1 = await gradeFile(lab, session, {seed: 8})
      const b1 = await gradeFile(lab, session, {seed: 9})
      assert.equal(a1.parameters.team, 'gold')
      assert.equal(b1.parameters.team, 'blue')
      assert.notEqual(a1.parameters.pods, b1.parameters.pods)
      // The same session means different work for each student: the checks name their own namespace.
      const messages = (r: typeof a1) => r.tasks.flatMap((t) => t.checks.map((c) => c.message)).join('\n')
      assert.match(messages(a1), /team-gold/)
      assert.doesNotMatch(messages(a1), /team-blue/)
      assert.match(messages(b1), /team-blue/)
      assert.equal(a1.tasks[0].title, 'Create namespace "team-gold" labelled team=gold')
      assert.equal(b1.tasks[0].title, 'Create namespace "team-blue" labelled team=blue')
      const a2 = await gradeFile(lab, session, {seed: 8})
      const b2 = await gradeFile(lab, session, {seed: 9})
      assert.equal(JSON.stringify(a2), JSON.stringify(a1))
      assert.equal(JSON.stringify(b2), JSON.stringify(b1))
    })
  })
})

describe('mkctl lab list', function () {
  let tmp: string
  before(function () {
    tmp = mkdtempSync(join(tmpdir(), 'mkctl-lablist-'))
    mkdirSync(join(tmp, 'labs', 'mine'), {recursive: true})
    const lab = (name: string, extra = '') =>
      `apiVersion: mkctl.dev/v1\nkind: Lab\nmetadata: {name: ${name}, title: My ${name}${extra}}\ntasks:\n  - name: t\n    points: 2\n    checks: [{exists: {resource: namespace/default}}]\n`
    writeFileSync(join(tmp, 'here.yaml'), lab('here', ', minutes: 5'))
    writeFileSync(join(tmp, 'labs', 'there.yml'), lab('there'))
    writeFileSync(join(tmp, 'labs', 'mine', 'lab.yaml'), lab('mine'))
    // Not labs: a Kubernetes manifest and a lab that does not load.
    writeFileSync(join(tmp, 'pod.yaml'), 'apiVersion: v1\nkind: Pod\nmetadata: {name: x}\n')
    writeFileSync(
      join(tmp, 'labs', 'broken.yaml'),
      'apiVersion: mkctl.dev/v1\nkind: Lab\nmetadata: {name: b}\ntasks: []\n',
    )
  })
  after(function () {
    rmSync(tmp, {recursive: true, force: true})
  })

  it('finds the built-in labs beside the package', function () {
    assert.equal(builtinLabsDir(), BUILTIN)
    const {labs, problems} = builtinLabs()
    assert.deepEqual(problems, [])
    assert.deepEqual(
      labs.map((l) => l.name),
      Object.keys(EXPECTED).sort(),
    )
    const sts = labs.find((l) => l.name === 'statefulset')!
    assert.deepEqual(
      {title: sts.title, tasks: sts.tasks, points: sts.points, minutes: sts.minutes, source: sts.source},
      {title: 'StatefulSet with stable names and storage', tasks: 4, points: 8, minutes: 25, source: 'builtin'},
    )
  })

  it('finds local labs in the folder and ./labs, skipping manifests and reporting broken labs', function () {
    const {labs, problems} = localLabs(tmp)
    assert.deepEqual(
      labs.map((l) => [l.name, l.file, l.points]),
      [
        ['here', 'here.yaml', 2],
        ['there', join('labs', 'there.yml'), 2],
        ['mine', join('labs', 'mine', 'lab.yaml'), 2],
      ],
    )
    assert.deepEqual(problems, [{file: join('labs', 'broken.yaml'), problems: 1}])
  })

  it('prints a table: built-in labs first, then local labs by path', function () {
    const io = bufferedIOStreams()
    const o = new LabListOptions(io)
    o.cwd = tmp
    o.validate([])
    o.run()
    const lines = io.outText().trimEnd().split('\n')
    assert.match(lines[0], /^NAME +TITLE +TASKS +POINTS +MINUTES +SOURCE$/)
    assert.match(lines[1], /^config-secrets +ConfigMap and Secret as env and files +4 +6 +25 +builtin$/)
    assert.equal(lines.length, 1 + Object.keys(EXPECTED).length + 3)
    assert.match(lines.at(-3)!, /^here +My here +1 +2 +5 +here\.yaml$/)
    assert.match(lines.at(-1)!, /^mine +My mine +1 +2 +<none> +labs\/mine\/lab\.yaml$/)
    assert.equal(
      io.errText(),
      'warning: labs/broken.yaml is not a valid lab (1 problem): run mkctl lab validate labs/broken.yaml\n',
    )
  })

  it('prints names, JSON, or no headers, and rejects other outputs', function () {
    const run = (output: string, noHeaders = false) => {
      const io = bufferedIOStreams()
      const o = new LabListOptions(io)
      o.cwd = tmp
      o.output = output
      o.noHeaders = noHeaders
      o.validate([])
      o.run()
      return io.outText()
    }
    assert.equal(run('name').split('\n').at(-2), join('labs', 'mine', 'lab.yaml'))
    assert.equal(run('name').split('\n')[0], 'config-secrets')
    const json = JSON.parse(run('json')) as {labs: {name: string; source: string}[]}
    assert.equal(json.labs.length, Object.keys(EXPECTED).length + 3)
    assert.deepEqual(json.labs.at(-1), {
      name: 'mine',
      title: 'My mine',
      tasks: 1,
      points: 2,
      source: 'local',
      file: join('labs', 'mine', 'lab.yaml'),
    })
    assert.match(run('', true).split('\n')[0], /^config-secrets /)
    const o = new LabListOptions(bufferedIOStreams())
    o.output = 'yaml'
    assert.throws(() => o.validate([]), /--output must be one of name, json, not "yaml"/)
    assert.throws(() => new LabListOptions(bufferedIOStreams()).validate(['x']), /unexpected arguments: x/)
  })

  it('runs from the built CLI (npm run build first)', function () {
    this.timeout(30_000)
    if (!existsSync(join(ROOT, 'dist', 'mkctl.cjs'))) this.skip()
    const res = spawnSync(process.execPath, [join(ROOT, 'bin', 'mkctl.js'), 'lab', 'list'], {
      cwd: tmp,
      encoding: 'utf8',
      env: {...process.env, MKCTL_AUTOSTART: '0'},
    })
    assert.equal(res.status, 0, res.stderr)
    const lines = res.stdout.trimEnd().split('\n')
    assert.match(lines[0], /^NAME +TITLE +TASKS +POINTS +MINUTES +SOURCE$/)
    assert.deepEqual(
      lines.slice(1, 11).map((l) => l.split(/ {2,}/)[0]),
      Object.keys(EXPECTED).sort(),
    )
    assert.match(lines[11], /^here +My here /)
    assert.match(res.stderr, /labs\/broken\.yaml is not a valid lab/)
  })
})
