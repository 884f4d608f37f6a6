// interactive.test.ts drives `run -it -- sh` and `debug -it` through a pty with the real kubectl and mkctl on twin
// daemons: a shell run as a container's process with stdin open waits for the attached terminal, leaving it ends
// the container with the shell's exit code, and the closing notes (pod deleted, terminated (Error), Session ended)
// are kubectl's.
import assert from 'node:assert/strict'
import {join} from 'node:path'
import {startTwins, type Twins} from '../../helpers/differential.js'
import {hasScript, ptyRun, ticking, type PtyStep} from '../../helpers/pty.js'

const ROOT = join(import.meta.dirname, '..', '..', '..')
const HINT = /try pressing enter\.\r\n/

describe('run -it and debug -it (pty, differential)', function () {
  this.timeout(180_000)
  let t: Twins
  before(async function () {
    if (!hasScript()) this.skip()
    t = await startTwins(this)
    await t.setup(['run', 'web', '--image=nginx'])
    await t.advance(5000)
  })
  after(async () => t?.stop())

  /** both runs args interactively with kubectl and with mkctl; outputs are compared with mkctl's name for kubectl. */
  async function both(args: string, steps: PtyStep[]) {
    const k = await ticking(t, () => ptyRun(`kubectl --kubeconfig ${t.k.kubeconfig} ${args}`, {HOME: t.k.home}, steps))
    const m = await ticking(t, () =>
      ptyRun(
        `${process.execPath} ${join(ROOT, 'bin', 'mkctl.js')} ${args}`,
        {KUBECONFIG: t.m.kubeconfig, MKCTL_HOME: t.m.home, MKCTL_AUTOSTART: '0', HOME: t.m.home},
        steps,
      ),
    )
    // kubectl names itself in its notes; debug container names are random on the client side.
    const norm = (s: string) =>
      s.replace(/'kubectl attach/g, "'mkctl attach").replace(/debugger-[a-z0-9]{5}/g, 'debugger-*')
    return {k: {...k, out: norm(k.out)}, m: {...m, out: norm(m.out)}}
  }

  it('run -it --rm -- sh: a shell on the terminal; `exit 3` ends the pod as Error and run exits 3', async () => {
    const {k, m} = await both('run -it sh1 --image=busybox --restart=Never --rm -- sh', [
      {after: HINT, type: 'echo hello; hostname\r'},
      {after: /sh1\r\n\/ # $/, type: 'exit 3\r'},
    ])
    assert.equal(
      k.out,
      "If you don't see a command prompt, try pressing enter.\r\n" +
        'echo hello; hostname\r\nhello\r\nsh1\r\n/ # exit 3\r\npod "sh1" deleted\r\npod default/sh1 terminated (Error)\r\n',
    )
    assert.deepEqual(m, k)
    assert.equal(m.code, 3)
    await t.same(['get', 'pod', 'sh1'])
  })

  it('run -it -- sh with restartPolicy Always: leaving the shell says how to resume', async () => {
    const {k, m} = await both('run -it loop --image=busybox -- sh', [{after: HINT, type: 'exit\r'}])
    assert.match(k.out, /Session ended, resume using 'mkctl attach loop -c loop -i -t' command when the pod is running/)
    assert.deepEqual(m, k)
  })

  it('debug -it: an ephemeral shell beside the pod; leaving it ends the ephemeral container', async () => {
    const {k, m} = await both('debug -it web --image=busybox', [
      {after: HINT, type: 'hostname\r'},
      {after: /web\r\n\/ # $/, type: 'exit\r'},
    ])
    assert.match(k.out, /Session ended, the ephemeral container will not be restarted but may be reattached/)
    assert.deepEqual(m, k)
    for (const d of [t.k, t.m]) {
      const r = await d.kubectl([
        'get',
        'pod',
        'web',
        '-o',
        'jsonpath={.status.ephemeralContainerStatuses[0].state.terminated.reason}',
      ])
      assert.equal(r.stdout, 'Completed')
    }
  })
})
