import assert from 'node:assert/strict'
import {join} from 'node:path'
import {ensureBuilt} from '../helpers/build.js'
import {kubectlAvailable, run as runCmd} from '../helpers/daemon.js'
import {normalize} from '../helpers/differential.js'
import {
  invalid,
  fieldInvalid,
  fieldRequired,
  notFound,
  statusError,
  StatusError,
  unauthorized,
} from '../../src/api/errors.js'
import {
  checkErr,
  ConnectionError,
  FlagParseError,
  MultiError,
  NoResourceMatchError,
  RawError,
  rewriteParseError,
  UsageError,
} from '../../src/cli/errors.js'

describe('checkErr', () => {
  const refused = Object.assign(new Error('dial tcp 127.0.0.1:1: connect: connection refused'), {code: 'ECONNREFUSED'})
  const cases: {name: string; err: unknown; want: string}[] = [
    {
      name: 'NotFound',
      err: notFound({group: 'apps', plural: 'deployments'}, 'web'),
      want: 'Error from server (NotFound): deployments.apps "web" not found\n',
    },
    {name: 'no reason', err: statusError(500, '', 'boom'), want: 'Error from server: boom\n'},
    {name: 'Unauthorized', err: unauthorized(), want: 'error: You must be logged in to the server (Unauthorized)\n'},
    {
      name: 'Invalid with one cause',
      err: invalid('Deployment', 'apps', 'web', [
        fieldInvalid('spec.replicas', -1, 'must be greater than or equal to 0'),
      ]),
      want: 'The Deployment "web" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0\n',
    },
    {
      name: 'Invalid without details (the server message follows)',
      err: statusError(422, 'Invalid', 'the patch is broken'),
      want: 'The request is invalid: the patch is broken\n',
    },
    {
      name: 'Invalid with causes but no kind or name',
      err: new StatusError({
        kind: 'Status',
        apiVersion: 'v1',
        status: 'Failure',
        code: 422,
        reason: 'Invalid',
        message: 'x',
        details: {causes: [{message: 'test operation does not apply'}]},
      } as never),
      want: 'The request is invalid: : test operation does not apply\n',
    },
    {
      name: 'Invalid with several causes',
      err: invalid('Pod', '', 'p', [
        fieldRequired('spec.containers'),
        fieldRequired('spec.containers'),
        fieldInvalid('metadata.name', 'A', 'bad'),
      ]),
      want: 'The Pod "p" is invalid: \n* spec.containers: Required value\n* metadata.name: Invalid value: "A": bad\n',
    },
    {
      name: 'Invalid without causes',
      err: statusError(422, 'Invalid', 'x', {kind: 'Pod', name: 'p'}),
      want: 'The Pod "p" is invalid\n',
    },
    {
      name: 'connection refused',
      err: new ConnectionError('https://127.0.0.1:1/api?timeout=32s', 'GET', refused),
      want: 'The connection to the server 127.0.0.1:1 was refused - did you specify the right host or port?\n',
    },
    {
      name: 'other transport error',
      err: new ConnectionError('https://h:1/api', 'GET', new Error('tls: bad')),
      want: 'Unable to connect to the server: tls: bad\n',
    },
    {
      name: 'discovery miss',
      err: new NoResourceMatchError('foos'),
      want: 'error: the server doesn\'t have a resource type "foos"\n',
    },
    {name: 'plain error', err: new Error('current-context is not set'), want: 'error: current-context is not set\n'},
    {name: 'already prefixed', err: new Error('error: x'), want: 'error: x\n'},
    {
      name: 'usage error',
      err: new UsageError('unexpected arguments: [a]', 'mkctl config view'),
      want: "error: unexpected arguments: [a]\nSee 'mkctl config view -h' for help and examples\n",
    },
    {
      name: 'flag parse error',
      err: new FlagParseError('unknown flag: --foo', 'mkctl get'),
      want: "Error: unknown flag: --foo\nSee 'mkctl get --help' for usage.\n",
    },
    {
      name: 'raw error',
      err: new RawError('Error in configuration: context was not found for specified context: x'),
      want: 'Error in configuration: context was not found for specified context: x\n',
    },
    {
      name: 'aggregate',
      err: new MultiError([notFound({group: '', plural: 'pods'}, 'a'), notFound({group: '', plural: 'pods'}, 'b')]),
      want: 'Error from server (NotFound): pods "a" not found\nError from server (NotFound): pods "b" not found\n',
    },
    {name: 'silent exit', err: new RawError(''), want: ''},
  ]
  for (const c of cases) {
    it(c.name, () => {
      const r = checkErr(c.err)
      assert.equal(r.message, c.want)
      assert.equal(r.exitCode, 1)
    })
  }
})

describe('rewriteParseError', () => {
  class NonExistentFlagsError extends Error {
    constructor(readonly flags: string[]) {
      super('Nonexistent flag')
    }
  }
  const specs = [
    {name: 'namespace', char: 'n'},
    {name: 'output', char: 'o'},
  ]
  it('rewrites unknown long and short flags', () => {
    assert.equal(
      rewriteParseError(new NonExistentFlagsError(['--foo=bar']), [], specs, 'mkctl get')?.message,
      'unknown flag: --foo',
    )
    assert.equal(
      rewriteParseError(new NonExistentFlagsError(['-xyz']), [], specs, 'mkctl get')?.message,
      "unknown shorthand flag: 'x' in -xyz",
    )
  })
  it('names a missing value the way it was typed', () => {
    const e = new Error('Flag --namespace expects a value')
    assert.equal(rewriteParseError(e, ['pods', '-n'], specs, 'mkctl get')?.message, "flag needs an argument: 'n' in -n")
    assert.equal(
      rewriteParseError(e, ['pods', '--namespace'], specs, 'mkctl get')?.message,
      'flag needs an argument: --namespace',
    )
  })
  it('leaves other errors alone', () => {
    assert.equal(rewriteParseError(new Error('boom'), [], specs, 'mkctl get'), undefined)
  })
})

describe('misuse errors against the real kubectl', function () {
  // kubectl prints its own binary name; mkctl prints "mkctl" (the differential normalises kubectl → mkctl)
  const env = {KUBECONFIG: '/dev/null', MKCTL_AUTOSTART: '0'}
  const root = join(import.meta.dirname, '..', '..')
  before(function () {
    this.timeout(180_000)
    if (!kubectlAvailable()) this.skip()
    ensureBuilt()
  })
  const cases = [
    ['gett', 'pods'],
    ['get', '--foo'],
    ['get', '-Z'],
    ['confg'],
    ['config', 'vew'],
    ['xyzzy'],
    ['rollout', 'bogus', 'deploy/web', '-n', 'default'],
    ['delete', 'pod', 'x', '--grace-period=abc'],
    ['create', 'deployment', 'web', '--image=nginx', '--replicas=x'],
  ]
  for (const args of cases) {
    it(`mkctl ${args.join(' ')} fails as kubectl does`, async () => {
      const [k, m] = await Promise.all([
        runCmd('kubectl', args, {env}),
        runCmd(process.execPath, [join(root, 'bin', 'mkctl.js'), ...args], {env}),
      ])
      assert.deepEqual(normalize(m, 'mkctl'), normalize(k, 'kubectl'))
      assert.equal(m.code, 1)
    })
  }

  it('refuses kustomize with a hint, exit 1', async () => {
    for (const args of [
      ['kustomize', 'overlays/dev'],
      ['apply', '-k', 'overlays/dev'],
      ['get', '--kustomize=overlays/dev'],
    ]) {
      const m = await runCmd(process.execPath, [join(root, 'bin', 'mkctl.js'), ...args], {env})
      assert.equal(m.code, 1, args.join(' '))
      assert.equal(
        m.stderr,
        'error: mkctl does not support kustomize; build the manifests with kubectl and pipe them in: kubectl kustomize overlays/dev | mkctl apply -f -\n',
      )
    }
  })
})
