// debug.test.ts compares `mkctl debug` with the real kubectl on twin daemons: ephemeral containers (the
// pods/ephemeralcontainers patch, the kubelet starting them), --copy-to, node/NAME, --attach and the errors of
// Validate. kubectl draws the debugger-xxxxx and node-debugger-NODE-xxxxx suffixes from its own random source, so
// outputs are compared with the suffix masked.
import assert from 'node:assert/strict'
import {startTwins, normalize, type Twins} from '../../helpers/differential.js'
import {ticking} from '../../helpers/pty.js'
import type {RunResult} from '../../helpers/daemon.js'

/** mask hides kubectl's utilrand suffixes (apimachinery util/rand alphabet). */
function mask(s: string): string {
  return s.replace(/(debugger-(?:[a-z0-9-]+-)?)[bcdfghjklmnpqrstvwxz2456789]{5}\b/g, '$1XXXXX')
}

function masked(r: RunResult, bin: 'kubectl' | 'mkctl'): RunResult {
  const n = normalize(r, bin)
  return {stdout: mask(n.stdout), stderr: mask(n.stderr), code: n.code}
}

/** sameMasked runs args both ways and asserts equal output with the random suffixes masked. */
async function sameMasked(t: Twins, args: string[]): Promise<RunResult> {
  const r = await t.both(args)
  const got = masked(r.mkctl, 'mkctl')
  assert.deepEqual(got, masked(r.kubectl, 'kubectl'), `mkctl ${args.join(' ')}`)
  return got
}

describe('debug (differential)', function () {
  let t: Twins
  before(async function () {
    this.timeout(60_000)
    t = await startTwins(this)
    await t.setup(['run', 'web', '--image=nginx', '--labels=app=web'])
    await t.advance(5000)
  })
  after(async () => t?.stop())

  it('refuses what Validate refuses, with kubectl messages and exit codes', async function () {
    this.timeout(60_000)
    await t.same(['debug', 'web'])
    await t.same(['debug', 'web', '--image=busybox', '--replace'])
    await t.same(['debug', 'web', '--image=busybox', '--same-node'])
    await t.same(['debug', 'web', '--image=busybox', '--set-image=web=nginx:1'])
    await t.same(['debug', 'web', '--image=Bad Image'])
    await t.same(['debug', '--image=busybox'])
    await t.same(['debug', 'web', '--image=busybox', '-t'])
    await t.same(['debug', 'web', '--image=busybox', '--image-pull-policy=Sometimes'])
    await t.same(['debug', 'web', '--image=busybox', '--profile=nope'])
    await t.same(['debug', 'web', '--copy-to=x', '--target=web', '--image=busybox'])
    await t.same(['debug', 'web', '--copy-to=x'])
    await t.same(['debug', 'web', '--copy-to=x', '--', 'sh'])
    await t.same(['debug', 'nope', '--image=busybox', '--profile=general'])
    await t.same(['debug', 'svc/kubernetes', '--image=busybox', '--profile=general'])
  })

  it('adds an ephemeral container the kubelet starts', async function () {
    this.timeout(60_000)
    const r = await sameMasked(t, ['debug', 'web', '--image=busybox', '--target=web', '--', 'sleep', '3600'])
    assert.match(r.stdout, /Targeting container "web"/)
    assert.match(r.stdout, /Defaulting debug container name to debugger-XXXXX\./)
    await t.advance(3000)
    const pod = await sameMasked(t, ['get', 'pod', 'web', '-o', 'yaml'])
    assert.match(pod.stdout, /ephemeralContainerStatuses:[\s\S]*state:\n\s+running:/)
    await sameMasked(t, ['describe', 'pod', 'web'])
    // Names are unique across the pod; an ephemeral container is never changed or removed.
    await t.same(['debug', 'web', '--image=busybox', '-c', 'web', '--profile=general'])
    await t.same(['debug', 'web', '--image=busybox', '-c', 'dbg', '--target=nope', '-q', '--profile=general'])
    await t.same(['debug', 'web', '--image=busybox', '-c', 'named', '--profile=netadmin', '-q'])
    await t.advance(3000)
    await sameMasked(t, ['get', 'pod', 'web', '-o', 'jsonpath={.spec.ephemeralContainers[*].name}'])
    await t.same(['get', 'pod', 'web', '-o', 'jsonpath={.status.ephemeralContainerStatuses[*].state}'])
    await t.same(['debug', 'web', '--image=busybox', '-c', 'named', '--profile=general', '-q'])
  })

  it('--copy-to makes a copy with a debug container or new images', async function () {
    this.timeout(60_000)
    await sameMasked(t, ['debug', 'web', '--copy-to=web-copy', '--image=busybox', '--', 'sleep', '3600'])
    await sameMasked(t, ['debug', 'web', '--copy-to=web-img', '--set-image=*=nginx:1.27', '--profile=general'])
    await sameMasked(t, [
      'debug',
      'web',
      '--copy-to=web-gen',
      '--image=busybox',
      '--share-processes=false',
      '--same-node',
      '-q',
      '--profile=general',
      '--keep-labels',
    ])
    await t.advance(5000)
    await sameMasked(t, ['get', 'pods', '-o', 'yaml'])
    await t.same(['debug', 'web', '--copy-to=web-copy', '--image=busybox', '-q', '--profile=general'])
  })

  it('node/NAME creates a pod in the host namespaces with the root at /host', async function () {
    this.timeout(60_000)
    const r = await sameMasked(t, ['debug', 'node/mkctl', '--image=busybox', '--', 'sleep', '3600'])
    assert.match(
      r.stdout,
      /^Creating debugging pod node-debugger-mkctl-XXXXX with container debugger on node mkctl\.\n$/,
    )
    await t.advance(5000)
    const pods = await sameMasked(t, ['get', 'pods', '-o', 'yaml'])
    assert.match(pods.stdout, /hostPID: true/)
    assert.match(pods.stdout, /mountPath: \/host/)
    await t.same(['debug', 'node/nope', '--image=busybox'])
  })
  // Last: ticking moves the twins' clocks by different amounts, so later outputs with times would differ.
  it('--attach waits for the container and, when it has ended, prints its log', async function () {
    this.timeout(90_000)
    const r = await ticking(t, () =>
      t.both(['debug', 'web', '--image=busybox', '-c', 'once', '--attach', '--profile=general', '--', 'echo', 'hi']),
    )
    assert.deepEqual(masked(r.mkctl, 'mkctl'), masked(r.kubectl, 'kubectl'))
    assert.equal(r.mkctl.stdout, 'hi\n')
  })

  // Not differential: kubectl's typed client sends the DELETE's DeleteOptions as protobuf, which the daemon cannot
  // decode yet (no DeleteOptions in the "v1" protobuf kinds), so kubectl's --replace fails against the daemon.
  it('--copy-to --replace deletes the original (mkctl only)', async function () {
    this.timeout(60_000)
    const m = t.m
    assert.equal((await m.kubectl(['run', 'old', '--image=nginx'])).code, 0)
    await m.advance(3000)
    const r = await m.mkctl([
      'debug',
      'old',
      '--copy-to=new',
      '--image=busybox',
      '-c',
      'dbg',
      '--replace',
      '--profile=general',
      '--',
      'sleep',
      '100',
    ])
    assert.deepEqual([r.code, r.stdout, r.stderr], [0, '', ''])
    await m.advance(3000)
    assert.match((await m.kubectl(['get', 'pod', 'old'])).stderr, /NotFound/)
    assert.equal(
      (await m.kubectl(['get', 'pod', 'new', '-o', 'jsonpath={.spec.containers[*].name}'])).stdout,
      'old dbg',
    )
  })
})
