import assert from 'node:assert/strict'
import {join} from 'node:path'
import {gradeFiles} from '../../src/lab/batch.js'
import {formatReport} from '../../src/lab/report.js'

const EX = join(import.meta.dirname, '..', '..', 'labs', 'examples', 'scale-web')
const LAB = join(EX, 'lab.yaml')
const SESSIONS = [join(EX, 'reference.session'), join(EX, 'wrong.session'), join(EX, 'missing.session')]

describe('lab/batch', function () {
  this.timeout(180_000)

  it('gives byte-identical reports across runs and across --jobs 1 and 2', async () => {
    const one = await gradeFiles(LAB, SESSIONS, {jobs: 1})
    const again = await gradeFiles(LAB, SESSIONS, {jobs: 1})
    const two = await gradeFiles(LAB, SESSIONS, {jobs: 2})
    const json = formatReport(one, 'json')
    assert.equal(formatReport(again, 'json'), json)
    assert.equal(formatReport(two, 'json'), json)
    for (const f of ['text', 'junit', 'csv'] as const) assert.equal(formatReport(two, f), formatReport(one, f))
    assert.deepEqual(
      one.sessions.map((s) => [s.session, s.score, s.maxScore]),
      [
        ['reference.session', 8, 8],
        ['wrong.session', 1, 8],
        ['missing.session', 0, 8],
      ],
    )
    assert.match(one.sessions[2].error ?? '', /session file not found/)
    assert.deepEqual(one.summary.distribution, [
      {score: 0, sessions: 1},
      {score: 1, sessions: 1},
      {score: 8, sessions: 1},
    ])
  })
})
