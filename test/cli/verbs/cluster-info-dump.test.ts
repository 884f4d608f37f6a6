// cluster-info-dump.test.ts compares `mkctl cluster-info dump` with kubectl 1.32's on twin daemons: the lists as
// parsed JSON and the container logs byte for byte; errors, -o jsonpath and the directory layout exactly. The typed
// printing of the lists (Go struct field order, canonical quantities) is compared byte for byte in typed-order.test.ts.
import assert from 'node:assert/strict'
import {mkdtempSync, readdirSync, readFileSync, rmSync, statSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {startTwins, type Twins} from '../../helpers/differential.js'

// splitDump separates the JSON documents (parsed) from the log sections (text) of a stdout dump
function splitDump(s: string): {docs: unknown[]; logs: string} {
  const json: string[] = []
  const logs: string[] = []
  let inLog = false
  for (const line of s.split('\n')) {
    if (line.startsWith('==== START logs')) inLog = true
    ;(inLog ? logs : json).push(line)
    if (line.startsWith('==== END logs')) inLog = false
  }
  const docs = json
    .join('\n')
    .split(/\n(?=\{\n)/)
    .filter((d) => d.trim())
    .map((d) => JSON.parse(d) as unknown)
  return {docs, logs: logs.join('\n')}
}

function walk(dir: string, base = ''): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((n) => (statSync(join(dir, n)).isDirectory() ? walk(join(dir, n), `${base}${n}/`) : [`${base}${n}`]))
}

describe('mkctl cluster-info dump (differential)', function () {
  this.timeout(120000)
  let t: Twins
  before(async function () {
    t = await startTwins(this)
    await t.setup(['create', 'deployment', 'web', '--image=nginx'])
  })
  after(async () => t?.stop())

  for (const args of [[], ['-A'], ['--namespaces', 'default'], ['--namespaces=default,kube-system']]) {
    it(`dump ${args.join(' ')} lists the same objects and logs`, async () => {
      const r = await t.both(['cluster-info', 'dump', ...args])
      assert.equal(r.mkctl.code, 0)
      assert.equal(r.mkctl.stderr, r.kubectl.stderr)
      const k = splitDump(r.kubectl.stdout)
      const m = splitDump(r.mkctl.stdout)
      assert.equal(m.logs, k.logs)
      assert.equal(m.docs.length, k.docs.length)
      assert.deepEqual(
        m.docs.map((d) => (d as {kind: string}).kind),
        k.docs.map((d) => (d as {kind: string}).kind),
      )
    })
  }

  it('-o jsonpath and the errors match exactly', async () => {
    await t.same(['cluster-info', 'dump', '-o', 'jsonpath={.kind}{"\\n"}'])
    assert.equal((await t.same(['cluster-info', 'dump', '-o', 'name'])).code, 1)
    assert.equal((await t.same(['cluster-info', 'dump', '-o', 'foo'])).code, 1)
    assert.equal((await t.same(['cluster-info', 'dump', '--bogus'])).code, 1)
  })

  it('--output-directory writes the same files', async () => {
    const dk = mkdtempSync(join(tmpdir(), 'dump-k-'))
    const dm = mkdtempSync(join(tmpdir(), 'dump-m-'))
    try {
      const k = await t.k.kubectl(['cluster-info', 'dump', `--output-directory=${dk}`])
      const m = await t.m.mkctl(['cluster-info', 'dump', `--output-directory=${dm}`])
      assert.equal(m.stdout.replace(dm, 'DIR'), k.stdout.replace(dk, 'DIR'))
      const files = walk(dk)
      assert.deepEqual(walk(dm), files)
      for (const f of files.filter((x) => x.endsWith('logs.txt'))) {
        assert.equal(readFileSync(join(dm, f), 'utf8'), readFileSync(join(dk, f), 'utf8'), f)
      }
    } finally {
      rmSync(dk, {recursive: true, force: true})
      rmSync(dm, {recursive: true, force: true})
    }
  })
})
