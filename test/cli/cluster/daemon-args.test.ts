// daemon-args.test.ts: the V8 flags a profile's daemon starts with (profiles.ts daemonNodeArgs): a small cluster
// keeps the 8 MiB semi-space that holds the idle RSS target, a cluster of 100 nodes or more gets 32 MiB.
import assert from 'node:assert/strict'
import {daemonNodeArgs, DAEMON_NODE_ARGS, LARGE_CLUSTER_NODES} from '../../../src/cli/cluster/profiles.js'

/** semiSpace is the value V8 takes: the last --max-semi-space-size given. */
const semiSpace = (args: string[]) =>
  args
    .filter((a) => a.startsWith('--max-semi-space-size='))
    .map((a) => Number(a.split('=')[1]))
    .pop()

describe('daemonNodeArgs', () => {
  it('gives clusters of 100 nodes or more a 32 MiB semi-space and leaves smaller ones at 8', () => {
    assert.equal(semiSpace(daemonNodeArgs(1)), 8)
    assert.equal(semiSpace(daemonNodeArgs(LARGE_CLUSTER_NODES - 1)), 8)
    assert.equal(semiSpace(daemonNodeArgs(LARGE_CLUSTER_NODES)), 32)
    assert.equal(semiSpace(daemonNodeArgs(1000)), 32)
    // The other flags stay whatever the size.
    for (const n of [1, 1000]) for (const a of DAEMON_NODE_ARGS.slice(1)) assert.ok(daemonNodeArgs(n).includes(a))
  })
})
