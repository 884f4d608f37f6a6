// run-attach.test.ts compares `mkctl run --attach / -i / --rm` with the real kubectl on twin daemons: the wait for
// the pod, the attached output, the exit code of --restart=Never pods and the deletion of --rm.
import assert from 'node:assert/strict'
import {normalize, startTwins, type RunOpts, type Twins} from '../../helpers/differential.js'
import {ticking} from '../../helpers/pty.js'
import type {RunResult} from '../../helpers/daemon.js'

const HINT = "If you don't see a command prompt, try pressing enter.\n"

// sameAttached compares both clients like t.same, without the two lines whose presence depends on timing (for the
// real kubectl too): the prompt hint, printed when the attach finds the container still running, and the
// fall-back-to-logs warning, printed when it has just ended. How far the ticking clocks got decides which.
async function sameAttached(t: Twins, args: string[], opts: RunOpts = {}): Promise<RunResult> {
  const r = await t.both(args, opts)
  const strip = (x: RunResult) => ({
    ...x,
    stderr: x.stderr
      .replace(HINT, '')
      .replace(/^warning: couldn't attach to pod\/\S+, falling back to streaming logs: .*\n/m, ''),
  })
  const want = strip(normalize(r.kubectl, 'kubectl'))
  const got = strip(normalize(r.mkctl, 'mkctl'))
  assert.deepEqual(got, want, `mkctl ${args.join(' ')}`)
  return got
}

describe('run --attach/-i/--rm (differential)', function () {
  let t: Twins
  before(async function () {
    this.timeout(60_000)
    t = await startTwins(this)
  })
  after(async () => t?.stop())

  it('attaches, passes on the exit code and deletes with --rm', async function () {
    this.timeout(90_000)
    const r1 = await ticking(t, () =>
      sameAttached(t, ['run', 'once', '--image=busybox', '--restart=Never', '--attach', '--', 'echo', 'hi']),
    )
    assert.equal(r1.stdout, 'hi\n')
    await t.same(['get', 'pod', 'once', '-o', 'jsonpath={.status.phase}'])
    const r2 = await ticking(t, () =>
      sameAttached(t, ['run', 'rmme', '--image=busybox', '--restart=Never', '--rm', '-i', '--', 'echo', 'bye'], {
        input: '',
      }),
    )
    assert.equal(r2.stdout, 'bye\npod "rmme" deleted\n')
    await t.same(['get', 'pod', 'rmme'])
    const r3 = await ticking(t, () =>
      sameAttached(t, [
        'run',
        'fail',
        '--image=busybox',
        '--restart=Never',
        '--attach',
        '--',
        'sh',
        '-c',
        'echo out; exit 3',
      ]),
    )
    assert.equal(r3.code, 3)
  })

  it('checks --rm and --dry-run against attaching', async () => {
    await t.same(['run', 'x', '--image=busybox', '--rm'])
    await t.same(['run', 'x', '--image=busybox', '-i', '--dry-run=client'])
    const r = await t.same(['run', 'x', '--image=busybox', '-t'])
    assert.notEqual(r.code, 0)
  })
})
