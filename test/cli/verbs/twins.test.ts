// twins.test.ts checks the differential harness itself: both daemons answer alike, and a difference is caught.
import assert from 'node:assert/strict'
import {startTwins, type Twins} from '../../helpers/differential.js'

describe('differential twins', function () {
  let t: Twins
  before(async function () {
    t = await startTwins(this)
  })
  after(async () => t?.stop())

  it('gives both clients the same answers', async () => {
    await t.setup(['create', 'namespace', 'team-a'])
    await t.same(['get', 'namespace', 'team-a', '-o', 'yaml'])
    await t.same(['get', 'pods', '-A'])
  })

  it('catches a difference', async () => {
    await t.k.kubectl(['create', 'namespace', 'only-on-k'])
    await assert.rejects(t.same(['get', 'namespace', 'only-on-k']))
  })
})
