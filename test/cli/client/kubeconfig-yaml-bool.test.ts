// kubeconfig-yaml-bool.test.ts checks that YAML 1.1 booleans (y, n, yes, no, on, off) in kubeconfig string fields
// fail to load with the encoding/json error kubectl 1.32 prints, and that with several bad fields the first in
// sorted-key order is reported (texts taken from kubectl runs on the same files).
import assert from 'node:assert/strict'
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {readKubeconfigFile} from '../../../src/cli/client/kubeconfig.js'

const base = (ctx: string, cluster = 'c', user = 'u', current = ctx) => `apiVersion: v1
kind: Config
clusters:
- cluster:
    server: https://127.0.0.1:6443
  name: ${cluster}
contexts:
- context:
    cluster: ${cluster}
    user: ${user}
  name: ${ctx}
current-context: ${current}
users:
- name: ${user}
  user:
    token: abc
`

describe('kubeconfig YAML 1.1 booleans', () => {
  let dir: string
  before(() => (dir = mkdtempSync(join(tmpdir(), 'kcfg-bool-'))))
  after(() => rmSync(dir, {recursive: true, force: true}))

  const cases: [string, string, string][] = [
    ['context named y', base('y', 'c', 'u', 'c0'), 'NamedContext.contexts.name of type string'],
    ['current-context yes', base('x', 'c', 'u', 'yes'), 'Config.current-context of type string'],
    ['cluster named on (name and context.cluster)', base('x', 'on'), 'NamedCluster.clusters.name of type string'],
    ['user named off', base('x', 'c', 'off'), 'Context.contexts.context.user of type string'],
    ['everything n', base('n', 'n', 'n', 'n'), 'NamedCluster.clusters.name of type string'],
  ]
  for (const [title, text, field] of cases) {
    it(`${title} is refused as kubectl refuses it`, async () => {
      const p = join(dir, 'config')
      writeFileSync(p, text)
      await assert.rejects(readKubeconfigFile(p), (e: Error) => {
        assert.equal(
          e.message,
          `error: error loading config file "${p}": json: cannot unmarshal bool into Go struct field ${field}`,
        )
        return true
      })
    })
  }

  it('reads quoted words as strings', async () => {
    const p = join(dir, 'config')
    writeFileSync(p, base('"y"', 'c', 'u', "'y'"))
    const cfg = await readKubeconfigFile(p)
    assert.equal(cfg?.['current-context'], 'y')
    assert.equal(cfg?.contexts?.[0]?.name, 'y')
  })
})
