// CLI tests of `mkctl lab validate` and `mkctl lab grade`, through the built bundle (npm run build first; grading
// needs the engine bundle dist/mkctl-lab.cjs beside dist/mkctl.cjs).
import assert from 'node:assert/strict'
import {mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {run} from '../../helpers/daemon.js'

const ROOT = join(import.meta.dirname, '..', '..', '..')
const EX = join(ROOT, 'labs', 'examples', 'scale-web')
const REF = join(EX, 'reference.session')
const WRONG = join(EX, 'wrong.session')

describe('mkctl lab (CLI)', function () {
  this.timeout(120_000)
  let home: string
  const mkctl = (args: string[]) =>
    run(process.execPath, [join(ROOT, 'bin', 'mkctl.js'), ...args], {
      env: {MKCTL_HOME: home, MKCTL_AUTOSTART: '0', KUBECONFIG: join(home, 'none')},
    })

  before(() => {
    home = mkdtempSync(join(tmpdir(), 'mkctl-lab-cli-'))
  })
  after(() => rmSync(home, {recursive: true, force: true}))

  it('lab validate accepts the example lab', async () => {
    const r = await mkctl(['lab', 'validate', EX])
    assert.deepEqual(r, {
      stdout: `${join(EX, 'lab.yaml')}: lab "scale-web" is valid (4 tasks, 8 points)\n`,
      stderr: '',
      code: 0,
    })
  })

  it('lab validate reports problems as file:line:col and exits 1', async () => {
    const bad = join(home, 'bad.yaml')
    writeFileSync(
      bad,
      'apiVersion: mkctl.dev/v1\nkind: Lab\nmetadata: {name: bad}\ntasks:\n  - name: a\n    title: "{{ .who }}"\n    checks:\n      - probe: {x: 1}\n',
    )
    const r = await mkctl(['lab', 'validate', bad])
    assert.equal(r.code, 1)
    assert.equal(r.stdout, '')
    assert.equal(
      r.stderr,
      `${bad}:8:9: tasks[0].checks[0].probe: unknown check kind "probe" (want one of exists, absent, field, ready, reachable, command, history, script)\n`,
    )
    writeFileSync(
      bad,
      'apiVersion: mkctl.dev/v1\nkind: Lab\nmetadata: {name: bad}\ntasks:\n  - name: a\n    title: "{{ .who }}"\n    checks: [{exists: {resource: pods}}]\n',
    )
    const r2 = await mkctl(['lab', 'validate', bad])
    assert.deepEqual(r2, {
      stdout: '',
      stderr: `${bad}:6:12: tasks[0].title: undefined parameter "who" in template\n`,
      code: 1,
    })
  })

  it('lab grade reports JSON with the stable fields, the same with --jobs 1 and 2', async () => {
    const one = await mkctl(['lab', 'grade', EX, '--session', REF, '--session', WRONG, '--format', 'json'])
    assert.equal(one.code, 0, one.stderr)
    const two = await mkctl([
      'lab',
      'grade',
      EX,
      '--session',
      REF,
      '--session',
      WRONG,
      '--format',
      'json',
      '--jobs',
      '2',
    ])
    assert.equal(two.stdout, one.stdout)
    const report = JSON.parse(one.stdout)
    assert.deepEqual(
      report.sessions.map((s: any) => [
        s.session,
        s.score,
        s.maxScore,
        s.tasks.map((t: any) => [t.name, t.passed, t.points]),
      ]),
      [
        [
          'reference.session',
          8,
          8,
          [
            ['deploy', true, 3],
            ['upgrade', true, 2],
            ['config', true, 2],
            ['cleanup', true, 1],
          ],
        ],
        [
          'wrong.session',
          1,
          8,
          [
            ['deploy', false, 0],
            ['upgrade', false, 0],
            ['config', false, 1],
            ['cleanup', false, 0],
          ],
        ],
      ],
    )
    const failed = report.sessions[1].tasks.flatMap((t: any) =>
      t.checks.filter((c: any) => !c.passed).map((c: any) => c.message),
    )
    assert.deepEqual(failed, [
      'deployment "web" in namespace "shop" has 2 replicas, want 3',
      'deployment "web" in namespace "shop" was deleted and created again (2 lifetimes); change it in place instead',
      'configmap "web-config" says greeting=hi, want hello',
      'pod "debug" still exists in namespace "shop"',
    ])
    assert.deepEqual(report.summary.distribution, [
      {score: 1, sessions: 1},
      {score: 8, sessions: 1},
    ])
  })

  it('lab grade --out writes the report and one file per session', async () => {
    const out = join(home, 'out')
    const r = await mkctl(['lab', 'grade', EX, '--session', REF, '--format', 'csv', '--out', out])
    assert.deepEqual(r, {stdout: `graded 1 sessions: ${join(out, 'report.csv')}\n`, stderr: '', code: 0})
    assert.deepEqual(readdirSync(out).sort(), ['reference.csv', 'report.csv'])
    assert.equal(
      readFileSync(join(out, 'report.csv'), 'utf8'),
      'session,student,seed,score,maxScore,deploy,upgrade,config,cleanup,error\nreference.session,,42,8,8,3,2,2,1,\n',
    )
  })

  it('lab grade refuses bad flags and a missing lab', async () => {
    const fmt = await mkctl(['lab', 'grade', EX, '--session', REF, '--format', 'yaml'])
    assert.equal(fmt.code, 1)
    assert.match(fmt.stderr, /^error: --format must be one of text, json, junit, csv, not "yaml"\n/)
    const none = await mkctl(['lab', 'grade', EX])
    assert.equal(none.code, 1)
    assert.match(none.stderr, /give at least one --session FILE/)
    const missing = await mkctl(['lab', 'grade', join(home, 'nope.yaml'), '--session', REF])
    assert.equal(missing.code, 1)
    assert.equal(missing.stderr, `error: lab file not found: ${join(home, 'nope.yaml')}\n`)
  })
})
