// fuzz-cli.test.ts — property-based fuzzing of the CLI's inputs (issue 7 §1): kubeconfig files (random and
// mutated YAML through loadKubeconfig and resolveContext, with odd --context/--server/--token flags) and argv (the
// kubectl-style pre-pass and flag normalisation in-process, plus a few spawned runs of the built CLI against an
// in-process daemon). Properties: a bad kubeconfig or argv ends in a kubectl-style error (checkErr's text starts with
// `error: `, `Error: `, `Error in configuration` or `Error from server`, exit code non-zero) and never in a
// JavaScript TypeError/RangeError; nothing raises an unhandled rejection.
import assert from 'node:assert/strict'
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import fc from 'fast-check'
import {stringify as toYaml} from 'yaml'
import {GLOBAL_FLAGS, normalizeFlags, prepass, type FlagShape} from '../../src/cli/argv.js'
import {loadKubeconfig, resolveContext} from '../../src/cli/client/kubeconfig.js'
import {checkErr} from '../../src/cli/errors.js'
import {ensureBuilt} from '../helpers/build.js'
import {startTestDaemon, type TestDaemon} from '../helpers/daemon.js'
import {check, installTripwire, oddString, oddValue, runs, seedFor, setPath, type Tripwire} from '../helpers/fuzz.js'

const SEED = seedFor(7005)
const KUBECONFIG_RUNS = runs(800)
const ARGV_RUNS = runs(3000)
const INPROCESS_RUNS = runs(8)

// `explain` of an unknown type prints the server's words with no "error: " before them, as kubectl 1.32 does.
const KUBECTL_ERROR =
  /^(error: |Error: |Error in configuration|Error from server|The connection to the server|Unable to connect|You must specify the type of resource to get\. |the server doesn't have a resource type )/

const VALID = {
  apiVersion: 'v1',
  kind: 'Config',
  clusters: [{name: 'c', cluster: {server: 'https://127.0.0.1:6443', 'certificate-authority-data': 'Y2E='}}],
  users: [{name: 'u', user: {token: 't'}}],
  contexts: [{name: 'x', context: {cluster: 'c', user: 'u', namespace: 'ns'}}],
  'current-context': 'x',
}

const KC_PATHS = [
  ['clusters'],
  ['clusters', '0'],
  ['clusters', '0', 'name'],
  ['clusters', '0', 'cluster'],
  ['clusters', '0', 'cluster', 'server'],
  ['clusters', '0', 'cluster', 'certificate-authority-data'],
  ['clusters', '0', 'cluster', 'certificate-authority'],
  ['clusters', '0', 'cluster', 'insecure-skip-tls-verify'],
  ['clusters', '0', 'cluster', 'tls-server-name'],
  ['users', '0', 'user'],
  ['users', '0', 'user', 'token'],
  ['users', '0', 'user', 'tokenFile'],
  ['users', '0', 'user', 'client-certificate'],
  ['users', '0', 'user', 'client-key-data'],
  ['users', '0', 'user', 'username'],
  ['contexts', '0', 'context'],
  ['contexts', '0', 'context', 'cluster'],
  ['contexts', '0', 'context', 'namespace'],
  ['contexts', '0', 'name'],
  ['current-context'],
  ['preferences'],
  ['extensions'],
]

const kubeconfigText: fc.Arbitrary<string> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc
      .array(fc.tuple(fc.nat({max: KC_PATHS.length - 1}), oddValue()), {minLength: 1, maxLength: 4})
      .map((edits) => toYaml(edits.reduce((o, [p, v]) => setPath(o, KC_PATHS[p], v), VALID as any))),
  },
  fc.string({maxLength: 200}),
  fc.constantFrom('', ':', '- a\n- b', 'a: [', '{{', '\t- x', 'clusters: 5', 'users: {a: 1}', '!!binary x', '&a [*a]'),
  fc
    .array(
      fc.constantFrom(
        'apiVersion: v1\n',
        'clusters:\n',
        '- name: a\n',
        '  cluster: {server: 1}\n',
        'current-context: a\n',
        'contexts: []\n',
      ),
      {maxLength: 6},
    )
    .map((l) => l.join('')),
)

/** A small flag table for normalizeFlags, shaped like kubectl get's. */
const FLAGS: FlagShape[] = [
  {name: 'output', char: 'o', type: 'option'},
  {name: 'selector', char: 'l', type: 'option'},
  {name: 'all-namespaces', char: 'A', type: 'boolean'},
  {name: 'watch', char: 'w', type: 'boolean'},
  {name: 'filename', char: 'f', type: 'option', multiple: true},
]

const token = fc.oneof(
  fc.constantFrom(
    'get',
    'pods',
    'create',
    'configmap',
    'config',
    'view',
    'rollout',
    'status',
    'cluster',
    'frob',
    '--',
    '-',
    '-h',
    '--help',
  ),
  fc.constantFrom(...GLOBAL_FLAGS.flatMap((g) => [`--${g.name}`, ...(g.char ? [`-${g.char}`] : [])])),
  fc.constantFrom(
    '-o',
    '-o=json',
    '-ojson',
    '--output=yaml',
    '-l',
    '-A',
    '-A=false',
    '--all-namespaces=maybe',
    '-w=t',
    '-f',
    '--watch=1',
  ),
  oddString(),
)

const IDS = [
  'get',
  'create',
  'create:configmap',
  'config:view',
  'config:use-context',
  'rollout:status',
  'version',
  'apply',
]

describe('fuzz: CLI inputs (kubeconfig files and argv)', function () {
  this.timeout(120_000)
  let trip: Tripwire
  let dir: string

  before(() => {
    trip = installTripwire()
    dir = mkdtempSync(join(tmpdir(), 'mkctl-fuzz-cli-'))
  })
  after(() => {
    trip?.remove()
    rmSync(dir, {recursive: true, force: true})
  })

  it(`${KUBECONFIG_RUNS} kubeconfig files: a context or a kubectl-style error`, async () => {
    const file = join(dir, 'kubeconfig')
    await check(
      'fuzz-kubeconfig',
      fc.asyncProperty(
        kubeconfigText,
        fc.record({context: fc.option(oddString()), server: fc.option(oddString()), token: fc.option(oddString())}),
        async (text, f) => {
          writeFileSync(file, text)
          const flags = {
            kubeconfig: file,
            ...(f.context === null ? {} : {context: f.context}),
            ...(f.server === null ? {} : {server: f.server}),
            ...(f.token === null ? {} : {token: f.token}),
          }
          try {
            const loaded = await loadKubeconfig(flags, {env: {}, strict: true})
            const ctx = resolveContext(loaded, flags)
            assert.equal(typeof ctx.server, 'string')
            assert.equal(typeof ctx.namespace, 'string')
          } catch (e) {
            assert.ok(
              !(e instanceof TypeError || e instanceof RangeError),
              `JS error for:\n${text}\n${(e as Error).stack}`,
            )
            const rep = checkErr(e)
            assert.match(rep.message, KUBECTL_ERROR, `for:\n${text}`)
            assert.ok(rep.exitCode !== 0)
          }
        },
      ),
      SEED,
      KUBECONFIG_RUNS,
    )
    trip.assertClean()
  })

  it(`${ARGV_RUNS} argv: the pre-pass and flag normalisation give an argv or a kubectl-style error`, async () => {
    await check(
      'fuzz-argv',
      fc.property(fc.array(token, {maxLength: 8}), (argv) => {
        const pre = prepass(argv, IDS)
        if (pre.error) {
          assert.match(pre.error.message, KUBECTL_ERROR, JSON.stringify(argv))
          assert.ok(pre.error.exitCode !== 0)
          return
        }
        assert.ok(Array.isArray(pre.argv))
        // Nothing is lost: the pre-pass reorders, it does not drop (bar -h → --help).
        assert.equal(pre.argv.length, argv.length, JSON.stringify(argv))
        try {
          const n = normalizeFlags(pre.argv, FLAGS)
          assert.ok(Array.isArray(n.argv))
        } catch (e) {
          assert.ok(
            !(e instanceof TypeError || e instanceof RangeError),
            `${JSON.stringify(argv)}: ${(e as Error).stack}`,
          )
          assert.match(checkErr(e).message, /^error: invalid argument /, JSON.stringify(argv))
        }
      }),
      SEED,
      ARGV_RUNS,
    )
    trip.assertClean()
  })

  describe('whole runs of the built CLI (spawned: the bundle ends its process itself)', function () {
    let td: TestDaemon

    before(async function () {
      this.timeout(180_000)
      ensureBuilt()
      td = await startTestDaemon({controllers: false})
    })
    after(async () => {
      await td?.stop()
    })

    it(`${INPROCESS_RUNS} argv: exit 0, or a kubectl-style error and a non-zero exit`, async () => {
      const verb = fc.constantFrom(
        ['get'],
        ['get', 'configmaps'],
        ['describe', 'nodes'],
        ['create', 'configmap'],
        ['label', 'ns', 'default'],
        ['explain'],
        ['version'],
        ['api-resources'],
      )
      const extra = fc.array(
        fc.oneof(
          fc.constantFrom(
            '-o',
            'jsonpath={.items[*',
            '-o=wide',
            '-l',
            '(((',
            '--field-selector',
            'a=b=c',
            '-n',
            'NS!',
            '--bogus',
            '-A',
            '--request-timeout=zz',
            '--from-literal=a',
            '--dry-run=bogus',
            'x=y',
            '--chunk-size=-5',
          ),
          oddString().filter((t) => !t.includes('\u0000')),
        ),
        {maxLength: 4},
      )
      await check(
        'fuzz-cli-runs',
        fc.asyncProperty(verb, extra, async (v, x) => {
          const argv = [...v, ...x]
          const r = await td.mkctl(argv)
          if (r.code !== 0) {
            // klog lines (E1126 ...) may come first, as with kubectl.
            const first = r.stderr.split('\n').find((l) => l && !/^[EWI]\d{4} /.test(l)) ?? ''
            assert.match(first, KUBECTL_ERROR, `${JSON.stringify(argv)} → ${r.code}\n${r.stderr}`)
          }
          assert.doesNotMatch(r.stderr, /TypeError|RangeError|at .*\.cjs:\d+/, `${JSON.stringify(argv)}\n${r.stderr}`)
        }),
        SEED,
        INPROCESS_RUNS,
      )
      trip.assertClean()
    })
  })
})
