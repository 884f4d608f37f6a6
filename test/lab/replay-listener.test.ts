// replay-listener.test.ts: the replay's plain-HTTP listener stands in for the token, so it must serve the
// in-process mkctl only — a connection from another process is closed before any request is read.
import assert from 'node:assert/strict'
import {execFile} from 'node:child_process'
import {promisify} from 'node:util'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {startReplayer, type Replayer} from '../../src/lab/replay.js'

describe('replay: the plain-HTTP listener', function () {
  this.timeout(60_000)
  let r: Replayer
  before(async () => {
    r = await startReplayer({seed: 1})
  })
  after(async () => r?.stop())

  it('serves the in-process mkctl and closes connections from other processes', async () => {
    const ok = await r.run(['get', 'namespaces', '-o', 'name'])
    assert.equal(ok.code, 0, ok.stderr)
    assert.match(ok.stdout, /namespace\/default/)
    const server = /server: (http:\/\/127\.0\.0\.1:\d+)/.exec(readFileSync(join(r.home, 'kubeconfig'), 'utf8'))![1]
    const probe = `require('node:http').get('${server}/api/v1/namespaces', (res) => { console.log('status', res.statusCode); process.exit(0) }).on('error', (e) => { console.log('error', e.code); process.exit(0) })`
    // Asynchronously: the listener lives on this process's event loop.
    const other = await promisify(execFile)(process.execPath, ['-e', probe], {encoding: 'utf8', timeout: 20_000})
    assert.match(other.stdout, /^error (ECONNRESET|EPIPE)/, other.stdout + other.stderr)
  })
})
