// replay-cluster.test.ts: a replayed session may use the cluster commands that act on a running cluster (addons,
// the clock, service URLs), but never those that would start, stop or hold the grader's own process.
import assert from 'node:assert/strict'
import {refusedInReplay, startReplayer, type Replayer} from '../../src/lab/replay.js'

describe('lab replay: cluster commands', function () {
  this.timeout(60_000)
  let r: Replayer
  before(async () => {
    r = await startReplayer({seed: 1})
  })
  after(async () => r?.stop())

  it('enables the ingress addon and advances the clock of the replay cluster', async () => {
    const en = await r.run(['cluster', 'addons', 'enable', 'ingress'])
    assert.equal(en.code, 0, en.stderr)
    assert.match(en.stdout, /The 'ingress' addon is enabled/)
    const t0 = r.clock.now()
    const adv = await r.run(['cluster', 'time', 'advance', '1m'])
    assert.equal(adv.code, 0, adv.stderr)
    assert.ok(r.clock.now() - t0 >= 60_000)
    const pods = await r.run(['get', 'pods', '-n', 'ingress-nginx', '--no-headers'])
    assert.match(pods.stdout, /ingress-nginx-controller-\S+\s+1\/1\s+Running/)
  })

  it('refuses cluster start, stop and delete', async () => {
    for (const v of ['start', 'stop', 'delete']) {
      const out = await r.run(['cluster', v])
      assert.deepEqual(out, {
        code: 1,
        stdout: '',
        stderr: `error: mkctl cluster ${v} is not available when a session is replayed\n`,
      })
    }
    assert.equal(refusedInReplay(['cluster', 'addons', 'list']), undefined)
  })
})
