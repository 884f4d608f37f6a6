import assert from 'node:assert/strict'
import {levenshtein, normalizeFlags, prepass, suggestionsFor, unknownCommandMessage} from '../../src/cli/argv.js'

const IDS = ['get', 'set', 'config:view', 'config:use-context', 'rollout:status', 'version', 'help']

describe('argv prepass', () => {
  const cases: {name: string; argv: string[]; want: string[]; id?: string}[] = [
    {
      name: 'moves -n X after the verb',
      argv: ['-n', 'kube-system', 'get', 'pods'],
      want: ['get', '-n', 'kube-system', 'pods'],
      id: 'get',
    },
    {
      name: 'moves --namespace=X',
      argv: ['--namespace=x', 'get', 'po'],
      want: ['get', '--namespace=x', 'po'],
      id: 'get',
    },
    {
      name: 'moves flags after a two-word id',
      argv: ['--context', 'c', 'rollout', 'status', 'deploy/x'],
      want: ['rollout', 'status', '--context', 'c', 'deploy/x'],
      id: 'rollout:status',
    },
    {
      name: 'moves flags between id words',
      argv: ['config', '--kubeconfig', 'f', 'view'],
      want: ['config', 'view', '--kubeconfig', 'f'],
      id: 'config:view',
    },
    {
      name: 'keeps -v=6 and -s glued forms',
      argv: ['-v=6', '-shttp://x', 'version'],
      want: ['version', '-v=6', '-shttp://x'],
      id: 'version',
    },
    {
      name: 'boolean global takes no value',
      argv: ['--insecure-skip-tls-verify', 'get', 'pods'],
      want: ['get', '--insecure-skip-tls-verify', 'pods'],
      id: 'get',
    },
    {name: 'turns -h into --help', argv: ['get', '-h'], want: ['get', '--help'], id: 'get'},
    {name: 'leaves -h after -- alone', argv: ['get', '--', '-h'], want: ['get', '--', '-h'], id: 'get'},
    {
      name: 'leaves the argv alone without globals',
      argv: ['get', 'pods', '-n', 'x'],
      want: ['get', 'pods', '-n', 'x'],
      id: 'get',
    },
  ]
  for (const c of cases) {
    it(c.name, () => {
      const r = prepass(c.argv, IDS)
      assert.equal(r.error, undefined)
      assert.deepEqual(r.argv, c.want)
      assert.equal(r.id, c.id)
    })
  }

  it('reports an unknown command with cobra suggestions', () => {
    const r = prepass(['gett', 'pods'], IDS)
    assert.equal(r.error?.message, 'Error: unknown command "gett" for "mkctl"\n\nDid you mean this?\n\tset\n\tget\n\n')
    assert.equal(r.error?.exitCode, 1)
  })
  it("refuses flags before an unknown command, as kubectl's plugin handler does", () => {
    assert.equal(
      prepass(['--context=c', 'gett'], IDS).error?.message,
      'Error: flags cannot be placed before plugin name: --context=c\n',
    )
  })
  it('reports an unknown sub-command of a topic as kubectl does', () => {
    const r = prepass(['config', 'vew'], IDS)
    assert.equal(r.error?.message, `error: unknown command "vew"\nSee 'mkctl config -h' for help and examples\n`)
  })
  it('shows a topic when no sub-command is given', () => {
    const r = prepass(['config'], IDS)
    assert.equal(r.error, undefined)
    assert.equal(r.topic, 'config')
  })
  it('words a missing global flag value as pflag', () => {
    assert.equal(
      prepass(['-n'], IDS).error?.message,
      "Error: flag needs an argument: 'n' in -n\nSee 'mkctl --help' for usage.\n",
    )
    assert.equal(
      prepass(['--context'], IDS).error?.message,
      "Error: flag needs an argument: --context\nSee 'mkctl --help' for usage.\n",
    )
  })
  it('words an unknown leading flag as pflag', () => {
    assert.equal(
      prepass(['--foo', 'get'], IDS).error?.message,
      "Error: unknown flag: --foo\nSee 'mkctl --help' for usage.\n",
    )
    assert.equal(
      prepass(['-x', 'get'], IDS).error?.message,
      "Error: unknown shorthand flag: 'x' in -x\nSee 'mkctl --help' for usage.\n",
    )
  })
})

describe('suggestions', () => {
  it('uses Levenshtein distance 2 and prefixes, in kubectl order, without help', () => {
    assert.deepEqual(suggestionsFor('hel', ['help', 'get', 'set']), ['set', 'get'])
    assert.deepEqual(suggestionsFor('conf', ['config', 'get']), ['config'])
    assert.deepEqual(suggestionsFor('xyzzy', ['config', 'get']), [])
  })
  it('prints no suggestion block when nothing is close', () => {
    assert.equal(unknownCommandMessage('xyzzy', ['get']), 'Error: unknown command "xyzzy" for "mkctl"\n')
  })
  it('computes edit distances', () => {
    assert.equal(levenshtein('gett', 'get'), 1)
    assert.equal(levenshtein('kitten', 'sitting'), 3)
    assert.equal(levenshtein('', 'abc'), 3)
  })
})

describe('normalizeFlags', () => {
  const flags = [
    {name: 'client', type: 'boolean' as const},
    {name: 'output', char: 'o', type: 'option' as const},
    {name: 'verbs', type: 'option' as const, multiple: true},
  ]
  it('takes --bool=value out of argv (pflag ParseBool)', () => {
    assert.deepEqual(normalizeFlags(['--client=false', 'x'], flags), {argv: ['x'], booleans: {client: false}})
    assert.deepEqual(normalizeFlags(['--client=T'], flags), {argv: [], booleans: {client: true}})
  })
  it('rejects a bad boolean with pflag wording', () => {
    assert.throws(() => normalizeFlags(['--client=maybe'], flags), {
      message: 'invalid argument "maybe" for "--client" flag: strconv.ParseBool: parsing "maybe": invalid syntax',
    })
  })
  it('keeps the last of a repeated single-value flag', () => {
    assert.deepEqual(normalizeFlags(['-o', 'json', 'a', '--output=yaml', '-oname'], flags).argv, ['a', '-oname'])
    assert.deepEqual(normalizeFlags(['--verbs', 'get', '--verbs', 'list'], flags).argv, [
      '--verbs',
      'get',
      '--verbs',
      'list',
    ])
  })
  it('stops at --', () => {
    assert.deepEqual(normalizeFlags(['--', '--client=x'], flags).argv, ['--', '--client=x'])
  })
})
