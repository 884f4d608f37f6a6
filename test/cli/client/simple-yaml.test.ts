// simple-yaml.test.ts: the kubeconfig fast path must read exactly what the YAML library reads, or decline.
import assert from 'node:assert/strict'
import fc from 'fast-check'
import {parse} from 'yaml'
import {parseSimpleYaml} from '../../../src/cli/client/simple-yaml.js'
import {stringifyKubeconfig, type KubeConfig} from '../../../src/cli/client/kubeconfig.js'

const full = (text: string) => parse(text, {version: '1.1'})

describe('parseSimpleYaml', () => {
  const cases: [string, string][] = [
    ['mkctl kubeconfig', 'apiVersion: v1\nclusters:\n- cluster:\n    certificate-authority-data: QUJD\n    server: https://127.0.0.1:40219\n  name: mkctl\ncontexts:\n- context:\n    cluster: mkctl\n    namespace: default\n    user: mkctl\n  name: mkctl\ncurrent-context: mkctl\nkind: Config\npreferences: {}\nusers:\n- name: mkctl\n  user:\n    token: abc123\n'],
    ['indented sequences', 'clusters:\n  - name: a\n    cluster:\n      server: "https://x:1"\n'],
    ['quoted and typed scalars', "a: 'it''s'\nb: \"x\\ty\"\nc: yes\nd: 12\ne: ~\nf: []\ng: null\n"],
    ['empty document', ''],
    ['hex tokens that start with a digit', 'a: 8f3c2d1e\nc: 12abc\n'],
  ]
  for (const [name, text] of cases) {
    it(`reads ${name} as the YAML library does`, () => {
      assert.deepEqual(parseSimpleYaml(text), text === '' ? null : full(text))
    })
  }
  for (const text of ['a: 1 # comment\n', 'a: &x 1\nb: *x\n', 'a: |\n  text\n', 'a: {b: 1}\n', 'a: [1, 2]\n', 'a: 1.5\n', '---\na: 1\n', 'a:\n\tb: 1\n', 'a: b: c\n']) {
    it(`declines ${JSON.stringify(text)}`, () => assert.equal(parseSimpleYaml(text), undefined))
  }
  it('agrees with the YAML library on every kubeconfig mkctl writes (property)', async () => {
    // Names avoid a leading 'e': the YAML library reads `e0` as a float (NaN) where go-yaml keeps a string.
    const name = fc.stringMatching(/^[a-df-z][a-z0-9-]{0,12}$/)
    const value = fc.oneof(fc.stringMatching(/^[ -~]{0,20}$/), fc.constantFrom('yes', 'no', '1', '0777', 'null', '~', '- x', 'a: b', '#x', ' lead', 'trail '))
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(name, value, value), {minLength: 1, maxLength: 3}), async (entries) => {
        const cfg: KubeConfig = {
          kind: 'Config',
          apiVersion: 'v1',
          preferences: {},
          clusters: entries.map(([n, server]) => ({name: n, cluster: {server}})),
          users: entries.map(([n, , token]) => ({name: n, user: {token}})),
          contexts: entries.map(([n]) => ({name: n, context: {cluster: n, user: n, namespace: 'default'}})),
          'current-context': entries[0]![0],
        }
        const text = await stringifyKubeconfig(cfg)
        const fast = parseSimpleYaml(text)
        if (fast !== undefined) assert.deepEqual(fast, full(text))
      }),
      {numRuns: 60, seed: 42},
    )
  })
})
