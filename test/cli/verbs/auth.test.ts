// auth.test.ts compares `mkctl auth can-i` and `mkctl auth whoami` with kubectl 1.32's on twin daemons: answers and
// exit codes, warnings, --list's compacted and sorted rules, -o printers, and the usage errors.
import assert from 'node:assert/strict'
import {breakdownRule, compactRules, ruleString} from '../../../src/cli/options/auth.js'
import {startTwins, type Twins} from '../../helpers/differential.js'

describe('mkctl auth (differential)', function () {
  this.timeout(120000)
  let t: Twins
  before(async function () {
    t = await startTwins(this)
  })
  after(async () => t?.stop())

  const cases = [
    ['can-i', 'get', 'pods'],
    ['can-i', 'get', 'pods', '-A'],
    ['can-i', 'get', 'pods', '-q'],
    ['can-i', 'get', 'pods/log'],
    ['can-i', 'get', 'pods', '--subresource=log'],
    ['can-i', 'create', 'deployments.apps/web', '-n', 'kube-system'],
    ['can-i', 'get', 'nodes'],
    ['can-i', 'foo', 'podz'],
    ['can-i', 'list', 'users'],
    ['can-i', 'get', 'foo.bar'],
    ['can-i', '*', '*'],
    ['can-i', 'get', '/logs'],
    ['can-i', 'foo', '/logs'],
    ['can-i', '--list'],
    ['can-i', '--list', '--no-headers'],
    ['can-i', '--list', '-n', 'kube-system'],
    ['whoami'],
    ['whoami', '-o', 'json'],
    ['whoami', '-o', 'yaml'],
    ['whoami', '-o', 'name'],
    ['whoami', '-o', 'jsonpath={.status.userInfo.username}'],
  ]
  for (const args of cases) {
    it(`auth ${args.join(' ')}`, async () => {
      const r = await t.same(['auth', ...args])
      assert.equal(r.code, 0)
    })
  }

  const errors = [
    ['can-i', 'get'],
    ['can-i', 'get', 'pods', 'web'],
    ['can-i', '--list', 'pods'],
    ['can-i', '--list', '-A'],
    ['can-i', '--list', '-q'],
    ['can-i', 'get', 'pods', '--no-headers'],
    ['can-i', 'get', '/logs', '--subresource=x'],
    ['whoami', '-o', 'foo'],
    // bob has no role binding: RBAC answers no (exit 1), and the admin may impersonate him to ask
    ['can-i', 'get', 'pods', '--as=bob'],
  ]
  for (const args of errors) {
    it(`auth ${args.join(' ')} fails as kubectl does`, async () => {
      const r = await t.same(['auth', ...args])
      assert.equal(r.code, 1)
    })
  }
})

describe('can-i --list rule compaction', () => {
  it('breaks rules down, merges verbs of simple rules and sorts by the generated String()', () => {
    const rules = [
      {verbs: ['get', 'list'], apiGroups: [''], resources: ['pods']},
      {verbs: ['watch'], apiGroups: [''], resources: ['pods']},
      {verbs: ['get'], nonResourceURLs: ['/a', '/b']},
    ].flatMap(breakdownRule)
    const out = compactRules(rules)
    assert.deepEqual(
      out.map(ruleString).sort(),
      [
        '&PolicyRule{Verbs:[get list watch],APIGroups:[],Resources:[pods],ResourceNames:[],NonResourceURLs:[],}',
        '&PolicyRule{Verbs:[get],APIGroups:[],Resources:[],ResourceNames:[],NonResourceURLs:[/a],}',
        '&PolicyRule{Verbs:[get],APIGroups:[],Resources:[],ResourceNames:[],NonResourceURLs:[/b],}',
      ].sort(),
    )
  })
})
