import assert from 'node:assert/strict'
import {join} from 'node:path'
import {gradeSession, type SessionResult} from '../../src/lab/grader.js'
import {loadLab} from '../../src/lab/load.js'
import {readSession} from '../../src/lab/session.js'

const EX = join(import.meta.dirname, '..', '..', 'labs', 'examples', 'scale-web')

describe('lab/grader: the scale-web example', function () {
  this.timeout(120_000)
  const src = loadLab(join(EX, 'lab.yaml'))
  let ref: SessionResult
  let wrong: SessionResult

  before(async () => {
    ref = await gradeSession(src, readSession(join(EX, 'reference.session')))
    wrong = await gradeSession(src, readSession(join(EX, 'wrong.session')))
  })

  it('gives the reference session full marks', () => {
    assert.equal(ref.error, undefined)
    assert.deepEqual(
      ref.tasks.flatMap((t) => t.checks.filter((c) => !c.passed).map((c) => `${t.name}: ${c.message}`)),
      [],
    )
    assert.equal(ref.score, 8)
    assert.equal(ref.maxScore, 8)
    assert.deepEqual(ref.parameters, {ns: 'shop', replicas: 3})
    assert.ok(
      ref.commands.every((c) => c.exitCode === 0),
      JSON.stringify(ref.commands),
    )
  })

  it('takes from the wrong session exactly the points of its mistakes', () => {
    assert.equal(wrong.error, undefined)
    assert.deepEqual(
      wrong.tasks.map((t) => [t.name, t.points, t.checks.map((c) => c.passed)]),
      [
        ['deploy', 0, [false, true, true, true]],
        ['upgrade', 0, [true, false]],
        ['config', 1, [true, false]],
        ['cleanup', 0, [false, true]],
      ],
    )
    assert.equal(wrong.score, 1)
    assert.deepEqual(
      wrong.commands.filter((c) => c.exitCode !== 0).map((c) => [c.line, c.exitCode]),
      [
        [35, 2],
        [36, 1],
      ],
    )
  })
})
