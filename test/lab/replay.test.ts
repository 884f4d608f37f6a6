import assert from 'node:assert/strict'
import {startReplayer, type Replayer} from '../../src/lab/replay.js'

describe('lab/replay', function () {
  this.timeout(60_000)
  let r: Replayer
  before(async () => {
    r = await startReplayer({seed: 1})
  })
  after(async () => {
    await r?.stop()
  })

  it('runs mkctl commands in-process against a fresh cluster', async () => {
    const env = process.env.KUBECONFIG
    const res = await r.run(['get', 'nodes'])
    assert.equal(res.code, 0, res.stderr)
    assert.match(res.stdout, /^NAME\s+STATUS/)
    assert.equal(process.env.KUBECONFIG, env)
  })

  it('feeds stdin and reports failures with their exit code', async () => {
    const cm = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c1}\ndata: {a: "1"}\n'
    const ok = await r.run(['apply', '-f', '-'], cm)
    assert.equal(ok.code, 0, ok.stderr)
    assert.equal(ok.stdout, 'configmap/c1 created\n')
    const nf = await r.run(['get', 'configmap', 'nope'])
    assert.equal(nf.code, 1)
    assert.equal(nf.stderr, 'Error from server (NotFound): configmaps "nope" not found\n')
    const unknown = await r.run(['frobnicate', 'x'])
    assert.equal(unknown.code, 1)
  })
})
